"""Who is meant: people addressed by given name, title or first name, mapped to participants.

Korean speakers address each other by given name with 님 or 씨 ("준호 님",
"민수 씨"), by given name and title ("예린 과장님") or by title alone
("팀장님"); English speakers by first name ("Tom, could you…"). The minutes
name owners by the participant's name as the speakers were named (이준호, Tom
Becker), so an addressed form maps to the one participant it fits: a Korean
given name is the end of one full name (이준호 → 준호), an English first name
the first word of one. A form that fits none or several is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Titles and roles said after a name or alone, longest first.
TITLES = (
    "대표님", "이사님", "상무님", "전무님", "부장님", "차장님", "실장님", "팀장님", "과장님",
    "대리님", "주임님", "사원님", "선배님", "매니저님", "책임님", "선임님", "수석님", "연구원님",
    "프로님", "님", "씨",
)  # fmt: skip
_TITLE = "|".join(TITLES)
# "준호 님", "민수 씨가", "예린 과장님이", "도경 과장님," (a name of 2-3 syllables, then a title)
_KO_ADDRESSED = re.compile(
    rf"(?<![가-힣])([가-힣]{{2,3}})\s?({_TITLE})(?=[이가은는께의도랑부한에만하,.!?~\s]|$)"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def given_name(full: str) -> str:
    """The given name of a participant: 준호 of 이준호, Tom of Tom Becker (else the name)."""
    parts = full.split()
    if len(parts) > 1:
        return parts[0]
    if re.fullmatch(r"[가-힣]{3,4}", full):
        return full[1:] if len(full) == 3 else full[2:]
    return full


def participant_for(addressed: str, names: Sequence[str]) -> str | None:
    """The one participant an addressed name means (None if none or several fit).

    A full name is itself; a Korean given name must end exactly one Korean full
    name (준호 → 이준호); an English first name must begin exactly one name.
    """
    word = addressed.strip()
    if not word:
        return None
    if word in names:
        return word
    if re.fullmatch(r"[가-힣]+", word):
        fits = [n for n in names if len(n) > len(word) and n.endswith(word) and " " not in n]
    else:
        fits = [n for n in names if n.split() and n.split()[0].casefold() == word.casefold()]
    return fits[0] if len(fits) == 1 else None


def addressed_in(text: str, names: Sequence[str], speaker: str | None = None) -> list[str]:
    """The participants a line names or addresses, in order of mention (the speaker left out)."""
    found: list[tuple[int, str]] = []
    for name in names:
        if name != speaker:
            at = text.find(name)
            if at >= 0:
                found.append((at, name))
    for m in _KO_ADDRESSED.finditer(text):
        person = participant_for(m.group(1), names)
        if person and person != speaker:
            found.append((m.start(), person))
    for m in _LATIN_WORD.finditer(text):
        person = participant_for(m.group(0), names) if m.group(0)[0].isupper() else None
        if person and person != speaker:
            found.append((m.start(), person))
    return list(dict.fromkeys(p for _, p in sorted(found)))


def unmapped_address(text: str) -> str | None:
    """A person addressed in Korean who is not a known participant, as addressed:
    민수 (민수 씨), 팀장님, 이대리님; None if the line addresses nobody."""
    m = _KO_ADDRESSED.search(text)
    if m is None:
        return None
    name, title = m.groups()
    if title == "씨":
        return name
    # "그건 팀장님께서": a title after a word that is no known name stands alone
    return name + title if title == "님" else title


def canonical_owner(owner: str | None, names: Sequence[str]) -> str | None:
    """An owner written as addressed ("준호님", "준호 님", "Tom") as the participant's name,
    when exactly one participant fits; otherwise unchanged."""
    if not owner:
        return owner
    text = owner.strip()
    for name in names:
        if name.casefold() == text.casefold():
            return name
    bare = text
    for title in TITLES:
        if bare.endswith(title) and len(bare) > len(title):
            bare = bare[: -len(title)].strip()
            break
    return participant_for(bare, names) or owner
