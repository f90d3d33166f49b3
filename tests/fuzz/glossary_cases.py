"""Glossary family: CSV/TSV/JSON files in odd encodings, shapes and sizes.

A generated glossary is written in one of the accepted layouts, encoded in
one of many encodings (some unsupported), then optionally broken at the
byte level. Entry points: `glossary.io.load_glossary` and the user's
glossary store; an accepted glossary must build a matcher and survive a
save/load round trip in both formats.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.harness import mutate_bytes

_HEADERS = (
    ["term", "variants", "category", "note"],
    ["Term", "Variants", "Category", "Note", "language", "case_sensitive"],
    ["용어", "변형", "분류", "메모"],
    ["term"],
    ["variants", "note"],  # no term column
    ["term", "variants", "extra", "extra", "category", "note", "more"],
    [],
)
_ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp949", "utf-16-le",
              "utf-16-be", "latin-1", "utf-32", "shift_jis")

_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=24),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=24),
    st.text(max_size=24),
    st.sampled_from(["쿠버네티스", "GDP", "지디피", "Kubernetes", "k8s", "  ", "", "a|b|c",
                     "=cmd|' /C calc'!A0", "\ufeff용어", "line\nbreak", "tab\there", "\x00nul",
                     "\u202eevil", "😀" * 3, "Ｆｕｌｌ", "ß", "İ", "ǅ", "\ud7a3"]),
    st.integers(0, 3).map(lambda k: "x" * (2000, 2001, 100_000, 200)[k]),
)
_json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    _text,
)
_json_value = st.recursive(
    _json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)


@dataclass(frozen=True)
class GlossaryCase:
    label: str
    suffix: str
    data: bytes


@st.composite
def _rows(draw: st.DrawFn) -> list[list[str]]:
    rows = draw(st.lists(st.lists(_text, max_size=7), max_size=8))
    if rows and draw(st.booleans()):
        rows.append(list(draw(st.sampled_from(rows))))  # a duplicate term
    return rows


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def _json_document(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["doc", "list", "wrong", "nested", "random_terms"]))
    term = st.fixed_dictionaries(
        {"term": _json_scalar},
        optional={"variants": st.one_of(st.lists(_json_scalar, max_size=4), _json_scalar),
                  "category": _json_scalar, "note": _json_scalar, "language": _json_scalar,
                  "case_sensitive": _json_scalar, "pinned": _json_scalar,
                  "uses": _json_scalar, "learned_at": _json_scalar,
                  "canonical": _json_scalar},
    )
    terms = draw(st.lists(st.one_of(term, _json_value), max_size=6))
    if kind == "doc":
        schema = draw(st.sampled_from(["minutes.glossary/1", "minutes.glossary/2",
                                       "minutes.glossary/0", "other/1", None, 1]))
        doc: dict[str, Any] = {"terms": terms}
        if schema is not None:
            doc["schema"] = schema
        return doc
    if kind == "list":
        return terms
    if kind == "nested":
        return draw(st.sampled_from([10, 1000, 100_000]))  # depth, rendered below
    if kind == "random_terms":
        return {"schema": "minutes.glossary/1", "terms": draw(_json_value)}
    return draw(_json_value)


@st.composite
def glossary_files(draw: st.DrawFn) -> GlossaryCase:
    suffix = draw(st.sampled_from([".csv", ".csv", ".tsv", ".txt", ".json", ".json"]))
    if suffix == ".json":
        doc = draw(_json_document())
        if isinstance(doc, int):  # deeply nested arrays
            text, label = "[" * doc + "]" * doc, f"nested{doc}"
        else:
            text, label = json.dumps(doc, ensure_ascii=draw(st.booleans())), "json"
    else:
        header = list(draw(st.sampled_from(_HEADERS)))
        delimiter = "\t" if suffix == ".tsv" else draw(st.sampled_from([",", ";", "\t", "|"]))
        text, label = _csv_text(header, draw(_rows()), delimiter), "csv"
    encoding = draw(st.sampled_from(_ENCODINGS))
    data = text.encode(encoding, errors=draw(st.sampled_from(["replace", "surrogatepass"]))
                       if encoding.startswith("utf") else "replace")
    label += f"/{encoding}"
    if draw(st.sampled_from(range(3))) == 2:
        how, data = mutate_bytes(data, draw)
        label += f"/{how}"
    return GlossaryCase(label, suffix, data)


def load_and_use(path: Path, scratch: Path) -> None:
    """Load a glossary file as the app does; an accepted one must be usable."""
    from glossary.io import load_glossary, save_glossary
    from glossary.matcher import Matcher
    from glossary.store import load_user_glossary

    glossary = load_glossary(path)
    if path.suffix == ".json":
        assert load_user_glossary(path) == glossary
    sample = " ".join(t.canonical + " " + " ".join(t.variants) for t in list(glossary)[:5])
    Matcher(glossary).find(sample or "빈 문장")
    for suffix in (".csv", ".json"):
        copy = scratch / f"roundtrip{suffix}"
        save_glossary(glossary, copy)
        again = load_glossary(copy)
        assert [_fields(t) for t in again] == [_fields(t) for t in glossary], suffix


def _fields(term: Any) -> tuple[Any, ...]:
    return (term.canonical, term.variants, term.category, term.note, term.language,
            term.case_sensitive)
