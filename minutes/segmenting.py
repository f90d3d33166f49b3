"""Cut ASR segments into sentences, using the words' own times.

faster-whisper's batched decoder returns one segment per VAD chunk, up to 30 s:
a monologue reads as paragraphs in Review, and a minutes item can only cite
its paragraph. Decoding with timestamp tokens gives sentence-sized segments
but read the Korean talks worse (CER 0.107 -> 0.145 on 344 s of Pansori), so
the segment is cut afterwards at its sentence ends instead: punctuation, the
Korean sentence-final endings (Whisper often leaves Korean unpunctuated), and
long pauses. A piece still longer than `max_seconds` is cut at its best
weaker boundary (a comma, a short pause) nearest the middle.

Pure functions: the words and their text are kept exactly; only the grouping
changes. Segments without word times are returned as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from minutes.types import Segment, Word

MIN_SECONDS = 1.0  # no piece shorter than this (a "네." stays with its sentence)
MAX_SECONDS = 15.0  # a piece longer than this is cut at a weaker boundary
STRONG = 0.8  # boundary score that ends a sentence
WEAK = 0.25  # the least a boundary needs to cut an over-long piece

_SENTENCE_END = re.compile(r"[.?!。？！…]+[\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:，、]$")
_ABBREVIATION = re.compile(r"^(?:mr|mrs|ms|dr|prof|st|vs|etc|e\.g|i\.e|u\.s|a\.m|p\.m)\.$", re.I)
# Korean sentence-final endings of formal and polite speech; Whisper often
# writes Korean sentences without a full stop. Not "-니까": mid-sentence it
# means "because".
_KOREAN_FINAL = re.compile(
    r"(?:니다|어요|아요|여요|에요|예요|해요|세요|네요|군요|지요|죠|데요|거든요|"
    r"까요|나요|잖아요|래요|대요|게요|걸요)$"
)


def split_sentences(
    seg: Segment, min_seconds: float = MIN_SECONDS, max_seconds: float = MAX_SECONDS
) -> list[Segment]:
    """One segment as one or more sentence-sized segments (ids unchanged).

    Cut only where the words' text rebuilds the segment's text exactly, so no
    character of the recogniser's output is lost or changed.
    """
    words = seg.words
    if len(words) < 2 or "".join(w.text for w in words).strip() != seg.text:
        return [seg]
    scores = [_boundary_score(words[i - 1], words[i]) for i in range(1, len(words))]
    cuts = _sentence_cuts(words, scores, min_seconds)
    bounds = [0, *cuts, len(words)]
    pieces: list[tuple[int, int]] = []
    for a, b in pairwise(bounds):
        pieces += _cut_long(words, scores, a, b, min_seconds, max_seconds)
    if len(pieces) == 1:
        return [seg]  # unsplit: the segment as it came
    return [
        segment_piece(seg, words[a:b], k == 0, k == len(pieces) - 1)
        for k, (a, b) in enumerate(pieces)
    ]


def split_all(segments: Sequence[Segment]) -> list[Segment]:
    """`split_sentences` over a window's segments (the caller renumbers)."""
    return [piece for seg in segments for piece in split_sentences(seg)]


def segment_piece(seg: Segment, words: Sequence[Word], first: bool, last: bool) -> Segment:
    """The part of `seg` made of `words`: text rebuilt from them, the outer edges kept."""
    return replace(
        seg,
        start=seg.start if first else words[0].start,
        end=seg.end if last else words[-1].end,
        text="".join(w.text for w in words).strip(),
        words=tuple(words),
    )


def _boundary_score(before: Word, after: Word) -> float:
    """How strongly a sentence ends between two words (0: not at all)."""
    token = before.text.strip()
    gap = max(0.0, after.start - before.end)
    if _SENTENCE_END.search(token) and not _ABBREVIATION.match(token):
        mark = 1.0
    elif _KOREAN_FINAL.search(token):
        mark = STRONG
    elif _CLAUSE_END.search(token):
        mark = 0.3
    else:
        mark = 0.0
    # A pause alone ends a sentence only when long: word times from the batched
    # decoder put pauses of a second inside phrases too.
    return mark + 0.4 * min(gap, 2.0)


def _sentence_cuts(words: Sequence[Word], scores: Sequence[float], min_seconds: float) -> list[int]:
    """Word indices that start a new sentence, no piece shorter than `min_seconds`."""
    cuts: list[int] = []
    start = words[0].start
    end = words[-1].end
    for i, score in enumerate(scores, start=1):
        if score < STRONG:
            continue
        if words[i - 1].end - start >= min_seconds and end - words[i].start >= min_seconds:
            cuts.append(i)
            start = words[i].start
    return cuts


def _cut_long(
    words: Sequence[Word],
    scores: Sequence[float],
    a: int,
    b: int,
    min_seconds: float,
    max_seconds: float,
) -> list[tuple[int, int]]:
    """Split words[a:b] at its best boundaries until no piece is over `max_seconds`."""
    if words[b - 1].end - words[a].start <= max_seconds:
        return [(a, b)]
    middle = (words[a].start + words[b - 1].end) / 2
    half = (words[b - 1].end - words[a].start) / 2
    best, best_value = None, 0.0
    for i in range(a + 1, b):
        score = scores[i - 1]
        left, right = words[i - 1].end - words[a].start, words[b - 1].end - words[i].start
        if score < WEAK or left < min_seconds or right < min_seconds:
            continue
        value = score - 0.5 * abs(words[i].start - middle) / half  # near the middle wins
        if best is None or value > best_value:
            best, best_value = i, value
    if best is None:
        return [(a, b)]  # no place to cut: a long sentence stays whole
    return _cut_long(words, scores, a, best, min_seconds, max_seconds) + _cut_long(
        words, scores, best, b, min_seconds, max_seconds
    )
