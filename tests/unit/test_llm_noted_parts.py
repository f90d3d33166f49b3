"""Notes taken during a meeting read again after Stop when the speakers came out otherwise
(minutes.llm.noted_parts): renumbered speakers and split segments keep the notes, with
their cited lines and named speakers translated; speakers that changed more do not."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from minutes.capture_disk import start_session
from minutes.during_notes import NotesWhileRecording
from minutes.llm.call_cache import CallCache
from minutes.llm.engines.base import ChatMessage, Completion, GenerationOptions
from minutes.llm.lines import transcript_lines
from minutes.llm.noted_parts import (
    find,
    noted_parts,
    noted_record,
    relabel,
    relabel_merged,
    translate,
)
from minutes.llm.summarise import SummariseOptions, SummariseStats, plan_minutes, summarise
from minutes.meeting import ActionItem
from minutes.session import Session
from minutes.types import Document, Segment, Transcript, Word
from tests.unit.test_llm_close_part import Growing
from tests.unit.test_llm_fake_engine import FakeEngine

OPTIONS = SummariseOptions(part_tokens=400, map_tokens=120, max_action_candidates=0)


def _reply(messages: list[ChatMessage], options: GenerationOptions) -> dict[str, Any]:
    """Notes that name the speaker of the part's first line and give them a task cited on
    that line, or a merge."""
    schema = options.json_schema or {}
    if "topics" not in schema.get("properties", {}):
        return {"title": "회의", "summary": "지금까지의 요약."}
    head = messages[-1].content.split("<transcript>\n[")[1]
    first, who = head.split("]")[0], head.split("] ")[1].split(":")[0]
    return {"title": "부분", "summary": f"{who}이 {first}번부터 설명함.", "decisions": [],
            "open_questions": [],
            "topics": [{"title": "배포", "points": ["p"], "segments": [int(first)]}],
            "action_items": [{"task": "배포 일정과 스테이징 서버 점검 결과", "owner": who,
                              "segment": int(first)}]}  # fmt: skip


TEXT = "{}번째 안건은 배포 일정과 스테이징 서버 점검 결과를 같이 보는 거예요."


def _segments(count: int, names: tuple[str, str] = ("SPEAKER_1", "SPEAKER_2")) -> list[Segment]:
    return [Segment(i, i * 10.0, i * 10.0 + 9.0, TEXT.format(i), speaker=names[i % 2])
            for i in range(count)]  # fmt: skip


def _split(segments: list[Segment], at: int) -> list[Segment]:
    """Segment `at` cut in two at a word (as a speaker change inside it cuts it), every
    later segment renumbered."""
    seg = segments[at]
    words = seg.text.split(" ")
    half = len(words) // 2
    middle = (seg.start + seg.end) / 2
    first = Segment(at, seg.start, middle, " ".join(words[:half]), speaker=seg.speaker,
                    words=(Word(seg.start, middle, " ".join(words[:half])),))  # fmt: skip
    second = Segment(at + 1, middle, seg.end, " " + " ".join(words[half:]),
                     speaker=seg.speaker)  # fmt: skip
    later = [Segment(s.id + 1, s.start, s.end, s.text, speaker=s.speaker)
             for s in segments[at + 1 :]]  # fmt: skip
    return [*segments[:at], first, second, *later]


def _during(
    tmp_path: Path,
    engine: FakeEngine,
    every: list[Segment] | None = None,
    options: SummariseOptions = OPTIONS,
) -> tuple[Session, NotesWhileRecording]:
    """Windows of eight segments (three unless `every` says), the notes pass between them."""
    session = start_session(tmp_path / "sessions", "주간 회의")
    heard = Growing()
    notes = NotesWhileRecording(Session.open(session.folder), heard, lambda: engine,
                                threading.Lock(), options)  # fmt: skip
    every = every or _segments(24)
    for window in range(len(every) // 8):
        heard.segments += every[window * 8 : (window + 1) * 8]
        heard.done_seconds = heard.segments[-1].end
        while notes.step():
            pass
    return session, notes


def _at_stop(session: Session, segments: list[Segment]) -> Document:
    heard = Growing(segments=segments, done_seconds=segments[-1].end)
    return NotesWhileRecording(session, heard, lambda: FakeEngine([_reply]), threading.Lock(),
                               OPTIONS).document()  # fmt: skip


def test_renumbered_speakers_and_split_segments_keep_the_notes(tmp_path: Path) -> None:
    engine = FakeEngine([_reply])
    session, notes = _during(tmp_path, engine)
    assert notes.calls >= 3
    # At Stop the speakers were numbered the other way round and a word moved, which cut
    # segment 3 in two and renumbered every later segment.
    final = _split(_segments(24, names=("SPEAKER_2", "SPEAKER_1")), 3)
    doc = _at_stop(session, final)
    cache = CallCache(session.folder)
    plan = plan_minutes(doc, engine, OPTIONS, cache)
    assert plan.readings, "the parts noted during the meeting are read as they were asked"
    assert len(plan.readings) == len(plan.parts) - 1

    stats = SummariseStats()
    minutes = summarise(doc, engine, options=OPTIONS, stats=stats, cache=cache)
    assert stats.stages == ["notes"], "only what came after the last notes is asked"
    assert stats.merged_during_meeting
    ids = {s.id for s in doc.segments}
    cited = {i for t in minutes.topics for i in t.segment_ids}
    assert cited <= ids and 0 in cited
    # The first part began with segment 0 of SPEAKER_1 then, SPEAKER_2 now.
    first = next(a for a in minutes.action_items if 0 in a.segment_ids)
    assert first.owner == "SPEAKER_2"
    speaker = {s.id: doc.speaker_label(s.speaker) for s in doc.segments}
    assert all(a.owner == speaker[a.segment_ids[0]] for a in minutes.action_items)
    # A part after the split cites the segment now at the time its line had then.
    starts = {s.id: s.start for s in doc.segments}
    later = [a for a in minutes.action_items if a.segment_ids and a.segment_ids[0] > 4]
    assert later and all(starts[a.segment_ids[0]] % 10 == 0 for a in later)


def test_speakers_that_changed_more_are_asked_again(tmp_path: Path) -> None:
    engine = FakeEngine([_reply])
    one = _segments(24, names=("SPEAKER_1", "SPEAKER_1"))
    session, _notes = _during(tmp_path, engine, one)
    # At Stop the one voice of the notes is two people taking turns.
    doc = _at_stop(session, _segments(24))
    cache = CallCache(session.folder)
    assert not plan_minutes(doc, engine, OPTIONS, cache).readings
    stats = SummariseStats()
    minutes = summarise(doc, engine, options=OPTIONS, stats=stats, cache=cache)
    assert stats.stages.count("notes") >= 2, "the parts are asked again"
    assert {a.owner for a in minutes.action_items} <= {"SPEAKER_1", "SPEAKER_2"}


def test_a_part_whose_speakers_changed_more_is_asked_again_as_it_was(tmp_path: Path) -> None:
    """Only the first part's speakers changed too much: it is asked again over the same
    lines, and the parts after it are still read as they were noted."""
    engine = FakeEngine([_reply])
    then = _segments(24)
    then[:7] = [Segment(s.id, s.start, s.end, s.text, speaker="SPEAKER_1") for s in then[:7]]
    session, _notes = _during(tmp_path, engine, then)
    doc = _at_stop(session, _segments(24))
    cache = CallCache(session.folder)
    plan = plan_minutes(doc, engine, OPTIONS, cache)
    first = plan.parts[0][-1].segments[-1].end
    noted_first = min(p.segments()[-1].end for p in noted_parts(cache.asked).values()
                      if p.index == 0)  # fmt: skip
    assert first == noted_first, "the first part ends where it ended when noted"
    stats = SummariseStats()
    summarise(doc, engine, options=OPTIONS, stats=stats, cache=cache)
    assert stats.stages == ["notes", "notes"], "the first part and the last are asked"
    assert stats.noted_with_other_speakers == 0 and stats.kept_calls >= 1


def test_two_voices_that_came_out_one_are_named_as_that_one(tmp_path: Path) -> None:
    """Voices told apart early and found one speaker once more of them was heard: the
    notes of either are that speaker's. One voice's segments now share lines that were
    apart, yet a line still ends where a noted part ended (`transcript_lines(breaks=)`)."""
    engine = FakeEngine([_reply])
    session, _notes = _during(tmp_path, engine)
    doc = _at_stop(session, _segments(24, names=("SPEAKER_1", "SPEAKER_1")))
    stats = SummariseStats()
    minutes = summarise(doc, engine, options=OPTIONS, stats=stats, cache=CallCache(session.folder))
    assert stats.stages == ["notes"]
    assert {a.owner for a in minutes.action_items} == {"SPEAKER_1"}


def test_other_words_are_asked_again(tmp_path: Path) -> None:
    engine = FakeEngine([_reply])
    session, _notes = _during(tmp_path, engine)
    final = _segments(24, names=("SPEAKER_2", "SPEAKER_1"))
    final[2] = Segment(2, 20.0, 29.0, "다른 말로 바뀐 줄이에요.", speaker=final[2].speaker)
    doc = _at_stop(session, final)
    plan = plan_minutes(doc, engine, OPTIONS, CallCache(session.folder))
    assert 0 not in plan.readings


def test_what_a_part_read_is_kept_with_its_reply(tmp_path: Path) -> None:
    engine = FakeEngine([_reply])
    session, notes = _during(tmp_path, engine)
    noted = noted_parts(CallCache(session.folder).asked)
    assert 3 <= len(noted) < notes.calls, "every notes call (one a window), not the merges"
    first = min(noted.values(), key=lambda p: (p.index, -len(p.lines)))
    assert first.index == 0 and first.speakers == {"SPEAKER_1", "SPEAKER_2"}
    assert first.lines[0].text.startswith("[0] SPEAKER_1: 0번째")


def test_a_torn_record_is_no_noted_part(tmp_path: Path) -> None:
    cache = CallCache(tmp_path)
    reply = Completion("{}", 1, 1, 0.0, 0.1, "stop", "fake", "m")
    cache.put("k", reply, asked={"part": 0, "lines": [{}]})
    assert noted_parts(CallCache(tmp_path).asked) == {}


def test_relabel_names_whole_speakers_only() -> None:
    moved = {"SPEAKER_1": "SPEAKER_2", "SPEAKER_2": "SPEAKER_1", "민수": "김민수"}
    text = "SPEAKER_1이 SPEAKER_2와 SPEAKER_12에게 민수 님 일을 넘김"
    assert relabel(text, moved) == "SPEAKER_2이 SPEAKER_1와 SPEAKER_12에게 김민수 님 일을 넘김"


def test_a_merge_is_translated_only_where_its_parts_agree() -> None:
    same = [{"SPEAKER_1": "SPEAKER_3"}, {"SPEAKER_1": "SPEAKER_3"}]
    assert relabel_merged("SPEAKER_1이 정리함", same) == "SPEAKER_3이 정리함"
    differ = [{"SPEAKER_1": "SPEAKER_3"}, {}]  # the second part kept SPEAKER_1 as it was
    assert relabel_merged("SPEAKER_1이 정리함", differ) is None
    assert relabel_merged("모두 정리함", differ) == "모두 정리함"


def _doc(segments: list[Segment]) -> Document:
    transcript = Transcript(language="ko", duration=segments[-1].end, segments=tuple(segments))
    return Document.build(transcript)


def test_the_notes_whose_speakers_agree_best_are_read() -> None:
    """A part asked again during the meeting has two kept notes: the ones taken with the
    speakers nearer the final ones are read."""
    now = _doc(_segments(10))
    permuted = _doc(_segments(10, names=("SPEAKER_2", "SPEAKER_1")))
    one_off = _segments(10)
    one_off[4] = Segment(4, 40.0, 49.0, one_off[4].text, speaker="SPEAKER_2")
    nearly = _doc(one_off)  # 9 of 10 segments as now
    asked = {name: noted_record(0, transcript_lines(doc), doc)
             for name, doc in (("nearly", nearly), ("permuted", permuted))}  # fmt: skip
    reading = find(noted_parts(asked), transcript_lines(now), 0, now)
    assert reading is not None and reading.key == "permuted"
    assert reading.speakers == {"SPEAKER_1": "SPEAKER_2", "SPEAKER_2": "SPEAKER_1"}
    assert find(noted_parts({"nearly": asked["nearly"]}), transcript_lines(now), 0, now)
    assert find(noted_parts(asked), transcript_lines(now), 1, now) is None, "another part"


def test_a_task_taken_on_by_its_own_speaker_stays_theirs() -> None:
    """One voice then; now a line of it is someone else's (10 % of the part, so the notes
    still hold): the task that line's speaker took on is the other person's now."""
    then = _doc(_segments(10, names=("SPEAKER_1", "SPEAKER_1")))
    now_segments = _segments(10, names=("SPEAKER_1", "SPEAKER_1"))
    now_segments[7] = Segment(7, 70.0, 79.0, now_segments[7].text, speaker="SPEAKER_2")
    now = _doc(now_segments)
    asked = {"k": noted_record(0, transcript_lines(then), then)}
    reading = find(noted_parts(asked), transcript_lines(now), 0, now)
    assert reading is not None and reading.speakers == {"SPEAKER_1": "SPEAKER_1"}
    notes = {"title": None, "summary": "SPEAKER_1이 설명함", "topics": [], "decisions": [],
             "open_questions": [],
             "action_items": [ActionItem("배포 확인", "SPEAKER_1", None, (7,)),
                              ActionItem("일정 공유", "SPEAKER_1", None, (2,))]}  # fmt: skip
    owners = [a.owner for a in translate(notes, reading)["action_items"]]
    assert owners == ["SPEAKER_2", "SPEAKER_1"]
