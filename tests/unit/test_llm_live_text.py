"""The minutes' live output rendered for people while the JSON replies stream."""

from __future__ import annotations

import json

import pytest

from minutes.llm.live_text import ReadableStream, render_reply, stage_heading

NOTES = {
    "title": "Weekly sync",
    "summary": "We agreed to ship on Friday.",
    "topics": [{"title": "Release", "points": ["QA signs off Thursday"], "segments": [0, 1]}],
    "decisions": [{"text": "Ship on Friday", "segments": [2]}],
    "open_questions": [{"text": "Who tells the client?", "segments": [3]}],
}
NOTES_TEXT = (
    "Title: Weekly sync\nSummary: We agreed to ship on Friday.\nTopic: Release\n"
    "  - QA signs off Thursday\nDecision: Ship on Friday\nOpen question: Who tells the client?"
)


def _pieces(text: str, size: int = 3) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_a_whole_notes_reply_reads_as_labelled_lines() -> None:
    assert render_reply(NOTES) == NOTES_TEXT


def test_action_items_in_korean_show_owner_and_due_only_when_given() -> None:
    reply = {"task": "QA 체크리스트 작성", "owner": "이대리", "due": "목요일까지"}
    assert render_reply(reply, "ko") == "할 일: QA 체크리스트 작성 (담당 이대리, 기한 목요일까지)"
    assert render_reply({"task": "배포", "owner": "", "due": ""}, "ko") == "할 일: 배포"
    assert render_reply({"task": "", "owner": "", "due": ""}, "ko") == "할 일: (할 일 아님)"
    clause = {"task": "일하기", "due": "저 다음 주부터 백화점 안에 있는 옷 가게에서"}  # 1.5B, real
    assert render_reply(clause, "ko") == "할 일: 일하기"  # not a time: dropped, as in the minutes
    assert render_reply({"task": ""}, "en", final=False) == "Task: "  # may still come


def test_every_prefix_of_a_streamed_reply_renders_and_grows_to_the_whole() -> None:
    raw = json.dumps(NOTES, ensure_ascii=False)
    live = ReadableStream("en")
    shown: list[str] = []
    for piece in _pieces(raw, 1):
        live.feed(piece)
        shown.append(live.text)
    assert "{" not in "".join(shown)  # never raw JSON, even half-written
    assert any(s.startswith("Title: Week") and "Summary" not in s for s in shown)
    live.close()
    assert live.text == live.finished_text == NOTES_TEXT + "\n\n"


def test_draft_headings_and_replies_in_order() -> None:
    live = ReadableStream("ko")
    live.feed("초안:\n참석자: 김민수\n")
    live.heading("할 일 1/2")
    for piece in _pieces('{"task": "Kubernetes 업그레이드", "owner": "김민수", "due": "다음 주"}'):
        live.feed(piece)
    assert live.finished_text.endswith("── 할 일 1/2 ──\n")  # the reply is still being written
    live.feed("\n")  # summarise's newline after an action reply
    live.heading("할 일 2/2")
    live.feed('{"task": "회의록 올리기"}')
    live.feed('{"title": "주간 회의", "summary": "배포 논의"}')  # the next reply, back to back
    live.heading("정리")  # a last stage that writes nothing: its heading goes at the end
    assert "── 정리 ──" in live.text
    live.close()
    assert live.text == (
        "초안:\n참석자: 김민수\n\n── 할 일 1/2 ──\n"
        "할 일: Kubernetes 업그레이드 (담당 김민수, 기한 다음 주)\n\n"
        "── 할 일 2/2 ──\n할 일: 회의록 올리기\n제목: 주간 회의\n요약: 배포 논의\n\n"
    )


@pytest.mark.parametrize(
    ("raw", "while_streaming"),
    [("{not json at all", "{not json at all"), ('{"title": [1, 2', "")],
)
def test_a_reply_that_cannot_be_read_is_kept_as_it_came(raw: str, while_streaming: str) -> None:
    live = ReadableStream()
    live.feed(raw)
    assert live.text == while_streaming
    live.close()
    assert live.finished_text == raw + "\n"  # nothing the model wrote is hidden


def test_stage_headings_are_in_the_minutes_language() -> None:
    live = ReadableStream("ko")
    live.feed("초안:\n")
    live.stage("loading the language model")  # no section
    live.stage("action items 1/1")
    live.feed('{"task": "배포"}')
    live.stage("part 1/1")
    live.feed('{"summary": "배포 논의"}')
    live.stage("merging")  # nothing written under it: dropped at the end
    live.stage("done")
    live.close()
    assert live.text == (
        "초안:\n\n── 할 일 찾기 (1/1) ──\n할 일: 배포\n\n"
        "── 회의 내용 정리 (1/1) ──\n요약: 배포 논의\n"
    )
    assert stage_heading("part 2/3", "ko") == "회의 내용 정리 (2/3)"
    assert stage_heading("part 2/3") == "Notes, part 2/3"
    assert stage_heading("merging", "en") == "Putting the minutes together…"
    assert stage_heading("done", "ko") == stage_heading("loading the language model") == ""
    assert stage_heading("something new", "ko") == "something new"
