"""The growing part of a meeting closed during the meeting (summarise.close_part): its
notes are taken as far as it is transcribed, the part then ends there for the pass and
for the minutes after Stop, and only what came later is asked after Stop."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minutes.capture_disk import start_session
from minutes.during_notes import NotesWhileRecording
from minutes.llm.call_cache import CallCache
from minutes.llm.engines.base import ChatMessage, GenerationOptions
from minutes.llm.lines import Line, split_parts
from minutes.llm.summarise import SummariseOptions, SummariseStats, plan_minutes, summarise
from minutes.session import Session
from minutes.types import Segment
from tests.unit.test_llm_fake_engine import FakeEngine

OPTIONS = SummariseOptions(part_tokens=400, map_tokens=120, max_action_candidates=0)


def _reply(messages: list[ChatMessage], options: GenerationOptions) -> dict[str, Any]:
    """Notes that cite the part's first line, or a merge (saying how many parts)."""
    schema = options.json_schema or {}
    if "topics" not in schema.get("properties", {}):
        parts = messages[-1].content.count("Part ")
        return {"title": "회의", "summary": f"지금까지의 요약 ({parts}부분)."}
    first = messages[-1].content.split("<transcript>\n[")[1].split("]")[0]
    return {"title": "부분", "summary": f"{first}번부터의 요약.", "decisions": [],
            "open_questions": [], "topics": [{"title": "t", "points": ["p"],
                                              "segments": [int(first)]}]}  # fmt: skip


@dataclass
class Growing:
    segments: list[Segment] = field(default_factory=list)
    language: str | None = "ko"
    done_seconds: float = 0.0
    model: str = "recorded"


def _segments(count: int) -> list[Segment]:
    return [
        Segment(i, i * 10.0, i * 10.0 + 9.0,
                f"{i}번째 안건은 배포 일정과 스테이징 서버 점검 결과를 같이 보는 거예요.",
                speaker="A" if i % 2 else "B")
        for i in range(count)
    ]  # fmt: skip


def _recorded(
    tmp_path: Path, count: int
) -> tuple[Any, Growing, FakeEngine, NotesWhileRecording, list[Segment]]:
    """A meeting of `count` segments whose first three windows of eight were transcribed,
    the notes pass working between them."""
    session = start_session(tmp_path / "sessions", "주간 회의")
    heard = Growing()
    engine = FakeEngine([_reply])
    notes = NotesWhileRecording(Session.open(session.folder), heard, lambda: engine,
                                threading.Lock(), OPTIONS)  # fmt: skip
    every = _segments(count)
    for window in range(3):
        heard.segments += every[window * 8 : (window + 1) * 8]
        heard.done_seconds = heard.segments[-1].end
        while notes.step():
            pass
    return session, heard, engine, notes, every


def test_split_ends_a_part_where_its_notes_were_kept() -> None:
    lines = [Line(i, f"[{i}] 한 줄 {i}", ()) for i in range(10)]

    def count(text: str) -> int:
        return 10

    assert [len(p) for p in split_parts(lines, 50, count)] == [4, 4, 2]
    closed = {(0, 2), (1, 5)}  # part 0 was kept as lines 0-2, part 1 as 3-5

    def kept(part: Any, index: int) -> bool:
        return (index, part[-1].id) in closed

    assert [[x.id for x in p] for p in split_parts(lines, 50, count, kept)] == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8, 9],
    ]  # fmt: skip


def test_the_growing_part_is_closed_and_only_the_rest_is_left_at_stop(tmp_path: Path) -> None:
    session, _heard, engine, notes, _ = _recorded(tmp_path, 24)
    assert notes.calls >= 3, "a notes call per window, not only per full part"

    cache = CallCache(session.folder)
    doc = notes.document()
    closed = plan_minutes(doc, engine, OPTIONS, cache)
    plain = plan_minutes(doc, engine, OPTIONS)
    assert len(closed.parts[-1]) < len(plain.parts[-1]), "the last part is only what came late"
    assert closed.parts[-1][-1].id == plain.parts[-1][-1].id == 23

    # After Stop (nothing more said): the closed parts and their merge are kept; only the
    # last line's part is asked.
    before = len(engine.calls)
    stats = SummariseStats()
    minutes = summarise(doc, engine, options=OPTIONS, stats=stats, cache=cache)
    assert stats.stages == ["notes"], stats.stages
    asked = engine.calls[before][0][-1].content
    assert "[23]" in asked and "[22]" not in asked
    assert stats.merged_during_meeting
    assert minutes.summary.startswith("지금까지의 요약")
    assert minutes.summary.endswith("23번부터의 요약.")
    cited = {seg for topic in minutes.topics for seg in topic.segment_ids}
    assert {0, 23} <= cited, "every part's notes reach the minutes"


def test_an_import_keeps_its_parts_whatever_its_cache_holds(tmp_path: Path) -> None:
    """A cache not kept during a meeting (replies of an earlier run) cuts nothing, and
    gives no minutes so far (nothing was read before; then everything is kept)."""
    session = start_session(tmp_path / "sessions", "가져온 회의")
    heard = Growing(segments=_segments(24), done_seconds=240.0)
    engine = FakeEngine([_reply])
    notes = NotesWhileRecording(Session.open(session.folder), heard, lambda: engine,
                                threading.Lock(), OPTIONS)  # fmt: skip
    doc = notes.document()
    replies = CallCache(tmp_path)
    shown: list[Any] = []
    summarise(doc, engine, options=OPTIONS, cache=replies, on_partial=shown.append)
    summarise(doc, engine, options=OPTIONS, cache=replies, on_partial=shown.append)
    assert not shown
    assert not replies.kept_during_meeting
    assert plan_minutes(doc, engine, OPTIONS, replies).parts == plan_minutes(
        doc, engine, OPTIONS
    ).parts


def test_the_minutes_so_far_come_before_the_last_stretch_is_asked(tmp_path: Path) -> None:
    """After Stop the user reads the minutes of the parts noted during the meeting while
    the model reads what came after the last window; the complete minutes follow."""
    session, heard, engine, notes, every = _recorded(tmp_path, 30)
    heard.segments += every[24:]  # said after the last window: transcribed at Stop
    doc = notes.document()
    before = len(engine.calls)
    shown: list[tuple[int, Any]] = []
    minutes = summarise(doc, engine, options=OPTIONS, cache=CallCache(session.folder),
                        on_partial=lambda p: shown.append((len(engine.calls), p)))  # fmt: skip

    assert len(shown) == 1
    asked_then, so_far = shown[0]
    assert asked_then == before, "shown before the model is asked anything"
    assert len(engine.calls) > before
    assert so_far.calls_left == len(engine.calls) - before
    tail = plan_minutes(doc, engine, OPTIONS, CallCache(session.folder)).parts[-1]
    assert so_far.unread_from_s == tail[0].segments[0].start and so_far.lines_before == 0
    assert 23 * 10.0 <= so_far.unread_from_s <= 24 * 10.0
    cited = {seg for topic in so_far.minutes.topics for seg in topic.segment_ids}
    assert 0 in cited and max(cited) < 23, "only what was noted during the meeting"
    assert so_far.minutes.summary.startswith("지금까지의 요약")
    assert minutes.summary.startswith(so_far.minutes.summary), "the same merge, then the rest"
    final = {seg for topic in minutes.topics for seg in topic.segment_ids}
    assert cited < final and max(final) >= 23, "the complete minutes read the rest"
