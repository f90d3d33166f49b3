"""Glossary CSV/JSON import and export, encodings, errors, and the user store."""

from __future__ import annotations

import contextlib
import json
import random
from pathlib import Path

import pytest

from glossary.errors import GlossaryError
from glossary.io import load_glossary, save_glossary
from glossary.store import GlossaryStore, load_user_glossary, save_user_glossary
from glossary.terms import Glossary, Term

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "glossary" / "example_glossary.csv"
KOREAN_CSV = (
    "term,variants,category,note\n"
    "Kubernetes,쿠버네티스|쿠베르네티스,인프라,컨테이너\n"
    "GDP,지디피,경제,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "glossary.csv"
    path.write_bytes(KOREAN_CSV.replace("\n", "\r\n").encode(encoding))
    glossary = load_glossary(path)
    assert [t.canonical for t in glossary] == ["Kubernetes", "GDP"]
    assert glossary.terms[0].variants == ("쿠버네티스", "쿠베르네티스")
    assert glossary.terms[0].category == "인프라"


def test_csv_header_is_case_insensitive_and_extra_columns_ignored(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("Note, TERM ,Owner\nhello,Docker,ops\n\n,,\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert len(glossary) == 1
    assert glossary.terms[0].canonical == "Docker"
    assert glossary.terms[0].note == "hello"


def test_csv_korean_header_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("용어;변형\nJira;지라|지이라\n", encoding="utf-8")
    assert load_glossary(path).terms[0].variants == ("지라", "지이라")


def test_csv_duplicate_terms_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("term,variants\nGDP,지디피\ngdp,GZP\nGDP,지디피\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert len(glossary) == 1
    assert glossary.terms[0].variants == ("지디피", "GZP")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"term,variants\nGDP,\nOK,\n,orphan\n", "g.csv line 4: empty term"),
        (b"name,variants\nGDP,x\n", "g.csv line 1: no 'term' column"),
        (b"", "g.csv: empty file"),
        (b"term\nA\n\x89PNG\x00\x00junk", "g.csv line 3: binary data"),
        (b"term\nA\n\xff\xfe\xfd\xfc\n", "g.csv line 3: not valid UTF-8 or CP949"),
        (b'term,note\nA,"unclosed\n', "g.csv line 2: malformed CSV"),
        (b"term,note\nA,ok\nB," + b"x" * 3000 + b"\n", "g.csv line 3: note is too long"),
        (b"term\n" + b"y" * 200_000 + b"\n", "g.csv line 2: malformed CSV"),
        (b"term,case_sensitive\nGo,maybe\n", "g.csv line 2: case_sensitive must be"),
    ],
)
def test_broken_csv_gives_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(content)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert str(info.value).startswith(message)


def test_random_bytes_never_raise_other_exceptions(tmp_path: Path) -> None:
    rng = random.Random(3)
    for n in range(40):
        path = tmp_path / f"junk{n}.{'csv' if n % 2 else 'json'}"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))))
        with contextlib.suppress(GlossaryError):
            load_glossary(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"terms": [', "g.json line 1: invalid JSON"),
        (b'{\n "terms": {"a": 1}\n}', 'g.json: expected a list of terms'),
        (b'[{"variants": ["x"]}]', 'g.json: term #1: "term" must be a string'),
        (b'[{"term": "GDP", "variants": "x|y", "uses": -1}]', '"uses" must be'),
        (b'[{"term": "GDP", "pinned": "yes"}]', '"pinned" must be true or false'),
        (b'[{"term": ""}]', "g.json: term #1 (''): empty term"),
        (b'[42]', "g.json: term #1: expected an object"),
        (b'{"schema": "other/9", "terms": []}', "unsupported schema"),
    ],
)
def test_broken_json_gives_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "g.json"
    path.write_bytes(content)
    with pytest.raises(GlossaryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_glossary(path)


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="unsupported file type"):
        load_glossary(tmp_path / "g.xlsx")
    with pytest.raises(GlossaryError, match=r"g\.csv: file not found"):
        load_glossary(tmp_path / "g.csv")


def _sample() -> Glossary:
    return Glossary.from_terms(
        [
            Term("Kubernetes", variants=("쿠버네티스", "K8s"), category="infra",
                 note='메모, "따옴표"'),
            Term("Go", variants=("고랭",), case_sensitive=True, language="en", pinned=True, uses=3,
                 learned_at="2025-01-01T00:00:00+00:00"),
            Term("카카오페이", variants=("카카오 페이",), language="ko"),
        ]
    )


def test_json_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    save_glossary(_sample(), path)
    assert load_glossary(path) == _sample()
    assert "쿠버네티스" in path.read_text(encoding="utf-8")  # Hangul not \u-escaped


def test_csv_round_trip_keeps_the_csv_columns(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    save_glossary(_sample(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfterm,variants,category,note")
    loaded = load_glossary(path)
    for a, b in zip(loaded, _sample(), strict=True):
        assert (a.canonical, a.variants, a.category, a.note, a.case_sensitive, a.language) == (
            b.canonical, b.variants, b.category, b.note, b.case_sensitive, b.language)


def test_example_glossary_loads() -> None:
    glossary = load_glossary(EXAMPLE)
    assert len(glossary) >= 20
    assert glossary.get("Kubernetes") is not None


def test_store_missing_file_is_empty_and_saves_atomically(tmp_path: Path) -> None:
    path = tmp_path / "data" / "glossary.json"
    assert len(load_user_glossary(path)) == 0
    save_user_glossary(_sample(), path)
    assert json.loads(path.read_text(encoding="utf-8"))["schema"] == "minutes.glossary/1"
    assert load_user_glossary(path) == _sample()
    assert [p.name for p in path.parent.iterdir()] == ["glossary.json"]  # no temp files left


def test_store_learn_persists(tmp_path: Path) -> None:
    store = GlossaryStore(tmp_path / "glossary.json")
    term = store.learn("지지피", "GDP")
    assert term.variants == ("지지피",)
    assert store.load().get("GDP") == term


def test_store_does_not_hide_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "glossary.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"glossary\.json line 1: invalid JSON"):
        load_user_glossary(path)
    assert path.read_text(encoding="utf-8") == "{not json"
