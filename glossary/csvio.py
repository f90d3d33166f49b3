"""Glossary CSV import/export.

Format: a header row, then one term per row. Columns (case-insensitive,
any order, unknown ones ignored): `term` (required), `variants` (separated
by "|"), `category`, `note`, and optionally `language` and `case_sensitive`.
Korean headers (용어, 변형, 분류, 메모) are accepted too. Files may be UTF-8
(with or without BOM), CP949/EUC-KR or UTF-16; comma-, semicolon- or
tab-separated. Export writes UTF-8 with a BOM so Excel shows Hangul correctly.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path

from glossary.errors import GlossaryError
from glossary.terms import MAX_FIELD_CHARS, VARIANT_SEPARATOR, Glossary, Term
from glossary.textfile import decode_text, read_bytes

logger = logging.getLogger(__name__)

COLUMNS = ("term", "variants", "category", "note", "language", "case_sensitive")
_ALIASES = {
    "term": "term", "canonical": "term", "용어": "term", "단어": "term",
    "variants": "variants", "variant": "variants", "변형": "variants", "오인식": "variants",
    "category": "category", "분류": "category", "카테고리": "category",
    "note": "note", "notes": "note", "메모": "note", "비고": "note",
    "language": "language", "lang": "language", "언어": "language",
    "case_sensitive": "case_sensitive", "case-sensitive": "case_sensitive",
    "case sensitive": "case_sensitive",
}
_TRUE = frozenset({"1", "true", "yes", "y", "예", "o"})
_FALSE = frozenset({"", "0", "false", "no", "n", "아니오", "x"})


def read_csv(path: str | Path) -> Glossary:
    """Load a glossary CSV file.

    Args:
        path: The file to read.

    Returns:
        The glossary; rows naming the same term are merged.

    Raises:
        GlossaryError: Naming the file and line of the first problem.
    """
    return parse_csv(read_bytes(path), path=path)


def parse_csv(data: bytes, *, path: str | Path = "glossary.csv") -> Glossary:
    """Parse glossary CSV bytes (see the module docstring for the format).

    Args:
        data: The raw file contents; the encoding is detected.
        path: Used in error messages only.

    Raises:
        GlossaryError: Naming `path` and the line of the first problem.
    """
    text, _ = decode_text(data, path=path)
    rows = _rows(text, path)
    header_line, header = next(rows, (0, []))
    columns = _columns(header, path, header_line)
    terms: list[Term] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        terms.append(_term(row, columns, path, line))
    glossary = Glossary.from_terms(terms)
    if len(glossary) < len(terms):
        logger.info("%s: merged %d duplicate rows", Path(path).name, len(terms) - len(glossary))
    return glossary


def _rows(text: str, path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every row, starting with the header; skips leading blank lines."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = ","
    if "," not in first:
        delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    seen_header = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "field limit" in reason:
                reason = f"a field is too long (at most {MAX_FIELD_CHARS} characters)"
            raise GlossaryError(f"malformed CSV ({reason})", path=path,
                                line=reader.line_num) from None
        if not seen_header and not any(cell.strip() for cell in row):
            continue
        seen_header = True
        yield reader.line_num, row


def _columns(header: list[str], path: str | Path, line: int) -> dict[str, int]:
    if not header:
        raise GlossaryError("empty file: expected a header row with a 'term' column", path=path)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _ALIASES.get(name.strip().lstrip("\ufeff").strip().lower())
        if key and key not in columns:
            columns[key] = index
    if "term" not in columns:
        found = ", ".join(repr(h.strip()) for h in header[:6] if h.strip()) or "nothing"
        raise GlossaryError(
            f"no 'term' column in the header (found {found}); the first row must name "
            "the columns, e.g. term,variants,category,note",
            path=path,
            line=line,
        )
    return columns


def _term(row: list[str], columns: dict[str, int], path: str | Path, line: int) -> Term:
    def cell(name: str) -> str:
        index = columns.get(name)
        value = row[index] if index is not None and index < len(row) else ""
        if len(value) > MAX_FIELD_CHARS:
            raise GlossaryError(
                f"{name} is too long ({len(value)} characters, at most {MAX_FIELD_CHARS})",
                path=path,
                line=line,
            )
        return value.strip()

    flag = cell("case_sensitive").lower()
    if flag not in _TRUE | _FALSE:
        raise GlossaryError(
            f"case_sensitive must be true or false, not {flag!r}", path=path, line=line
        )
    try:
        return Term(
            cell("term"),
            variants=tuple(cell("variants").split(VARIANT_SEPARATOR)),
            category=cell("category"),
            note=cell("note"),
            language=cell("language"),
            case_sensitive=flag in _TRUE,
        )
    except GlossaryError as exc:
        raise GlossaryError(exc.reason, path=path, line=line) from None


def format_csv(glossary: Glossary) -> bytes:
    """The glossary as CSV bytes (UTF-8 with BOM, CRLF line ends, as Excel writes)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for term in glossary:
        writer.writerow(
            [
                term.canonical,
                VARIANT_SEPARATOR.join(term.variants),
                term.category,
                term.note,
                term.language,
                "true" if term.case_sensitive else "",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
