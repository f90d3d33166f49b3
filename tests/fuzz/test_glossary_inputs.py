"""Malformed glossary files: always a GlossaryError naming the file, never a crash."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings

from glossary.errors import GlossaryError
from glossary.io import load_glossary
from tests.fuzz.families import check_glossary
from tests.fuzz.glossary_cases import GlossaryCase, glossary_files

EXAMPLES = 400


@settings(settings.get_profile("minutes-fuzz"), max_examples=EXAMPLES)
@given(case=glossary_files())
def test_broken_glossaries_are_refused_clearly(case: GlossaryCase) -> None:
    verdict = check_glossary(case)
    assert not verdict.failed, verdict.detail


GOOD_CSV = "term,variants,category\nKubernetes,쿠버네티스|k8s,infra\n"


@pytest.mark.parametrize(
    ("data", "terms"),
    [
        (codecs.BOM_UTF8 + GOOD_CSV.encode(), 1),
        (GOOD_CSV.encode("utf-16"), 1),  # Excel "Unicode text": UTF-16 with BOM
        (GOOD_CSV.encode("cp949"), 1),  # Korean Excel's default
        (b"term,variants\nGDP,a\nGDP,b\n", 1),  # duplicates merge
        (b"term,variants,extra,extra\nGDP,a,1,2,3,4\n", 1),  # extra columns and cells
        (b"term,variants\nGDP\n", 1),  # missing cells
    ],
)
def test_accepted_encodings_and_shapes(tmp_path: Path, data: bytes, terms: int) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(data)
    assert len(load_glossary(path)) == terms


@pytest.mark.parametrize(
    ("suffix", "data", "message"),
    [
        (".csv", b"", "empty file"),
        (".csv", b"term\nGDP\x00\n", "line 2: binary data"),
        (".csv", b"\xff\xfe\x00\xd8", "not valid UTF-16"),  # BOM, then a lone surrogate
        (".csv", bytes(range(128, 256)) * 4, "not valid UTF-8 or CP949"),
        (".csv", "term\nCafé\n".encode("latin-1"), "line 2: not valid UTF-8 or CP949"),
        (".csv", b"term,note\nGDP," + b"x" * 100_000 + b"\n", "too long"),
        (".csv", b"variants,note\na,b\n", "no 'term' column"),
        (".json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (".json", b'{"terms": {"term": "GDP"}}', "expected a list of terms"),
        (".json", b'[{"term": 5}]', '"term" must be a string'),
        (".json", b'[{"term": "GDP", "uses": 1e400}]', '"uses" must be a whole number'),
        (".json", b'{"schema": "minutes.glossary/2", "terms": []}', "unsupported schema"),
        (".json", b'[{"term": "GDP"', "invalid JSON"),
    ],
)
def test_refusals_name_the_file_and_the_problem(
    tmp_path: Path, suffix: str, data: bytes, message: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(data)
    with pytest.raises(GlossaryError, match=message) as caught:
        load_glossary(path)
    assert f"bad{suffix}" in str(caught.value)
