"""Transcript lines for the minutes prompts: grouping, back-channel removal, budgets."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from minutes.types import Document, ReviewedSegment

_BACKCHANNEL = re.compile(
    r"^(?:mm+-?hmm+|mhm|uh+|um+|hmm+|mm+|yeah|yes|yep|ok(?:ay)?|right|oh|ah|"
    r"네+|예|응|음+|어+|아+|그렇죠|맞아요|그래요)$",
    re.IGNORECASE,
)


# Seconds within which a segment's end is a line break's (`transcript_lines(breaks=...)`).
BREAK_S = 0.05


@dataclass(frozen=True)
class Line:
    """One prompt line: consecutive segments of one speaker, cited by the first one's id."""

    id: int
    text: str
    segments: tuple[ReviewedSegment, ...]


def transcript_lines(
    doc: Document,
    drop_backchannel: bool = True,
    max_chars: int = 240,
    breaks: Sequence[float] = (),
) -> list[Line]:
    """Compact ``[id] Speaker: text`` lines of the reviewed transcript.

    Consecutive segments of one speaker share a line (up to `max_chars`), so
    the id and name are paid for once per turn rather than once per segment:
    on a Korean talk that is about a quarter of the prompt. A line also ends with
    a segment that ends at one of `breaks` (seconds, sorted; within `BREAK_S`): where
    the notes of a part taken during the meeting ended, whoever speaks on.
    """
    out: list[Line] = []
    group: list[ReviewedSegment] = []

    def breaks_at(end: float) -> bool:
        i = bisect.bisect_left(breaks, end - BREAK_S)
        return i < len(breaks) and breaks[i] <= end + BREAK_S

    def flush() -> None:
        if group:
            who = doc.speaker_label(group[0].speaker)
            body = " ".join(" ".join(s.text.split()) for s in group)
            head = f"[{group[0].id}] {who}: " if who else f"[{group[0].id}] "
            out.append(Line(group[0].id, head + body, tuple(group)))
            group.clear()

    for seg in doc.segments:
        text = " ".join(seg.text.split())
        if not text or (drop_backchannel and _is_backchannel(text)):
            continue
        size = sum(len(s.text) for s in group) + len(text)
        if group and (seg.speaker != group[0].speaker or size > max_chars):
            flush()
        group.append(seg)
        if breaks and breaks_at(seg.end):
            flush()
    flush()
    return out


_CUES = re.compile(
    r"겠습니다|겠어요|할게요|드릴게요|해 ?주세요|주십시오|주시겠|합시다|하자|까지|기로|"
    r"결정|확인|검토|담당|맡아|준비|보내|공유|정리|예약|건의|다음 주|내일|언제|어떻게|\?|"
    r"\b(?:will|i'll|we'll|let's|need to|needs to|should|must|going to|deadline|action|"
    r"decide|decided|agree|agreed|follow up|send|check|review|prepare|tomorrow|next week)\b",
    re.IGNORECASE,
)


def select_lines(
    lines: Sequence[Line], budget: int, count: Callable[[str], int], regions: int = 10
) -> list[Line]:
    """Keep the lines most likely to hold tasks and decisions, within a token budget.

    For meetings too long to read in the time allowed: lines with commitment,
    deadline, decision or question cues first, then their neighbours, then an
    even sample of the rest for topic coverage; meeting order is kept. Within
    each tier the lines are taken round-robin from `regions` equal stretches
    of the meeting, so a budget that runs out mid-tier still covers its end
    (taken in order, the cue lines of the first half used it all up).
    """
    costs = [count(line.text) + 1 for line in lines]
    if sum(costs) <= budget:
        return list(lines)
    cue = [bool(_CUES.search(line.text)) for line in lines]
    near = [not c and any(cue[max(0, i - 1) : i + 2]) for i, c in enumerate(cue)]
    chosen: set[int] = set()
    used = 0
    for tier in (cue, near):
        hits = [i for i, hit in enumerate(tier) if hit]
        for i in _round_robin(hits, len(lines), regions):
            if used + costs[i] <= budget:
                chosen.add(i)
                used += costs[i]
    rest = [i for i in range(len(lines)) if i not in chosen]
    if rest and used < budget:
        share = (budget - used) / sum(costs[i] for i in rest)
        step = max(1.0, 1.0 / share) if share > 0 else float(len(rest) + 1)
        k = 0.0
        while int(k) < len(rest):
            i = rest[int(k)]
            if used + costs[i] <= budget:
                chosen.add(i)
                used += costs[i]
            k += step
    return [lines[i] for i in sorted(chosen)]


def _round_robin(indices: Sequence[int], total: int, regions: int) -> list[int]:
    """`indices` (meeting order) reordered: one from each stretch of the meeting in turn."""
    stretches: list[list[int]] = [[] for _ in range(max(1, regions))]
    for i in indices:
        stretches[i * len(stretches) // max(1, total)].append(i)
    longest = max(len(s) for s in stretches)
    return [s[k] for k in range(longest) for s in stretches if k < len(s)]


def _is_backchannel(text: str) -> bool:
    parts = [p.strip(" .,!?~…") for p in re.split(r"[.,!?~…]+\s*", text)]
    parts = [p for p in parts if p]
    return bool(parts) and all(_BACKCHANNEL.match(p) for p in parts)


# A part whose notes were taken during the meeting is read as it was asked even where its
# lines now count a little more (another speaker's name, lines grouped otherwise).
KEPT_SLACK_LINES = 8


def split_parts(
    lines: Sequence[Line],
    budget: int,
    count: Callable[[str], int],
    kept: Callable[[Sequence[Line], int], bool] | None = None,
) -> list[list[Line]]:
    """Cut lines into consecutive parts of at most `budget` tokens each (a line is never split).

    `kept(part, index)` says whether the notes of a part were taken already; a part then
    ends at the last line for which they were, within the budget: a meeting's part taken
    while it went on (`minutes.during_notes`) ended where its transcript ended then.
    """
    parts: list[list[Line]] = []
    start = 0
    while start < len(lines):
        end, used = start, 0
        while end < len(lines):
            cost = count(lines[end].text) + 1
            if end > start and used + cost > budget:
                break
            used += cost
            end += 1
        if kept is not None:  # the notes of a part as it was may be a few lines over now
            last = min(len(lines), end + KEPT_SLACK_LINES)
            end = next((cut for cut in range(last, start, -1)
                        if kept(lines[start:cut], len(parts))), end)  # fmt: skip
        parts.append(list(lines[start:end]))
        start = end
    return parts
