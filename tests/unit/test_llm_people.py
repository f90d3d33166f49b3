"""Addressed names, titles and first names mapped to participants; decision phrases;
repeated action items folded (the deterministic parts of the minutes' action items)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from minutes.llm.decisions import (
    add_missed_decisions,
    decision_notes,
    decision_sentences,
    is_decision,
    task_text,
)
from minutes.llm.merge import acknowledgements, due_key, fold_repeats
from minutes.llm.people import (
    addressed_in,
    canonical_owner,
    given_name,
    participant_for,
    unmapped_address,
)
from minutes.meeting import ActionItem, Note
from minutes.types import Document, Segment, Transcript

KO = ["박서연", "이준호", "김민수", "최유나"]
EN = ["Sarah Collins", "David Park", "Tom Becker"]


def _doc(lines: Sequence[tuple[str, str]], names: dict[str, str], language: str = "ko") -> Document:
    segs = tuple(Segment(i, i * 5.0, i * 5.0 + 4, t, speaker=s) for i, (s, t) in enumerate(lines))
    return Document.build(Transcript(language, len(lines) * 5.0, segs), speaker_names=names)


@pytest.mark.parametrize(
    ("full", "given"),
    [("이준호", "준호"), ("남궁민수", "민수"), ("Tom Becker", "Tom"), ("이대리", "대리")],
)
def test_given_name(full: str, given: str) -> None:
    assert given_name(full) == given


def test_a_given_name_maps_to_the_one_participant_it_ends() -> None:
    assert participant_for("준호", KO) == "이준호"
    assert participant_for("이준호", KO) == "이준호"
    assert participant_for("Tom", EN) == "Tom Becker"
    assert participant_for("tom", EN) == "Tom Becker"
    assert participant_for("지훈", KO) is None  # nobody
    assert participant_for("준호", [*KO, "김준호"]) is None  # two fit: left alone


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        ("음, 그건 준호 님이 좀 봐 주세요.", "박서연", ["이준호"]),
        ("민수 씨는요?", "박서연", ["김민수"]),
        ("유나 씨, 준호님한테 전달해 주세요.", "박서연", ["최유나", "이준호"]),
        ("준호 님부터 얘기해 주세요.", "박서연", ["이준호"]),
        ("제가 할게요.", "이준호", []),
        ("네, 목요일까지 정리해서 준호 님께 드릴게요.", "이준호", []),  # the speaker himself
    ],
)
def test_addressed_in_korean(text: str, speaker: str, expected: list[str]) -> None:
    assert addressed_in(text, KO, speaker) == expected


def test_addressed_in_english_by_first_name() -> None:
    assert addressed_in("Hmm, Tom, could you take that too?", EN, "Sarah Collins") == ["Tom Becker"]
    assert addressed_in("Sure, I'll do it.", EN, "Tom Becker") == []


def test_given_name_with_a_title() -> None:
    names = ["이수빈", "차예린"]
    assert addressed_in("그럼 예린 과장님이 오늘 중으로 봐 주세요.", names, "이수빈") == ["차예린"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("민수 씨가 정리해 주세요.", "민수"),
        ("지훈님이 정리해 주세요.", "지훈님"),
        ("그건 팀장님께서 확인해 주세요.", "팀장님"),
        ("과장님, 확인 부탁드려요.", "과장님"),
        ("내일 보내 주세요.", None),
    ],
)
def test_unmapped_address_keeps_the_form_said(text: str, expected: str | None) -> None:
    assert unmapped_address(text) == expected


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("준호님", "이준호"),
        ("준호 님", "이준호"),
        ("민수 씨", "김민수"),
        ("이준호", "이준호"),
        ("팀장님", "팀장님"),  # no role known: unchanged
        ("Tom", "Tom Becker"),
        ("tom becker", "Tom Becker"),
        (None, None),
    ],
)
def test_canonical_owner(owner: str | None, expected: str | None) -> None:
    assert canonical_owner(owner, [*KO, *EN]) == expected


def test_owner_of_a_request_is_the_addressed_participant() -> None:
    from minutes.llm.actions import owner_by_form

    doc = _doc(
        [
            ("a", "음, 그건 준호 님이 좀 봐 주세요. 내일까지 파악해 주시면 좋겠어요."),
            ("b", "네, 알겠습니다. 내일까지 확인해 볼게요."),
            # a decision and a request in one line: the request decides the owner
            ("a", "네, 메인 컬러는 남색으로 확정하는 걸로 할게요. 민수 씨, 시안 수정해 주세요."),
            ("c", "네, 금요일까지 보내 드릴게요."),
            # "부탁할게요" asks the listener, it is no promise of the chair
            ("a", "네, 그럼 다음 달 첫째 주까지 메인 비주얼 시안 부탁할게요."),
        ],
        {"a": "박서연", "b": "이준호", "c": "김민수"},
    )
    assert [owner_by_form(doc, i) for i in range(5)] == [
        (True, "이준호"),
        (True, "이준호"),
        (True, "김민수"),
        (True, "김민수"),
        (True, "김민수"),  # the listener: who spoke just before
    ]


def test_owner_by_english_first_name() -> None:
    from minutes.llm.actions import owner_by_form

    doc = _doc(
        [("a", "Hmm, Tom, could you take that too? No rush, sometime next week."),
         ("b", "Sure, I'll refresh staging next week.")],
        {"a": "Sarah Collins", "b": "Tom Becker"},
        "en",
    )  # fmt: skip
    assert owner_by_form(doc, 0) == (True, "Tom Becker")
    assert owner_by_form(doc, 1) == (True, "Tom Becker")


@pytest.mark.parametrize(
    "sentence",
    [
        "배포는 다음 주 월요일로 미루는 걸로 결정하겠습니다.",
        "그냥 남색으로 가죠.",
        "예산은 인당 15만 원으로 하죠.",
        "심사 제출은 다음 주 화요일로 하겠습니다.",
        "1:1은 앞으로 2주에 한 번씩 하는 걸로 하죠.",
        "Hmm... okay, let's go with the 22nd.",
        "So, going forward, let's cap the sprint at thirty points.",
        "We decided to send you to KubeCon.",
        "숏츠는 이번엔 빼죠.",
        "그럼 결제 연동은 다음 스프린트로 미루죠.",
        "그러면 오픈일은 기존대로 다음 달 15일로 유지하겠습니다.",
        "Okay, then let's pull the export changes out of this release.",
        "좋아요, 그렇게 하죠.",
        "Sounds good, let's do that.",
        "Okay. So launch stays on the fourteenth, and we submit on the seventh.",
    ],
)
def test_decision_phrases(sentence: str) -> None:
    assert is_decision(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "그럼 오늘은 여기까지 하죠.",
        "코드 수정은 오늘 중으로 하겠습니다.",
        "제가 메일로 할게요.",
        "자, 3분기 캠페인 기획 회의 시작하겠습니다.",
        "Let's keep it quick.",
        "I'll send the report by Friday.",
        "그건 다음 회의 때 얘기하죠.",
        "이건 빼죠?",
        "Okay, let's move on.",
        "그렇게 하죠?",
        "I'll do it as it stays on my list.",
    ],
)
def test_not_decisions(sentence: str) -> None:
    assert not is_decision(sentence)


def test_decision_sentences_drop_fillers_and_task_text_keeps_the_request() -> None:
    line = "네, 쿠폰은 드리는 걸로 결정하겠습니다. 지수 씨가 대상자 뽑아서 내일까지 발송해 주세요."
    assert decision_sentences(line) == ["쿠폰은 드리는 걸로 결정하겠습니다."]
    assert task_text(line) == "지수 씨가 대상자 뽑아서 내일까지 발송해 주세요."
    assert task_text("배포는 월요일로 결정하겠습니다.") == ""
    assert task_text("제가 할게요.") == "제가 할게요."


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # the recap restates tasks and decisions said before: nothing left to write down
        ("네, 좋아요. 그럼 정리하면, 쿠폰 원인은 지훈 님 오늘 중, 재처리는 책임님 오전 중. "
         "주 단위 필터는 다음 스프린트. 이상입니다.", "네, 좋아요."),
        ("네, 그럼 정리하면 견적서 보내 드리고, 교육 날짜는 대표님이 알려 주시는 걸로 "
         "하겠습니다.", ""),
        ("Okay, to recap: guest checkout by default, and gift wrapping is out.", ""),
        # what the speaker takes on after it, in a sentence of its own, may be new
        ("좋습니다. 정리할게요. 순번 알림은 빼고, 배포는 수요일. 스프린트 보드는 제가 오늘 "
         "중으로 업데이트해 둘게요.",
         "좋습니다. 스프린트 보드는 제가 오늘 중으로 업데이트해 둘게요."),
        ("So let me recap. Dana books the room. I'll send the deck by Friday.",
         "I'll send the deck by Friday."),
        # from the clause where the speaker takes it on, not the restated asks before it
        ("자, 정리할게요. 지환 님은 수요일까지 빌드 올려 주시고, 디자인 리뷰는 제가 오늘 "
         "잡을게요.", "디자인 리뷰는 제가 오늘 잡을게요."),
        # 정리 as the task itself, or as the chair's next step, is no recap
        ("그럼 30일 지난 로그는 제가 정리할게요.", "그럼 30일 지난 로그는 제가 정리할게요."),
        ("네, 정리해서 공유드릴게요.", "네, 정리해서 공유드릴게요."),
        ("자, 그럼 다음에 해 볼 거 정리해 볼게요.", "자, 그럼 다음에 해 볼 거 정리해 볼게요."),
    ],
)  # fmt: skip
def test_a_closing_recap_holds_no_new_task(line: str, kept: str) -> None:
    assert task_text(line) == kept


def test_a_recap_restates_decisions_without_adding_one() -> None:
    lines = [
        ("a", "워크숍 장소는 가평으로 결정하겠습니다."),
        ("b", "네, 좋아요."),
        ("a", "그럼 정리하면, 장소는 가평으로 하는 걸로 하겠습니다. 다음 회의는 다음 주에요."),
    ]
    doc = _doc(lines, {"a": "강민지", "b": "류준영"})
    assert [n.segment_ids for n in decision_notes(doc)] == [(0,)]


def test_agreeing_to_a_proposal_decides_the_proposal() -> None:
    lines = [
        ("d", "Could we have a shared staging calendar? I never know who's deploying."),
        ("b", "We could just post in the deploy channel before each staging deploy."),
        ("a", "Sounds good, let's do that."),
    ]
    doc = _doc(lines, {"a": "Sarah Collins", "b": "Tom Becker", "d": "David Park"}, "en")
    assert decision_notes(doc) == [Note(
        "We could just post in the deploy channel before each staging deploy. → let's do that.",
        (2, 1),
    )]  # fmt: skip
    ko = _doc(
        [
            ("b", "그럼 공유 캘린더 말고 배포 채널에 올리는 건 어때요?"),
            ("a", "좋아요, 그렇게 하죠."),
        ],
        {"a": "박서연", "b": "이준호"},
    )
    assert decision_notes(ko) == [
        Note("공유 캘린더 말고 배포 채널에 올리기로 함", (1, 0))
    ]


def test_a_decision_that_points_back_carries_what_it_points_to() -> None:
    from minutes.llm.decisions import decision_notes

    doc = _doc(
        [
            ("a", "혹시 오프라인 팝업 얘기도 하실까요?"),
            ("b", "아 그건 이번 캠페인에서는 빼죠. 다음 분기에 다시 얘기해요."),
            ("a", "Should we upgrade Node too? Let's skip it."),
            ("b", "네, 온라인 강의 하나 있는데 그거 회사 지원으로 듣는 걸로 하죠."),
        ],
        {"a": "박서연", "b": "이준호"},
    )
    assert [(n.text, n.segment_ids) for n in decision_notes(doc)] == [
        ("혹시 오프라인 팝업 얘기도 하실까요? → 그건 이번 캠페인에서는 빼기로 함", (1, 0)),
        ("Should we upgrade Node too? → Let's skip it.", (2,)),
        # a longer sentence names its own object
        ("온라인 강의 하나 있는데 그거 회사 지원으로 듣기로 함", (3,)),
    ]


def test_a_bare_choice_carries_the_question_it_answers() -> None:
    from minutes.llm.decisions import decision_notes

    doc = _doc(
        [
            ("a", "로그 저장소는 S3로 해요, 아니면 자체 서버로 해요?"),
            ("b", "S3가 운영 부담이 적어요. 비용도 비슷하고요."),
            ("a", "그럼 S3로 가죠."),
            ("b", "캐시는 어떻게 해요? Let's go with Redis."),
            ("a", "발표 자료는 다음 주 월요일로 하죠."),
        ],
        {"a": "박서연", "b": "이준호"},
    )
    assert [(n.text, n.segment_ids) for n in decision_notes(doc)] == [
        # the question two lines before, not the answer between
        ("로그 저장소는 S3로 해요, 아니면 자체 서버로 해요? → S3로 결정", (2, 0)),
        ("캐시는 어떻게 해요? → Let's go with Redis.", (3,)),
        # a choice with its subject stands alone
        ("발표 자료는 다음 주 월요일로 결정", (4,)),
    ]


def test_a_task_that_points_back_carries_what_it_points_to() -> None:
    from minutes.llm.actions import with_referent

    doc = _doc(
        [
            ("a", "결제 모듈 PR이 리뷰 대기 중인데 좀 밀려 있어요."),
            ("b", "아, 그거 제가 내일까지 볼게요."),
            ("a", "The staging certificate expires on Monday."),
            ("c", "Will do."),
            ("b", "I'll renew it today."),
            ("a", "배포 스크립트는 제가 정리할게요."),
        ],
        {"a": "박서연", "b": "이준호", "c": "김민수"},
    )
    assert with_referent("그거 보기", doc, 1, doc.segments[1].text) == (
        "결제 모듈 PR이 리뷰 대기 중인데 좀 밀려 있어요. → 그거 보기"
    )
    # past a reply that says nothing
    assert with_referent("Renew it", doc, 4, doc.segments[4].text) == (
        "The staging certificate expires on Monday. → Renew it"
    )
    # a task that names its object, or a pronoun the line did not say, stays as written
    assert with_referent("배포 스크립트 정리", doc, 5, doc.segments[5].text) == "배포 스크립트 정리"
    assert with_referent("그거 정리", doc, 5, doc.segments[5].text) == "그거 정리"


def test_a_task_points_past_a_line_that_points_back_itself() -> None:
    from minutes.llm.actions import with_referent

    doc = _doc(
        [
            ("a", "결제 내역 조회 API 페이징 PR 올렸어요."),
            ("b", "그거 리뷰는 누가 봐요?"),
            ("c", "그거 제가 볼게요."),
        ],
        {"a": "박서연", "b": "이준호", "c": "김민수"},
    )
    assert with_referent("그거 보기", doc, 2, doc.segments[2].text) == (
        "결제 내역 조회 API 페이징 PR 올렸어요. → 그거 보기"
    )


def test_a_task_whose_line_points_back_with_a_determiner() -> None:
    from minutes.llm.actions import with_referent

    doc = _doc(
        [
            ("c", "알람도 문제예요. 사용자당 발송 횟수로 알람을 걸어야 바로 알 수 있어요."),
            ("a", "좋네요. 민수 님이 그 알람 추가해 주세요."),
        ],
        {"a": "박서연", "c": "김민수"},
    )
    line = doc.segments[1].text
    assert with_referent("추가 알람 설정", doc, 1, line) == (
        "알람도 문제예요. 사용자당 발송 횟수로 알람을 걸어야 바로 알 수 있어요. → 추가 알람 설정"
    )
    # the model said what "그 알람" was: as written
    task = "사용자당 발송 횟수 알람 걸기"
    assert with_referent(task, doc, 1, line) == task


def test_a_version_number_does_not_cut_a_decision() -> None:
    line = "음, 다크 모드는 4.0에서 빼고 4.1로 미루는 걸로 하겠습니다. 결제가 우선이에요."
    assert decision_sentences(line) == ["다크 모드는 4.0에서 빼고 4.1로 미루는 걸로 하겠습니다."]
    assert decision_sentences("Let's go with v2.3 for the launch. Thanks.") == [
        "Let's go with v2.3 for the launch."
    ]


def test_a_line_that_only_decides_is_no_action_candidate() -> None:
    from minutes.llm.actions import candidates

    doc = _doc(
        [
            ("a", "배포는 다음 주 월요일로 미루는 걸로 결정하겠습니다."),
            ("b", "그럼 금요일까지 제가 회귀 테스트 한 번 더 돌릴게요."),
        ],
        {"a": "박서연", "b": "최유나"},
    )
    assert [s.id for s in candidates(doc)] == [1]
    assert decision_notes(doc) == [
        Note("배포는 다음 주 월요일로 미루기로 결정", (0,))
    ]


def test_withdrawn_tasks_are_no_candidates() -> None:
    from minutes.llm.actions import candidates

    doc = _doc(
        [
            ("b", "아 그거 제가 찾아볼게요. … 아, 아니다, 그건 가이드 파일 안에 이미 있어요."),
            ("c", "그럼 제가 후보 리스트만 미리 뽑아 둘까요?"),
            ("a", "아뇨, 그건 괜찮아요. 다음 회의에서 정하고 나서 해요."),
            ("b", "제가 내일까지 사진 올려 드릴게요."),
        ],
        {"a": "박서연", "b": "이준호", "c": "김민수"},
    )
    assert [s.id for s in candidates(doc)] == [3]


def test_missed_decisions_are_added_once() -> None:
    model = [Note("배포 일정을 월요일로 연기", (13,))]
    found = [
        Note("배포는 다음 주 월요일로 미루는 걸로 결정하겠습니다.", (13,)),  # cited: covered
        Note("그냥 남색으로 가죠.", (5,)),
        Note("메인 컬러는 남색으로 가죠.", (6,)),  # repeats the one before
    ]
    out = add_missed_decisions(model, found)
    assert [n.segment_ids for n in out] == [(13,), (5,)]


@pytest.mark.parametrize(
    ("due", "key"),
    [("다음 주 금요일까지", "다음주금요일"), ("by Friday", "friday"), ("그때까지", ""), (None, "")],
)
def test_due_key(due: str | None, key: str) -> None:
    assert due_key(due) == key


def test_request_and_reply_fold_into_one_item() -> None:
    doc = _doc(
        [
            ("a", "음, 그건 준호 님이 좀 봐 주세요. 내일까지 원인만이라도 파악해 주세요."),
            ("b", "네, 알겠습니다. 내일까지 확인해 볼게요."),
            ("a", "다음 달 첫째 주까지 메인 비주얼 시안 부탁할게요."),
            ("c", "네, 그때까지 준비할게요."),
            ("c", "그리고 제가 금요일까지 회귀 테스트 돌릴게요."),
        ],
        {"a": "박서연", "b": "이준호", "c": "김민수"},
    )
    items = [
        ActionItem("안드로이드 푸시 알림 버그 원인 파악", "이준호", "내일까지", (0,)),
        ActionItem("확인하기", "이준호", "내일까지", (1,)),
        ActionItem("메인 비주얼 시안", "김민수", "다음 달 첫째 주까지", (2,)),
        ActionItem("준비", "김민수", "그때까지", (3,)),
        ActionItem("회귀 테스트 돌리기", "김민수", "금요일까지", (4,)),
    ]
    out = fold_repeats(items, acknowledgements(doc))
    assert [(a.text, a.owner, a.due, a.segment_ids) for a in out] == [
        ("안드로이드 푸시 알림 버그 원인 파악", "이준호", "내일까지", (0, 1)),
        ("메인 비주얼 시안", "김민수", "다음 달 첫째 주까지", (2, 3)),
        ("회귀 테스트 돌리기", "김민수", "금요일까지", (4,)),
    ]


def test_a_repeat_folds_past_the_other_task_of_a_two_task_line() -> None:
    doc = _doc(
        [
            ("a", "네, 유나 님이 초안 써 주시면 제가 오늘 중으로 검토해서 올릴게요."),
            ("b", "초안은 한 시간 안에 보내 드릴게요."),
        ],
        {"a": "박서연", "b": "최유나"},
    )
    items = [
        ActionItem("초안 쓰기", "최유나", None, (0,)),
        ActionItem("검토해서 올리기", "박서연", "오늘 중으로", (0,)),
        ActionItem("초안 보내기", "최유나", "한 시간 안에", (1,)),
    ]
    out = fold_repeats(items, acknowledgements(doc))
    assert [(a.text, a.owner, a.due, a.segment_ids) for a in out] == [
        ("초안 보내기", "최유나", "한 시간 안에", (0, 1)),
        ("검토해서 올리기", "박서연", "오늘 중으로", (0,)),
    ]


def test_a_question_or_a_decision_is_no_task_text() -> None:
    from minutes.llm.actions import item_from_reply

    doc = _doc(
        [
            ("a", "프로모션 푸시는 언제 다시 돌릴까요?"),
            ("b", "대량 푸시는 전부 보류하는 걸로 결정하겠습니다. 마케팅팀엔 제가 따로 말할게요."),
            ("a", "재웅 님, 대시보드 지표 정의서 하나 써 주세요."),
            ("c", "네, 제가 수요일까지 드릴게요."),
        ],
        {"a": "박서연", "b": "이준호", "c": "표재웅"},
    )
    for wrote in ("프로모션 푸시를 다시 돌릴까요?", "대량 푸시 보류를 결정합니다"):
        item, _ = item_from_reply({"task": wrote}, doc, doc.segments[1], 0.3)
        assert item is not None and item.text == "마케팅팀엔 제가 따로 말할게요."
    # the line's address in front of the task goes
    item, _ = item_from_reply({"task": "표재웅 님, 대시보드 지표 정의서 쓰기"}, doc,
                              doc.segments[3], 0.3)  # fmt: skip
    assert item is not None and item.text == "대시보드 지표 정의서 쓰기"


def test_a_promise_to_stay_attentive_is_no_task() -> None:
    from minutes.llm.candidates import MIN_SCORE, cue_score

    for line in ("근데 크래시율이 좀 걱정되네요. 신경 쓸게요.",
                 "그건 제가 계속 지켜볼게요.",
                 "I'll keep an eye on support tickets after launch."):  # fmt: skip
        assert cue_score(line) < MIN_SCORE, line
    # with a deadline, or beside a real task, the line stays one
    assert cue_score("신경 쓸게요. 제가 문서는 내일까지 정리할게요.") >= MIN_SCORE


def test_the_speaker_in_front_of_a_task_goes() -> None:
    from minutes.llm.actions import item_from_reply

    doc = _doc([("a", "성호 님, 스테이징 배포 스크립트 금요일까지 점검해 주세요.")],
               {"a": "박서연", "b": "배성호"})  # fmt: skip
    item, _ = item_from_reply({"task": "박서연: 스테이징 배포 스크립트 점검"}, doc,
                              doc.segments[0], 0.3)  # fmt: skip
    assert item is not None and item.text == "스테이징 배포 스크립트 점검"


def test_an_offer_with_a_deadline_is_a_promise() -> None:
    from minutes.llm.candidates import cue_score, form_of

    offer = "와이어프레임은 이미 있어서, 다음 주 월요일까지 최종 시안 드릴 수 있어요."
    assert form_of(offer) == "promise" and cue_score(offer) >= 2.5
    assert form_of("그건 쉽게 할 수 있어요.") is None  # no deadline: no commitment
    assert form_of("금요일까지 해 줄 수 있어요?") == "request"


def test_a_task_borrowed_from_the_line_before_is_dropped() -> None:
    from minutes.llm.actions import borrowed

    doc = _doc(
        [
            ("a", "Okay, I'll ping marketing about the copy this morning."),
            ("b", "Thanks. Meanwhile I'll just keep going on the templates."),
        ],
        {"a": "Sarah Collins", "b": "Priya Nair"},
        "en",
    )
    copied = ActionItem("Ping marketing about the copy", "Priya Nair", None, (1,))
    own = ActionItem("Keep going on the templates", "Priya Nair", None, (1,))
    assert borrowed(copied, doc, doc.segments[1], {0, 1}, 0.3)
    assert not borrowed(own, doc, doc.segments[1], {0, 1}, 0.3)
    # the line before was not judged: its task has no item of its own, keep it
    assert not borrowed(copied, doc, doc.segments[1], {1}, 0.3)


def test_a_clipped_task_is_replaced_by_the_line() -> None:
    from minutes.llm.actions import item_from_reply, line_task

    doc = _doc(
        [
            ("a", "네, 알겠습니다. 내일까지 확인해 볼게요."),
            ("b", "그럼 금요일까지 제가 스테이징에서 전체 회귀 테스트 한 번 더 돌릴게요."),
        ],
        {"a": "이준호", "b": "최유나"},
    )
    assert line_task(doc.segments[0].text) == "내일까지 확인해 볼게요."
    item, dropped = item_from_reply({"task": "돌리기", "due": "금요일"}, doc, doc.segments[1], 0.3)
    assert item is not None and not dropped
    assert item.text == "금요일까지 제가 스테이징에서 전체 회귀 테스트 한 번 더 돌릴게요."
    assert item.owner == "최유나"
    # a long task the line does not support is an invention: dropped
    invented = {"task": "새 사무실 임대 계약서 검토하기", "due": ""}
    assert item_from_reply(invented, doc, doc.segments[1], 0.3) == (None, True)


def test_a_task_that_is_only_a_verb_takes_the_line() -> None:
    from minutes.llm.actions import clipped, item_from_reply

    assert all(map(clipped, ["확인해 주세요", "예약해 주세요", "바꿔 주세요", "할게요"]))
    assert all(map(clipped, ["업데이트 해 주세요", "리뷰 좀 해 주세요"]))  # a verbal noun
    # an object, a noun phrase, or another language: a task that says what to do
    assert not any(map(clipped, ["초안 짜기", "푸시 인증서 갱신", "참석 인원 조사", "Send it"]))
    assert not clipped("디자인 리뷰 해 주세요")
    doc = _doc(
        [("a", "아 그거 제가 기획팀에 확인해 볼게요. 내일 오전까지 알려 드릴게요.")],
        {"a": "이수빈"},
    )
    item, _ = item_from_reply({"task": "확인해 주세요", "due": "내일 오전"}, doc,
                              doc.segments[0], 0.3)  # fmt: skip
    assert item is not None
    assert item.text == "그거 제가 기획팀에 확인해 볼게요. 내일 오전까지 알려 드릴게요."


def test_the_owner_is_named_in_the_sentence_that_asks() -> None:
    from minutes.llm.actions import owner_by_form

    doc = _doc(
        [
            ("d", "온보딩 일러스트 시안 벌써 올려 놨어요."),
            ("a", "오, 벌써요? 고마워요 유나 씨. 그럼 준호 님이 오늘 중으로 보고 알려 주세요."),
            ("b", "네, 오늘 보고 말씀드릴게요."),
            ("a", "고마워요 유나 씨. 그럼 태호 씨가 내일까지 정리해 주세요."),  # not present
        ],
        {"a": "박서연", "b": "이준호", "d": "최유나"},
    )
    assert owner_by_form(doc, 1) == (True, "이준호")
    assert owner_by_form(doc, 3) == (True, "태호")


def test_a_title_alone_is_the_other_person_or_who_answers() -> None:
    from minutes.llm.actions import owner_by_form

    lines = [("a", "그리고 인턴 멘토링 말인데, 과장님이 맡아 줄 수 있어요?"), ("b", "네, 할게요.")]
    assert owner_by_form(_doc(lines, {"a": "배현진", "b": "하도경"}), 0) == (True, "하도경")
    # with more people the title is whoever answers ("네, 할게요.")
    three = _doc([*lines, ("c", "저도 도울게요.")], {"a": "배현진", "b": "하도경", "c": "김민수"})
    assert owner_by_form(three, 0) == (True, "하도경")
    # nobody answers: the title is kept as said, who it is cannot be told
    unanswered = _doc(
        [lines[0], ("a", "다음 주까지요."), ("b", "네."), ("c", "저도 도울게요.")],
        {"a": "배현진", "b": "하도경", "c": "김민수"},
    )
    assert owner_by_form(unanswered, 0) == (True, "과장님")


@pytest.mark.parametrize("title", ["책임님", "선임님", "수석님", "연구원님", "프로님"])
def test_research_and_engineering_titles_are_titles(title: str) -> None:
    from minutes.llm.actions import owner_by_form

    # a title alone for one of three people is whoever answers, not the title as an owner
    doc = _doc(
        [
            ("a", f"좋아요. {title}이 맡아 주실 수 있을까요?"),
            ("c", "네, 제가 할게요."),
            ("b", "네."),
        ],
        {"a": "송민재", "b": "차은비", "c": "표준영"},
    )
    assert owner_by_form(doc, 0) == (True, "표준영")


def test_a_reply_cut_by_the_budget_keeps_what_closed() -> None:
    from minutes.llm.summarise import parse_reply

    cut = (
        '{"title": "스탠드업", "summary": "배포 연기", "topics": [{"title": "배포", '
        '"points": ["월요일 \\" ]로"], "segments": [13]}], "decisions": [{"text": "연기", '
        '"segments": [13]}, {"text": "잘린'
    )
    assert parse_reply(cut) == {
        "title": "스탠드업",
        "summary": "배포 연기",
        "topics": [{"title": "배포", "points": ['월요일 " ]로'], "segments": [13]}],
        "decisions": [{"text": "연기", "segments": [13]}],
    }


def test_a_model_decision_must_cite_a_line_said_as_one() -> None:
    from minutes.llm.decisions import said_as_decision

    doc = _doc(
        [
            ("b", "어제는 결제 API 타임아웃 이슈 계속 봤고요."),
            ("a", "배포는 다음 주 월요일로 미루죠."),
        ],
        {"a": "박서연", "b": "이준호"},
    )
    assert said_as_decision(Note("배포 연기", (1,)), doc)
    assert not said_as_decision(Note("준호 님은 타임아웃 이슈를 봤다", (0,)), doc)
    assert said_as_decision(Note("배포 연기"), doc)  # uncited: nothing to check
    # a request or promise copied as a decision is a task, cited or not
    assert not said_as_decision(Note("준호 님이 금요일까지 작업 목록 정리해 주세요", (1,)), doc)
    assert not said_as_decision(Note("제가 내일까지 배포 일정 공유할게요"), doc)


@pytest.mark.parametrize(
    "line",
    [
        "그럼 임계치 조정은 하은 씨가 맡아 줘요. 이번 주 금요일까지.",
        "도윤 씨, 가능한 범위를 목요일까지 정리해 주실 수 있을까요?",
    ],
)
def test_plain_korean_requests_are_candidates(line: str) -> None:
    from minutes.llm.actions import candidates, owner_by_form

    doc = _doc(
        [("a", line), ("b", "네."), ("c", "네.")], {"a": "신동욱", "b": "노하은", "c": "강도윤"}
    )
    assert [s.id for s in candidates(doc)] == [0]
    assert owner_by_form(doc, 0)[1] in {"노하은", "강도윤"}


def test_a_bare_yes_folds_into_the_request_whatever_deadline_the_model_gave_it() -> None:
    from minutes.llm.merge import dated

    doc = _doc(
        [
            ("a", "크래시 케이스 정리한 문서 하나 만들어 줄 수 있어요? 이번 달 말까지요."),
            ("b", "네, 제가 할게요."),
            ("a", "온콜 스케줄 확인해 줄래요?"),
            ("b", "네, 금요일까지 태민 씨랑 순번 바꿔 둘게요."),  # a deadline of its own
        ],
        {"a": "강준혁", "b": "윤서아"},
    )
    items = [
        ActionItem("크래시 케이스 정리한 문서 만들기", "윤서아", "이번 달 말까지", (0,)),
        ActionItem("제가 할게요.", "윤서아", "이달 말까지", (1,)),  # the model's own words
        ActionItem("온콜 스케줄 확인하기", "윤서아", "오늘 중으로", (2,)),
        ActionItem("태민 씨랑 순번 바꿔 두기", "윤서아", "금요일까지", (3,)),
    ]
    out = fold_repeats(items, acknowledgements(doc), dated=dated(doc))
    assert [(a.text, a.due, a.segment_ids) for a in out] == [
        ("크래시 케이스 정리한 문서 만들기", "이번 달 말까지", (0, 1)),
        ("온콜 스케줄 확인하기", "오늘 중으로", (2,)),
        ("태민 씨랑 순번 바꿔 두기", "금요일까지", (3,)),
    ]
    # without knowing which lines say a deadline, the model's words decide, as before
    assert len(fold_repeats(items, acknowledgements(doc))) == 4


def test_a_long_referent_is_cut_at_a_word_and_marked() -> None:
    from minutes.llm.decisions import decision_notes

    question = (
        "iOS 빌드는 어제 올렸고요, 지금 앱스토어 심사 대기 중인데 개인정보 처리 문구 때문에 "
        "또 리젝될 수도 있을 것 같은데 이번 릴리스에 공유 기능까지 넣을까요?"
    )
    names = {"a": "박서연", "b": "이준호"}
    doc = _doc([("a", question), ("b", "그건 이번 릴리스에서 빼죠.")], names)
    (note,) = decision_notes(doc)
    referent, _, decided = note.text.partition(" → ")
    assert decided == "그건 이번 릴리스에서 빼기로 함"
    assert len(referent) <= 81 and referent.endswith("…")
    assert question.startswith(referent[:-1])  # whole words only
    assert question[len(referent) - 1] == " "
