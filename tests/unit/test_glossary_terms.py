"""Glossary model, merging and learning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from glossary.errors import GlossaryError
from glossary.learn import learn
from glossary.terms import Glossary, Term


def test_term_cleans_fields_and_drops_duplicate_variants() -> None:
    term = Term("  Kubernetes ", variants=("쿠버네티스", " 쿠버네티스 ", "kubernetes", ""))
    assert term.canonical == "Kubernetes"
    assert term.variants == ("쿠버네티스",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"canonical": "  "}, "empty term"),
        ({"canonical": "x" * 101}, "too long"),
        ({"canonical": "GDP", "language": "French!"}, "unknown language"),
        ({"canonical": "GDP", "variants": ("a|b",)}, "separates variants"),
    ],
)
def test_invalid_terms_raise_glossary_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        Term(**kwargs)  # type: ignore[arg-type]


def test_duplicate_terms_merge_variants() -> None:
    glossary = Glossary.from_terms(
        [Term("GDP", variants=("지디피",), category="econ"), Term("gdp", variants=("GZP",))]
    )
    assert len(glossary) == 1
    assert glossary.terms[0].variants == ("지디피", "GZP")
    assert glossary.terms[0].category == "econ"


def test_merge_and_add_term() -> None:
    a = Glossary().add_term("Docker", variants=["도커"])
    b = Glossary().add_term("docker", variants=["독커"]).add_term("Jira")
    merged = a.merge(b)
    assert [t.canonical for t in merged] == ["Docker", "Jira"]
    assert merged.get("DOCKER") is not None
    assert merged.get("Docker").variants == ("도커", "독커")  # type: ignore[union-attr]


def test_learn_adds_variant_to_existing_term() -> None:
    glossary = Glossary.from_terms([Term("GDP")])
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    updated, term = learn(glossary, "지지피", "GDP", now=now)
    assert term.variants == ("지지피",)
    assert term.uses == 1
    assert term.learned_at == "2025-01-02T03:04:05+00:00"
    assert updated.get("GDP") == term
    assert glossary.get("GDP").variants == ()  # type: ignore[union-attr]  # input untouched


def test_learn_creates_new_term_and_moves_variant() -> None:
    glossary = Glossary.from_terms([Term("Jira", variants=("지라",))])
    updated, term = learn(glossary, "지라", "Zeplin")
    assert term.canonical == "Zeplin"
    assert term.variants == ("지라",)
    assert updated.get("Jira").variants == ()  # type: ignore[union-attr]
    assert [t.canonical for t in updated] == ["Jira", "Zeplin"]


def test_learn_case_fix_is_not_a_variant() -> None:
    updated, term = learn(Glossary(), "github", "GitHub")
    assert term.canonical == "GitHub"
    assert term.variants == ()
    assert len(updated) == 1


def test_learn_rejects_empty_input() -> None:
    with pytest.raises(GlossaryError):
        learn(Glossary(), " ", "GDP")
