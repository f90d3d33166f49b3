"""The notes of a part taken during a meeting, read again when the speakers came out otherwise.

The notes taken while a meeting is recorded (`minutes.during_notes`) name the speakers as
the voices heard so far cluster then. At Stop the speakers are clustered once more over all
voices: a speaker may be renumbered, a word may move to another speaker, which splits the
segments otherwise and renumbers every later one. A part noted early then reads otherwise
in the minutes after Stop, and its kept reply (`minutes.llm.call_cache`, found by exactly
what was asked) is not found: in a 60-minute recording every part was asked again.

So the notes of a part taken during the meeting keep what the part read (`noted_record`:
its lines, their segments' times, speakers and words). A part of a later transcript that
holds the same words over the same times takes those notes (`find`) when its speakers
agree with the ones the notes were taken with: each speaker then is mapped to the speaker
now who says most of their speech, and that map must hold for `AGREEMENT` of the part's
speech. The notes are then read as they were asked (`NotedPart.lines`) and translated
(`translate`): the lines they cite become the segments now at those times, the speakers
they name become the speakers now. A part whose speakers changed more is asked again, as
is one whose words changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from minutes.llm.lines import BREAK_S, Line
from minutes.meeting import ActionItem, Note, Topic
from minutes.types import Document, ReviewedSegment

# Share of a part's speech (in seconds) whose speaker now must be the one the notes'
# speaker maps to. Below it the notes may give a task to a voice that is someone else now.
AGREEMENT = 0.9


@dataclass(frozen=True)
class NotedPart:
    """A part as its notes read it: its number in the meeting and its lines."""

    index: int
    lines: tuple[Line, ...]

    @property
    def speakers(self) -> set[str | None]:
        """The speakers as the prompt named them."""
        return {s.speaker for s in self._segments}

    def segments(self) -> list[ReviewedSegment]:
        return list(self._segments)

    # Both read for every cut the plan tries (`noted_extent`): worked out once.
    @cached_property
    def _segments(self) -> tuple[ReviewedSegment, ...]:
        return tuple(_segments_of(self.lines))

    @cached_property
    def words(self) -> str:
        return _squash(self._segments)


@dataclass(frozen=True)
class Reading:
    """How a part's notes taken with other speakers read in a transcript now."""

    key: str  # the kept reply
    noted: NotedPart
    segment_ids: dict[int, int]  # segment id then -> segment id now
    speakers: dict[str, str]  # speaker then -> speaker now (names as the prompts name them)
    said_by: dict[int, str | None]  # segment id now -> its speaker now, in this part


def noted_record(index: int, lines: Sequence[Line], doc: Document) -> dict[str, Any]:
    """What a part's notes read, kept with their reply (`CallCache.put(asked=...)`): the
    speakers as the prompt named them (`Document.speaker_label`)."""
    return {
        "part": index,
        "lines": [
            {
                "id": line.id,
                "text": line.text,
                "segments": [
                    [s.id, s.start, s.end, doc.speaker_label(s.speaker), s.text]
                    for s in line.segments
                ],
            }
            for line in lines
        ],
    }


def _from_record(record: Mapping[str, Any]) -> NotedPart | None:
    try:
        lines = tuple(
            Line(
                int(line["id"]),
                str(line["text"]),
                tuple(
                    ReviewedSegment(int(i), float(a), float(b), None if who is None else str(who),
                                    str(text), str(text))
                    for i, a, b, who, text in line["segments"]
                ),
            )
            for line in record["lines"]
        )
        return NotedPart(int(record["part"]), lines) if lines else None
    except (KeyError, TypeError, ValueError):
        return None


def noted_parts(asked: Mapping[str, Mapping[str, Any]]) -> dict[str, NotedPart]:
    """The parts noted during the meeting, by the key of their kept reply."""
    out = {}
    for key, record in asked.items():
        part = _from_record(record)
        if part is not None:
            out[key] = part
    return out


def _segments_of(lines: Sequence[Line]) -> list[ReviewedSegment]:
    return [s for line in lines for s in line.segments]


def _squash(segments: Sequence[ReviewedSegment]) -> str:
    return "".join("".join(s.text.split()) for s in segments)


def _same_words(then: NotedPart, index: int, now: Sequence[ReviewedSegment]) -> bool:
    """Whether `now` is the meeting's part `index` as noted: the same words over the same
    times."""
    before = then._segments
    return (then.index == index and bool(now)
            and abs(before[0].start - now[0].start) <= BREAK_S
            and abs(before[-1].end - now[-1].end) <= BREAK_S
            and then.words == _squash(now))  # fmt: skip


def noted_extent(noted: Mapping[str, NotedPart], part: Sequence[Line], index: int) -> bool:
    """Whether `part` was noted as the meeting's part `index`, with whatever speakers: a
    part ends where it ended when noted, so that a part whose speakers changed too much is
    asked again as it was and the parts after it still read as they were noted."""
    now = _segments_of(part)
    return any(_same_words(then, index, now) for then in noted.values())


def find(
    noted: Mapping[str, NotedPart], part: Sequence[Line], index: int, doc: Document
) -> Reading | None:
    """The notes taken of `part` (the meeting's part `index` now) with other speakers, when
    the words and times are the same and the speakers agree (None: none such)."""
    now = _segments_of(part)
    best: tuple[float, Reading] | None = None
    for key, then in noted.items():
        if not _same_words(then, index, now):
            continue
        before = then._segments
        mapped = _speaker_map(before, now, doc)
        if mapped is not None and (best is None or mapped[1] > best[0]):
            # the notes whose speakers agree best (a part asked again during the meeting)
            said_by = {seg.id: doc.speaker_label(seg.speaker) for seg in now}
            best = mapped[1], Reading(key, then, _segment_map(before, now), mapped[0], said_by)
    return best[1] if best is not None else None


def _overlap(a: ReviewedSegment, b: ReviewedSegment) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def _speaker_map(
    before: Sequence[ReviewedSegment], now: Sequence[ReviewedSegment], doc: Document
) -> tuple[dict[str, str], float] | None:
    """Each speaker then -> the speaker now who says most of their speech, and the share
    of the speech that map holds for, when that is `AGREEMENT` or more; None otherwise. A
    segment without a speaker counts as a speaker of its own."""
    shared: dict[tuple[str | None, str | None], float] = {}
    for a in before:
        for b in now:
            if b.start >= a.end:
                break
            seconds = _overlap(a, b)
            if seconds > 0:
                pair = (a.speaker, doc.speaker_label(b.speaker))
                shared[pair] = shared.get(pair, 0.0) + seconds
    total = sum(shared.values())
    best: dict[str | None, tuple[float, str | None]] = {}
    for (then, now_label), seconds in shared.items():
        if seconds > best.get(then, (0.0, None))[0]:
            best[then] = (seconds, now_label)
    agreement = sum(s for s, _ in best.values()) / total if total > 0 else 0.0
    if agreement < AGREEMENT:
        return None
    if any(then is None and label is not None for then, (_, label) in best.items()):
        return None  # a speaker found since: the notes knew of none
    mapped = {then: label for then, (_, label) in best.items() if then is not None and label}
    return mapped, agreement


def _segment_map(
    before: Sequence[ReviewedSegment], now: Sequence[ReviewedSegment]
) -> dict[int, int]:
    """Each segment then -> the segment now that shares most of its time (the nearest one
    for a segment without duration)."""
    out = {}
    for a in before:
        best = max(now, key=lambda b: (_overlap(a, b), -abs(b.start - a.start)))
        out[a.id] = best.id
    return out


def _named(labels: Iterable[str]) -> re.Pattern[str]:
    """Any of `labels` as a whole name ("SPEAKER_3" is not in "SPEAKER_31"), longest first."""
    names = "|".join(re.escape(a) for a in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{names})(?![A-Za-z0-9_])")


def relabel(text: str, speakers: Mapping[str, str]) -> str:
    """`text` with each speaker then named as now."""
    moved = {a: b for a, b in speakers.items() if a != b}
    if not moved or not text:
        return text
    return _named(moved).sub(lambda m: moved[m.group(0)], text)


def translate(notes: dict[str, Any], reading: Reading) -> dict[str, Any]:
    """A part's cleaned notes (`summarise._clean_part` of the part as noted) as they read
    now: cited segments and named speakers translated. The notes as asked stay under
    "asked" (the merge made during the meeting was asked with them) and the speakers'
    map under "speakers"."""
    ids, who = reading.segment_ids, reading.speakers

    def cite(values: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(dict.fromkeys(ids.get(i, i) for i in values))

    def text(value: str) -> str:
        return relabel(value, who)

    said_then = {seg.id: seg.speaker for seg in reading.noted._segments}

    def owner(item: ActionItem) -> str | None:
        """A task its own line's speaker took on is theirs now, whoever they map onto (the
        map may hold for most of the part, not for this line); else the map names them."""
        name = item.owner
        if name is None:
            return None
        line = item.segment_ids[0] if item.segment_ids else None
        if line is not None and said_then.get(line) == name:
            now = reading.said_by.get(ids.get(line, line))
            if now:
                return now
        return who.get(name, text(name))

    return {
        "title": text(notes["title"]) if notes["title"] else notes["title"],
        "summary": text(notes["summary"]),
        "topics": [Topic(text(t.title), tuple(text(p) for p in t.points), cite(t.segment_ids))
                   for t in notes["topics"]],
        "decisions": [Note(text(n.text), cite(n.segment_ids)) for n in notes["decisions"]],
        "action_items": [
            replace(a, text=text(a.text), owner=owner(a), segment_ids=cite(a.segment_ids))
            for a in notes["action_items"]
        ],
        "open_questions": [Note(text(n.text), cite(n.segment_ids))
                           for n in notes["open_questions"]],
        "asked": notes,
        "speakers": dict(who),
    }


def relabel_merged(text: str, maps: Sequence[Mapping[str, str]]) -> str | None:
    """A merge of several parts' notes as it reads now: each speaker it names translated
    where every part maps them alike (a part read as asked maps each to themselves);
    None where the parts disagree about a speaker it names."""
    labels = {label for m in maps for pair in m.items() for label in pair}
    moved: dict[str, str] = {}
    for label in labels:
        if not _named([label]).search(text):
            continue
        targets = {m.get(label, label) for m in maps}
        if len(targets) > 1:
            return None
        moved[label] = targets.pop()
    return relabel(text, moved)

