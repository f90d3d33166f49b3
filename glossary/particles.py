"""Split attached Korean particles/endings (and English plural/possessive) off a word.

Korean writes particles onto the noun ("쿠버네티스를"), so the matcher looks
for a term in the stem and leaves the particle outside the edited span. To
avoid eating real syllables, a particle only counts when it agrees with the
stem: 이/을/은/과/으로 need a final consonant (받침) before them, 가/를/는/와/로
need an open syllable. A Latin stem ("DSLR이라고") may take either, because the
agreement then follows the English pronunciation.
"""

from __future__ import annotations

from functools import lru_cache

from glossary.hangul import final_of, is_syllable

# After a final consonant only.
_AFTER_CONSONANT = (
    "이", "을", "은", "과", "으로", "으로는", "으로도", "으로서", "으로써", "이라고", "이라는",
    "이라도", "이라면", "이라서", "이란", "이랑", "이나", "이나마", "이며", "이에요", "이야",
    "이다", "이었다", "이었고", "이고", "이지", "이지만", "이면", "이죠", "이네요", "이었는데",
    "이거든요", "이잖아요", "이었어요",
)
# After an open syllable (no 받침) only.
_AFTER_VOWEL = (
    "가", "를", "는", "와", "로", "로는", "로도", "로서", "로써", "라고", "라는", "라도",
    "라면", "라서", "란", "랑", "나", "며", "예요", "야", "다", "였다", "였고", "고", "지",
    "지만", "면", "죠", "네요", "였는데", "거든요", "잖아요", "였어요", "였으면",
)
# Either way.
_ANY = (
    "의", "에", "에서", "에게", "에서는", "에서도", "에는", "에도", "에선", "도", "만", "까지",
    "부터", "처럼", "보다", "한테", "께", "하고", "들", "들이", "들을", "들은", "들도", "들의",
    "같은", "같이", "만큼", "마다", "조차", "밖에", "뿐", "요", "입니다", "이에요", "인데",
    "인가", "인지", "쪽", "하다", "하는", "한", "할", "해서", "했다", "했고", "했어요",
    "해요", "해도", "합니다", "하면", "하게", "되다", "된", "되는", "돼서", "됐다", "됐어요", "적",
    "적인", "적으로", "님",
)
# Verb endings or particles that close a noun phrase; a split-up term never continues
# past a word that ends in one of these.
PHRASE_ENDINGS = (*_AFTER_CONSONANT, *_AFTER_VOWEL, *_ANY, "니다", "는데", "어요", "아요", "서")

_KIND = {p: "C" for p in _AFTER_CONSONANT} | {p: "V" for p in _AFTER_VOWEL} | {p: "A" for p in _ANY}


def _by_last_char(endings: tuple[str, ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Index endings by their last character, longest first, for fast suffix tests."""
    index: dict[str, list[tuple[str, str]]] = {}
    for ending in sorted(set(endings), key=len, reverse=True):
        index.setdefault(ending[-1], []).append((ending, _KIND.get(ending, "A")))
    return {ch: tuple(items) for ch, items in index.items()}


_PARTICLES_BY_LAST = _by_last_char((*_AFTER_CONSONANT, *_AFTER_VOWEL, *_ANY))
_ENDINGS_BY_LAST = _by_last_char(PHRASE_ENDINGS)
_ENGLISH_SUFFIXES = ("'s", "’s", "es", "s")


def _agrees(stem: str, kind: str) -> bool:
    last = stem[-1]
    if not is_syllable(last):
        return True  # Latin or digit stem: the particle follows English sounds.
    if kind == "A":
        return True
    closed = final_of(last) != ""
    return closed if kind == "C" else not closed


@lru_cache(maxsize=65536)
def korean_splits(word: str, *, min_stem: int = 1) -> tuple[tuple[str, str], ...]:
    """All (stem, particle) ways to read `word` as a noun plus attached particle.

    Args:
        word: One word without spaces.
        min_stem: Shortest stem to return, in characters.

    Returns:
        (stem, particle) pairs, up to two stacked particles; the word itself
        (with an empty particle) is not included.
    """
    out: list[tuple[str, str]] = []
    for stem, particle in _single_splits(word, min_stem):
        out.append((stem, particle))
        # Particles stack: "테드만해도" = 테드 + 만 + 해도.
        out.extend((inner, p + particle) for inner, p in _single_splits(stem, min_stem))
    return tuple(out)


def _single_splits(word: str, min_stem: int) -> list[tuple[str, str]]:
    if not word:
        return []
    out: list[tuple[str, str]] = []
    for particle, kind in reversed(_PARTICLES_BY_LAST.get(word[-1], ())):
        if len(word) - len(particle) < min_stem or not word.endswith(particle):
            continue
        stem = word[: -len(particle)]
        if _agrees(stem, kind):
            out.append((stem, particle))
    return out


@lru_cache(maxsize=65536)
def english_splits(word: str) -> tuple[tuple[str, str], ...]:
    """(stem, suffix) pairs for a plural or possessive English word ("PRs", "API's")."""
    out: list[tuple[str, str]] = []
    for suffix in _ENGLISH_SUFFIXES:
        if len(word) > len(suffix) + 1 and word.endswith(suffix):
            out.append((word[: -len(suffix)], word[-len(suffix) :]))
    return tuple(out)


@lru_cache(maxsize=65536)
def ends_phrase(word: str) -> bool:
    """True if the word ends in a particle or verb ending that closes a phrase.

    The ending must leave a stem of at least one character and agree with it,
    so "에이" (the letter A) does not count as 에 + particle 이.
    """
    if not word:
        return False
    for ending, kind in _ENDINGS_BY_LAST.get(word[-1], ()):
        stem = word[: -len(ending)]
        if len(word) > len(ending) and word.endswith(ending) and _agrees(stem, kind):
            return True
    return False
