"""SRT and WebVTT subtitle exports.

Long segments are split into cues that follow common subtitle norms
(BBC, EBU, Netflix timed-text guidelines):

* A cue has at most two lines. A line holds `MAX_LINE_WIDTH` (42) Latin
  characters or `MAX_WIDE_LINE_CHARS` (18) wide ones (Hangul, kana, Han);
  mixed text is weighted in between, so a spaced Korean line holds about 16
  syllables plus spaces, within the 16-20 characters Korean and CJK broadcast
  and streaming guides allow.
* A cue stays on screen at most `MAX_CUE_SECONDS` (7 s) where the word timing
  allows, and preferably not under `MIN_CUE_SECONDS`.
* Cues (and the two lines of a cue) break at sentence ends first, then at
  clause punctuation (or a Korean polite sentence ending when the recogniser
  left out the full stop), then between words; only a single word wider than a
  line is cut inside. Han and kana text, written without spaces, may break
  between characters, but not before closing punctuation.

The break points are chosen together by dynamic programming, so a cue ends at a
clause boundary whenever one lies within the limits, instead of greedily
filling each cue. Cue times come from word timestamps when the recogniser gave
them, otherwise they are interpolated over the segment by text length; a
segment's cues are contiguous and span it exactly.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from minutes.export._shared import clean_text, spoken_segments
from minutes.types import Document, ReviewedSegment, Word

MAX_LINE_WIDTH = 42  # Latin characters per line (BBC/Netflix); a cue has at most two lines
MAX_WIDE_LINE_CHARS = 18  # Hangul/CJK characters per line; broadcast norms are 16-20
MAX_LINES = 2
MAX_CUE_SECONDS = 7.0  # longer cues outstay reading time; split when the words allow
MIN_CUE_SECONDS = 1.0  # shorter cues flash by; avoided when a better split exists

# Integer widths keep the limit exact: a narrow character costs
# MAX_WIDE_LINE_CHARS units and a wide one MAX_LINE_WIDTH, so a line of
# `_LINE` units holds exactly MAX_LINE_WIDTH narrow or MAX_WIDE_LINE_CHARS wide
# characters.
_NARROW = MAX_WIDE_LINE_CHARS
_WIDE = MAX_LINE_WIDTH
_LINE = MAX_LINE_WIDTH * MAX_WIDE_LINE_CHARS

_WORD = re.compile(r"\S+")
_SENTENCE_END = frozenset(".?!…‽。？！｡")
_CLAUSE_END = frozenset(",;:、，；：–—")
_CLOSERS = "\"'”’»)]}」』）】〕〉》"
# Without punctuation a polite Korean ending before a space likely ends a sentence;
# it is a guess, so it ranks like a comma.
_KO_ENDINGS = ("니다", "니까", "세요", "어요", "아요", "해요", "에요", "예요", "네요", "죠")
# A dot after these is not a sentence end ("Mr. Kim", "e.g. this").
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Prof|vs)\.")
# Kinsoku: never start a line with these, nor end one with an opening bracket.
_NO_BREAK_BEFORE = frozenset(
    "、。，．！？：；）」』】〕〉》”’…‥・ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.!?:;)]}%"
)
_NO_BREAK_AFTER = frozenset("（「『【〔〈《“‘([{")


class _Break(IntEnum):
    """How good a place for a cue or line break is, best first."""

    SENTENCE = 0
    CLAUSE = 1
    WORD = 2
    CUT = 3  # inside a word too wide for a line


# Costs of the cue split, in "extra cues": clause breaks are worth an extra
# cue, a mid-clause break costs three, a cut inside a word more still.
_CUE_COST = 1.0
_CUE_BREAK_COST = {_Break.SENTENCE: 0.0, _Break.CLAUSE: 0.3, _Break.WORD: 3.0, _Break.CUT: 6.0}
_OVERTIME_COST = 5.0  # plus _OVERTIME_PER_SECOND: above a word break, so long cues get split
_OVERTIME_PER_SECOND = 10.0
_SHORT_PER_SECOND = 1.0
_BALANCE_COST = 0.5  # prefers even cues to a full one followed by a scrap
# Line break costs, in Latin characters of extra length on the longer line.
_LINE_BREAK_COST = {_Break.SENTENCE: 0, _Break.CLAUSE: 1, _Break.WORD: 6, _Break.CUT: 12}


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
        width += 2 if _is_wide(ch) else 1
    return width


def line_width(text: str) -> float:
    """Length of a subtitle line in Latin characters, compared with `MAX_LINE_WIDTH`.

    A wide (Hangul, CJK) character counts ``MAX_LINE_WIDTH / MAX_WIDE_LINE_CHARS``
    (about 2.3), so a line fits when it has at most 42 Latin or 18 wide
    characters. Never less than `display_width`.
    """
    return _units(text) / _NARROW


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
    """A breakable unit of a segment's text: a word, a Han/kana character, or a cut piece."""

    pos: int  # character offset in the segment's (whitespace-collapsed) text
    text: str
    width: int  # in `_units`
    glue: bool = False  # no space before it in the text
    cut: bool = False  # continues a word that was too wide for a line


def _segment_cues(seg: ReviewedSegment, speaker: str | None, lead: str) -> list[Cue]:
    text = clean_text(seg.text)
    tokens = _tokens(text)
    breaks = _breaks(tokens)
    start = seg.start
    end = max(seg.start, seg.end)
    timeline = _Timeline(text, seg.words, start, end)
    # Time at which the text from token k on is spoken; the ends are the segment's.
    times = [start, *(timeline.at(t.pos) for t in tokens[1:]), end]
    return [
        Cue(times[i], times[j], lines, speaker)
        for i, j, lines in _plan(tokens, breaks, times, lead)
    ]


def _tokens(text: str) -> list[_Token]:
    """Split `text` at spaces and at Han/kana break opportunities; cut over-wide words."""
    tokens: list[_Token] = []
    for match in _WORD.finditer(text):
        word, base = match.group(), match.start()
        for n, (a, b) in enumerate(_word_pieces(word)):
            for k, (c, d) in enumerate(_cut(word, a, b)):
                tokens.append(
                    _Token(base + c, word[c:d], _units(word[c:d]), glue=n > 0 or k > 0, cut=k > 0)
                )
    return tokens


def _word_pieces(word: str) -> list[tuple[int, int]]:
    """Spans of `word` between which a line may break (only next to Han or kana)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(word)):
        a, b = word[i - 1], word[i]
        if (
            (_is_ideographic(a) or _is_ideographic(b))
            and b not in _NO_BREAK_BEFORE
            and a not in _NO_BREAK_AFTER
            and not unicodedata.combining(b)
        ):
            spans.append((start, i))
            start = i
    spans.append((start, len(word)))
    return spans


def _cut(word: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``word[start:end]`` into spans that each fit on a line (usually just one span)."""
    spans: list[tuple[int, int]] = []
    width = 0
    for pos in range(start, end):
        w = _units(word[pos])
        if width + w > _LINE and pos > start:
            spans.append((start, pos))
            start, width = pos, 0
        width += w
    spans.append((start, end))
    return spans


def _breaks(tokens: Sequence[_Token]) -> list[_Break]:
    """`breaks[k]` rates a break before token k (index 0 is unused)."""
    out = [_Break.SENTENCE]
    for prev, tok in itertools.pairwise(tokens):
        if tok.cut:
            out.append(_Break.CUT)
            continue
        kind = _punctuation_break(prev.text)
        if kind is None and not tok.glue and prev.text.endswith(_KO_ENDINGS):
            kind = _Break.CLAUSE  # a likely sentence end, but without the certainty of a stop
        out.append(_Break.WORD if kind is None else kind)
    return out


def _punctuation_break(text: str) -> _Break | None:
    core = text.rstrip(_CLOSERS)
    if not core:
        return None
    if core[-1] in _SENTENCE_END and not _ABBREVIATION.fullmatch(core):
        return _Break.SENTENCE
    if core[-1] in _CLAUSE_END:
        return _Break.CLAUSE
    return None


def _plan(
    tokens: Sequence[_Token], breaks: Sequence[_Break], times: Sequence[float], lead: str
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Choose cue boundaries with the least total cost (dynamic programming).

    Returns:
        ``(first token, end token, lines)`` per cue, covering all tokens in order.
    """
    n = len(tokens)
    best = [0.0] + [math.inf] * n
    choice: list[tuple[int, tuple[str, ...]]] = [(0, ())] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            lines = _layout(tokens[i:j], breaks[i:j], lead if i == 0 else "")
            if lines is None:
                break  # adding earlier tokens only makes the cue wider
            cost = best[i] + _cue_cost(tokens[i:j], times[j] - times[i])
            if j < n:
                cost += _CUE_BREAK_COST[breaks[j]]
            # The first candidate is always taken, so absurd times (infinite costs) still split.
            if cost < best[j] or not choice[j][1]:
                best[j], choice[j] = cost, (i, lines)
    plan: list[tuple[int, int, tuple[str, ...]]] = []
    j = n
    while j > 0:
        i, lines = choice[j]
        plan.append((i, j, lines))
        j = i
    plan.reverse()
    return plan


def _cue_cost(tokens: Sequence[_Token], seconds: float) -> float:
    cost = _CUE_COST
    if not math.isfinite(seconds):
        seconds = MIN_CUE_SECONDS  # broken segment times: split by text alone
    if seconds > MAX_CUE_SECONDS:
        cost += _OVERTIME_COST + _OVERTIME_PER_SECOND * (seconds - MAX_CUE_SECONDS)
    elif seconds < MIN_CUE_SECONDS:
        cost += _SHORT_PER_SECOND * (MIN_CUE_SECONDS - seconds)
    fill = min(1.0, sum(t.width for t in tokens) / (MAX_LINES * _LINE))
    return cost + _BALANCE_COST * (1.0 - fill) ** 2


def _layout(
    tokens: Sequence[_Token], breaks: Sequence[_Break], lead: str
) -> tuple[str, ...] | None:
    """Lay tokens out on one line, or else on two lines broken at the best place.

    Returns:
        The lines, or None when the tokens do not fit on two lines.
    """
    items = list(tokens)
    kinds = list(breaks)
    if lead:
        # The speaker label opens the first line; a break right after it is no better
        # than any word break, although it ends with a colon.
        items.insert(0, _Token(-1, lead, _units(lead)))
        kinds[0] = _Break.WORD
        kinds.insert(0, _Break.SENTENCE)
    # widths[k]: width of items[:k] on one line.
    widths = [0]
    for k, item in enumerate(items):
        gap = _NARROW if k and not item.glue else 0
        widths.append(widths[-1] + gap + item.width)

    def span(a: int, b: int) -> int:  # width of items[a:b] on one line
        return widths[b] - widths[a] - (0 if items[a].glue or a == 0 else _NARROW)

    m = len(items)
    if span(0, m) <= _LINE:
        return (_join(items),)
    if lead and items[0].width > _LINE:
        # Only a speaker label wider than a line: give it a line of its own, overflowing.
        return (lead, _join(items[1:])) if m > 1 and span(1, m) <= _LINE else None
    best: tuple[int, int] | None = None  # (cost, split index)
    for k in range(1, m):
        first, second = span(0, k), span(k, m)
        if first > _LINE:
            break
        if second > _LINE:
            continue
        cost = max(first, second) + _LINE_BREAK_COST[kinds[k]] * _NARROW
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return None
    k = best[1]
    return (_join(items[:k]), _join(items[k:]))


def _join(items: Sequence[_Token]) -> str:
    return "".join(t.text if (k == 0 or t.glue) else " " + t.text for k, t in enumerate(items))


class _Timeline:
    """Maps a character position in a segment's text to a time in seconds.

    Word timestamps anchor the positions of the words they belong to; between
    anchors, and without words, time is interpolated linearly by characters.
    Corrections can change the text, so words are matched to it character by
    character (ignoring spaces), and only matching characters are anchored.
    """

    def __init__(self, text: str, words: Sequence[Word], start: float, end: float) -> None:
        anchors = [(0, start), *_word_anchors(text, words, start, end), (len(text), end)]
        anchors.sort(key=lambda a: a[0])
        self._pos: list[int] = []
        self._times: list[float] = []
        for pos, t in anchors:
            self._pos.append(pos)
            # Keep time non-decreasing even if the recogniser's words overlap.
            self._times.append(max(self._times[-1], t) if self._times else t)

    def at(self, pos: int) -> float:
        i = bisect.bisect_right(self._pos, pos)
        if i >= len(self._pos):
            return self._times[-1]
        p0, p1 = self._pos[i - 1], self._pos[i]
        t0, t1 = self._times[i - 1], self._times[i]
        return t0 + (t1 - t0) * (pos - p0) / (p1 - p0)


_MAX_MATCH_CHARS = 2000  # beyond this, character matching gets slow; scale instead


def _word_anchors(
    text: str, words: Sequence[Word], start: float, end: float
) -> list[tuple[int, float]]:
    """``(text position, time)`` for each word's first and after its last character."""
    text_idx = [i for i, ch in enumerate(text) if not ch.isspace()]
    text_chars = "".join(text[i] for i in text_idx)
    word_chars: list[str] = []
    spans: list[tuple[int, int, float, float]] = []  # (first, last + 1) in word_chars, times
    for w in words:
        chars = "".join(w.text.split())
        if chars and math.isfinite(w.start) and math.isfinite(w.end):
            spans.append((len(word_chars), len(word_chars) + len(chars), w.start, w.end))
            word_chars.extend(chars)
    if not spans or not text_chars:
        return []
    joined = "".join(word_chars)
    to_text: dict[int, int] = {}  # index in word_chars -> index in text_chars
    if joined == text_chars:
        to_text = {k: k for k in range(len(joined))}
    elif max(len(joined), len(text_chars)) <= _MAX_MATCH_CHARS:
        matcher = difflib.SequenceMatcher(None, joined, text_chars, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            to_text.update((a + x, b + x) for x in range(size))
    else:
        scale = len(text_chars) / len(joined)
        to_text = {k: min(len(text_chars) - 1, int(k * scale)) for k in range(len(joined))}
    anchors: list[tuple[int, float]] = []
    for first, stop, w_start, w_end in spans:
        if first in to_text:
            anchors.append((text_idx[to_text[first]], min(max(w_start, start), end)))
        if stop - 1 in to_text:
            anchors.append((text_idx[to_text[stop - 1]] + 1, min(max(w_end, start), end)))
    return anchors


def _units(text: str) -> int:
    """Width of `text` in line units (`_LINE` per line)."""
    return sum(
        0 if unicodedata.combining(ch) else (_WIDE if _is_wide(ch) else _NARROW) for ch in text
    )


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _is_ideographic(ch: str) -> bool:
    """Han, kana and other wide script written without spaces (Hangul uses spaces)."""
    return _is_wide(ch) and not unicodedata.name(ch, "").startswith("HANGUL")


def _hms_millis(seconds: float, sep: str) -> str:
    scaled = seconds * 1000  # may overflow to inf for absurd times
    millis = max(0, round(scaled)) if math.isfinite(scaled) else 0
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"
