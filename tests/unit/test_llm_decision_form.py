"""Korean decisions as minutes write them (minutes.llm.decision_form)."""

from __future__ import annotations

import pytest

from minutes.llm.decision_form import decision_form


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("남는 쿠폰은 다음 달 이벤트로 넘기는 걸로 결정하겠습니다.",
         "남는 쿠폰은 다음 달 이벤트로 넘기기로 결정"),
        ("그럼 공휴일 표시는 이번 릴리즈에서는 빼는 걸로 하죠.",
         "공휴일 표시는 이번 릴리즈에서는 빼기로 함"),
        ("숏츠는 이번엔 빼죠.", "숏츠는 이번엔 빼기로 함"),
        ("대시보드 개선은 다음 스프린트로 미루죠.", "대시보드 개선은 다음 스프린트로 미루기로 함"),
        ("그냥 남색으로 가죠.", "남색으로 결정"),
        ("오픈일은 3월 11일로 결정하겠습니다.", "오픈일은 3월 11일로 결정"),
        # not a form recognised here: kept as said
        ("이번 분기 목표는 리텐션 개선이에요.", "이번 분기 목표는 리텐션 개선이에요."),
        ("Let's go with Redis.", "Let's go with Redis."),
    ],
)  # fmt: skip
def test_a_decision_as_minutes_write_it(said: str, written: str) -> None:
    assert decision_form(said) == written


@pytest.mark.parametrize(
    ("proposal", "written"),
    [
        # the reason it opens with goes; the proposal becomes what was decided
        ("민호 님이 Go 써 보셨다고 들었는데, 민호 님도 백엔드 온콜에 넣으면 어떨까요?",
         "민호 님도 백엔드 온콜에 넣기로 함"),
        ("통계 탭은 출시 후 한 주 뒤에 따로 배포하는 걸로 하면 어떨까요?",
         "통계 탭은 출시 후 한 주 뒤에 따로 배포하기로 함"),
        ("캘린더 말고 배포 채널에 올리는 건 어때요?", "캘린더 말고 배포 채널에 올리기로 함"),
    ],
)  # fmt: skip
def test_agreeing_to_a_proposal_decides_it(proposal: str, written: str) -> None:
    assert decision_form("좋아요, 그렇게 하죠.", proposal) == written


def test_a_referent_that_is_no_proposal_stays_before_the_decision() -> None:
    assert decision_form("그렇게 하죠.", "서버 비용도 줄고요.") == (
        "서버 비용도 줄고요. → 그렇게 하죠."
    )
    agreed = decision_form("그건 2차로 넘기죠.", "네, 알겠어요.")
    assert agreed == "네, 알겠어요. → 그건 2차로 넘기기로 함"
    assert decision_form("Let's do that.", "We could post in the channel.") == (
        "We could post in the channel. → Let's do that."
    )
