"""Glossary JSON import/export (the format of the user's own glossary file).

    {"schema": "minutes.glossary/1",
     "terms": [{"term": "GDP", "variants": ["지디피"], "category": "economics",
                "note": "", "language": "", "case_sensitive": false,
                "pinned": false, "uses": 0, "learned_at": null}]}

A bare list of term objects is accepted on import, and only "term" is
required in each. Wrong shapes raise `GlossaryError`, never KeyError/TypeError.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryError
from glossary.terms import VARIANT_SEPARATOR, Glossary, Term
from glossary.textfile import decode_text, read_bytes

SCHEMA = "minutes.glossary/1"
_STRING_FIELDS = ("category", "note", "language")
_BOOL_FIELDS = ("case_sensitive", "pinned")


def read_json(path: str | Path) -> Glossary:
    """Load a glossary JSON file.

    Raises:
        GlossaryError: Naming the file (and line, for syntax errors).
    """
    return parse_json(read_bytes(path), path=path)


def parse_json(data: bytes, *, path: str | Path = "glossary.json") -> Glossary:
    """Parse glossary JSON bytes (UTF-8, with or without BOM).

    Args:
        data: The raw file contents.
        path: Used in error messages only.

    Raises:
        GlossaryError: For invalid JSON, a wrong shape or an invalid term.
    """
    text, _ = decode_text(data, path=path, legacy=False)
    if not text.strip():
        return Glossary()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GlossaryError(f"invalid JSON ({exc.msg})", path=path, line=exc.lineno) from None
    except RecursionError:
        raise GlossaryError("invalid JSON (nested too deeply)", path=path) from None
    if isinstance(document, Mapping):
        schema = document.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise GlossaryError(f"unsupported schema {schema!r} (expected {SCHEMA})", path=path)
        items = document.get("terms")
    else:
        items = document
    if not isinstance(items, list):
        raise GlossaryError(
            'expected a list of terms or an object with a "terms" list', path=path
        )
    return Glossary.from_terms(_term(item, n, path) for n, item in enumerate(items, start=1))


def _term(item: Any, number: int, path: str | Path) -> Term:
    where = f"term #{number}"
    if not isinstance(item, Mapping):
        raise GlossaryError(f"{where}: expected an object, got {type(item).__name__}", path=path)
    canonical = item.get("term", item.get("canonical"))
    if not isinstance(canonical, str):
        raise GlossaryError(f'{where}: "term" must be a string', path=path)
    where = f"term #{number} ({canonical[:30]!r})"
    variants = item.get("variants", [])
    if isinstance(variants, str):
        variants = variants.split(VARIANT_SEPARATOR)
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise GlossaryError(f'{where}: "variants" must be a list of strings', path=path)
    fields: dict[str, Any] = {}
    for name in _STRING_FIELDS:
        value = item.get(name, "")
        if not isinstance(value, str):
            raise GlossaryError(f'{where}: "{name}" must be a string', path=path)
        fields[name] = value
    for name in _BOOL_FIELDS:
        value = item.get(name, False)
        if not isinstance(value, bool):
            raise GlossaryError(f'{where}: "{name}" must be true or false', path=path)
        fields[name] = value
    uses = item.get("uses", 0)
    if not isinstance(uses, int) or isinstance(uses, bool) or uses < 0:
        raise GlossaryError(f'{where}: "uses" must be a whole number >= 0', path=path)
    learned_at = item.get("learned_at")
    if learned_at is not None and not isinstance(learned_at, str):
        raise GlossaryError(f'{where}: "learned_at" must be a string or null', path=path)
    try:
        return Term(canonical, variants=tuple(variants), uses=uses, learned_at=learned_at,
                    **fields)
    except GlossaryError as exc:
        raise GlossaryError(f"{where}: {exc.reason}", path=path) from None


def to_json(glossary: Glossary) -> dict[str, Any]:
    """The glossary as a JSON-ready dict (see the module docstring)."""
    return {
        "schema": SCHEMA,
        "terms": [
            {
                "term": t.canonical,
                "variants": list(t.variants),
                "category": t.category,
                "note": t.note,
                "language": t.language,
                "case_sensitive": t.case_sensitive,
                "pinned": t.pinned,
                "uses": t.uses,
                "learned_at": t.learned_at,
            }
            for t in glossary
        ],
    }


def format_json(glossary: Glossary) -> bytes:
    """The glossary as UTF-8 JSON bytes (Hangul kept readable, not escaped)."""
    return (json.dumps(to_json(glossary), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
