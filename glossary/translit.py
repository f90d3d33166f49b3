"""Rule-based English-word -> Hangul transliteration (loanword style).

English spelling is too irregular for exact rules, so this module produces a
*few plausible readings* rather than one right answer: spelling is parsed into
rough phones (magic-e, vowel digraphs, r-coloured vowels, consonant clusters),
each ambiguous phone keeps its alternatives (the short "a" of "slack" is ㅐ,
that of "Kafka" ㅏ), and the phones are then written as Hangul following the
Korean loanword conventions (final p/t/k after a short vowel become 받침,
"l" between vowels doubles as ㄹㄹ, clusters get an epenthetic ㅡ). The matcher
compares readings with a fuzzy, sound-alike key, so a reading that is one
vowel off still matches.

A small lexicon of common tech morphemes ("data" -> 데이터, "base" -> 베이스)
fixes words whose established Korean spelling no rule predicts, and lets
compounds ("database", "pipeline") be read part by part.

No pronouncing dictionary is used: the CMU dictionary's Python wrapper is
GPL-licensed and misses most product names (Kubernetes, Jira, Figma), which
are what glossaries are full of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from glossary.hangul import compose
from glossary.lexicon import MORPHEMES

_VOWEL_LETTERS = frozenset("aeiouy")
_DIGRAPH_CONSONANTS = ("th", "sh", "ch", "ph")

# Hangul vowel jamo merged with a preceding glide.
_W_GLIDE = dict(zip("ㅏㅐㅓㅔㅣㅗㅜㅡ", "ㅘㅙㅝㅞㅟㅝㅜㅜ", strict=True))
_Y_GLIDE = dict(zip("ㅏㅐㅓㅔㅗㅜㅣㅡ", "ㅑㅒㅕㅖㅛㅠㅣㅣ", strict=True))
# Onset jamo for each consonant phone; "B" is a b that may close a syllable (웹).
_ONSET = {
    "p": "ㅍ", "b": "ㅂ", "B": "ㅂ", "t": "ㅌ", "d": "ㄷ", "k": "ㅋ", "g": "ㄱ", "f": "ㅍ",
    "v": "ㅂ", "s": "ㅅ", "z": "ㅈ", "sh": "ㅅ", "ch": "ㅊ", "j": "ㅈ", "th": "ㅅ", "m": "ㅁ",
    "n": "ㄴ", "ng": "ㅇ", "l": "ㄹ", "r": "ㄹ", "h": "ㅎ",
}
# Phones that become a final consonant (받침) after a short vowel.
_STOP_CODA = {"p": "ㅂ", "t": "ㅅ", "k": "ㄱ", "B": "ㅂ"}
_SONORANT_CODA = {"m": "ㅁ", "n": "ㄴ", "ng": "ㅇ", "l": "ㄹ"}
# Standalone consonants that take ㅣ rather than ㅡ ("dash" -> 대시).
_I_VOWEL = frozenset({"sh", "ch", "j"})
_MAX_READINGS = 8


@dataclass(frozen=True)
class _Phone:
    """A consonant or a vowel; `options` are its alternative spellings, likeliest first.

    A consonant option is a phone symbol ("s", "z"); a vowel option is one or
    more Hangul vowel jamo, one per syllable ("ㅏㅣ" is 아이).
    """

    options: tuple[str, ...]
    is_vowel: bool = False
    short: bool = False  # a short vowel lets a following p/t/k become 받침


def _c(*options: str) -> _Phone:
    return _Phone(options=tuple(options))


def _v(*options: str, short: bool = False) -> _Phone:
    return _Phone(options=tuple(options), is_vowel=True, short=short)


def _is_vowel_at(word: str, i: int) -> bool:
    if i >= len(word) or word[i] not in _VOWEL_LETTERS:
        return False
    if word[i] == "y":  # a consonant at the start of a word before a vowel ("yaml")
        return not (i == 0 and i + 1 < len(word) and word[i + 1] in _VOWEL_LETTERS)
    return True


def _consonant_len(word: str, j: int) -> int:
    """Letters in the single consonant sound at `j` (0 if none or a cluster follows)."""
    if j >= len(word) or word[j] in _VOWEL_LETTERS or not word[j].isalpha():
        return 0
    if word.startswith(_DIGRAPH_CONSONANTS, j):
        return 2
    return 0 if word[j] in "xw" else 1


def _silent_final_e(word: str, i: int) -> bool:
    """A final "e" (or "es"/"ed") after a consonant is silent: "type", "kubes"."""
    if word[i] != "e" or i < 2 or word[i - 1] in _VOWEL_LETTERS:
        return False
    rest = word[i + 1 :]
    return rest == "" or (rest in ("s", "d") and word[i - 1] not in "stdzxgc")


def _magic_e(word: str, i: int) -> bool:
    """Vowel + one consonant + silent e makes the vowel long ("type", "node")."""
    j = i + 1
    k = _consonant_len(word, j)
    return k > 0 and j + k < len(word) and word[j + k] == "e" and _silent_final_e(word, j + k)


def _open_syllable(word: str, i: int) -> bool:
    """Vowel followed by exactly one consonant sound and a vowel ("data")."""
    j = i + 1
    k = _consonant_len(word, j)
    return (
        k > 0
        and j + k < len(word)
        and word[j + k] in _VOWEL_LETTERS
        and not _silent_final_e(word, j + k)
    )


def _r_colored(word: str, i: int) -> bool:
    """The letter at `i` is an "r" that only colours the vowel (no vowel, no "r" after)."""
    if i >= len(word) or word[i] != "r":
        return False
    after = word[i + 1] if i + 1 < len(word) else ""
    if after == "r":
        return False  # "terraform": the r starts the next syllable
    return not (after in _VOWEL_LETTERS and not _silent_final_e(word, i + 1))


# Vowel digraphs: spelling -> Hangul vowel options, and whether the vowel is short.
_DIGRAPHS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("eau", ("ㅗ",), False),
    ("igh", ("ㅏㅣ",), False),
    ("air", ("ㅔㅓ",), False),
    ("ire", ("ㅏㅣㅓ",), False),
    ("ear", ("ㅓ", "ㅣㅓ"), False),
    ("oo", ("ㅜ",), True),
    ("ou", ("ㅏㅜ", "ㅜ", "ㅗ"), True),
    ("oi", ("ㅗㅣ",), False),
    ("oy", ("ㅗㅣ",), False),
    ("ai", ("ㅔㅣ", "ㅏㅣ"), False),
    ("ay", ("ㅔㅣ",), False),
    ("au", ("ㅗ", "ㅏㅜ"), False),
    ("aw", ("ㅗ",), False),
    ("ea", ("ㅣ", "ㅣㅐ", "ㅔ"), True),
    ("ee", ("ㅣ",), True),
    ("ei", ("ㅔㅣ", "ㅏㅣ", "ㅣ"), False),
    ("ey", ("ㅣ", "ㅔㅣ"), False),
    ("eu", ("ㅠ", "ㅔㅜ"), False),
    ("ew", ("ㅠ", "ㅜ"), False),
    ("ie", ("ㅣ", "ㅏㅣ"), False),
    ("oa", ("ㅗ",), False),
    ("ue", ("ㅠ", "ㅜ", "ㅜㅓ"), False),
    ("ui", ("ㅣ", "ㅜㅣ"), True),
)


def _single_vowel(word: str, i: int) -> _Phone:
    """Hangul options for one vowel letter, from its spelling context."""
    ch = word[i]
    final = i == len(word) - 1
    if _r_colored(word, i + 1):
        if ch == "a":
            return _v("ㅏ", "ㅓ")  # "spark" 스파크, "angular" 앵귤러
        return _v("ㅗ", "ㅓ") if ch == "o" else _v("ㅓ")
    if _magic_e(word, i):
        return _v({"a": "ㅔㅣ", "e": "ㅣ", "i": "ㅏㅣ", "o": "ㅗ", "u": "ㅠ", "y": "ㅏㅣ"}[ch])
    is_open = _open_syllable(word, i)
    if ch == "a":
        if final or is_open:
            return _v("ㅏ", "ㅓ", "ㅔㅣ", "ㅐ")
        return _v("ㅐ", "ㅏ", short=True)
    if ch == "e":
        if word[i + 1 : i + 2] == "r":
            return _v("ㅔ", "ㅓ", "ㅣ")  # "query" -> 쿼리
        if word[i + 1 :] == "n":
            return _v("ㅡ", "ㅔ")  # "token" -> 토큰
        return _v("ㅔ", "ㅣ", short=not is_open)
    if ch == "i":
        return _v("ㅣ", "ㅏㅣ") if is_open else _v("ㅣ", short=True)
    if ch == "o":
        return _v("ㅗ", "ㅓ") if is_open or final else _v("ㅗ", "ㅓ", "ㅏ", short=True)
    if ch == "u":
        return _v("ㅜ", "ㅠ", "ㅓ") if is_open or final else _v("ㅓ", "ㅜ", short=True)
    if final:  # "y" as a vowel: "my" 마이 but "query" 쿼리
        only_vowel = not any(_is_vowel_at(word, k) for k in range(i))
        return _v("ㅏㅣ") if only_vowel else _v("ㅣ")
    return _v("ㅏㅣ", "ㅣ") if is_open else _v("ㅣ", short=True)


def _vowel_phones(word: str, i: int) -> tuple[list[_Phone], int]:
    """Phones for the vowel letters at `i` and how many letters they used."""
    rest = word[i:]
    ch = word[i]
    if rest.startswith(("ow", "ew")) and i + 2 < len(word) and word[i + 2] in "ae":
        return [_v("ㅏ" if ch == "o" else "ㅠ"), _c("w")], 2  # "power" -> 파워
    if rest.startswith("ow"):
        return [_v("ㅗㅜ", "ㅏㅜ", "ㅗ")], 2
    for spelling, options, short in _DIGRAPHS:
        if not rest.startswith(spelling):
            continue
        if spelling[-1] == "r" and not _r_colored(word, i + len(spelling) - 1):
            continue
        used = len(spelling) + (1 if _r_colored(word, i + len(spelling)) else 0)
        if spelling == "ue" and _consonant_len(word, i + 2):
            options = ("ㅜㅓ", "ㅠ")  # "confluence" -> 컨플루언스
        return [_v(*options, short=short)], used
    used = 1 + (1 if _r_colored(word, i + 1) else 0)
    return [_single_vowel(word, i)], used


# Consonant spellings: prefix -> (phones, letters used).
_CLUSTERS: tuple[tuple[str, tuple[_Phone, ...], int], ...] = (
    ("tion", (_c("sh"), _v("ㅓ"), _c("n")), 4),
    ("sion", (_c("sh", "j"), _v("ㅓ"), _c("n")), 4),
    ("ture", (_c("ch"), _v("ㅓ")), 4),
    ("tch", (_c("ch"),), 3),
    ("dge", (_c("j"),), 3),
    ("chr", (_c("k"),), 2),
    ("ph", (_c("f"),), 2),
    ("sh", (_c("sh"),), 2),
    ("ch", (_c("ch", "k"),), 2),
    ("th", (_c("th", "t"),), 2),
    ("ck", (_c("k"),), 2),
    ("wh", (_c("w"),), 2),
    ("dj", (_c("j"),), 2),
    ("qu", (_c("k"), _c("w")), 2),
    ("xc", (_c("k"), _c("s")), 2),
)


def _consonant_phones(word: str, i: int) -> tuple[list[_Phone], int]:
    """Phones for the consonant letters at `i` and how many letters they used."""
    rest = word[i:]
    ch = word[i]
    nxt = word[i + 1] if i + 1 < len(word) else ""
    for spelling, phones, used in _CLUSTERS:
        if rest.startswith(spelling):
            if spelling == "xc" and word[i + 2 : i + 3] not in ("e", "i"):
                break
            return list(phones), used
    if rest.startswith("gh"):
        return ([_c("g")] if i == 0 else []), 2
    if rest.startswith("ng"):
        after = word[i + 2 : i + 3]
        if after and after in _VOWEL_LETTERS and not _silent_final_e(word, i + 2):
            return [_c("ng"), _c("g")], 2  # "Mongo" -> 몽고
        return [_c("ng")], 2
    if rest.startswith("nk") and not _is_vowel_at(word, i + 2):
        return [_c("ng"), _c("k")], 2  # "link" -> 링크 (but "Jenkins" -> 젠킨스)
    if i == 0 and rest.startswith(("kn", "wr", "ps")):
        return [], 1
    if rest.startswith("mb") and not _is_vowel_at(word, i + 2):
        return [_c("m")], 2  # "lambda" -> 람다, "climb"
    if ch == "x":
        return [_c("k"), _c("s")], 1
    if ch == "c":
        soft = nxt in ("e", "i", "y")
        skip = 2 if nxt in ("c", "k") and word[i + 2 : i + 3] not in ("e", "i") else 1
        return [_c("s" if soft else "k")], skip
    if ch == "g":
        soft = nxt in ("e", "i", "y") and not (i == 0 and nxt == "i")
        return [_c("j", "g") if soft else _c("g")], 2 if nxt == "g" else 1
    if ch in ("w", "y"):
        return ([_c(ch)] if nxt in _VOWEL_LETTERS else []), 1
    if ch == "h":
        return ([_c("h")] if nxt in _VOWEL_LETTERS and i == 0 else []), 1
    if ch == "s" and i == len(word) - 1 and i > 0 and word[i - 1] in "mnlrgdbvaeiouy":
        return [_c("s", "z")], 1  # "Teams" -> 팀스 / 팀즈
    if ch == "b" and not _is_vowel_at(word, i + 1 + (nxt == "b")):
        return [_c("b", "B")], 2 if nxt == "b" else 1  # "hub" 허브, "web" 웹
    if ch.isascii() and ch.isalpha():
        return [_c(ch)], 2 if nxt == ch else 1  # doubled letters sound once
    return [], 1


def _parse(word: str) -> list[_Phone]:
    """Turn a lower-case ASCII word into rough phones."""
    phones: list[_Phone] = []
    i = 0
    while i < len(word):
        if _is_vowel_at(word, i):
            if word[i] == "e" and _silent_final_e(word, i):
                i += 1
                continue
            found, used = _vowel_phones(word, i)
        else:
            found, used = _consonant_phones(word, i)
        if word[i] == "h" and i > 0 and _is_vowel_at(word, i + 1) and not _is_vowel_at(word, i - 1):
            found = [_c("h")]  # "GitHub" read as one word: 깃허브
        phones.extend(found)
        i += used
    return phones


class _Writer:
    """Accumulates Hangul syllables, allowing a final consonant to be added."""

    def __init__(self) -> None:
        self.syllables: list[list[str]] = []  # [initial, vowel, final]

    def add(self, initial: str, vowel: str) -> None:
        self.syllables.append([initial, vowel, ""])

    def open_last(self) -> bool:
        return bool(self.syllables) and self.syllables[-1][2] == ""

    def last_final(self) -> str:
        return self.syllables[-1][2] if self.syllables else ""

    def set_final(self, final: str) -> None:
        self.syllables[-1][2] = final

    def flush(self, symbol: str, *, before_l: bool) -> None:
        """Write a consonant that has no vowel of its own, with an epenthetic vowel."""
        if symbol == "ng":
            self.add("ㅇ", "ㅡ")
            return
        self.add(_ONSET[symbol], "ㅣ" if symbol in _I_VOWEL else "ㅡ")
        if before_l:
            self.set_final("ㄹ")  # "slack" -> 슬랙, "Google" -> 구글

    def text(self) -> str:
        return "".join(compose(i, v, f) for i, v, f in self.syllables)


def _write(phones: list[_Phone], choice: tuple[int, ...]) -> str:
    """Write phones as Hangul, taking option `choice[k]` of the k-th phone."""
    symbols = [p.options[c] for p, c in zip(phones, choice, strict=True)]
    out = _Writer()
    pending = ""  # onset consonant waiting for its vowel
    glide = ""
    prev_short = False
    for idx, phone in enumerate(phones):
        symbol = symbols[idx]
        prev = phones[idx - 1] if idx else None
        nxt = symbols[idx + 1] if idx + 1 < len(phones) else ""
        nxt_is_vowel = idx + 1 < len(phones) and (phones[idx + 1].is_vowel or nxt in ("w", "y"))
        if phone.is_vowel:
            first = symbol[0]
            if glide == "w":
                first = _W_GLIDE.get(first, first)
            elif glide == "y" or (pending == "sh" and first != "ㅣ"):
                first = _Y_GLIDE.get(first, first)
            out.add(_ONSET[pending] if pending not in ("", "ng") else "ㅇ", first)
            for extra in symbol[1:]:
                out.add("ㅇ", extra)
            pending, glide = "", ""
            prev_short = phone.short
            continue
        if symbol in ("w", "y"):
            if pending and not (symbol == "w" and pending in ("k", "g", "h")):
                out.flush(pending, before_l=False)  # "swift" -> 스위프트
                pending = ""
            glide = symbol
            continue
        if nxt_is_vowel:
            if symbol == "l" and out.open_last() and prev is not None and prev.is_vowel:
                out.set_final("ㄹ")  # "elastic" -> 엘라스틱
            if symbol == "ng" and out.open_last():
                out.set_final("ㅇ")
            else:
                pending = symbol
        elif symbol in _SONORANT_CODA and out.open_last():
            out.set_final(_SONORANT_CODA[symbol])
        elif symbol in _STOP_CODA and out.open_last() and nxt not in ("l", "r") and (
            prev_short or symbol == "B"
        ):
            out.set_final(_STOP_CODA[symbol])  # "slack" -> 슬랙, "web" -> 웹
        elif symbol == "l" and prev is not None and not prev.is_vowel and out.last_final() == "ㄹ":
            pass  # already written as the 받침 of 글 in "Google"
        else:
            out.flush(symbol, before_l=nxt == "l")
        prev_short = False
    return out.text()


def _choices(phones: list[_Phone], limit: int) -> list[tuple[int, ...]]:
    """Option indices per phone: the likeliest everywhere first, then fewest changes."""
    ranges = [range(len(p.options)) for p in phones]
    total = 1
    for r in ranges:
        total *= len(r)
    if total <= 64:
        combos = list(product(*ranges))
    else:  # the primary reading plus single and double changes
        base = [0] * len(phones)
        combos = [tuple(base)]
        ambiguous = [k for k, r in enumerate(ranges) if len(r) > 1]
        for a in ambiguous:
            for x in ranges[a][1:]:
                single = list(base)
                single[a] = x
                combos.append(tuple(single))
                for b in ambiguous:
                    if b > a:
                        double = list(single)
                        double[b] = 1
                        combos.append(tuple(double))
    combos.sort(key=lambda combo: (sum(1 for c in combo if c), sum(combo)))
    return combos[: 6 * limit]


def _rule_readings(letters: str, limit: int) -> list[str]:
    phones = _parse(letters)
    out: list[str] = []
    for choice in _choices(phones, limit):
        reading = _write(phones, choice)
        if reading and reading not in out:
            out.append(reading)
        if len(out) >= limit:
            break
    return out


def _split_compound(letters: str) -> list[str] | None:
    """Split a word into two parts, at least one a known morpheme.

    Both parts known ("data|base") is best; otherwise the known part needs 4+
    letters and the other 3+, so "docker" does not become "doc|ker".
    """
    best: list[str] | None = None
    best_known = 0
    for cut in range(3, len(letters) - 2):
        head, tail = letters[:cut], letters[cut:]
        if head in MORPHEMES and tail in MORPHEMES:
            known = len(letters) * 2
        elif head in MORPHEMES and len(head) >= 4 and len(tail) >= 3:
            known = len(head)
        elif tail in MORPHEMES and len(tail) >= 4 and len(head) >= 3:
            known = len(tail)
        else:
            continue
        if known > best_known:
            best, best_known = [head, tail], known
    return best


@lru_cache(maxsize=16384)
def transliterate(word: str, limit: int = _MAX_READINGS) -> tuple[str, ...]:
    """Plausible Hangul readings of one English word, most likely first.

    Args:
        word: ASCII letters (case is ignored); other characters are skipped.
        limit: Most readings to return.

    Returns:
        Distinct readings, e.g. ("쿠버네테스", "쿠버네티스", ...) for
        "Kubernetes"; empty if the word has no letters.
    """
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return ()
    known: list[str] = list(MORPHEMES.get(letters, ()))
    guessed: list[str] = []
    parts = None if known else _split_compound(letters)
    if parts:
        per_part = [list(MORPHEMES.get(p, ())) or _rule_readings(p, 3) for p in parts]
        readings = ["".join(combo) for combo in product(*per_part)]
        if all(p in MORPHEMES for p in parts):
            known.extend(readings)
        else:
            guessed.extend(readings)
    ruled = _rule_readings(letters, limit)
    # Known spellings first; a part-guessed compound competes with the plain rules.
    ordered = known + ruled[:1] + guessed + ruled[1:]
    out: list[str] = []
    for reading in ordered:
        if reading not in out:
            out.append(reading)
    return tuple(out[:limit])
