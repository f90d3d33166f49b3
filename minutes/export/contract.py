"""JSON export (the public transcript contract) and reading it back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from minutes import validate
from minutes.export.errors import ExportError
from minutes.types import Correction, Document, ReviewedSegment, Word

SCHEMA = "minutes.transcript/1"
_SCHEMA_FAMILY = "minutes.transcript/"


def render_json(doc: Document) -> str:
    """Render `Document.to_contract()` as pretty-printed UTF-8 JSON.

    Args:
        doc: The reviewed document.

    Returns:
        The file content; non-ASCII text (Hangul) is kept as is, not escaped.
    """
    return json.dumps(doc.to_contract(), ensure_ascii=False, indent=2) + "\n"


def load_document(path: Path) -> Document:
    """Read a JSON export back into a `Document`.

    Args:
        path: A file written by the ``json`` exporter.

    Returns:
        The document; exporting it again gives the same JSON.

    Raises:
        ExportError: The file is unreadable, not JSON, from another schema
            version, or missing fields. The message names the file.
    """
    data = _read_json(Path(path))
    _check_schema(path, data)
    try:
        return validate.document(document_from_contract(data))
    except KeyError as exc:
        raise ExportError(f"{path}: malformed transcript JSON, missing field {exc}") from exc
    except validate.LOAD_ERRORS as exc:
        raise ExportError(f"{path}: malformed transcript JSON ({exc})") from exc


def document_from_contract(data: Mapping[str, Any]) -> Document:
    """Build a `Document` from an already-parsed contract dict (no schema check).

    Raises:
        KeyError: A required field is missing.
        TypeError: A field has the wrong type.
        ValueError: A field has an invalid value.
    """
    speakers = data.get("speakers") or {}
    if not isinstance(speakers, Mapping):
        raise TypeError("'speakers' must be an object")
    return Document(
        title=str(data.get("title") or ""),
        language=str(data.get("language") or "auto"),
        duration=float(data.get("duration") or 0.0),
        segments=tuple(_segment(s) for s in _list(data, "segments")),
        corrections=tuple(Correction.from_dict(c) for c in _list(data, "corrections")),
        speaker_names={str(k): str(v) for k, v in speakers.items()},
        created=_opt_str(data.get("created")),
        model=str(data.get("model") or ""),
    )


def _read_json(path: Path) -> Mapping[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExportError(f"{path} is not UTF-8 text: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path} is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ExportError(f"{path} is not valid JSON: nested too deeply") from exc
    if not isinstance(data, dict):
        raise ExportError(f"{path} is not a minutes transcript (expected a JSON object)")
    return data


def _check_schema(path: Path, data: Mapping[str, Any]) -> None:
    schema = data.get("schema")
    if schema == SCHEMA:
        return
    if isinstance(schema, str) and schema.startswith(_SCHEMA_FAMILY):
        raise ExportError(
            f"{path} uses transcript schema {schema!r}; this version of minutes "
            f"reads {SCHEMA!r} only (was it written by a newer version?)"
        )
    if schema is None and "segments" in data:
        # Older builds and the raw ASR cache wrote segments without a schema tag.
        raise ExportError(
            f"{path} has no 'schema' field: it is an old or raw transcript file, "
            f"not a {SCHEMA!r} export; open the recording and export it again"
        )
    raise ExportError(f"{path} is not a minutes transcript export (schema {schema!r})")


def _segment(data: Mapping[str, Any]) -> ReviewedSegment:
    return ReviewedSegment(
        id=int(data["id"]),
        start=float(data["start"]),
        end=float(data["end"]),
        speaker=_opt_str(data.get("speaker")),
        text_raw=_str(data, "text_raw"),
        text=_str(data, "text"),
        words=tuple(Word.from_dict(w) for w in data.get("words") or ()),
    )


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise TypeError(f"{key!r} must be a list")
    return value


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(f"{key!r} must be a string")
    return value


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected a string or null, got {type(value).__name__}")
    return value
