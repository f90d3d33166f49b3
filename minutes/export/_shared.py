"""Formatting helpers shared by the exporters (stdlib only, so imports stay cheap)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from minutes.types import Document, ReviewedSegment

# A speaker's turn is split into several paragraphs when it runs longer than
# this, so a reader can still find a moment by its timestamp.
MAX_PARAGRAPH_SECONDS = 60.0

DEFAULT_TITLE = "Transcript"

_LANGUAGE_NAMES = {
    "ko": "Korean",
    "en": "English",
    "ja": "Japanese",
    "zh": "Chinese",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
}


@dataclass(frozen=True)
class Paragraph:
    """Consecutive segments of one speaker, merged for reading."""

    start: float
    end: float
    speaker: str | None  # display label, not the raw speaker id
    text: str


def clock(seconds: float) -> str:
    """Format seconds as ``HH:MM:SS`` (floored, never negative).

    Args:
        seconds: Time offset from the start of the recording.

    Returns:
        The time as hours, minutes and seconds, e.g. ``00:01:02``.
    """
    total = max(0, math.floor(seconds)) if math.isfinite(seconds) else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def timestamp(seconds: float) -> str:
    """Format seconds as the bracketed timestamp used in TXT, MD and DOCX: ``[00:01:02]``."""
    return f"[{clock(seconds)}]"


def language_name(code: str) -> str:
    """Human-readable language name, falling back to the code itself."""
    name = _LANGUAGE_NAMES.get(code.lower())
    return f"{name} ({code})" if name else code


def display_date(created: str | None) -> str | None:
    """Render an ISO 8601 date-time as ``YYYY-MM-DD HH:MM`` (or as given if unparsable)."""
    if not created:
        return None
    try:
        when = datetime.fromisoformat(created)
    except ValueError:
        return created
    return when.strftime("%Y-%m-%d %H:%M")


def title_of(doc: Document) -> str:
    """The document title, or a generic one when the user gave none."""
    return doc.title.strip() or DEFAULT_TITLE


def metadata_items(doc: Document, *, with_model: bool = False) -> list[tuple[str, str]]:
    """Label/value pairs describing the recording, in display order.

    Args:
        doc: The document to describe.
        with_model: Also list the recognition model (DOCX shows it, TXT/MD keep it short).

    Returns:
        Pairs such as ``("Duration", "00:42:10")``; absent values are left out.
    """
    items: list[tuple[str, str]] = []
    date = display_date(doc.created)
    if date:
        items.append(("Date", date))
    items.append(("Duration", clock(doc.duration)))
    if doc.language and doc.language != "auto":
        items.append(("Language", language_name(doc.language)))
    if with_model and doc.model:
        items.append(("Model", doc.model))
    return items


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (including newlines) into single spaces."""
    return " ".join(text.split())


def spoken_segments(doc: Document) -> Iterator[ReviewedSegment]:
    """Segments that still have text after review (deleted ones are skipped)."""
    return (s for s in doc.segments if s.text.strip())


def paragraphs(doc: Document, max_seconds: float = MAX_PARAGRAPH_SECONDS) -> list[Paragraph]:
    """Group consecutive segments of the same speaker into reading paragraphs.

    Args:
        doc: The reviewed document.
        max_seconds: Start a new paragraph once one spans this long.

    Returns:
        Paragraphs in time order, each with its first segment's start time.
    """
    out: list[Paragraph] = []
    current: list[ReviewedSegment] = []
    for seg in spoken_segments(doc):
        if current and (
            seg.speaker != current[0].speaker or seg.end - current[0].start > max_seconds
        ):
            out.append(_merge(doc, current))
            current = []
        current.append(seg)
    if current:
        out.append(_merge(doc, current))
    return out


def _merge(doc: Document, segs: list[ReviewedSegment]) -> Paragraph:
    return Paragraph(
        start=segs[0].start,
        end=segs[-1].end,
        speaker=doc.speaker_label(segs[0].speaker),
        text=" ".join(clean_text(s.text) for s in segs),
    )
