"""Load and save glossary files, choosing CSV or JSON by the file suffix."""

from __future__ import annotations

from pathlib import Path

from glossary.csvio import format_csv, parse_csv
from glossary.errors import GlossaryError
from glossary.jsonio import format_json, parse_json
from glossary.terms import Glossary
from glossary.textfile import read_bytes
from minutes.atomic import atomic_write_bytes

SUFFIXES = (".csv", ".tsv", ".txt", ".json")


def load_glossary(path: str | Path) -> Glossary:
    """Read a glossary from a .csv (.tsv, .txt) or .json file.

    Raises:
        GlossaryError: For an unsupported suffix or a broken file; the
            message names the file and, where known, the line.
    """
    path = Path(path)
    suffix = _suffix(path)
    data = read_bytes(path)
    return parse_json(data, path=path) if suffix == ".json" else parse_csv(data, path=path)


def save_glossary(glossary: Glossary, path: str | Path) -> None:
    """Write a glossary atomically as CSV or JSON, by the suffix of `path`.

    Raises:
        GlossaryError: For an unsupported suffix or a write failure.
    """
    path = Path(path)
    data = format_json(glossary) if _suffix(path) == ".json" else format_csv(glossary)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise GlossaryError(f"cannot write file ({exc.strerror or exc})", path=path) from None


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise GlossaryError(
            f"unsupported file type {suffix or '(none)'!r}: use .csv or .json", path=path
        )
    return suffix
