"""A line that gives tasks to several people is asked about once per task."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from minutes.llm.asks import expand_asks, split_asks
from minutes.llm.engines.base import ChatMessage, GenerationOptions
from tests.unit.test_llm_fake_engine import FakeEngine
from tests.unit.test_llm_people import _doc

KO = ["박서연", "김지환", "이아름"]
EN = ["Ann Wu", "Tom Becker", "Sara Lee"]


TWO_TASKS = (
    "네, 지환 님이 테스트플라이트 배포해 주시고, 아름 님은 구글 플레이 내부 테스트 트랙 "
    "올려 주세요. 둘 다 30일까지요."
)


def test_two_requests_to_two_people_are_two_asks_sharing_the_deadline() -> None:
    assert split_asks(TWO_TASKS, KO, "박서연") == [
        "네, 지환 님이 테스트플라이트 배포해 주세요. 둘 다 30일까지요.",
        "아름 님은 구글 플레이 내부 테스트 트랙 올려 주세요. 둘 다 30일까지요.",
    ]


def test_a_promise_and_a_request_to_another_are_two_asks() -> None:
    line = "제가 오늘 중으로 초안 쓸게요. 아름 님은 금요일까지 디자인 검토해 주세요."
    assert split_asks(line, KO, "박서연") == [
        "제가 오늘 중으로 초안 쓸게요.",
        "아름 님은 금요일까지 디자인 검토해 주세요.",
    ]


def test_a_condition_on_another_before_a_promise_is_two_asks() -> None:
    line = "네, 아름 님이 초안 써 주시면 제가 오늘 중으로 검토해서 올릴게요."
    assert split_asks(line, KO, "박서연") == [
        "네, 아름 님이 초안 써 주세요",
        "제가 오늘 중으로 검토해서 올릴게요.",
    ]


def test_english_requests_to_two_people_are_two_asks() -> None:
    line = "Tom, can you update the deck by Friday, and Sara, please send the invoice today."
    assert split_asks(line, EN, "Ann Wu") == [
        "Tom, can you update the deck by Friday",
        "Sara, please send the invoice today.",
    ]


@pytest.mark.parametrize(
    ("line", "speaker", "asks"),
    [
        # two deadlines: two tasks of one person
        ("네. 캐시는 간단하니까 내일까지 배포하고요, 인덱스는 테스트가 필요해서 다음 주 "
         "수요일까지 하겠습니다.", "김지환",
         ["네. 캐시는 간단하니까 내일까지 배포하고요",
          "인덱스는 테스트가 필요해서 다음 주 수요일까지 하겠습니다."]),
        ("제가 내일까지 초안 만들고, 금요일까지 최종본 올릴게요.", "김지환",
         ["제가 내일까지 초안 만들고", "금요일까지 최종본 올릴게요."]),
        # a second commitment opened by "And"
        ("Okay, I'll write up the notes and send them out by end of day. And I'll talk to "
         "legal about the copy reviews.", "Tom Becker",
         ["Okay, I'll write up the notes and send them out by end of day.",
          "And I'll talk to legal about the copy reviews."]),
    ],
)  # fmt: skip
def test_one_persons_two_tasks_are_two_asks(line: str, speaker: str, asks: list[str]) -> None:
    assert split_asks(line, KO if line[0] > "z" else EN, speaker) == asks


def test_each_of_one_persons_two_tasks_is_theirs() -> None:
    from minutes.llm.summarise import find_action_items

    doc = _doc(
        [
            ("a", "지환 님, 캐시랑 인덱스 둘 다 맡아 주실 수 있을까요?"),
            ("b", "네. 캐시는 간단하니까 내일까지 배포하고요, 인덱스는 테스트가 필요해서 "
                  "다음 주 수요일까지 하겠습니다."),
        ],
        {"a": "박서연", "b": "김지환"},
    )  # fmt: skip

    def reply(messages: Sequence[ChatMessage], _options: GenerationOptions) -> dict[str, Any]:
        line = messages[-1].content.split("The line, ")[-1]
        if "인덱스는" in line:
            return {"task": "인덱스 적용하기", "due": "다음 주 수요일까지"}
        if "캐시는" in line:
            return {"task": "캐시 배포하기", "due": "내일까지"}
        return {"task": "캐시와 인덱스 맡기", "due": ""}

    # the request and the first answer fold into one item; the second task is its own
    items = find_action_items(doc, FakeEngine([reply]))
    assert sorted((a.owner, a.due) for a in items) == [
        ("김지환", "내일까지"),
        ("김지환", "다음 주 수요일까지"),
    ]
    assert [a.text for a in items if a.due == "다음 주 수요일까지"] == ["인덱스 적용하기"]


@pytest.mark.parametrize(
    "line",
    [
        # one person, several sentences: one ask
        "음, 그건 지환 님이 좀 봐 주세요. 서버 쪽 문제일 수도 있으니까요. 내일까지 파악해 주세요.",
        # a question to someone is no second task
        "지환 님은 배포해 주시고, 아름 님은요?",
        # a clause that only goes on with the ask before it
        "지환 님이 로그 보시고, 원인 찾아 주세요.",
        "Sara and Tom, please both review the PR.",
        "아름 님은요?",
        # a promise that only opens the meeting, then the request: the request is the task
        "어제 저녁 결제 장애 건 리뷰하겠습니다. 아름 님이 타임라인부터 정리해 줄래요?",
        # two promises of the speaker, one mentioning someone: the speaker's, one ask
        "네, 제가 쓸게요. 아름 님이 쿼리 짜기 전에 필요하니까 수요일까지 드릴게요.",
        "어제 저녁 결제 장애 건 리뷰하겠습니다. 아름 님이 타임라인부터 정리해 줄래요?",
        # one person's one task: reporting back on it, or one deadline for both clauses
        "제가 확인해 볼게요. 그리고 결과 공유드릴게요.",
        "I'll check the logs by Friday. And I'll let you know.",
        "제가 금요일까지 초안 만들고, 금요일까지 최종본 올릴게요.",
    ],
)
def test_lines_with_one_ask_stay_whole(line: str) -> None:
    assert split_asks(line, KO if line[0] > "z" else EN, "박서연") == [line]


def _line_reply(messages: Sequence[ChatMessage], _options: GenerationOptions) -> dict[str, Any]:
    """Writes down the task of the line it is shown, as a model would (no owner: the rules
    decide it)."""
    line = messages[-1].content.split("The line, ")[-1].split(":", 1)[-1]
    task = line.split("님이 ")[-1].split("님은 ")[-1].split(" 주세요")[0].strip(" .")
    return {"task": task, "due": "30일" if "30일" in line else ""}


def test_each_person_of_a_two_task_line_gets_an_item() -> None:
    from minutes.llm.summarise import find_action_items

    doc = _doc(
        [
            ("a", "출시 일정 얘기해 보죠. 베타는 이번 달 말이에요."),
            ("b", "빌드는 어제 다 만들어 뒀어요."),
            ("a", TWO_TASKS),
            ("c", "네, 알겠습니다."),
        ],
        {"a": "박서연", "b": "김지환", "c": "이아름"},
    )
    assert [s.id for s in expand_asks(doc, doc.segments)] == [0, 1, 2, 2, 3]
    engine = FakeEngine([_line_reply])
    items = find_action_items(doc, engine)
    owners = {a.owner: a for a in items}
    assert set(owners) == {"김지환", "이아름"}, [(a.text, a.owner) for a in items]
    assert "테스트플라이트" in owners["김지환"].text and "구글" not in owners["김지환"].text
    assert "구글 플레이" in owners["이아름"].text and "테스트플라이트" not in owners["이아름"].text
    assert all(a.segment_ids == (2,) and a.due == "30일" for a in items)
    asked = [json.dumps(m[-1].content, ensure_ascii=False) for m, _ in engine.calls]
    assert sum("테스트플라이트" in a and "구글" not in a for a in asked) == 1


def test_a_request_to_speak_now_is_no_task() -> None:
    from minutes.llm.actions import candidates
    from minutes.llm.candidates import rank_candidates

    doc = _doc(
        [
            ("a", "회고 시작하겠습니다. 아름 님, 타임라인부터 얘기해 주세요."),
            ("c", "네, 밤 아홉 시에 첫 알림이 왔어요."),
            ("a", "그럼 대시보드로 넘어갈게요. 지환 님, 설계는 어디까지 됐어요?"),
            ("b", "절반쯤이요."),
            # with a deadline it is a task: a talk to give
            ("a", "아름 님, 다음 주 월요일까지 신규 입사자들한테 구조 설명해 주세요."),
            # a line that also asks for a task keeps it, without the request to speak
            ("a", "지환 님, 원인부터 얘기해 주세요. 그리고 오늘 중으로 로그 정리해 주세요."),
        ],
        {"a": "박서연", "b": "김지환", "c": "이아름"},
    )
    found = rank_candidates(doc, candidates(doc), None)
    assert [s.id for s in found] == [4, 5]
    assert [s.text for s in expand_asks(doc, found)] == [
        doc.segments[4].text,
        "그리고 오늘 중으로 로그 정리해 주세요.",
    ]
