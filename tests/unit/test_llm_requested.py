"""Action items in the words of the request they answer (minutes.llm.requested), and the
reply's item kept when the request got none (minutes.llm.actions.borrowed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from minutes.llm.engines.base import ChatMessage, GenerationOptions
from minutes.llm.requested import in_request_words, request_for
from minutes.llm.summarise import find_action_items
from minutes.meeting import ActionItem
from minutes.types import Document, Segment, Transcript
from tests.unit.test_llm_fake_engine import FakeEngine

NAMES = {"a": "한지수", "b": "오태민", "c": "서보경"}


def _doc(lines: Sequence[tuple[str, str]], language: str = "ko") -> Document:
    segs = tuple(Segment(i, i * 5.0, i * 5.0 + 4, t, speaker=s) for i, (s, t) in enumerate(lines))
    return Document.build(Transcript(language, len(lines) * 5.0, segs), speaker_names=NAMES)


ASKED = [
    ("a", "태민 님은 로그인 페이지에 캡차 붙이는 거 해 주실 수 있어요?"),
    ("b", "네, 제가 할게요. 이번 주 안에 해 둘게요."),
]


def test_a_short_answer_takes_the_words_of_the_request() -> None:
    doc = _doc(ASKED)
    item = ActionItem("하기", "오태민", "이번 주 안에", (1,))
    assert request_for(doc, item) == "태민 님은 로그인 페이지에 캡차 붙이는 거 해 주실 수 있어요?"
    written = in_request_words(doc, item, [item])
    assert written.text == "로그인 페이지에 캡차 붙이기"
    assert (written.owner, written.due, written.segment_ids) == ("오태민", "이번 주 안에", (1,))
    # a task that says what was asked stays as the model wrote it
    said = ActionItem("로그인 페이지 캡차 붙이기", "오태민", None, (0, 1))
    assert in_request_words(doc, said, [said]) is said


@pytest.mark.parametrize(
    ("request_line", "task", "expected"),
    [
        # asked of nobody in particular, the answer volunteers; the deadline is the item's
        ("혹시 누가 다음 주 배포 당번 바꿔 줄 수 있어요?", "바꾸기", "배포 당번 바꾸기"),
        # the reason the request opens with is not part of the task
        (
            "온보딩 가이드가 필요할 텐데, 자주 묻는 질문 정리한 문서 하나 만들어 줄 수 있어요?",
            "만들기",
            "자주 묻는 질문 정리한 문서 하나 만들기",
        ),
        # the owner named after the task's topic is the item's owner, not part of the task
        ("결제 로그 분석은 태민 씨가 맡아 줘요.", "맡기", "결제 로그 분석은 맡기"),
    ],
)
def test_request_wordings(request_line: str, task: str, expected: str) -> None:
    doc = _doc([("a", request_line), ("b", "네, 제가 할게요.")])
    item = ActionItem(task, "오태민", "다음 주" if "다음 주" in request_line else None, (1,))
    assert in_request_words(doc, item, [item]).text == expected


@pytest.mark.parametrize(
    "lines",
    [
        # the request asks someone else
        [("a", "보경 님은 로그인 페이지에 캡차 붙이는 거 해 줄 수 있어요?"), ("b", "네, 할게요.")],
        # the request points back: its words do not say the task
        [("a", "그거 태민 님이 좀 맡아 주세요."), ("b", "네, 제가 할게요.")],
        # the answer names a task of its own
        [ASKED[0], ("b", "네, 그리고 결제 모듈 리팩터링은 제가 내일까지 마무리할게요.")],
        # English tasks are written by the model ("Can you hear us?" asks nothing)
        [("a", "Tom, can you hear us okay?"), ("b", "Yes, I'll do it.")],
    ],
)
def test_no_request_stands_in(lines: list[tuple[str, str]]) -> None:
    doc = _doc(lines, "en" if lines[0][1].isascii() else "ko")
    item = ActionItem("하기", "오태민", None, (1,))
    assert in_request_words(doc, item, [item]) is item


def test_the_owners_clause_of_a_request_for_two_people() -> None:
    doc = _doc([
        ("a", "보경 님은 배너 문구 고쳐 주시고, 태민 님은 결제 로그 필터 만들어 주세요."),
        ("b", "네."),
        ("c", "네, 알겠습니다."),
    ])  # fmt: skip
    item = ActionItem("필터", "오태민", None, (0,))
    assert in_request_words(doc, item, [item]).text == "결제 로그 필터 만들기"


def test_a_task_after_its_referent_takes_the_request_that_names_it() -> None:
    """"그 해제 버튼" names what to change; the model's task after the line before it did not."""
    doc = _doc([
        ("c", "설정 화면 시안은 있어요. 근데 연동 해제 버튼 위치만 다시 봐야 돼요."),
        ("a", "그럼 태민 님이 그 해제 버튼 부분만 수정해서 보경 님한테 넘겨 주세요."),
        ("b", "네, 내일까지 드릴게요."),
    ])  # fmt: skip
    item = ActionItem(
        "설정 화면 시안은 있어요. 근데 연동 해제 버튼 위치만 다시 봐야 돼요. → 수정 부분 전달",
        "오태민", None, (1,),
    )  # fmt: skip
    written = in_request_words(doc, item, [item])
    assert written.text == "해제 버튼 부분만 수정해서 보경 님한테 넘기기"


def test_a_request_with_an_item_of_its_own_is_not_borrowed() -> None:
    doc = _doc(ASKED)
    theirs = ActionItem("로그인 페이지 캡차 붙이기", "오태민", None, (0,))
    reply = ActionItem("하기", "오태민", None, (1,))
    assert request_for(doc, reply, [theirs, reply]) is None


def _reply(messages: Sequence[ChatMessage], options: GenerationOptions) -> Any:
    line = messages[1].content.split("The line, ", 1)[1]
    if "파이프라인 문서" in line:
        return {"task": "CI 파이프라인 문서 정리하기", "due": "수요일"}
    if "캡차" in line:  # the request: the model writes the task of the line before
        return {"task": "CI 파이프라인 문서 정리하기", "due": "수요일"}
    return {"task": "캡차 붙이기", "due": "이번 주 안에"}  # the answer


def test_an_answer_keeps_its_item_when_the_request_got_none() -> None:
    """The model copied the line before into the request's item (dropped as borrowed); the
    answer's own item, though it too speaks of the line before it, is the request's only
    item and stays, in the words of the request."""
    doc = _doc([("c", "그럼 제가 CI 파이프라인 문서 정리할게요. 수요일까지요."), *ASKED])
    items = find_action_items(doc, FakeEngine([_reply]))
    assert [(a.text, a.owner, a.segment_ids) for a in items] == [
        ("CI 파이프라인 문서 정리하기", "서보경", (0,)),
        ("로그인 페이지에 캡차 붙이기", "오태민", (2,)),
    ]
