"""Meeting minutes as data: `Minutes`, `ActionItem`, and their session file (core types:
the LLM stage writes them, the exporters and the app read them).

`minutes.json` in a session folder holds one `Minutes`, versioned
(``schema: minutes.minutes/1``) and written atomically. Every item keeps the
ids of the transcript segments it came from, so the app can jump to the
moment it was said and the exports can cite the time.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from minutes.atomic import atomic_write_json

MINUTES_SCHEMA = "minutes.minutes/1"
MINUTES_FILE = "minutes.json"


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    out: list[int] = []
    for v in value:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return tuple(dict.fromkeys(out))


def _opt(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


@dataclass(frozen=True)
class ActionItem:
    """A task someone took on in the meeting.

    Attributes:
        text: What is to be done.
        owner: Who does it, as named in the meeting (None if nobody was named).
        due: The deadline as it was stated ("금요일까지", "by next week"), not parsed.
        segment_ids: Transcript segments it came from.
        done: Ticked off by the user.
        id: Stable identity (iCalendar UID, UI edits).
    """

    text: str
    owner: str | None = None
    due: str | None = None
    segment_ids: tuple[int, ...] = ()
    done: bool = False
    id: str = field(default_factory=_new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "owner": self.owner,
            "due": self.due,
            "segment_ids": list(self.segment_ids),
            "done": self.done,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActionItem:
        return cls(
            text=str(data["text"]),
            owner=_opt(data.get("owner")),
            due=_opt(data.get("due")),
            segment_ids=_ids(data.get("segment_ids")),
            done=bool(data.get("done", False)),
            id=str(data.get("id") or _new_id()),
        )


@dataclass(frozen=True)
class Note:
    """A decision or an open question, with where it was said."""

    text: str
    segment_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "segment_ids": list(self.segment_ids)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str) -> Note:
        if isinstance(data, str):
            return cls(data)
        return cls(str(data["text"]), _ids(data.get("segment_ids")))


@dataclass(frozen=True)
class Topic:
    """One discussion topic and its main points."""

    title: str
    points: tuple[str, ...] = ()
    segment_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "points": list(self.points),
            "segment_ids": list(self.segment_ids),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Topic:
        return cls(
            title=str(data["title"]),
            points=tuple(str(p) for p in data.get("points") or ()),
            segment_ids=_ids(data.get("segment_ids")),
        )


@dataclass(frozen=True)
class Minutes:
    """The minutes of one meeting.

    Attributes:
        title: Meeting title.
        date: ISO 8601 date-time of the meeting, if known.
        attendees: Display names of the speakers (or as the user edited them).
        summary: A short paragraph.
        topics: Discussion by topic.
        decisions: What was decided.
        action_items: Tasks with owner and due date as stated.
        open_questions: What stayed open.
        language: Language the minutes are written in ("ko", "en").
        template: Template name used.
        model: Engine model id that wrote them ("" if written by hand).
        prompts: Prompt ids used (e.g. ``minutes_map/v1``).
        created: When they were generated (ISO 8601).
        source_duration: Length of the meeting in seconds.
        segment_starts: Start time (s) of every segment an item cites, so
            exports can show "at 00:12:40" without the transcript.
    """

    title: str
    date: str | None = None
    attendees: tuple[str, ...] = ()
    summary: str = ""
    topics: tuple[Topic, ...] = ()
    decisions: tuple[Note, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    open_questions: tuple[Note, ...] = ()
    language: str = "en"
    template: str = "general"
    model: str = ""
    prompts: tuple[str, ...] = ()
    created: str | None = None
    source_duration: float = 0.0
    segment_starts: Mapping[int, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": MINUTES_SCHEMA,
            "title": self.title,
            "date": self.date,
            "attendees": list(self.attendees),
            "summary": self.summary,
            "topics": [t.to_dict() for t in self.topics],
            "decisions": [d.to_dict() for d in self.decisions],
            "action_items": [a.to_dict() for a in self.action_items],
            "open_questions": [q.to_dict() for q in self.open_questions],
            "language": self.language,
            "template": self.template,
            "model": self.model,
            "prompts": list(self.prompts),
            "created": self.created,
            "source_duration": round(self.source_duration, 3),
            "segment_starts": {str(k): round(v, 3) for k, v in sorted(self.segment_starts.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Minutes:
        """Read minutes back (raises KeyError/TypeError/ValueError when malformed)."""
        return cls(
            title=str(data.get("title") or ""),
            date=_opt(data.get("date")),
            attendees=tuple(str(a) for a in data.get("attendees") or ()),
            summary=str(data.get("summary") or ""),
            topics=tuple(Topic.from_dict(t) for t in data.get("topics") or ()),
            decisions=tuple(Note.from_dict(d) for d in data.get("decisions") or ()),
            action_items=tuple(ActionItem.from_dict(a) for a in data.get("action_items") or ()),
            open_questions=tuple(Note.from_dict(q) for q in data.get("open_questions") or ()),
            language=str(data.get("language") or "en"),
            template=str(data.get("template") or "general"),
            model=str(data.get("model") or ""),
            prompts=tuple(str(p) for p in data.get("prompts") or ()),
            created=_opt(data.get("created")),
            source_duration=float(data.get("source_duration") or 0.0),
            segment_starts={
                int(k): float(v) for k, v in (data.get("segment_starts") or {}).items()
            },
        )

    def named(self, names: Mapping[str, str]) -> Minutes:
        """A copy where attendees and owners still written as a speaker label (SPEAKER_1)
        carry the name the user has given that speaker since (`Session.speaker_names`)."""
        if not names:
            return self

        def name(who: str) -> str:
            return names.get(who) or who

        attendees = tuple(dict.fromkeys(name(a) for a in self.attendees))
        items = tuple(
            replace(a, owner=name(a.owner)) if a.owner else a for a in self.action_items
        )
        return replace(self, attendees=attendees, action_items=items)

    def with_action_done(self, item_id: str, done: bool = True) -> Minutes:
        """A copy with one action item ticked (or unticked)."""
        items = tuple(replace(a, done=done) if a.id == item_id else a for a in self.action_items)
        return replace(self, action_items=items)


def save_minutes(folder: Path, minutes: Minutes) -> Path:
    """Write ``minutes.json`` into a session folder, atomically."""
    path = Path(folder) / MINUTES_FILE
    atomic_write_json(path, minutes.to_dict())
    return path


def load_minutes(folder: Path, names: Mapping[str, str] | None = None) -> Minutes | None:
    """Read a session's ``minutes.json`` (None if there is none), with speakers renamed
    since shown by their `names` (`Minutes.named`).

    Raises:
        SessionError: The file is unreadable, malformed or from a newer version.
    """
    from minutes.session import SessionError, _read_json

    path = Path(folder) / MINUTES_FILE
    try:
        data = _read_json(path, MINUTES_SCHEMA)
    except FileNotFoundError:
        return None
    try:
        minutes = Minutes.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise SessionError(f"{path}: malformed minutes ({exc}).") from exc
    return minutes.named(names or {})


def minutes_from_json(text: str) -> Minutes:
    """Parse a ``minutes.json`` document (used by tests and imports)."""
    return Minutes.from_dict(json.loads(text))


def first_time(minutes: Minutes, segment_ids: Sequence[int]) -> float | None:
    """Start time of the earliest cited segment whose time is known."""
    times = [minutes.segment_starts[i] for i in segment_ids if i in minutes.segment_starts]
    return min(times) if times else None
