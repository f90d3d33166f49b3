"""Hangul readings generated from a term's own spelling, so users need not type them.

Acronyms are read letter by letter ("GDP" -> 지디피, "OECD" -> 오이시디),
words are transliterated ("Kubernetes" -> 쿠버네티스), and mixed forms are
read part by part ("MongoDB" -> 몽고디비, "S3" -> 에스쓰리). The reverse,
`decode_letters`, reads a Hangul string as spelled-out letters ("지지피" ->
GGP/GZP/...), which catches letter-level mis-hearings of acronyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from glossary.hangul import has_hangul
from glossary.translit import transliterate

# Korean names of Latin letters, commonest first.
LETTER_NAMES: dict[str, tuple[str, ...]] = {
    "A": ("에이",), "B": ("비",), "C": ("씨", "시"), "D": ("디",), "E": ("이",),
    "F": ("에프",), "G": ("지", "쥐"), "H": ("에이치", "에치"), "I": ("아이",),
    "J": ("제이",), "K": ("케이",), "L": ("엘",), "M": ("엠",), "N": ("엔",), "O": ("오",),
    "P": ("피",), "Q": ("큐",), "R": ("알",), "S": ("에스",), "T": ("티",), "U": ("유",),
    "V": ("브이", "비"), "W": ("더블유", "더블류"), "X": ("엑스",), "Y": ("와이",),
    "Z": ("지", "제트", "젯"),
}
_DIGIT_NAMES: dict[str, tuple[str, ...]] = {
    "0": ("제로", "영"), "1": ("원", "일"), "2": ("투", "이"), "3": ("쓰리", "삼"),
    "4": ("포", "사"), "5": ("파이브", "오"), "6": ("식스", "육"), "7": ("세븐", "칠"),
    "8": ("에이트", "팔"), "9": ("나인", "구"),
}
_SINO_DIGITS = "영일이삼사오육칠팔구"
_SYMBOL_NAMES: dict[str, tuple[str, ...]] = {
    "+": ("플러스", "플"), "#": ("샵",), "&": ("앤드", "앤"), "@": ("앳",),
}
# Letters whose English names rhyme; Whisper confuses these (GDP heard as GZP).
_RHYME_CLASSES = ("BCDEGPTVZ", "AJK", "FSX", "MN", "IY", "QUW")
_RHYME_OF = {letter: cls for cls in _RHYME_CLASSES for letter in cls}
_MAX_READINGS = 8
_VOWELS = re.compile(r"[aeiouyAEIOUY]")
_C = "[B-DF-HJ-NP-TV-Z]"
_CODA = "(?:ND|NT|ST|SK|CK|NK|NG|RT|RD|RK|LT|LD|MP|PT|CT|FT|SH|TH|CH|" + _C + ")"
_PRONOUNCEABLE = re.compile(f"^{_C}{{0,2}}[AEIOUY](?:{_C}{{1,2}}[AEIOUY])*{_CODA}?$")
_SEGMENT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[+#&@]")


@dataclass(frozen=True)
class Reading:
    """One generated Hangul reading of a term.

    Attributes:
        text: The reading, e.g. "지디피".
        kind: "acronym" when every part is spelled out letter by letter,
            "word" when any part is a transliterated word.
    """

    text: str
    kind: str


def is_acronym(text: str) -> bool:
    """True for an all-capitals letter string of 2 to 10 letters (digits allowed)."""
    return (
        2 <= len(text) <= 10
        and text.isascii()
        and text.isalnum()
        and any(c.isalpha() for c in text)
        and text.upper() == text
    )


def is_pronounceable(letters: str) -> bool:
    """True if capitals can be read as a word (TED, NASA), not only spelled (GDP, USB)."""
    return bool(_PRONOUNCEABLE.match(letters.upper()))


def rhymes(a: str, b: str) -> bool:
    """True if two capital letters sound alike when spelled out (D and Z)."""
    return a in _RHYME_OF and _RHYME_OF[a] == _RHYME_OF.get(b)


def _number_readings(digits: str) -> list[str]:
    english = "".join(_DIGIT_NAMES[d][0] for d in digits)
    out = [english]
    if len(digits) <= 4 and not digits.startswith("0"):
        out.append(_sino_number(int(digits)))
    return out


def _sino_number(value: int) -> str:
    """Sino-Korean reading of 1..9999 ("20" -> 이십)."""
    out = []
    for unit, name in ((1000, "천"), (100, "백"), (10, "십"), (1, "")):
        digit, value = divmod(value, unit)
        if digit:
            out.append(("" if digit == 1 and name else _SINO_DIGITS[digit]) + name)
    return "".join(out) or "영"


def _segment_options(segment: str) -> list[tuple[str, bool]]:
    """Readings of one segment, each flagged True if spelled out letter by letter."""
    if segment.isdigit():
        return [(r, True) for r in _number_readings(segment)]
    if segment in _SYMBOL_NAMES:
        return [(r, True) for r in _SYMBOL_NAMES[segment]]
    if not (segment.isupper() or len(segment) == 1 or not _VOWELS.search(segment)):
        return [(r, False) for r in transliterate(segment)]
    letters = segment.upper()
    spelled = ["".join(LETTER_NAMES[c][0] for c in letters)]
    for k, c in enumerate(letters):  # one alternative letter name at a time
        for alt in LETTER_NAMES[c][1:]:
            spelled.append(
                "".join(alt if j == k else LETTER_NAMES[x][0] for j, x in enumerate(letters))
            )
    out = [(r, True) for r in spelled]
    if len(segment) >= 3 and is_pronounceable(letters):
        out[4:4] = [(r, False) for r in transliterate(segment, 3)]  # "TED" -> 테드
    return out


@lru_cache(maxsize=32768)
def readings(term: str) -> tuple[Reading, ...]:
    """Hangul readings of a Latin-script term, most likely first.

    Args:
        term: A canonical form such as "GDP", "Kubernetes" or "MongoDB".

    Returns:
        Up to 8 readings; none for a term that already contains Hangul.
    """
    if has_hangul(term):
        return ()
    options = [o for o in (_segment_options(s) for s in _SEGMENT.findall(term)) if o]
    if not options:
        return ()
    combos: list[tuple[tuple[str, bool], ...]] = [tuple(o[0] for o in options)]
    # Then one part varied at a time, then the top two of every part combined.
    for k, opts in enumerate(options):
        for alt in opts[1:]:
            combos.append(tuple(alt if j == k else o[0] for j, o in enumerate(options)))
    if len(options) > 1:
        combos.extend(product(*(o[:2] for o in options)))
    out: dict[str, Reading] = {}
    for combo in combos:
        text = "".join(part for part, _ in combo)
        if text and text not in out:
            kind = "acronym" if all(spelled for _, spelled in combo) else "word"
            out[text] = Reading(text, kind)
        if len(out) >= _MAX_READINGS:
            break
    return tuple(out.values())


def _build_letter_trie() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for letter, spoken in LETTER_NAMES.items():
        for name in spoken:
            names.setdefault(name, []).append(letter)
    return {name: tuple(letters) for name, letters in names.items()}


_LETTERS_BY_NAME = _build_letter_trie()
_LONGEST_NAME = max(len(n) for n in _LETTERS_BY_NAME)
_NAME_SYLLABLES = frozenset("".join(_LETTERS_BY_NAME))


def could_be_letters(text: str) -> bool:
    """Cheap test: every character belongs to some letter name."""
    return bool(text) and all(ch in _NAME_SYLLABLES for ch in text)


@lru_cache(maxsize=65536)
def decode_letters(text: str, limit: int = 32) -> tuple[str, ...]:
    """Read Hangul as spelled-out Latin letters: "지디피" -> ("GDP", "ZDP").

    Args:
        text: Hangul without spaces.
        limit: Most decodings to return.

    Returns:
        Capital-letter strings whose spoken names make up `text` exactly;
        empty when `text` is not a sequence of letter names.
    """
    if not could_be_letters(text):
        return ()
    # ways[i]: decodings of text[:i]
    ways: list[list[str]] = [[""]] + [[] for _ in text]
    for end in range(1, len(text) + 1):
        for size in range(1, min(_LONGEST_NAME, end) + 1):
            letters = _LETTERS_BY_NAME.get(text[end - size : end])
            if not letters or not ways[end - size]:
                continue
            for prefix in ways[end - size]:
                for letter in letters:
                    if len(ways[end]) < limit:
                        ways[end].append(prefix + letter)
    return tuple(dict.fromkeys(ways[-1]))
