"""Minutes generation with a scripted engine: parts, merging, guards, streaming, cancel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest

from minutes.llm.engines.base import ChatMessage, GenerationOptions
from minutes.llm.summarise import (
    SummariseOptions,
    SummariseStats,
    minutes_language,
    summarise,
    transcript_lines,
)
from minutes.progress import Cancelled, CancelToken, Progress
from minutes.types import Document, Segment, Transcript
from tests.unit.test_llm_fake_engine import FakeEngine

LINES = [
    ("a", "자, 이쪽으로 오세요. 오늘은 이 상자들을 창고 안으로 옮기는 작업을 하겠습니다."),
    ("b", "네."),
    ("b", "여기에 있는 이 상자를 모두 창고 안으로 옮길까요?"),
    ("a", "큰 상자들은 창고 안쪽으로 가져가시고 작은 상자들은 선반에 쌓아 주세요."),
    ("b", "알겠습니다. 조심해서 일하겠습니다."),
    ("a", "그럼 구체적인 실천 방법에 대해 의견을 모아서 금요일까지 회사에 건의해 봅시다."),
]


def _doc(lines: Sequence[tuple[str, str]] = LINES, language: str = "ko") -> Document:
    segs = tuple(Segment(i, i * 5.0, i * 5.0 + 4, t, speaker=s) for i, (s, t) in enumerate(lines))
    t = Transcript(language, len(lines) * 5.0, segs)
    return Document.build(
        t,
        speaker_names={"a": "김과장", "b": "이대리"},
        title="창고 정리",
        created="2025-05-07T10:00:00+09:00",
    )


def _ids(messages: Sequence[ChatMessage]) -> list[int]:
    return [int(m) for m in re.findall(r"^\[(\d+)\]", messages[1].content, re.M)]


def _map_reply(messages: Sequence[ChatMessage], options: GenerationOptions) -> Any:
    if "<notes>" in messages[1].content:
        return {"title": "창고 정리 회의", "summary": "상자를 옮기고 건의하기로 했다."}
    ids = _ids(messages)
    items = []
    if 3 in ids:
        items.append(
            {
                "task": "큰 상자는 창고 안쪽, 작은 상자는 선반에 쌓기",
                "owner": "이대리",
                "due": "",
                "segment": 3,
            }
        )
    if 5 in ids:
        items.append(
            {
                "task": "실천 방법 의견을 모아 회사에 건의",
                "owner": "김과장",
                "due": "금요일까지",
                "segment": 5,
            }
        )
        items.append(
            {"task": "새 사무실 임대 계약서 검토", "owner": "none", "due": "none", "segment": 5}
        )  # not in the transcript: must be dropped
    return {
        "title": "창고 정리",
        "summary": f"파트 {ids[0]}",
        "topics": [
            {"title": "창고 정리", "points": [f"줄 {i}" for i in ids[:2]], "segments": ids[:1]}
        ],
        "decisions": [{"text": "상자를 창고로 옮긴다", "segments": [ids[0]]}],
        "action_items": items,
        "open_questions": [],
    }


def test_single_part_minutes() -> None:
    engine = FakeEngine([_map_reply])
    minutes = summarise(_doc(), engine)
    assert len(engine.calls) == 1  # one part: no reduce call
    assert minutes.title == "창고 정리" and minutes.language == "ko"
    assert minutes.attendees == ("김과장", "이대리")
    assert minutes.date == "2025-05-07T10:00:00+09:00"
    assert [(a.text, a.owner, a.due, a.segment_ids) for a in minutes.action_items] == [
        ("큰 상자는 창고 안쪽, 작은 상자는 선반에 쌓기", "이대리", None, (3,)),
        ("실천 방법 의견을 모아 회사에 건의", "김과장", "금요일까지", (5,)),
    ]
    assert minutes.segment_starts[5] == 25.0
    assert minutes.prompts == ("minutes_map/v1",) and minutes.model == "fake-model"
    # Back-channel lines are left out of the prompt; the others are cited by id.
    prompt = engine.calls[0][0][1].content
    assert "[1] 이대리: 네." not in prompt and "[2] 이대리: 여기에" in prompt
    # The reply is constrained to the part's line ids.
    schema: Any = engine.calls[0][1].json_schema
    assert schema["properties"]["action_items"]["items"]["properties"]["segment"] == {
        "enum": [0, 2, 3, 4, 5]
    }


def test_long_meeting_is_split_and_merged() -> None:
    engine = FakeEngine([_map_reply])
    stats = SummariseStats()
    minutes = summarise(_doc(), engine, options=SummariseOptions(part_tokens=60), stats=stats)
    assert stats.parts > 1 and len(engine.calls) == stats.parts + 1
    assert "<notes>" in engine.calls[-1][0][1].content
    assert minutes.title == "창고 정리"  # the user's title wins over the model's
    assert minutes.summary == "상자를 옮기고 건의하기로 했다."
    assert len(minutes.topics) == 1  # same title in every part: merged
    assert len(minutes.decisions) == 1  # near-duplicates folded
    assert len(minutes.action_items) == 2
    assert stats.dropped_unsupported == 1
    assert minutes.prompts == ("minutes_map/v1", "minutes_reduce/v1")


def test_unlinked_action_item_is_linked_to_the_line_that_supports_it() -> None:
    reply = {
        "title": "t",
        "summary": "s",
        "topics": [],
        "decisions": [],
        "open_questions": [],
        "action_items": [
            {"task": "작은 상자들은 선반에 쌓기", "owner": "", "due": "", "segment": 0}
        ],
    }
    minutes = summarise(_doc(), FakeEngine([reply]))
    assert minutes.action_items[0].segment_ids == (3,)
    assert minutes.action_items[0].owner is None


def test_streaming_progress_and_language() -> None:
    pieces: list[str] = []
    seen: list[Progress] = []
    engine = FakeEngine([_map_reply])
    summarise(
        _doc(),
        engine,
        options=SummariseOptions(part_tokens=60),
        on_token=pieces.append,
        progress=seen.append,
    )
    assert "".join(pieces).startswith("{")
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(p.stage == "minutes" for p in seen)
    assert "Korean" in engine.calls[0][0][0].content


def test_cancel_stops_between_parts() -> None:
    cancel = CancelToken()

    def reply(messages: Sequence[ChatMessage], options: GenerationOptions) -> Any:
        cancel.cancel()
        return _map_reply(messages, options)

    engine = FakeEngine([reply])
    with pytest.raises(Cancelled):
        summarise(_doc(), engine, options=SummariseOptions(part_tokens=60), cancel=cancel)
    assert len(engine.calls) == 1


def test_english_meeting_gets_english_minutes_and_language_override() -> None:
    doc = _doc([("a", "Let's ship the remote design by Friday."), ("b", "I will draft it.")], "en")
    assert minutes_language(doc) == "en"
    assert minutes_language(doc, "ko") == "ko"
    auto = _doc([("a", "창고로 옮겨 주세요 please")], "auto")
    assert minutes_language(auto) == "ko"


def test_transcript_lines_format() -> None:
    lines = transcript_lines(_doc(), drop_backchannel=False)
    assert lines[1].text == "[1] 이대리: 네."
    assert len(transcript_lines(_doc())) == len(LINES) - 1


def test_unusable_replies_raise() -> None:
    from minutes.llm.errors import LlmError

    with pytest.raises(LlmError):
        summarise(_doc(), FakeEngine(["no json here"]))
