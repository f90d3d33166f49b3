"""Word-level speaker assignment: give ASR segments speakers from diarization turns.

Pure functions (no I/O, no models). Each word goes to the speaker whose turns
overlap it most; a segment is split wherever consecutive words change
speaker, so a turn change inside an ASR segment becomes two segments.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from minutes.diarize.types import SpeakerTurn
from minutes.segmenting import segment_piece
from minutes.types import Segment

NEAREST_TURN_S = 1.0  # a word/segment in a pause takes the nearest turn this close


class TurnIndex:
    """Interval lookup over (possibly overlapping) speaker turns."""

    def __init__(self, turns: Sequence[SpeakerTurn]) -> None:
        self._turns = sorted((t for t in turns if t.end > t.start), key=lambda t: (t.start, t.end))
        self._starts = [t.start for t in self._turns]
        # Running maximum of ends lets a backwards scan stop early even with overlaps.
        self._max_end: list[float] = []
        running = float("-inf")
        for t in self._turns:
            running = max(running, t.end)
            self._max_end.append(running)

    def overlaps(self, start: float, end: float) -> dict[str, float]:
        """Seconds each speaker's turns overlap [start, end]."""
        out: dict[str, float] = {}
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._max_end[i] > start:
            t = self._turns[i]
            ov = min(end, t.end) - max(start, t.start)
            if ov > 0:
                out[t.speaker] = out.get(t.speaker, 0.0) + ov
            i -= 1
        return out

    def speaker_at(
        self, start: float, end: float, max_distance: float = NEAREST_TURN_S
    ) -> str | None:
        """Speaker for the span [start, end].

        The speaker with the largest overlap (ties: the one whose turn starts
        first); for a zero-length span, the turn containing the point; with no
        overlap, the nearest turn within `max_distance` seconds; else None.
        """
        if end > start:
            ov: dict[str, list[float]] = {}  # speaker -> [overlap, earliest turn start]
            i = bisect.bisect_left(self._starts, end) - 1
            while i >= 0 and self._max_end[i] > start:
                t = self._turns[i]
                o = min(end, t.end) - max(start, t.start)
                if o > 0:
                    acc = ov.setdefault(t.speaker, [0.0, t.start])
                    acc[0] += o
                    acc[1] = min(acc[1], t.start)
                i -= 1
            if ov:
                return max(ov, key=lambda spk: (ov[spk][0], -ov[spk][1]))
        # No overlap (a pause, or a zero-length span): the closest turn in reach;
        # distance 0 means the span touches or (for a point) lies inside it.
        best_spk: str | None = None
        best_dist = float("inf")
        j = bisect.bisect_right(self._starts, end + max_distance) - 1
        while j >= 0 and self._max_end[j] >= start - max_distance:
            t = self._turns[j]
            d = max(t.start - end, start - t.end, 0.0)
            if d <= max_distance and d <= best_dist:  # "<=": earlier turns win ties
                best_spk, best_dist = t.speaker, d
            j -= 1
        return best_spk


def _fill(labels: list[str | None]) -> list[str | None]:
    """Words with no speaker take the previous word's (or the next one's at the start)."""
    out = list(labels)
    last: str | None = None
    for i, lab in enumerate(out):
        if lab is None:
            out[i] = last
        else:
            last = lab
    nxt: str | None = None
    for i in range(len(out) - 1, -1, -1):
        if out[i] is None:
            out[i] = nxt
        else:
            nxt = out[i]
    return out


def split_segment(seg: Segment, index: TurnIndex) -> list[Segment]:
    """One segment with speakers: split at every speaker change between its words.

    Args:
        seg: An ASR segment.
        index: The diarization turns.

    Returns:
        One or more segments (ids unchanged; the caller renumbers).
    """
    if not seg.words:
        return [replace(seg, speaker=index.speaker_at(seg.start, seg.end))]
    labels = _fill([index.speaker_at(w.start, w.end) for w in seg.words])
    if all(lab is None for lab in labels):
        return [replace(seg, speaker=index.speaker_at(seg.start, seg.end))]
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            runs.append((start, i))
            start = i
    if len(runs) == 1:
        return [replace(seg, speaker=labels[0])]  # unsplit: raw text kept byte for byte
    return [
        replace(segment_piece(seg, seg.words[a:b], k == 0, k == len(runs) - 1), speaker=labels[a])
        for k, (a, b) in enumerate(runs)
    ]


def assign_word_speakers(
    segments: Sequence[Segment], turns: Sequence[SpeakerTurn]
) -> list[Segment]:
    """Attribute ASR segments to speakers, splitting them at speaker changes.

    Each word gets the speaker with the largest overlap with its time span
    (turns may overlap: the dominant one wins); a word in a pause takes the
    nearest turn within 1 s, otherwise its neighbours' speaker. A segment
    whose words change speaker is split there (text rebuilt from the words;
    timing from the words, the outer edges kept). Segments without words get
    the speaker with the largest overlap, else the nearest turn within 1 s,
    else None. The result is renumbered 0..n-1 in order. Pure: inputs are
    not modified.

    Args:
        segments: ASR segments in time order.
        turns: Diarization turns.

    Returns:
        New segments with `speaker` set and ids 0..n-1.
    """
    index = TurnIndex(turns)
    out: list[Segment] = []
    for seg in segments:
        out.extend(split_segment(seg, index))
    return [replace(s, id=i) for i, s in enumerate(out)]
