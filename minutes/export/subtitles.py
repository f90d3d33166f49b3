"""SRT and WebVTT subtitle exports.

Long segments are split into cues of at most two lines of `MAX_LINE_WIDTH`
display cells. Hangul and other wide characters count as two cells, so a
Korean line holds about 21 syllables, in line with common subtitle guidelines.
Cue times inside a segment come from word timestamps when the recogniser gave
them, otherwise they are interpolated over the segment by text length.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from minutes.export._shared import clean_text, spoken_segments
from minutes.types import Document, ReviewedSegment, Word

MAX_LINE_WIDTH = 42  # display cells per line; a cue has at most two lines

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Cue:
    """One subtitle on screen: its time span, text lines and speaker label."""

    start: float
    end: float
    lines: tuple[str, ...]
    speaker: str | None = None


def render_srt(doc: Document) -> str:
    """Render SubRip subtitles; the speaker is a ``Name: `` prefix on each segment's first cue.

    Args:
        doc: The reviewed document.

    Returns:
        The file content (numbered cues separated by blank lines).
    """
    blocks: list[str] = []
    for number, cue in enumerate(build_cues(doc, speaker_prefix=True), start=1):
        times = f"{srt_time(cue.start)} --> {srt_time(cue.end)}"
        blocks.append("\n".join([str(number), times, *cue.lines]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def render_vtt(doc: Document) -> str:
    """Render WebVTT subtitles with ``<v Name>`` voice tags for speakers.

    Args:
        doc: The reviewed document.

    Returns:
        The file content, starting with the ``WEBVTT`` header.
    """
    blocks = ["WEBVTT"]
    for cue in build_cues(doc, speaker_prefix=False):
        lines = [vtt_escape(line) for line in cue.lines]
        if cue.speaker:
            lines[0] = f"<v {vtt_escape(cue.speaker)}>{lines[0]}"
        blocks.append("\n".join([f"{vtt_time(cue.start)} --> {vtt_time(cue.end)}", *lines]))
    return "\n\n".join(blocks) + "\n"


def srt_time(seconds: float) -> str:
    """Format seconds as an SRT timestamp, ``HH:MM:SS,mmm``."""
    return _hms_millis(seconds, ",")


def vtt_time(seconds: float) -> str:
    """Format seconds as a WebVTT timestamp, ``HH:MM:SS.mmm``."""
    return _hms_millis(seconds, ".")


def vtt_escape(text: str) -> str:
    """Escape the characters WebVTT cue text reserves (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def display_width(text: str) -> int:
    """Width of `text` in terminal-style cells: wide (CJK) characters count as two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def build_cues(doc: Document, *, speaker_prefix: bool) -> list[Cue]:
    """Split every segment into cues and make their times monotonic.

    Args:
        doc: The reviewed document.
        speaker_prefix: Put ``Name:`` in front of each segment's first line (SRT).

    Returns:
        Cues in time order; no cue starts before the previous one ends.
    """
    cues: list[Cue] = []
    prev_end = 0.0
    for seg in spoken_segments(doc):
        label = doc.speaker_label(seg.speaker)
        lead = f"{label}:" if (speaker_prefix and label) else ""
        for cue in _segment_cues(seg, label, lead):
            # Recognisers occasionally emit overlapping segments; players cope
            # badly with overlapping cues, so clamp instead.
            start = max(cue.start, prev_end)
            end = max(cue.end, start)
            cues.append(Cue(start, end, cue.lines, cue.speaker))
            prev_end = end
    return cues


@dataclass(frozen=True)
class _Token:
    pos: int  # character offset in the segment's (whitespace-collapsed) text
    text: str


def _segment_cues(seg: ReviewedSegment, speaker: str | None, lead: str) -> list[Cue]:
    text = clean_text(seg.text)
    chunks = _chunk(_tokens(text), lead)
    timeline = _Timeline(seg, len(text))
    cues: list[Cue] = []
    for i, (tokens, lines) in enumerate(chunks):
        start = seg.start if i == 0 else timeline.at(tokens[0].pos)
        # A cue stays up until the next one replaces it: no flicker in between.
        end = seg.end if i == len(chunks) - 1 else timeline.at(chunks[i + 1][0][0].pos)
        cues.append(Cue(start, end, lines, speaker))
    return cues


def _tokens(text: str) -> list[_Token]:
    """Words of `text`; words too wide for a line (CJK without spaces) are cut."""
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        start, width = match.start(), 0
        for pos in range(match.start(), match.end()):
            w = display_width(text[pos])
            if width + w > MAX_LINE_WIDTH:
                tokens.append(_Token(start, text[start:pos]))
                start, width = pos, 0
            width += w
        tokens.append(_Token(start, text[start : match.end()]))
    return tokens


def _chunk(tokens: list[_Token], lead: str) -> list[tuple[list[_Token], tuple[str, ...]]]:
    """Greedily pack tokens into cues that fit on two lines; `lead` opens the first cue."""
    chunks: list[tuple[list[_Token], tuple[str, ...]]] = []
    current: list[_Token] = []
    lines: tuple[str, ...] = ()
    for token in tokens:
        candidate = _layout([t.text for t in [*current, token]], "" if chunks else lead)
        if candidate is None and current:
            chunks.append((current, lines))
            current = []
            candidate = _layout([token.text], "")
        elif candidate is None:
            # Only a speaker label wider than a line gets here: keep it, overflowing.
            candidate = (lead, token.text)
        current.append(token)
        # A lone token always fits: `_tokens` cut anything wider than a line.
        lines = candidate or (token.text,)
    if current:
        chunks.append((current, lines))
    return chunks


def _layout(words: Sequence[str], lead: str) -> tuple[str, ...] | None:
    """Lay words out on one line, or else on the two most balanced lines.

    Returns:
        The lines, or None when the words do not fit on two lines.
    """
    if lead:
        words = [lead, *words]  # index 0 always lands on the first line
    widths = [display_width(w) for w in words]
    if sum(widths) + len(words) - 1 <= MAX_LINE_WIDTH:
        return (" ".join(words),)
    best: tuple[int, int] | None = None  # (wider line's width, split index)
    for k in range(1, len(words)):
        first = sum(widths[:k]) + k - 1
        second = sum(widths[k:]) + len(words) - k - 1
        if max(first, second) <= MAX_LINE_WIDTH and (best is None or max(first, second) < best[0]):
            best = (max(first, second), k)
    if best is None:
        return None
    k = best[1]
    return (" ".join(words[:k]), " ".join(words[k:]))


class _Timeline:
    """Maps a character position in a segment's text to a time in seconds.

    With word timestamps the mapping is piecewise linear through each word's
    start and end; without them it is linear over the segment. Corrections can
    change the text length, so positions are compared as fractions of the text.
    """

    def __init__(self, seg: ReviewedSegment, text_len: int) -> None:
        self._len = max(1, text_len)
        self._fracs, self._times = _word_points(seg.words, seg.start, seg.end)

    def at(self, pos: int) -> float:
        frac = min(1.0, max(0.0, pos / self._len))
        i = bisect.bisect_right(self._fracs, frac)
        if i <= 0:
            return self._times[0]
        if i >= len(self._fracs):
            return self._times[-1]
        f0, f1 = self._fracs[i - 1], self._fracs[i]
        t0, t1 = self._times[i - 1], self._times[i]
        return t0 if f1 <= f0 else t0 + (t1 - t0) * (frac - f0) / (f1 - f0)


def _word_points(
    words: Sequence[Word], start: float, end: float
) -> tuple[list[float], list[float]]:
    total = sum(len(w.text) for w in words)
    if not words or total == 0:
        return [0.0, 1.0], [start, max(start, end)]
    fracs, times = [0.0], [start]
    pos = 0
    for w in words:
        for p, t in ((pos, w.start), (pos + len(w.text), w.end)):
            fracs.append(p / total)
            # Keep time non-decreasing even if the recogniser's words overlap.
            times.append(max(times[-1], t) if math.isfinite(t) else times[-1])
        pos += len(w.text)
    fracs.append(1.0)
    times.append(max(times[-1], end))
    return fracs, times


def _hms_millis(seconds: float, sep: str) -> str:
    millis = max(0, round(seconds * 1000)) if math.isfinite(seconds) else 0
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"
