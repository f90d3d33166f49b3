"""The repair guards: only small, plausible, non-conflicting fixes pass."""

from __future__ import annotations

import pytest

from minutes.llm.validate import (
    Limits,
    RawFix,
    Rejected,
    ReviewedText,
    ValidFix,
    check_fix,
    rank,
    sound_similarity,
)
from minutes.types import Correction, CorrectionSource, CorrectionStatus

TERMS = {"gdp": "GDP", "kubernetes": "Kubernetes", "oecd": "OECD", "dna": "DNA"}


def _check(
    text: str, wrong: str, right: str, *, existing: list[Correction] | None = None, seg: int = 1
) -> list[ValidFix] | Rejected:
    view = ReviewedText(text, existing or [])
    return check_fix(
        RawFix(seg, wrong, right), targets={1: view}, terms=TERMS, existing=existing or []
    )


def _accepted(start: int, end: int, before: str, after: str) -> Correction:
    return Correction(
        1, start, end, before, after, CorrectionSource.GLOSSARY, status=CorrectionStatus.ACCEPTED
    )


def test_glossary_fix_is_located_in_raw_text() -> None:
    out = _check("그래서 현재 지디피 1조 달러", "지디피", "GDP")
    assert isinstance(out, list) and len(out) == 1
    fix = out[0]
    assert (fix.start_char, fix.end_char, fix.before, fix.after) == (7, 10, "지디피", "GDP")
    assert fix.term == "GDP" and fix.score > 0.9


def test_particle_may_follow_the_span() -> None:
    out = _check("쿠버네티스를 배포했어요", "쿠버네티스", "Kubernetes")
    assert isinstance(out, list) and out[0].before == "쿠버네티스"


def test_common_words_are_trimmed_to_the_edit() -> None:
    out = _check("현재 지디피 1조 달러", "현재 지디피", "현재 GDP")
    assert isinstance(out, list) and out[0].before == "지디피"


@pytest.mark.parametrize(
    ("text", "wrong", "right", "reason"),
    [
        ("현재 지디피 1조 달러", "지디피 1조 달러", "GDP 1조 달러 규모의 경제", "adds words"),
        ("현재 지디피 1조 달러", "현재", "GDP", "does not sound like"),
        ("회의를 시작합시다", "회의를", "미팅을", "does not sound like"),
        (
            "태드만 해도 그렇습니다",
            "태드만 해도 그렇습니다",
            "테드만 하면 좋습니다",
            "does not sound",
        ),
        ("그건 그렇습니다", "그렇습니다", "됩니다", "does not sound like"),
        ("3일 안으로 보내요", "3일", "5일", "number"),
        ("그건 안 돼요", "안 돼요", "돼요", "negation"),
        ("현재 지디피 1조 달러", "디피", "GDP", "cuts a word"),
        ("현재 지디피 1조 달러", "쥐디피", "GDP", "not found"),
        ("현재 GDP 1조 달러", "GDP", "지디피", "glossary term"),
        ("현재 지디피 1조 달러", "지디피", "지디피", "no change"),
        ("현재 지디피", "지디피", "GDP\n무시", "markup or line breaks"),
        ("a b c d e f g", "a b c d e", "a b c d e", "no change"),
        (
            "오늘 회의는 여기까지 하고 다음 주에 다시 모여서 논의합시다",
            "오늘 회의는 여기까지 하고 다음 주에",
            "오늘 회의를 끝내고",
            "too long",
        ),
    ],
)
def test_bad_fixes_are_rejected(text: str, wrong: str, right: str, reason: str) -> None:
    out = _check(text, wrong, right)
    assert isinstance(out, Rejected), out
    assert reason in out.reason


def test_fix_for_another_segment_is_rejected() -> None:
    out = _check("현재 지디피", "지디피", "GDP", seg=7)
    assert isinstance(out, Rejected) and "not a segment" in out.reason


def test_cannot_touch_an_accepted_correction() -> None:
    raw = "쿠베네티스 클러스터를 지디피에"
    accepted = _accepted(0, 5, "쿠베네티스", "Kubernetes")
    view = ReviewedText(raw, [accepted])
    assert view.text == "Kubernetes 클러스터를 지디피에"
    # Undoing the accepted change, or editing across it, cannot pass.
    assert isinstance(_check(raw, "Kubernetes", "쿠베네티스", existing=[accepted]), Rejected)
    out = _check(raw, "지디피", "GDP", existing=[accepted])
    assert isinstance(out, list)
    # Offsets map back to the raw text despite the accepted change before it.
    assert (out[0].start_char, out[0].end_char) == (12, 15) and raw[12:15] == "지디피"


def test_rejected_and_pending_fixes_are_not_repeated() -> None:
    raw = "현재 지디피"
    rejected = Correction(
        1,
        3,
        6,
        "지디피",
        "GDP",
        CorrectionSource.LLM,
        status=CorrectionStatus.REJECTED,
        decided=True,
    )
    out = _check(raw, "지디피", "GDP", existing=[rejected])
    assert isinstance(out, Rejected) and "rejected" in out.reason
    pending = Correction(1, 3, 6, "지디피", "GDP", CorrectionSource.GLOSSARY)
    out = _check(raw, "지디피", "GDP", existing=[pending])
    assert isinstance(out, Rejected) and "already proposed" in out.reason


def test_plain_spelling_fix_without_glossary() -> None:
    out = _check("we deployed the kubernets cluster", "kubernets", "kubernetis")
    assert isinstance(out, list) and out[0].term is None and out[0].score < 0.5


def test_ranking_puts_glossary_terms_first_and_drops_overlaps() -> None:
    a = ValidFix(1, 0, 3, "abc", "abd", None, 0.45)
    b = ValidFix(1, 5, 8, "지디피", "GDP", "GDP", 0.9)
    c = ValidFix(1, 0, 5, "abc d", "GDP", "GDP", 0.8)
    assert rank([a, b, c]) == [b, c]


def test_sound_similarity_reads_latin_as_hangul() -> None:
    assert sound_similarity("디엔에이", "DNA") > 0.9
    assert sound_similarity("쿠버네티스", "Kubernetes") > 0.8
    assert sound_similarity("회의", "DNA") < 0.3


def test_limits_are_configurable() -> None:
    view = ReviewedText("alpha beta gamma delta")
    out = check_fix(
        RawFix(1, "alpha beta gamma", "alpha beta gama"),
        targets={1: view},
        terms={},
        limits=Limits(max_words=2),
    )
    assert isinstance(out, Rejected) is False  # trimmed to one word, so it fits
