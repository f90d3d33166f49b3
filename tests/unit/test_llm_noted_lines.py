"""Candidate task lines written down during a meeting, read again after Stop when the
speakers came out otherwise (minutes.llm.noted_lines): the kept reply is read with its
owner named as now; a line whose words or speakers changed more is asked again."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from minutes.capture_disk import start_session
from minutes.during_notes import NotesWhileRecording
from minutes.llm.call_cache import CallCache
from minutes.llm.engines.base import ChatMessage, GenerationOptions
from minutes.llm.noted_lines import find, line_record, translate_reply
from minutes.llm.summarise import SummariseOptions, SummariseStats, plan_minutes, summarise
from minutes.session import Session
from minutes.types import Document, Segment, Transcript
from tests.unit.test_llm_close_part import Growing
from tests.unit.test_llm_fake_engine import FakeEngine

OPTIONS = SummariseOptions(part_tokens=400, map_tokens=120)
TEXT = "{}번째 안건은 배포 일정과 스테이징 서버 점검 결과를 같이 보는 거예요."
TASKS = {
    2: "제가 금요일까지 배포 스크립트 정리할게요.",  # a promise: the rules name the owner
    5: "스테이징 서버 점검 결과는 다음 주 월요일까지 공유해야 합니다.",  # the model does
    13: "릴리즈 노트 초안 작성은 수요일까지 마무리해야 해요.",
}


def _reply(messages: list[ChatMessage], options: GenerationOptions) -> dict[str, Any]:
    """A line's task (the line), its owner the first person the list of people names; a
    part's notes or a merge otherwise."""
    properties = (options.json_schema or {}).get("properties", {})
    if "task" in properties:
        line = next(t for t in TASKS.values() if t in messages[-1].content)
        out: dict[str, Any] = {"task": line.rstrip("."), "due": ""}
        if "owner" in properties:
            out["owner"] = properties["owner"]["enum"][0]
        return out
    if "topics" not in properties:
        return {"title": "회의", "summary": "지금까지의 요약."}
    return {"title": "부분", "summary": "설명함.", "decisions": [], "open_questions": [],
            "topics": [], "action_items": []}  # fmt: skip


def _segments(count: int, names: tuple[str, ...] = ("SPEAKER_1", "SPEAKER_2")) -> list[Segment]:
    return [Segment(i, i * 10.0, i * 10.0 + 9.0, TASKS.get(i, TEXT.format(i)),
                    speaker=names[i % len(names)])
            for i in range(count)]  # fmt: skip


def _during(tmp_path: Path, engine: FakeEngine, every: list[Segment]) -> Session:
    session = start_session(tmp_path / "sessions", "주간 회의")
    heard = Growing()
    notes = NotesWhileRecording(Session.open(session.folder), heard, lambda: engine,
                                threading.Lock(), OPTIONS)  # fmt: skip
    for window in range(len(every) // 8):
        heard.segments += every[window * 8 : (window + 1) * 8]
        heard.done_seconds = heard.segments[-1].end
        while notes.step():
            pass
    return session


def _doc(segments: list[Segment]) -> Document:
    transcript = Transcript("ko", segments[-1].end, tuple(segments), "recorded")
    return Document.build(transcript, [], title="주간 회의")


def test_renumbered_speakers_keep_the_lines_written_down(tmp_path: Path) -> None:
    engine = FakeEngine([_reply])
    session = _during(tmp_path, engine, _segments(24))
    asked = [s for s in engine.calls if "task" in (s[1].json_schema or {}).get("properties", {})]
    assert len(asked) >= 3, "the task lines were written down during the meeting"
    # At Stop the two voices are numbered the other way round.
    doc = _doc(_segments(24, names=("SPEAKER_2", "SPEAKER_1")))
    cache = CallCache(session.folder)
    plan = plan_minutes(doc, engine, OPTIONS, cache)
    assert set(plan.line_readings) == set(TASKS)
    assert all(a.stage != "actions" for a in plan.calls(doc, OPTIONS))
    stats = SummariseStats()
    minutes = summarise(doc, engine, options=OPTIONS, stats=stats, cache=cache)
    assert "actions" not in stats.stages
    assert stats.lines_with_other_speakers == len(TASKS)
    by_line = {a.segment_ids[0]: a.owner for a in minutes.action_items}
    # Line 5's owner was the first person named then, SPEAKER_1, who said line 4 before it;
    # line 4 is SPEAKER_2's now. Line 2 is a promise: its speaker's now.
    assert by_line[5] == "SPEAKER_2" and by_line[13] == "SPEAKER_2"
    assert by_line[2] == doc.speaker_label(doc.segments[2].speaker) == "SPEAKER_2"


def test_an_owner_the_two_lines_do_not_name_is_asked_again(tmp_path: Path) -> None:
    engine = FakeEngine([_reply])
    # The owner written down is A, the first person named: line 5 is C's, line 4 B's;
    # line 13 is B's, line 12 A's.
    session = _during(tmp_path, engine, _segments(24, names=("A", "B", "C")))
    doc = _doc(_segments(24, names=("C", "A", "B")))
    plan = plan_minutes(doc, engine, OPTIONS, CallCache(session.folder))
    assert 5 not in plan.line_readings and 13 in plan.line_readings
    assert [a.line.id for a in plan.calls(doc, OPTIONS) if a.line is not None] == [5]


def test_the_lines_as_kept_must_be_the_lines_now() -> None:
    then = _doc(_segments(8))
    seg = then.segments[5]
    record = line_record(then, seg, False)
    reply = {"task": "공유", "owner": "SPEAKER_1"}
    asked = {"k": record}

    def reply_of(key: str) -> dict[str, Any]:
        return reply

    swapped = _doc(_segments(8, names=("SPEAKER_2", "SPEAKER_1")))
    found = find(asked, reply_of, swapped, swapped.segments[5], False)
    assert found is not None and found.reply["owner"] == "SPEAKER_2"
    assert find(asked, reply_of, swapped, swapped.segments[5], True) is None  # rules decide now
    words = _segments(8)
    words[4] = Segment(4, 40.0, 49.0, "다른 말로 바뀐 줄이에요.", speaker="SPEAKER_1")
    changed = _doc(words)
    assert find(asked, reply_of, changed, changed.segments[5], False) is None
    # One voice then (the line and the one before) is two people now: asked again.
    one = _doc(_segments(8, names=("SPEAKER_1",)))
    one_record = {"k": line_record(one, one.segments[5], False)}
    assert find(one_record, reply_of, then, then.segments[5], False) is None
    # Two voices then that are one now: both are that one.
    assert find(asked, reply_of, one, one.segments[5], False) is not None
    # A torn record (a crash while it was written) is no line; kept last, read first.
    torn = {**asked, "t1": {"line": "x", "before": None, "owner_decided": False},
            "t2": {"line": [5, 50.0], "owner_decided": False}}  # fmt: skip
    assert find(torn, reply_of, swapped, swapped.segments[5], False) is not None
    assert find({"t1": torn["t1"]}, reply_of, swapped, swapped.segments[5], False) is None


def test_a_reply_names_its_owner_as_now() -> None:
    assert translate_reply({"task": "t", "owner": "A"}, {"A": "B"}) == {"task": "t", "owner": "B"}
    assert translate_reply({"task": "t", "owner": ""}, {}) == {"task": "t", "owner": ""}
    assert translate_reply({"task": "t"}, {"A": "B"}) == {"task": "t"}
    assert translate_reply({"task": "t", "owner": "C"}, {"A": "B"}) is None
