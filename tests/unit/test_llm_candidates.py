"""Ranking the rule-based action-item candidates: cue score, near-duplicates, cap."""

from __future__ import annotations

import pytest

from minutes.llm.actions import candidates
from minutes.llm.candidates import MIN_SCORE, cue_score, rank_candidates
from minutes.types import Document, Segment, Transcript


def _doc(lines: list[tuple[str, str]]) -> Document:
    segs = tuple(Segment(i, i * 5.0, i * 5.0 + 4, t, speaker=s) for i, (s, t) in enumerate(lines))
    return Document.build(
        Transcript("ko", len(lines) * 5.0, segs),
        speaker_names={"a": "김과장", "b": "이대리"},
        title="t",
        created="2025-05-07T10:00:00+09:00",
    )


def test_firm_tasks_score_above_the_threshold() -> None:
    for text in (
        "보고서는 제가 금요일까지 보내 드리겠습니다.",
        "회의실 좀 예약해 주세요.",
        "의견을 모아서 회사에 건의해 보도록 합시다.",
        "내일 만나서 자세히 알려 드릴게요.",
        "6시에 저희 집으로 오세요.",
        "I'll send the deck by Friday.",
        "Could you book the room for Monday?",
    ):
        assert cue_score(text) >= MIN_SCORE, text


def test_formulas_questions_and_nouns_are_not_tasks() -> None:
    for text in (
        "네, 알겠습니다.",  # acknowledgement built like a promise
        "그러면 정말 좋겠어요.",  # a wish
        "혹시 그 때까지 다 보지 못하면 어떻게 하죠?",
        "한국보다 훨씬 더 큰 규모의 전자 상거래를",  # 전자: a noun, not "let's"
        "환자들을 살리고자 하는 열정으로",  # -고자: purpose
        "드럼까지 만들게 됐는데요",  # -게 되다, not a promise
        "다니신 지는 오래되셨어요?",
        "오케이, 그럼 오늘은 여기까지. 수고하세요.",  # the close and a greeting
        "다들 고생하셨습니다. 들어가세요.",
    ):
        assert cue_score(text) < MIN_SCORE, text


def test_stronger_cues_rank_higher() -> None:
    bare = cue_score("작업을 하겠습니다.")
    assert cue_score("제가 작업을 하겠습니다.") > bare  # owner
    assert cue_score("내일까지 작업을 하겠습니다.") > bare  # deadline
    assert cue_score("보고서를 작성하겠습니다.") > bare  # task verb
    assert cue_score("보고서를 작성해 주시겠습니까?") > cue_score("보고서를 작성했나요?")


def test_rank_folds_duplicates_caps_and_keeps_meeting_order() -> None:
    lines = [
        ("a", "자료는 제가 금요일까지 보내 드리겠습니다."),
        ("b", "네, 알겠습니다."),
        ("b", "자료는 제가 금요일까지 보내 드리겠습니다."),  # said again: folded
        ("a", "이대리님, 회의실 좀 예약해 주세요."),  # names a participant
        ("b", "그럼 다음 주에 다시 논의합시다."),
        ("a", "검토해 주세요."),
    ]
    doc = _doc(lines)
    found = candidates(doc)
    ranked = rank_candidates(doc, found, None)
    assert [s.id for s in ranked] == [0, 3, 4, 5]
    top = rank_candidates(doc, found, 2)
    assert [s.id for s in top] == [0, 3]  # the two strongest, in meeting order
    assert rank_candidates(doc, found, None, min_score=100) == []


def test_an_engineering_task_verb_makes_a_promise_an_action_candidate() -> None:
    from minutes.llm.candidates import MIN_SCORE, cue_score

    # "재현", "배포", "리뷰": what an engineering team's tasks are
    for line in (
        "하나는 재현되고 하나는 아직이요. 재현 안 되는 건 오늘 디바이스 바꿔서 다시 해 볼게요.",
        "지환 님이 테스트플라이트 배포해 주세요.",
        "I'll look into the flaky test.",
    ):
        assert cue_score(line) >= MIN_SCORE, line
    # vague promises stay below
    for line in ("최대한 해 볼게요.", "신경 쓸게요."):
        assert cue_score(line) < MIN_SCORE, line


def _en(lines: list[tuple[str, str]]) -> Document:
    from tests.unit.test_llm_people import _doc as named_doc

    names = {"a": "Meera Sundaram", "b": "Lena Vogt", "c": "Diego Salas", "d": "Kevin Tran"}
    return named_doc(lines, names)


def test_a_request_to_someone_addressed_by_first_name_is_a_candidate() -> None:
    from minutes.llm.actions import owner_by_form

    doc = _en([
        ("a", "Lena, can you retune the SMS latency thresholds this sprint?"),
        ("b", "Yeah, I can do that."),
        ("a", "Diego, what would you need?"),  # an opinion asked for, no task
        ("c", "Two full days between code freeze and release."),
    ])  # fmt: skip
    found = rank_candidates(doc, candidates(doc), None)
    assert [s.id for s in found] == [0]
    assert owner_by_form(doc, 0) == (True, "Lena Vogt")


def test_an_offer_with_a_deadline_is_a_promise_and_taking_the_floor_is_none() -> None:
    from minutes.llm.candidates import form_of

    assert form_of("About a week. I can have it on staging by the end of next week.") == "promise"
    assert cue_score("I can have it on staging by the end of next week.") >= MIN_SCORE
    assert form_of("Can we submit earlier?") is None
    assert cue_score("I can do that.") < MIN_SCORE  # no deadline: no firm offer
    doc = _en([
        ("b", "I'll go. The reminder service held up really well on launch day."),
        ("a", "Okay, let's get started. So this is the retro for sprint seventeen."),
    ])  # fmt: skip
    assert rank_candidates(doc, candidates(doc), None) == []
    assert cue_score("Okay, let's get started.") <= 0


@pytest.mark.parametrize(
    "line",
    [
        "Morning everyone. Let's keep it quick. Dana, you want to start?",
        "Morning, everyone. Let's keep it quick, I've got a call at ten. Omar, want to start?",
        "Okay, let's get started. The retro for sprint nine. Let's start with what went well.",
        "Let's jump in.",
        "Hi Mark, can you hear us okay?",
    ],
)
def test_running_an_english_meeting_is_no_task(line: str) -> None:
    assert cue_score(line) < MIN_SCORE
    assert cue_score(line + " Dana, can you send the notes by Friday?") >= MIN_SCORE


def test_two_people_asked_in_one_english_turn_are_two_tasks() -> None:
    from minutes.llm.asks import expand_asks

    doc = _en([
        ("a", "So, two things, then. Lena, could you put together the release checklist? "
              "And Kevin, could you get us the final screenshots and description by the fifth?"),
        ("b", "Yep, will do."),
        ("d", "The fifth works."),
    ])  # fmt: skip
    found = rank_candidates(doc, candidates(doc), None)
    assert [s.id for s in found] == [0]
    asks = expand_asks(doc, found)
    assert len(asks) == 2
    assert "checklist" in asks[0].text and "screenshots" in asks[1].text


def test_a_reply_or_a_time_is_not_what_a_task_points_back_to() -> None:
    from minutes.llm.actions import with_referent
    from minutes.llm.decisions import said_deictic

    assert not said_deictic("I'll send the summary and the updated timeline this afternoon.")
    assert said_deictic("I'll do that by Friday.")
    assert not said_deictic("근데 그 주 온콜이 서아 씨면 바꿔야 되니까 확인해 줄래요?", True)
    assert said_deictic("그 알람 추가해 주세요.", True)
    assert said_deictic("그 주문 건 봐 주세요.", True)
    doc = _en([
        ("c", "Jake, can you send a summary after this?"),
        ("a", "Of course. I'll send that summary this afternoon."),
    ])  # fmt: skip
    task = "Send the summary"
    line = doc.segments[1].text
    assert with_referent(task, doc, 1, line) == task


def test_opening_a_stand_up_and_giving_the_floor_is_no_task() -> None:
    from tests.unit.test_llm_people import _doc as named_doc

    doc = named_doc(
        [
            ("a", "자, 다들 모였죠? 스탠드업 시작할게요. 오늘 3시에 릴리즈 회의 있으니까 짧게 "
                  "가죠. 도윤 님부터요."),
            ("b", "네. 어제는 검색 필터 버그 고쳤고요."),
            ("a", "도윤 님, 그 버그 재현 케이스 내일까지 정리해 주세요."),
        ],
        {"a": "조한별", "b": "김도윤"},
    )  # fmt: skip
    assert [s.id for s in rank_candidates(doc, candidates(doc), None)] == [2]
