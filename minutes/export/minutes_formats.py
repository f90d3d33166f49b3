"""Minutes exports: Markdown (with a ``- [ ]`` checklist), CSV and iCalendar of action items.

All renderers are pure (minutes in, text out); `export_minutes` writes files
atomically like the transcript exporters. The iCalendar file follows RFC
5545: CRLF line ends, TEXT escaping, lines folded at 75 octets without
splitting a UTF-8 character, one VTODO per action item with a stable UID
(the item's id), so importing an updated file updates the tasks instead of
duplicating them. A due date is only written when the stated deadline can
be read as a date (relative ones like "금요일까지" need the meeting date);
the wording as stated always goes into the description.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from minutes.atomic import atomic_write_bytes
from minutes.export._shared import clock, display_date
from minutes.export.errors import ExportError
from minutes.export.text import md_escape
from minutes.llm.templates import Template, load_template
from minutes.meeting import ActionItem, Minutes, first_time
from minutes.types import Document

logger = logging.getLogger(__name__)

MINUTES_FORMATS = ("md", "docx", "csv", "ics", "json")

LABELS = {
    "en": {
        "date": "Date",
        "attendees": "Attendees",
        "duration": "Duration",
        "owner": "Owner",
        "due": "Due",
        "time": "Time",
        "task": "Task",
        "done": "Done",
        "none": "None",
        "transcript": "Transcript",
        "generated": "Generated with",
        "from": "From",
    },
    "ko": {
        "date": "일시",
        "attendees": "참석자",
        "duration": "회의 시간",
        "owner": "담당",
        "due": "기한",
        "time": "시각",
        "task": "할 일",
        "done": "완료",
        "none": "없음",
        "transcript": "녹취록",
        "generated": "작성 모델",
        "from": "출처",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def _template(minutes: Minutes) -> Template:
    try:
        return load_template(minutes.template)
    except Exception:  # a template deleted since: headings fall back to general's
        return load_template("general")


# --- due dates ----------------------------------------------------------------

_KO_DAYS = "월화수목금토일"
_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def resolve_due(due: str | None, meeting: str | None) -> date | None:
    """Read a deadline as stated ("5월 3일", "다음 주 금요일", "by Friday", "2025-05-03") as a date.

    Args:
        due: The deadline as said in the meeting.
        meeting: ISO date-time of the meeting; relative deadlines need it.

    Returns:
        The date, or None when it cannot be read without guessing.
    """
    if not due:
        return None
    text = due.strip().lower()
    base = _meeting_date(meeting)
    m = re.search(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if base is None:
        return None
    m = re.search(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일", text)
    if m:
        return _next_occurrence(base, int(m.group(1)), int(m.group(2)))
    m = re.search(r"\b(" + "|".join(_EN_MONTHS) + r")[a-z]*\.?\s+(\d{1,2})\b", text) or re.search(
        r"\b(\d{1,2})\s+(" + "|".join(_EN_MONTHS) + r")[a-z]*\b", text
    )
    if m:
        a, b = m.group(1), m.group(2)
        month_name, day = (a, b) if not a.isdigit() else (b, a)
        return _next_occurrence(base, _EN_MONTHS.index(month_name[:3]) + 1, int(day))
    return _relative(text, base)


def _relative(text: str, base: date) -> date | None:
    simple = {"오늘": 0, "today": 0, "내일": 1, "tomorrow": 1, "모레": 2}
    for word, days in simple.items():
        if word in text:
            return base + timedelta(days=days)
    m = re.search(r"(\d+)\s*(일|주|days?|weeks?)\s*(안|내|이내|후|뒤|within)?", text)
    if m and (m.group(3) or text.startswith("in ") or "within" in text):
        n = int(m.group(1))
        return base + timedelta(days=n * (7 if m.group(2)[0] in "주w" else 1))
    nxt = "다음 주" in text or "다음주" in text or "next " in text
    for i, day in enumerate(_KO_DAYS):
        if re.search(day + r"\s*요일", text):
            return _weekday(base, i, nxt)
    for i, name in enumerate(_EN_DAYS):
        if name in text or re.search(rf"\b{name[:3]}\b", text):
            return _weekday(base, i, nxt)
    if any(w in text for w in ("이번 주", "이번주", "end of the week", "end of week", "this week")):
        return _weekday(base, 4, False)
    return None


def _weekday(base: date, weekday: int, next_week: bool) -> date:
    if next_week:
        monday = base - timedelta(days=base.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    ahead = (weekday - base.weekday()) % 7
    return base + timedelta(days=ahead or 7)


def _meeting_date(meeting: str | None) -> date | None:
    if not meeting:
        return None
    try:
        return datetime.fromisoformat(meeting).date()
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _next_occurrence(base: date, month: int, day: int) -> date | None:
    found = _safe_date(base.year, month, day)
    if found is not None and found < base - timedelta(days=30):
        found = _safe_date(base.year + 1, month, day)  # "1월 5일" said in December
    return found


# --- Markdown -------------------------------------------------------------------


def render_minutes_md(minutes: Minutes) -> str:
    """Markdown minutes; action items are a ``- [ ]`` / ``- [x]`` checklist."""
    lab = labels(minutes.language)
    tpl = _template(minutes)
    blocks = [f"# {md_escape(minutes.title)}"]
    meta = _meta_items(minutes)
    if meta:
        blocks.append(" · ".join(f"**{k}:** {md_escape(v)}" for k, v in meta))
    for section in tpl.sections:
        heading = f"## {md_escape(tpl.heading(section, minutes.language))}"
        body = _md_section(minutes, section, lab)
        blocks.append(f"{heading}\n\n{body}")
    if minutes.model:
        blocks.append(f"<sub>{lab['generated']}: {md_escape(minutes.model)}</sub>")
    return "\n\n".join(blocks) + "\n"


def _meta_items(minutes: Minutes) -> list[tuple[str, str]]:
    lab = labels(minutes.language)
    items: list[tuple[str, str]] = []
    when = display_date(minutes.date)
    if when:
        items.append((lab["date"], when))
    if minutes.source_duration:
        items.append((lab["duration"], clock(minutes.source_duration)))
    if minutes.attendees:
        items.append((lab["attendees"], ", ".join(minutes.attendees)))
    return items


def _stamp(minutes: Minutes, ids: Sequence[int]) -> str:
    t = first_time(minutes, ids)
    return f" [{clock(t)}]" if t is not None else ""


def _md_section(minutes: Minutes, section: str, lab: dict[str, str]) -> str:
    none = f"*{lab['none']}*"
    if section == "summary":
        return md_escape(minutes.summary) or none
    if section == "discussion":
        out = []
        for topic in minutes.topics:
            points = "\n".join(f"- {md_escape(p)}" for p in topic.points)
            out.append(
                f"### {md_escape(topic.title)}{_stamp(minutes, topic.segment_ids)}"
                + (f"\n\n{points}" if points else "")
            )
        return "\n\n".join(out) or none
    if section == "action_items":
        return "\n".join(_md_action(minutes, a, lab) for a in minutes.action_items) or none
    notes = minutes.decisions if section == "decisions" else minutes.open_questions
    return (
        "\n".join(f"- {md_escape(n.text)}{_stamp(minutes, n.segment_ids)}" for n in notes) or none
    )


def _md_action(minutes: Minutes, item: ActionItem, lab: dict[str, str]) -> str:
    box = "[x]" if item.done else "[ ]"
    extra = []
    if item.owner:
        extra.append(f"**{md_escape(item.owner)}**")
    if item.due:
        extra.append(f"{lab['due']}: {md_escape(item.due)}")
    tail = f" — {' · '.join(extra)}" if extra else ""
    return f"- {box} {md_escape(item.text)}{tail}{_stamp(minutes, item.segment_ids)}"


# --- CSV --------------------------------------------------------------------------

CSV_COLUMNS = ("task", "owner", "due", "due_date", "done", "time", "segment_ids", "id")


def render_action_items_csv(minutes: Minutes) -> bytes:
    """Action items as CSV, UTF-8 with a BOM so Excel shows Hangul correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in minutes.action_items:
        due_date = resolve_due(item.due, minutes.date)
        t = first_time(minutes, item.segment_ids)
        writer.writerow(
            [
                _csv_safe(item.text),
                _csv_safe(item.owner or ""),
                _csv_safe(item.due or ""),
                due_date.isoformat() if due_date else "",
                "yes" if item.done else "no",
                clock(t) if t is not None else "",
                " ".join(str(i) for i in item.segment_ids),
                item.id,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by Excel (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# --- iCalendar --------------------------------------------------------------------


def render_action_items_ics(minutes: Minutes, *, now: datetime | None = None) -> bytes:
    """Action items as an iCalendar file with one VTODO each (RFC 5545).

    Raises:
        ExportError: No action items (a calendar needs at least one component).
    """
    if not minutes.action_items:
        raise ExportError("the minutes have no action items to put in a calendar")
    lab = labels(minutes.language)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//minutes//Meeting minutes action items//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(minutes.title)}",
    ]
    for item in minutes.action_items:
        lines += ["BEGIN:VTODO", f"UID:{item.id}@minutes.local", f"DTSTAMP:{stamp}"]
        lines.append(f"SUMMARY:{_ics_text(item.text)}")
        details = []
        if item.owner:
            details.append(f"{lab['owner']}: {item.owner}")
        if item.due:
            details.append(f"{lab['due']}: {item.due}")
        t = first_time(minutes, item.segment_ids)
        source = minutes.title + (f" [{clock(t)}]" if t is not None else "")
        details.append(f"{lab['from']}: {source}")
        lines.append(f"DESCRIPTION:{_ics_text(chr(10).join(details))}")
        due = resolve_due(item.due, minutes.date)
        if due is not None:
            lines.append(f"DUE;VALUE=DATE:{due:%Y%m%d}")
        if item.owner:
            lines.append(f"CATEGORIES:{_ics_text(item.owner)}")
        lines.append(f"STATUS:{'COMPLETED' if item.done else 'NEEDS-ACTION'}")
        lines.append("END:VTODO")
    lines.append("END:VCALENDAR")
    return ("".join(_fold(line) + "\r\n" for line in lines)).encode("utf-8")


def _ics_text(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets, never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        room = limit if not out else limit - 1  # continuation lines start with a space
        if size + n > room:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


# --- JSON and writing ---------------------------------------------------------------


def render_minutes_json(minutes: Minutes) -> str:
    return json.dumps(minutes.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_minutes(minutes: Minutes, fmt: str, document: Document | None = None) -> bytes:
    """Render minutes in one format ("md", "docx", "csv", "ics", "json").

    Args:
        minutes: The minutes.
        fmt: Format name.
        document: The reviewed transcript, for the DOCX appendix (optional).

    Raises:
        ExportError: Unknown format, or python-docx missing.
    """
    key = fmt.strip().lower().removeprefix(".")
    if key == "md":
        return render_minutes_md(minutes).encode("utf-8")
    if key == "csv":
        return render_action_items_csv(minutes)
    if key == "ics":
        return render_action_items_ics(minutes)
    if key == "json":
        return render_minutes_json(minutes).encode("utf-8")
    if key == "docx":
        from minutes.export.minutes_docx import render_minutes_docx

        try:
            return render_minutes_docx(minutes, document)
        except ImportError as exc:
            raise ExportError(f"cannot export DOCX: {exc} (is python-docx installed?)") from exc
    raise ExportError(f"unknown minutes format {fmt!r}; choose from {', '.join(MINUTES_FORMATS)}")


def export_minutes(
    minutes: Minutes,
    out_dir: Path,
    stem: str,
    formats: Iterable[str],
    document: Document | None = None,
) -> list[Path]:
    """Write minutes as ``out_dir/stem.minutes.<fmt>`` (action items: ``stem.actions.csv/ics``;
    no .ics when there are none).

    Raises:
        ExportError: Unknown format or a write failure (the target keeps its old content).
    """
    keys = list(dict.fromkeys(f.strip().lower().removeprefix(".") for f in formats))
    unknown = [k for k in keys if k not in MINUTES_FORMATS]
    if unknown:
        raise ExportError(
            f"unknown minutes format(s) {', '.join(unknown)}; "
            f"choose from {', '.join(MINUTES_FORMATS)}"
        )
    written: list[Path] = []
    for key in keys:
        if key == "ics" and not minutes.action_items:
            logger.info("no action items: no calendar file written")
            continue
        name = f"{stem}.actions.{key}" if key in ("csv", "ics") else f"{stem}.minutes.{key}"
        path = Path(out_dir) / name
        data = render_minutes(minutes, key, document)
        try:
            atomic_write_bytes(path, data)
        except OSError as exc:
            from minutes.export import _OS_REASONS  # the same wording as transcript exports

            reason = _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
            raise ExportError(f"cannot write {path}: {reason}") from exc
        written.append(path)
    return written
