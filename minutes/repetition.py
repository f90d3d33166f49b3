"""Whisper failure modes on meeting audio: repetition loops and stock phrases.

Whisper sometimes loops ("네 네 네 네 네 …", the same sentence ten times) or
emits subtitle boilerplate it learned from video ("시청해주셔서 감사합니다",
"Thanks for watching!") on silence, music or noise, notably on quiet Korean
audio. These helpers are pure functions so they are easy to test.
"""

from __future__ import annotations

import re
import unicodedata

# A unit of 1-10 characters repeated 5+ more times inside one token.
_CHAR_LOOP = re.compile(r"(\S{1,10}?)\1{5,}")

_ALWAYS_BOGUS = (
    "자막제공",
    "자막by",
    "한글자막",
    "subtitlesbytheamaraorgcommunity",
    "amaraorg",
)
_STOCK_PHRASES = (
    "시청해주셔서감사합니다",
    "시청해주셔서고맙습니다",
    "구독과좋아요",
    "구독좋아요알림설정",
    "다음영상에서만나요",
    "thanksforwatching",
    "thankyouforwatching",
    "pleasesubscribe",
    "mbc뉴스",
    "kbs뉴스",
)


def cut_repetitions(text: str, max_unit_words: int = 8) -> str:
    """Collapse runaway repetitions while keeping natural ones.

    A single word may repeat up to 4 times ("네 네 네 네" is real speech); a
    phrase of 2+ words repeated 3+ times in a row is a decoding loop and is
    kept once. Character loops inside a token ("ㅋㅋㅋㅋㅋㅋㅋㅋ…") keep
    two units.
    """
    text = _CHAR_LOOP.sub(lambda m: m.group(1) * 2, text)
    words = text.split()
    if len(words) < 5:
        return text
    out: list[str] = []
    i = 0
    while i < len(words):
        collapsed = False
        # Shortest unit first, so a loop is collapsed to its true period.
        for k in range(1, min(max_unit_words, (len(words) - i) // 2) + 1):
            unit = words[i : i + k]
            reps = 1
            while words[i + reps * k : i + (reps + 1) * k] == unit:
                reps += 1
            if (k == 1 and reps >= 5) or (k >= 2 and reps >= 3):
                out.extend(unit if k >= 2 else unit * 2)
                i += reps * k
                collapsed = True
                break
        if not collapsed:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\W_]+", "", text)


def is_hallucination(
    text: str, *, no_speech_prob: float | None = None, avg_logprob: float | None = None
) -> bool:
    """True for subtitle boilerplate that Whisper invents on non-speech.

    Credits ("자막 제공 …", Amara) are always dropped. Stock sign-offs are
    dropped only with some evidence that there was no speech, because a
    person may really say "thank you for watching" in a demo.
    """
    squashed = _squash(text)
    if not squashed:
        return True
    if any(b in squashed for b in _ALWAYS_BOGUS):
        return True
    if any(squashed.startswith(p) for p in _STOCK_PHRASES):
        weak = (no_speech_prob is not None and no_speech_prob >= 0.2) or (
            avg_logprob is not None and avg_logprob <= -0.6
        )
        return weak
    return False
