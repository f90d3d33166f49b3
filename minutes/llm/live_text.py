"""The minutes' live output as a person reads it, not as the model writes it.

`summarise` streams the rule-based draft (plain text) and then the model's
JSON replies, piece by piece. `ReadableStream` turns that stream into labelled
lines ("Task: … — owner, due") while it is still being written: each reply is
parsed as partial JSON (jiter's ``trailing-strings`` mode) after every piece,
so a half-written task already shows its first words.

Front ends feed the same pieces they get from `summarise` and show `text`;
`stage` starts a new section for a progress stage, headed in the minutes'
language like everything else here (`heading` takes any label). Nothing here
needs Qt, and a reply that is not JSON at all is shown as it came.
"""

from __future__ import annotations

from typing import Any

from minutes.llm.candidates import is_time_phrase

try:
    import jiter
except ImportError:  # an install without the llm extra: replies are shown as they came
    jiter = None  # type: ignore[assignment]

# Labels in the minutes' language (the core has no Qt translations).
_LABELS = {
    "en": {
        "title": "Title",
        "summary": "Summary",
        "topic": "Topic",
        "decision": "Decision",
        "question": "Open question",
        "task": "Task",
        "owner": "owner",
        "due": "due",
        "no_task": "(not an action item)",
    },
    "ko": {
        "title": "제목",
        "summary": "요약",
        "topic": "주제",
        "decision": "결정",
        "question": "미결 사항",
        "task": "할 일",
        "owner": "담당",
        "due": "기한",
        "no_task": "(할 일 아님)",
    },
}


# Section headings for `summarise`'s progress stages, also in the minutes' language: the
# pane reads in one language, the draft's (summarise._DRAFT_HEADINGS) and the labels' above.
_STAGES = {
    "en": {
        "part": "Notes, part {n}",
        "action items": "Action items {n}",
        "merging": "Putting the minutes together…",
    },
    "ko": {
        "part": "회의 내용 정리 ({n})",
        "action items": "할 일 찾기 ({n})",
        "merging": "회의록으로 합치는 중…",
    },
}
_SILENT_STAGES = ("done", "loading the language model")  # they start no section


def stage_heading(message: str, language: str = "en") -> str:
    """The heading of a `summarise` progress stage ("part 1/2", "action items 3/5",
    "merging") in `language`; "" for a stage that starts no section. An unknown stage
    is its own heading."""
    if message in _SILENT_STAGES:
        return ""
    stages = _STAGES.get(language, _STAGES["en"])
    words = message.split()
    if words[:1] == ["part"] and len(words) == 2:
        return stages["part"].format(n=words[1])
    if words[:2] == ["action", "items"] and len(words) == 3:
        return stages["action items"].format(n=words[2])
    return stages.get(message, message)


def _parse_partial(raw: str) -> dict[str, Any] | None:
    """The JSON object written so far, or None when it is not (yet) readable as one."""
    if jiter is None:
        return None
    try:
        value = jiter.from_json(raw.encode("utf-8"), partial_mode="trailing-strings")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def render_reply(data: dict[str, Any], language: str = "en", *, final: bool = True) -> str:
    """One reply of the minutes prompts (notes, action item or title) as readable lines.

    `final` is False while the reply is still being written (an empty task may
    still be coming).
    """
    labels = _LABELS.get(language, _LABELS["en"])
    lines: list[str] = []
    if "task" in data:
        owner, due = _text(data.get("owner")), _text(data.get("due"))
        if not is_time_phrase(due):
            due = ""  # the minutes drop a "due" that names no time; so does the live view
        extras = [
            f"{labels[key]} {value}" for key, value in (("owner", owner), ("due", due)) if value
        ]
        tail = f" ({', '.join(extras)})" if extras else ""
        task = _text(data["task"]) or (labels["no_task"] if final else "")
        lines.append(f"{labels['task']}: {task}{tail}")
    if _text(data.get("title")):
        lines.append(f"{labels['title']}: {_text(data['title'])}")
    if _text(data.get("summary")):
        lines.append(f"{labels['summary']}: {_text(data['summary'])}")
    for topic in data.get("topics") or []:
        if isinstance(topic, dict) and _text(topic.get("title")):
            lines.append(f"{labels['topic']}: {_text(topic['title'])}")
            points = topic.get("points")
            if isinstance(points, list):
                lines += [f"  - {_text(p)}" for p in points if _text(p)]
    for key, label in (("decisions", "decision"), ("open_questions", "question")):
        items = data.get(key) or []
        if isinstance(items, list):
            lines += [f"{labels[label]}: {_text(item)}" for item in items if _text(item)]
    return "\n".join(lines)


class ReadableStream:
    """Accumulates `summarise`'s streamed pieces and keeps a readable rendering.

    Args:
        language: The minutes' language ("ko", "en"), for the labels.
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._done = ""  # finished sections, already readable
        self._raw = ""  # the reply being written, as the model wrote it
        self._ended_reply = False  # the last thing added was a finished reply
        self._empty_heading: int | None = None  # where a heading with nothing under it starts

    @property
    def text(self) -> str:
        """Everything so far, readable; the reply being written is rendered as far as it goes."""
        return self._done + self._render_current()

    @property
    def finished_text(self) -> str:
        """What will not change any more (grows only; for output that cannot be rewritten)."""
        return self._done

    def heading(self, label: str) -> None:
        """Start a section (ends the reply being written)."""
        self._finish()
        sep = "\n\n" if self._done.strip() else ""
        self._empty_heading = len(self._done)
        self._done = self._done.rstrip("\n") + f"{sep}── {label} ──\n"
        self._ended_reply = False

    def stage(self, message: str) -> None:
        """Start the section of a `summarise` progress stage, headed in the minutes'
        language like the rest of the text (see `stage_heading`)."""
        label = stage_heading(message, self.language)
        if label:
            self.heading(label)

    def feed(self, piece: str) -> None:
        """Add a streamed piece: plain text (the draft) or part of a JSON reply."""
        if self._raw and _is_complete(self._raw):
            self._finish()
        self._empty_heading = None
        if self._raw or piece.lstrip().startswith("{"):
            self._raw += piece
        elif not (self._ended_reply and piece == "\n"):  # summarise's newline after a reply
            self._done += piece
            self._ended_reply = False

    def close(self) -> None:
        """The stream ended: the reply being written is finished as it is, and a last
        heading that nothing followed (a stage that wrote nothing) is dropped."""
        self._finish()
        if self._empty_heading is not None:
            self._done = self._done[: self._empty_heading]
            self._empty_heading = None

    def _render_current(self, final: bool = False) -> str:
        if not self._raw:
            return ""
        data = _parse_partial(self._raw)
        if data is None:
            return self._raw
        return render_reply(data, self.language, final=final)

    def _finish(self) -> None:
        if self._raw:
            # A reply with nothing readable in it is kept as the model wrote it.
            rendered = (self._render_current(final=True) or self._raw.strip()).rstrip("\n")
            self._done += rendered + ("\n\n" if "\n" in rendered else "\n")  # notes stand apart
            self._raw = ""
            self._ended_reply = True


def _is_complete(raw: str) -> bool:
    """True when `raw` holds a whole JSON object (the reply is finished).

    Called for every streamed piece, so it parses only when the text could be
    complete: an object ends with "}" (otherwise only a nested one closes there).
    """
    if jiter is None or not raw.rstrip().endswith("}"):
        return False
    try:
        jiter.from_json(raw.strip().encode("utf-8"))
    except ValueError:
        return False
    return True
