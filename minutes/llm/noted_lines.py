"""A candidate task line written down during a meeting, read again when the speakers came
out otherwise.

The minutes write each candidate task line down in a call of its own
(`summarise._write_action_items`), whose prompt names the meeting's speakers: all of them
(who may take the task on), the speaker of the line and of the line before it. A speaker
found later in the meeting, or the speakers renumbered by the clustering at Stop, change
every such prompt, and every line written down during the meeting was asked again (in a
60-minute recording, 6 of the 10 calls after Stop were task lines). As with a part's notes
(`minutes.llm.noted_parts`), the call made during the meeting keeps what it read
(`line_record`: the two lines, their times, speakers as named, words), and a line of a
later transcript with the same two lines over the same times takes that reply (`find`)
when their speakers map onto the speakers now alike (two voices then may be one speaker
now, not the other way round), and the reply's owner is one of them or nobody: an owner
the two lines do not name has no known speaker now, and the line is asked again. The reply
is then read with its owner translated (`translate_reply`); what the rules decide from the
line's form (`actions.owner_by_form`) is decided again from the transcript now.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from minutes.llm.actions import _position
from minutes.llm.lines import BREAK_S
from minutes.types import Document, ReviewedSegment


@dataclass(frozen=True)
class LineReading:
    """How a line's reply written down with other speakers reads now."""

    key: str  # the kept reply
    speakers: dict[str, str]  # speaker then -> speaker now, of the line and the one before
    reply: dict[str, Any]  # the kept reply, its owner named as now


def _said(seg: ReviewedSegment, doc: Document) -> list[Any]:
    return [seg.id, seg.start, seg.end, doc.speaker_label(seg.speaker), seg.text]


def line_record(doc: Document, seg: ReviewedSegment, decided: bool) -> dict[str, Any]:
    """What a candidate line's call read, kept with its reply (`CallCache.put(asked=...)`):
    the line and the one before it as the prompt named their speakers, and whether the
    rules decided the owner (the reply then names none)."""
    before = _line_before(doc, seg)
    return {
        "line": _said(seg, doc),
        "before": None if before is None else _said(before, doc),
        "owner_decided": decided,
    }


def _line_before(doc: Document, seg: ReviewedSegment) -> ReviewedSegment | None:
    """The line the prompt shows before `seg` (`actions.line_values`), if any."""
    position = _position(doc, seg)
    return doc.segments[position - 1] if position > 0 else None


def _squash(text: str) -> str:
    return "".join(text.split())


def _same(then: Any, now: ReviewedSegment | None) -> bool:
    """Whether a line as kept (`_said`) is `now`: the same words over the same times."""
    if then is None or now is None:
        return then is None and now is None
    try:
        _, start, end, _, text = then
        return (abs(float(start) - now.start) <= BREAK_S and abs(float(end) - now.end) <= BREAK_S
                and _squash(str(text)) == _squash(now.text))  # fmt: skip
    except (TypeError, ValueError):
        return False


def _speaker_map(pairs: Sequence[tuple[Any, str | None]]) -> dict[str, str] | None:
    """Each speaker then -> now over the two lines, when that is a map (None: one speaker
    then is two now, or a line without a speaker then has one now)."""
    out: dict[str, str] = {}
    for then, now in pairs:
        if then is None:
            if now is not None:
                return None
            continue
        if now is None or out.setdefault(str(then), now) != now:
            return None
    return out


def find(
    asked: Mapping[str, Mapping[str, Any]],
    reply_of: Callable[[str], dict[str, Any] | None],
    doc: Document,
    seg: ReviewedSegment,
    decided: bool,
) -> LineReading | None:
    """The reply kept for candidate line `seg` written down with other speakers, when its
    two lines and whether the rules decide the owner are as now, their speakers map, and
    the reply reads with them (`translate_reply`); None: none such. Of several, the one
    kept last (its speakers clustered latest). `reply_of`: a kept reply's JSON by key."""
    before = _line_before(doc, seg)
    for key, record in reversed(list(asked.items())):
        line, kept_before = record.get("line"), record.get("before")
        if record.get("owner_decided") != decided or not _same(line, seg):
            continue
        if not _same(kept_before, before):
            continue
        pairs = [(line[3], doc.speaker_label(seg.speaker))]
        if kept_before is not None and before is not None:
            pairs.append((kept_before[3], doc.speaker_label(before.speaker)))
        speakers = _speaker_map(pairs)
        if speakers is None:
            continue
        reply = reply_of(key)
        now = translate_reply(reply, speakers) if reply is not None else None
        if now is not None:
            return LineReading(key, speakers, now)
    return None


def translate_reply(reply: dict[str, Any], speakers: Mapping[str, str]) -> dict[str, Any] | None:
    """A kept reply with its owner named as now (None: it names someone the two lines do
    not, whose name now is unknown)."""
    owner = reply.get("owner")
    if not isinstance(owner, str) or not owner.strip():
        return reply
    if owner not in speakers:
        return None
    return {**reply, "owner": speakers[owner]}
