"""The minutes' notes kept during the meeting (minutes.during_notes) with the real
embedded 0.5B model: the pass asks only about the settled parts of a growing
transcript, the minutes after Stop reuse those replies and ask only the rest, with the
minutes whole; a kill keeps the replies; Stop cancels a
call in flight. The meeting is one of the project's own hand-written labelled
meetings (bench/data/meetings), grown segment by segment as a transcription would."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from bench.minutes_eval import document, load_meetings
from minutes.capture_disk import start_session
from minutes.during_notes import NotesWhileRecording
from minutes.llm.call_cache import FILE, CallCache
from minutes.llm.engines.base import Engine
from minutes.llm.summarise import (
    MinutesSoFar,
    SummariseOptions,
    SummariseStats,
    parse_reply,
    plan_minutes,
    summarise,
)
from minutes.session import Session
from minutes.types import Document, Segment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Small parts and replies: several parts in a 2-minute meeting, quick calls on 2 cores.
OPTIONS = SummariseOptions(part_tokens=260, map_tokens=160, action_tokens=60,
                           max_action_candidates=4)  # fmt: skip


@pytest.fixture(scope="module")
def engine(gguf_05b: Path) -> Iterator[Engine]:
    from minutes.llm.engines.llamacpp import LlamaCppEngine

    with LlamaCppEngine(gguf_05b, model_id="qwen2.5-coder-0.5b", context_size=2048) as e:
        yield e


@dataclass
class Growing:
    """The transcription pass as the notes see it: segments arriving as windows finish."""

    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    done_seconds: float = 0.0
    model: str = ""


def _meeting(tmp_path: Path, title: str) -> tuple[Session, Document]:
    full = document(next(m for m in load_meetings(["ko_02"])))
    session = start_session(tmp_path / "sessions", title)
    session.update_meta(lambda meta: meta.speaker_names.update(full.speaker_names))
    return session, full


def _pass(session: Session, engine: Engine, heard: Growing) -> NotesWhileRecording:
    return NotesWhileRecording(Session.open(session.folder), heard, lambda: engine,
                               threading.Lock(), OPTIONS)  # fmt: skip


def test_notes_kept_during_the_meeting_leave_only_the_rest_for_the_minutes(
    engine: Engine, tmp_path: Path
) -> None:
    session, full = _meeting(tmp_path, "고객 통화")
    doc_at_stop = None
    heard = Growing(language=full.language, model="recorded")
    notes = _pass(session, engine, heard)
    made_when: list[int] = []
    for seg in full.segments:  # the transcript grows; the pass works between windows
        heard.segments.append(Segment(seg.id, seg.start, seg.end, seg.text_raw,
                                      speaker=seg.speaker))  # fmt: skip
        heard.done_seconds = seg.end
        while notes.step():
            made_when.append(len(heard.segments))
        assert notes.calls == len(made_when)
    doc_at_stop = notes.document()
    assert [s.text for s in doc_at_stop.segments] == [s.text for s in full.segments]
    plan = plan_minutes(doc_at_stop, engine, OPTIONS, CallCache(session.folder))
    assert len(plan.parts) >= 3, "the meeting is cut into several parts"
    assert notes.calls >= len(plan.parts) - 1 >= 2, "every settled part was read early"
    assert made_when[0] < len(full.segments), "the first calls came while it went on"

    # A kill now: a new pass on the same folder finds the replies and asks nothing more.
    again = _pass(session, engine, heard)
    assert not again.step() and again.calls == 0

    # After Stop: the minutes find the kept replies and ask only the rest.
    cache = CallCache(session.folder)
    assert cache.kept_during_meeting and len(cache) == notes.calls
    stats = SummariseStats()
    shown: list[tuple[int, MinutesSoFar]] = []
    quick = summarise(doc_at_stop, engine, options=OPTIONS, stats=stats, cache=cache,
                      on_partial=lambda p: shown.append((stats.calls, p)))  # fmt: skip
    # (a task line asked before a speaker first spoke named fewer people: it is read
    # with the speakers now, `noted_lines`, and counted as kept, not planned as a call)
    read = len(plan.readings) + len(plan.line_readings)
    total = len(plan.calls(doc_at_stop, OPTIONS)) + read + (len(plan.parts) > 1)
    assert stats.lines_with_other_speakers == len(plan.line_readings)
    settled = len(plan.parts) - 1  # their notes and their merge were made during it
    assert stats.kept_calls >= settled + 1
    assert stats.calls + stats.kept_calls == total
    assert stats.calls <= total - settled - 1

    # The call only Stop could make was read ahead: the last part's notes read nothing
    # but their last token, though the task lines' calls came between.
    assert notes.read_ahead_tokens > 0
    after_stop = dict(zip(stats.stages, stats.completions, strict=True))
    last_part = after_stop["notes"]
    assert last_part.prompt_tokens - last_part.cached_tokens <= 2

    # No merge is written after Stop: the settled parts were merged during the meeting,
    # and the summary is that merge's followed by the last part's own.
    assert "reduce" not in stats.stages and stats.merged_during_meeting
    last_notes = parse_reply(last_part.text)
    assert last_notes is not None
    last_summary = " ".join(str(last_notes["summary"]).split())
    assert last_summary and quick.summary.endswith(last_summary)
    assert len(quick.summary) > len(last_summary) + 10, "the merge so far comes first"

    # The minutes so far came before any call: the settled parts, their merge first.
    assert len(shown) == 1 and shown[0][0] == 0
    so_far = shown[0][1]
    assert so_far.calls_left == stats.calls
    last_start = plan.parts[-1][0].segments[0].start
    assert so_far.unread_from_s == last_start
    assert so_far.minutes.summary and quick.summary.startswith(so_far.minutes.summary)
    starts = {s.id: s.start for s in doc_at_stop.segments}
    assert all(starts[i] < last_start for t in so_far.minutes.topics for i in t.segment_ids)

    # Minutes whole, with every item linked to its moment (llama.cpp's replies may differ
    # by a token from a fresh run's, as two runs of the minutes may: no equality asked).
    assert quick.summary.strip() and quick.topics
    ids = {s.id for s in doc_at_stop.segments}
    assert all(set(a.segment_ids) <= ids and a.segment_ids for a in quick.action_items)

    # Then a speaker is renamed in Review, and a segment cut in two (the segments after it
    # renumbered), and the minutes are asked again: the notes taken during the meeting are
    # read as they were asked, under the new name.
    who = full.segments[0].speaker
    assert who is not None
    old, new = full.speaker_names[who], "새 담당자"
    session.update_meta(lambda meta: meta.speaker_names.update({who: new}))
    at = len(heard.segments) // 3
    cut = heard.segments[at]
    words = cut.text.split(" ")
    middle = (cut.start + cut.end) / 2
    heard.segments = [
        *heard.segments[:at],
        replace(cut, end=middle, text=" ".join(words[: len(words) // 2])),
        replace(cut, id=at + 1, start=middle, text=" " + " ".join(words[len(words) // 2 :])),
        *(replace(s, id=s.id + 1) for s in heard.segments[at + 1 :]),
    ]
    renamed = _pass(session, engine, heard).document()
    again = SummariseStats()
    minutes = summarise(renamed, engine, options=OPTIONS, stats=again,
                        cache=CallCache(session.folder))  # fmt: skip
    assert again.noted_with_other_speakers >= settled - 1
    assert again.stages.count("notes") <= len(plan.parts) - again.noted_with_other_speakers
    owners = {a.owner for a in minutes.action_items}
    assert old not in owners and old not in minutes.summary
    ids = {s.id for s in renamed.segments}
    assert all(set(a.segment_ids) <= ids and a.segment_ids for a in minutes.action_items)


def test_stop_cancels_the_call_in_flight_and_a_torn_reply_is_ignored(
    engine: Engine, tmp_path: Path
) -> None:
    session, full = _meeting(tmp_path, "고객 통화")
    heard = Growing(language=full.language, model="recorded")
    heard.segments = [Segment(s.id, s.start, s.end, s.text_raw, speaker=s.speaker)
                      for s in full.segments]  # fmt: skip
    notes = _pass(session, engine, heard)
    worker = threading.Thread(target=notes.step)
    t0 = time.monotonic()
    worker.start()
    while not notes.busy and worker.is_alive():
        time.sleep(0.01)
    time.sleep(0.5)
    notes.interrupt()
    worker.join(30)
    assert not worker.is_alive() and time.monotonic() - t0 < 30
    assert notes.calls == 0 and len(CallCache(session.folder)) == 0
    assert not notes.step(), "an interrupted pass asks nothing more"

    # One reply kept, then a crash tears the next line: the kept one still counts.
    fresh = _pass(session, engine, heard)
    assert fresh.step() and fresh.calls == 1
    with (session.folder / FILE).open("a", encoding="utf-8") as fh:
        fh.write('{"key": "abc", "completion": {"te')
    assert len(CallCache(session.folder)) == 1

