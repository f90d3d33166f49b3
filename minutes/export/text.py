"""Plain-text and Markdown exports of the reviewed transcript."""

from __future__ import annotations

import re

from minutes.export._shared import (
    clean_text,
    metadata_items,
    paragraphs,
    spoken_segments,
    timestamp,
    title_of,
)
from minutes.types import Document

# Characters that Markdown could read as formatting inside a paragraph.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#])")


def render_txt(doc: Document) -> str:
    """Render one line per segment: ``[00:01:02] Speaker: text``.

    One line per segment (rather than merged paragraphs) keeps every
    timestamp, which is what people grep a plain-text transcript for.

    Args:
        doc: The reviewed document.

    Returns:
        The file content, ending in a newline.
    """
    meta = " | ".join(f"{label}: {value}" for label, value in metadata_items(doc))
    lines = [title_of(doc), meta, ""]
    for seg in spoken_segments(doc):
        label = doc.speaker_label(seg.speaker)
        who = f"{label}: " if label else ""
        lines.append(f"{timestamp(seg.start)} {who}{clean_text(seg.text)}")
    return "\n".join(lines) + "\n"


def render_md(doc: Document) -> str:
    """Render a Markdown document: title heading, metadata line, then paragraphs.

    Consecutive segments of one speaker are merged into a paragraph that
    starts with its timestamp and the bold speaker name.

    Args:
        doc: The reviewed document.

    Returns:
        The file content, ending in a newline.
    """
    meta = " · ".join(f"{label}: {value}" for label, value in metadata_items(doc))
    blocks = [f"# {md_escape(title_of(doc))}", f"*{md_escape(meta)}*"]
    for para in paragraphs(doc):
        who = f" **{md_escape(para.speaker)}:**" if para.speaker else ""
        blocks.append(f"{timestamp(para.start)}{who} {md_escape(para.text)}")
    return "\n\n".join(blocks) + "\n"


def md_escape(text: str) -> str:
    """Backslash-escape Markdown syntax so transcript text shows literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)
