"""Exporters for the reviewed transcript: TXT, Markdown, SRT, WebVTT, JSON and DOCX.

Every file is written atomically (temporary file, fsync, rename), so a crash
or a full disk leaves either the previous export or none, never half a file.

Example:
    >>> from minutes.export import export_all
    >>> export_all(doc, Path("out"), "weekly-sync", ["md", "docx"])  # doctest: +SKIP
"""

from __future__ import annotations

import errno
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from minutes.atomic import atomic_write_bytes
from minutes.export.contract import load_document, render_json
from minutes.export.docx_writer import render_docx
from minutes.export.errors import ExportError
from minutes.export.subtitles import render_srt, render_vtt
from minutes.export.text import render_md, render_txt
from minutes.types import Document

__all__ = [
    "FORMATS",
    "ExportError",
    "export_all",
    "export_document",
    "load_document",
    "render",
    "safe_stem",
]

FORMATS: tuple[str, ...] = ("txt", "md", "srt", "vtt", "json", "docx")


def safe_stem(title: str) -> str:
    """A file name stem from a meeting title (no path or reserved characters)."""
    stem = re.sub(r"[\\/:*?\"<>|\0]+", "-", title).strip(" .-")
    return stem[:80] or "meeting"

_RENDERERS: dict[str, Callable[[Document], str | bytes]] = {
    "txt": render_txt,
    "md": render_md,
    "srt": render_srt,
    "vtt": render_vtt,
    "json": render_json,
    "docx": render_docx,
}

_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the folder is on a read-only file system",
    errno.ENOTDIR: "a part of the folder path is a file, not a folder",
    errno.EISDIR: "a folder with that name already exists",
}


def render(doc: Document, fmt: str) -> bytes:
    """Render a document to the bytes of one format, without writing anything.

    Args:
        doc: The reviewed document.
        fmt: One of `FORMATS` (case-insensitive, a leading dot is allowed).

    Returns:
        The file content; text formats are UTF-8.

    Raises:
        ExportError: The format is unknown or its library is missing.
    """
    key = _normalise_format(fmt)
    try:
        content = _RENDERERS[key](doc)
    except ImportError as exc:
        raise ExportError(
            f"cannot export {key.upper()}: {exc} (is python-docx installed?)"
        ) from exc
    return content.encode("utf-8") if isinstance(content, str) else content


def export_document(doc: Document, fmt: str, path: Path) -> Path:
    """Export a document in one format to `path`, atomically.

    Args:
        doc: The reviewed document.
        fmt: One of `FORMATS`.
        path: Target file; missing parent folders are created.

    Returns:
        `path`.

    Raises:
        ExportError: Unknown format, unwritable folder or full disk. On
            failure the target keeps its previous content (or stays absent).
    """
    target = Path(path)
    try:
        data = render(doc, fmt)
    except ExportError as exc:
        raise ExportError(f"cannot write {target}: {exc}") from exc
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
        raise ExportError(f"cannot write {target}: {reason}") from exc
    return target


def export_all(doc: Document, out_dir: Path, stem: str, formats: Iterable[str]) -> list[Path]:
    """Export a document in several formats as ``out_dir/stem.<fmt>``.

    All format names are checked before anything is written. Files already
    written stay in place if a later format fails.

    Args:
        doc: The reviewed document.
        out_dir: Folder for the files; created if missing.
        stem: File name without extension (no path separators).
        formats: Format names from `FORMATS`; duplicates are written once.

    Returns:
        The written paths, in the order of `formats`.

    Raises:
        ExportError: An unknown format, a bad stem, or a write failure.
    """
    keys = list(dict.fromkeys(_normalise_format(f) for f in formats))
    if not stem.strip() or stem in (".", "..") or any(c in stem for c in "/\\\0"):
        raise ExportError(f"invalid file name {stem!r} for the export")
    return [export_document(doc, key, Path(out_dir) / f"{stem}.{key}") for key in keys]


def _normalise_format(fmt: str) -> str:
    key = fmt.strip().lower().removeprefix(".")
    if key == "markdown":
        key = "md"
    if key not in _RENDERERS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return key
