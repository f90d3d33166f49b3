"""Matcher behaviour: Korean particles, readings, word boundaries, no-op cases."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.matcher import Match, Matcher
from glossary.terms import Glossary, Term

TERMS = ["Kubernetes", "GitHub", "GDP", "DID", "OECD", "USB", "CEO", "TED", "Docker", "Jira",
         "AI", "DSLR", "UX"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    glossary = Glossary.from_terms(
        [Term(t) for t in TERMS]
        + [Term("카카오페이", variants=("카카오 페이",)), Term("Go", case_sensitive=True)]
    )
    return Matcher(glossary, language="ko")


def apply(text: str, matches: list[Match], *, only_auto: bool = True) -> str:
    out = text
    for m in sorted(matches, key=lambda m: -m.start):
        if m.auto or not only_auto:
            assert out[m.start : m.end] == m.before
            out = out[: m.start] + m.after + out[m.end :]
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("쿠버네티스를 써서 배포했어요", "Kubernetes를 써서 배포했어요"),
        ("깃허브에서 받았어요", "GitHub에서 받았어요"),
        ("지디피가 올랐다", "GDP가 올랐다"),
        ("디아이디로 세상을 이겨라", "DID로 세상을 이겨라"),
        ("오이시디와 함께", "OECD와 함께"),
        ("유에스비 포트로", "USB 포트로"),
        ("씨이오들도 왔었고", "CEO들도 왔었고"),
        ("테드만해도 그렇습니다", "TED만해도 그렇습니다"),
        ("도커 이미지를 올려요", "Docker 이미지를 올려요"),
        ("지라 티켓 만들게요", "Jira 티켓 만들게요"),
        ("쿠버 네티스 클러스터", "Kubernetes 클러스터"),
        ("디 아이 디 전략", "DID 전략"),
        ("큐버네티스는 어렵다", "Kubernetes는 어렵다"),
        ("카카오패이로 결제", "카카오페이로 결제"),
    ],
)
def test_readings_are_corrected_and_particles_kept(
    matcher: Matcher, text: str, expected: str
) -> None:
    assert apply(text, matcher.find(text)) == expected


def test_span_covers_only_the_term(matcher: Matcher) -> None:
    [m] = matcher.find("쿠버네티스를")
    assert (m.start, m.end, m.before) == (0, 5, "쿠버네티스")
    assert m.after == m.term == "Kubernetes"
    assert m.auto and m.rule == "word-reading" and 0 < m.score <= 1


@pytest.mark.parametrize(
    "text",
    [
        "AIR and PAIR are not AI",  # no partial-word edits (AI itself is already a term)
        "오늘 날씨가 좋네요 그래서 산책을 했어요",
        "아이가 이유를 말했다",  # letter-name syllables that are ordinary words
        "에이아이",  # the reading itself: "이" is part of the word, not a particle
        "Kubernetes를 쓰고 GDP가 올랐고 TED에서 봤어요",  # already terms
        "kubernetes and docker, in lower case",  # case-insensitive terms: already terms
        "let's go home",  # case-sensitive "Go" leaves the verb alone
        "UX디자인을 공부하고",  # Hangul glued to Latin is part of a longer word
        "",
    ],
)
def test_nothing_changes(matcher: Matcher, text: str) -> None:
    auto = [m for m in matcher.find(text) if m.auto]
    assert auto == [], auto
    if text != "에이아이":
        assert matcher.find(text) == []


def test_two_letter_acronym_reading_is_only_proposed(matcher: Matcher) -> None:
    [m] = matcher.find("에이아이 모델을 써요")
    assert (m.after, m.auto) == ("AI", False)


def test_latin_confusion_is_proposed_when_unambiguous(matcher: Matcher) -> None:
    [m] = matcher.find("GZP 1조 달러")
    assert (m.before, m.after, m.rule, m.auto) == ("GZP", "GDP", "latin-confusion", False)
    [m] = matcher.find("여러분들이 DLSR이라고 부르는")
    assert (m.before, m.after, m.rule) == ("DLSR", "DSLR", "latin-confusion")
    [m] = matcher.find("지지피 성장률")
    assert (m.before, m.after) == ("지지피", "GDP")
    assert matcher.find("KBS TV") == []  # B<->D is a rhyme, but no term is one letter off


def test_ambiguous_confusion_is_not_proposed() -> None:
    matcher = Matcher(Glossary.from_terms([Term("GDP"), Term("GTP")]))
    assert matcher.find("GZP") == []  # Z could be D or T


def test_variants_apply_and_learned_variants_win() -> None:
    glossary = Glossary.from_terms([Term("GDP", variants=("지지피",))])
    [m] = Matcher(glossary).find("지지피가 올랐다")
    assert (m.after, m.rule, m.auto, m.score) == ("GDP", "exact-variant", True, 1.0)


def test_english_fuzzy_and_plural() -> None:
    matcher = Matcher(Glossary.from_terms([Term("Kubernetes"), Term("pull request")]),
                      language="en")
    text = "we moved to kubernetis and merged two pull requests"
    matches = matcher.find(text)
    assert [(m.before, m.after, m.rule) for m in matches] == [
        ("kubernetis", "Kubernetes", "fuzzy-latin")
    ]
    # language="en": Hangul readings are not matched
    assert matcher.find("쿠버네티스를") == []


def test_matches_are_sorted_and_non_overlapping(matcher: Matcher) -> None:
    text = "지디피 그리고 오이시디, 도커랑 쿠버네티스를 깃허브에서"
    matches = matcher.find(text)
    assert [m.after for m in matches] == ["GDP", "OECD", "Docker", "Kubernetes", "GitHub"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))
    assert all(text[m.start : m.end] == m.before for m in matches)


def test_find_all_equals_find(matcher: Matcher) -> None:
    texts = ["지디피가 올랐다", "nothing here", "쿠버네티스를 깃허브에서", ""]
    assert matcher.find_all(texts) == [matcher.find(t) for t in texts]


def test_empty_glossary_matches_nothing() -> None:
    assert Matcher(Glossary()).find("쿠버네티스 GDP") == []


def test_unknown_language_code_is_accepted() -> None:
    matcher = Matcher(Glossary.from_terms([Term("GDP")]), language="ja")
    assert matcher.find("지디피")[0].after == "GDP"


_ALPHABET = "쿠버네티스지디피를가이는에서 GDPKubernetsAIR.,!?-'\n아이오시유엑테드도커"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_matches_are_always_consistent(text: str) -> None:
    matches = _SHARED.find(text)
    assert all(text[m.start : m.end] == m.before and m.before != m.after for m in matches)
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))
    assert all(0.0 < m.score <= 1.0 for m in matches)


_SHARED = Matcher(Glossary.from_terms([Term(t) for t in TERMS]))
