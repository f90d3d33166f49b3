"""Action items as a to-do list writes them (minutes.llm.todo_form)."""

from __future__ import annotations

import pytest

from minutes.llm.todo_form import todo_form


@pytest.mark.parametrize(
    ("said", "due", "todo"),
    [
        # promises: the speaker and the deadline go, -ㄹ게요 becomes -기
        ("제가 오늘 중으로 검토해서 올릴게요.", "오늘 중으로", "검토해서 올리기"),
        ("네, 알겠습니다. 제가 내일까지 정리해서 공유할게요.", "내일까지", "정리해서 공유하기"),
        ("회귀 테스트 한 번 더 돌릴게요", None, "회귀 테스트 한 번 더 돌리기"),
        ("로그 찾을게요", None, "로그 찾기"),
        ("QA팀에 물어볼게요", None, "QA팀에 물어보기"),
        # stems that end in ㄹ keep it; ㄷ/ㅂ irregulars take their stem
        ("문서 만들게요", None, "문서 만들기"),
        ("알람 다시 걸게요", None, "알람 다시 걸기"),
        ("고객 의견 들을게요", None, "고객 의견 듣기"),
        ("제가 커피 살게요", None, "커피 사기"),
        # -겠습니다, duties, offers, proposals
        ("공유하겠습니다", None, "공유하기"),
        ("확인하도록 하겠습니다", None, "확인하기"),
        ("배포 전에 수정해야 해요", None, "배포 전에 수정하기"),
        ("이번 주 금요일까지 신청서 올려야 돼요", "이번 주 금요일까지", "신청서 올리기"),
        ("제가 월요일까지 최종 시안 드릴 수 있어요", "월요일까지", "최종 시안 드리기"),
        ("다 같이 회고 문서 채웁시다", None, "다 같이 회고 문서 채우기"),
        # requests: the -아/어 form back to its stem
        ("스테이징 배포 스크립트 점검해 주세요.", None, "스테이징 배포 스크립트 점검하기"),
        ("대시보드 알림 임계값 알려 주실 수 있을까요?", None, "대시보드 알림 임계값 알리기"),
        ("디자인 바꿔 주세요", None, "디자인 바꾸기"),
        ("지난주 로그 좀 넣어 주세요", None, "지난주 로그 넣기"),
        ("리뷰 부탁드려요", None, "리뷰하기"),
        # the line's opening connective and the person addressed go too
        ("그리고 재웅 님, 대시보드에 들어갈 지표 정의서 하나 써 주세요", None,
         "대시보드에 들어갈 지표 정의서 하나 쓰기"),
        # a verb that gives its action to someone is the verb alone
        ("테스트 계정 하나 만들어 드릴게요", None, "테스트 계정 하나 만들기"),
        ("정리해서 메일로 보내 드리겠습니다", None, "정리해서 메일로 보내기"),
        ("사과 드릴게요", None, "사과 드리기"),
        ("결과 드릴게요", None, "결과 드리기"),
        ("팀장님께서 승인해 주시면 제가 진행할게요", None, "승인해 주시면 진행하기"),
        # a task after what it points to: the pointer goes, a bare verb is enough there
        ("PR 리뷰가 밀려 있어요 → 그거 제가 볼게요", None, "PR 리뷰가 밀려 있어요 → 보기"),
        # the person asked, where the request names them after its topic or with a title
        ("임계치 조정은 하은 씨가 맡아 줘요.", None, "임계치 조정은 맡기"),
        ("예린 과장님이 오늘 중으로 한 번 보고 알려 주세요.", "오늘 중으로", "한 번 보고 알리기"),
        ("혹시 누가 다음 주 당직 바꿔 줄 수 있어요?", "다음 주", "당직 바꾸기"),
        ("대신 태윤 님이 작업 목록만 정리해 주세요.", None, "작업 목록만 정리하기"),
        # "…하는 거 해 주세요" is the verb itself; an ㄹ dropped before -는 comes back
        ("승훈 님은 CI에 커버리지 리포트 붙이는 거 해 주실 수 있어요?", None,
         "CI에 커버리지 리포트 붙이기"),
        ("대시보드 만드는 거 해 주세요", None, "대시보드 만들기"),
        # a time that says which one is part of the task
        ("보람 님은 다음 회고 때 쓸 회고 보드 준비 좀 부탁드려요.", "다음 회고",
         "다음 회고 때 쓸 회고 보드 준비하기"),
        # a task the small model wrote verb first, as English orders it, in Korean order
        ("업데이트 온보딩 문서", None, "온보딩 문서 업데이트"),
        ("예약 회의실", None, "회의실 예약"),
        ("공유 접근 권한 공유", None, "접근 권한 공유"),
        ("확인 후 공유", None, "확인 후 공유"),
        ("테스트 서버 점검", None, "테스트 서버 점검"),
        ("발송 장애 회고 시작", None, "발송 장애 회고 시작"),
        # English: the speaker's "I'll", the request's "could you" and the deadline go
        ("I'll send you an updated timeline tomorrow.", "tomorrow", "Send you an updated timeline"),
        ("Could you check the logs by Friday?", "Friday", "Check the logs"),
        ("Maya, can you take the notes?", None, "Take the notes"),
    ],
)
def test_spoken_tasks_become_todo_items(said: str, due: str | None, todo: str) -> None:
    assert todo_form(said, due) == todo


@pytest.mark.parametrize(
    "kept",
    [
        "보고서 제출하기",  # already a to-do item
        "주간 보고서 작성",  # a noun phrase: nothing recognised
        "Send the deck to the client",
        "Let's go with Redis",
        "제가 할게요",  # the rewrite would be a bare verb: the line says more (who)
        "준호 님이 좀 봐 주세요",
        "테스트 담당자",  # a noun ending in 자 is no "-자" proposal
        "사내 가게",  # a noun ending in 게 is no promise
        "재QA는 과장님 쪽에서 화요일까지 부탁드립니다",  # 부탁 after a particle: no "-하기"
    ],
)
def test_what_is_not_recognised_is_kept_as_written(kept: str) -> None:
    assert todo_form(kept) == kept


def test_the_deadline_goes_only_where_it_was_said_as_the_due() -> None:
    assert todo_form("금요일까지 보고서 제출할게요", "금요일까지") == "보고서 제출하기"
    assert todo_form("정리해서 오늘 중으로 올릴게요", "오늘") == "정리해서 올리기"
    # another time in the task is part of what is to be done
    assert todo_form("금요일 회의 자료 준비할게요", "내일까지") == "금요일 회의 자료 준비하기"


def test_summarise_writes_its_action_items_as_todo_items() -> None:
    from minutes.llm.summarise import find_action_items
    from minutes.types import Document, Segment, Transcript
    from tests.unit.test_llm_fake_engine import FakeEngine

    segs = (
        Segment(0, 0.0, 4.0, "사과 공지 초안은 나왔어요.", speaker="A"),
        Segment(1, 4.0, 9.0, "제가 오늘 중으로 검토해서 올릴게요.", speaker="B"),
    )
    doc = Document.build(Transcript("ko", 9.0, segs), speaker_names={"A": "김하늘", "B": "이준호"})
    engine = FakeEngine(['{"task": "제가 오늘 중으로 검토해서 올릴게요", "due": "오늘 중으로"}'])
    items = find_action_items(doc, engine)
    todo = [(i.text, i.owner, i.due) for i in items]
    assert todo == [("검토해서 올리기", "이준호", "오늘 중으로")]
