"""Hangul syllable arithmetic and the phonetic keys the matcher compares.

A precomposed syllable is U+AC00 + (initial * 21 + vowel) * 28 + final, so no
library is needed to decompose it. Fuzzy matching runs on a *phonetic key*
that folds distinctions Whisper routinely gets wrong in loanwords:
plain/aspirated/tense consonants (ㄱ/ㅋ/ㄲ), ㅐ/ㅔ, the silent initial ㅇ,
and final consonants that sound alike (깃 = 긷).
"""

from __future__ import annotations

from functools import lru_cache

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
          "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")

# Sound classes: aspiration and tenseness are the commonest ASR confusions.
_CONSONANT_CLASS = {
    "ㄱ": "ㄱ", "ㅋ": "ㄱ", "ㄲ": "ㄱ", "ㄴ": "ㄴ", "ㄷ": "ㄷ", "ㅌ": "ㄷ", "ㄸ": "ㄷ",
    "ㄹ": "ㄹ", "ㅁ": "ㅁ", "ㅂ": "ㅂ", "ㅍ": "ㅂ", "ㅃ": "ㅂ", "ㅅ": "ㅅ", "ㅆ": "ㅅ",
    "ㅇ": "", "ㅈ": "ㅈ", "ㅊ": "ㅈ", "ㅉ": "ㅈ", "ㅎ": "ㅎ",
}
# Final consonants as pronounced (7 representative sounds), then classed.
_FINAL_SOUND = {
    "": "", "ㄱ": "ㄱ", "ㄲ": "ㄱ", "ㄳ": "ㄱ", "ㄺ": "ㄱ", "ㅋ": "ㄱ",
    "ㄴ": "ㄴ", "ㄵ": "ㄴ", "ㄶ": "ㄴ",
    "ㄷ": "ㄷ", "ㅅ": "ㄷ", "ㅆ": "ㄷ", "ㅈ": "ㄷ", "ㅊ": "ㄷ", "ㅌ": "ㄷ", "ㅎ": "ㄷ",
    "ㄹ": "ㄹ", "ㄼ": "ㄹ", "ㄽ": "ㄹ", "ㄾ": "ㄹ", "ㅀ": "ㄹ",
    "ㅁ": "ㅁ", "ㄻ": "ㅁ", "ㅂ": "ㅂ", "ㅍ": "ㅂ", "ㅄ": "ㅂ", "ㄿ": "ㅂ", "ㅇ": "ㅇ",
}
_VOWEL_CLASS = {"ㅐ": "ㅔ", "ㅒ": "ㅖ", "ㅙ": "ㅞ", "ㅚ": "ㅞ"}


def is_syllable(ch: str) -> bool:
    """True for one precomposed Hangul syllable (가..힣)."""
    return SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST


def has_hangul(text: str) -> bool:
    """True if `text` contains at least one Hangul syllable."""
    return any(is_syllable(ch) for ch in text)


def is_all_hangul(text: str) -> bool:
    """True if every non-space character is a Hangul syllable (and there is one)."""
    stripped = text.replace(" ", "")
    return bool(stripped) and all(is_syllable(ch) for ch in stripped)


def decompose(ch: str) -> tuple[str, str, str]:
    """Split one syllable into (initial, vowel, final) compatibility jamo.

    Args:
        ch: A precomposed Hangul syllable.

    Returns:
        The three jamo; `final` is "" for an open syllable.
    """
    index = ord(ch) - SYLLABLE_FIRST
    if not 0 <= index <= SYLLABLE_LAST - SYLLABLE_FIRST:
        raise ValueError(f"not a Hangul syllable: {ch!r}")
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    return INITIALS[initial], VOWELS[vowel], FINALS[final]


def compose(initial: str, vowel: str, final: str = "") -> str:
    """Build one syllable from compatibility jamo (inverse of `decompose`)."""
    return chr(
        SYLLABLE_FIRST
        + (INITIALS.index(initial) * 21 + VOWELS.index(vowel)) * 28
        + FINALS.index(final)
    )


def has_final(ch: str) -> bool:
    """True if the syllable ends in a consonant (받침)."""
    return is_syllable(ch) and decompose(ch)[2] != ""


def final_of(ch: str) -> str:
    """The final consonant jamo of a syllable ("" if none or not Hangul)."""
    return decompose(ch)[2] if is_syllable(ch) else ""


def jamo(text: str) -> str:
    """Decompose every syllable into jamo; other characters pass through."""
    return "".join("".join(decompose(ch)) if is_syllable(ch) else ch for ch in text)


@lru_cache(maxsize=65536)
def phonetic_key(text: str) -> str:
    """Sound-alike key for fuzzy comparison of Hangul (and mixed) text.

    Spaces and punctuation are dropped, Latin letters are lower-cased, and each
    syllable becomes its classed initial (silent ㅇ dropped), vowel and final.

    Args:
        text: Any string; usually one candidate word or reading.

    Returns:
        The key, one character per sound unit.
    """
    out: list[str] = []
    for ch in text:
        if is_syllable(ch):
            initial, vowel, final = decompose(ch)
            out.append(_CONSONANT_CLASS[initial])
            out.append(_VOWEL_CLASS.get(vowel, vowel))
            sound = _FINAL_SOUND[final]
            out.append(_CONSONANT_CLASS[sound] if sound not in ("", "ㅇ") else sound)
        elif ch.isalnum():
            out.append(ch.lower())
    return "".join(out)
