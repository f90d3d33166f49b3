"""Minutes generation with a scripted engine: parts, merging, guards, streaming, cancel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
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


def _judged(messages: Sequence[ChatMessage]) -> int:
    """The LINES index of the line an action-item call asks about."""
    line = messages[1].content.split("The line, ", 1)[1]
    return next(i for i, (_, text) in enumerate(LINES) if line.endswith(text))


def _map_reply(messages: Sequence[ChatMessage], options: GenerationOptions) -> Any:
    user = messages[1].content
    if "<notes>" in user:
        return {"title": "창고 정리 회의", "summary": "상자를 옮기고 건의하기로 했다."}
    if "The line, " in user:  # the action-item judge, one line per call
        answers = {
            3: {
                "task": "큰 상자는 창고 안쪽, 작은 상자는 선반에 쌓기",
                "owner": "김과장",  # wrong: 김과장 asks 이대리 to do it
                "due": "",
            },
            5: {
                "task": "실천 방법 의견을 모아 회사에 건의",
                "owner": "김과장",
                "due": "금요일까지",
            },
            0: {"task": "새 사무실 임대 계약서 검토", "owner": "none", "due": "none"},  # invented
        }
        i = _judged(messages)
        return answers[i]
    ids = _ids(messages)
    return {
        "title": "창고 정리",
        "summary": f"파트 {ids[0]}",
        "topics": [
            {"title": "창고 정리", "points": [f"줄 {i}" for i in ids[:2]], "segments": ids[:1]}
        ],
        "decisions": [{"text": "상자를 창고로 옮긴다", "segments": [ids[0]]}],
        "open_questions": [],
    }


def test_single_part_minutes() -> None:
    engine = FakeEngine([_map_reply])
    minutes = summarise(_doc(), engine)
    # the candidate lines one by one (0, 3, 5; "알겠습니다. 조심해서 일하겠습니다." scores
    # too low), then one part's notes, no reduce
    assert len(engine.calls) == 4
    assert minutes.title == "창고 정리" and minutes.language == "ko"
    assert minutes.attendees == ("김과장", "이대리")
    assert minutes.date == "2025-05-07T10:00:00+09:00"
    assert [(a.text, a.owner, a.due, a.segment_ids) for a in minutes.action_items] == [
        ("큰 상자는 창고 안쪽, 작은 상자는 선반에 쌓기", "이대리", None, (3,)),
        ("실천 방법 의견을 모아 회사에 건의", None, "금요일까지", (5,)),
    ]
    # Owners follow the line's form, not the model: a request is the listener's
    # (이대리), a proposal ("봅시다") no single person's.
    assert minutes.segment_starts[5] == 25.0
    assert minutes.prompts == ("minutes_notes/v4", "minutes_actions/v2")
    assert minutes.model == "fake-model"
    # Each candidate comes with the people present and the line before it; the
    # fixed instructions are the same in every call (a cached prefix).
    judge = [m for m, _ in engine.calls[:3]]
    assert judge[1][1].content == (
        "People: 김과장, 이대리\n"
        "Just before, 이대리: 여기에 있는 이 상자를 모두 창고 안으로 옮길까요?\n"
        "The line, 김과장: 큰 상자들은 창고 안쪽으로 가져가시고 "
        "작은 상자들은 선반에 쌓아 주세요."
    )
    assert judge[0][1].content.startswith("People: 김과장, 이대리\nJust before, (start")
    assert len({m[0].content for m in judge}) == 1
    # Every line here has a clear form, so the rules name the owner and the model
    # writes only task and deadline (fewer tokens per call); no yes/no: the cue
    # score decided.
    schemas: Any = [options.json_schema for _, options in engine.calls[:3]]
    assert all(s["required"] == ["task", "due"] for s in schemas)
    assert all("owner" not in s["properties"] for s in schemas)
    # Back-channel lines are left out of the notes prompt; the others are cited by id.
    prompt = engine.calls[3][0][1].content
    assert "[1] 이대리: 네." not in prompt and "[2] 이대리: 여기에" in prompt
    # The answer language comes again after the transcript: with a long transcript in
    # between, the 1.5B forgot the system rule and wrote English minutes.
    assert prompt.index("</transcript>") < prompt.index("Write every text value in Korean")
    # The notes reply is constrained to the part's line ids.
    schema: Any = engine.calls[3][1].json_schema
    assert schema["properties"]["decisions"]["items"]["properties"]["segments"]["items"] == {
        "enum": [0, 2, 3, 4, 5]
    }


def test_long_meeting_is_split_and_merged() -> None:
    engine = FakeEngine([_map_reply])
    stats = SummariseStats()
    minutes = summarise(_doc(), engine, options=SummariseOptions(part_tokens=60), stats=stats)
    assert stats.parts > 1 and len(engine.calls) == 3 + stats.parts + 1
    assert "<notes>" in engine.calls[-1][0][1].content
    assert minutes.title == "창고 정리"  # the user's title wins over the model's
    automatic = summarise(
        _doc(), FakeEngine([_map_reply]), options=SummariseOptions(part_tokens=60, model_title=True)
    )
    assert automatic.title == "창고 정리 회의"  # a file name or a date: the model names it
    assert minutes.summary == "상자를 옮기고 건의하기로 했다."
    assert len(minutes.topics) == 1  # same title in every part: merged
    assert len(minutes.decisions) == 1  # near-duplicates folded
    assert len(minutes.action_items) == 2
    assert stats.dropped_unsupported == 1
    assert minutes.prompts == ("minutes_notes/v4", "minutes_actions/v2", "minutes_reduce/v1")


def test_decisions_and_questions_that_echo_the_summary_are_dropped() -> None:
    def reply(messages: Sequence[ChatMessage], options: GenerationOptions) -> Any:
        if "The line, " in messages[1].content:
            return {"task": "없는 일", "owner": "", "due": ""}
        echo = "두 사람은 창고 정리와 건의 방법을 논의했다"
        return {
            "title": "t",
            "summary": echo + ".",
            "topics": [],
            "decisions": [
                {"text": echo, "segments": []},
                {"text": "상자는 금요일까지 옮긴다", "segments": []},
            ],
            "open_questions": [{"text": echo + "고 했다", "segments": []}],
        }

    minutes = summarise(_doc(), FakeEngine([reply]))
    assert [d.text for d in minutes.decisions] == ["상자는 금요일까지 옮긴다"]
    assert minutes.open_questions == ()


def test_deadline_must_have_been_said() -> None:
    from minutes.llm.actions import said

    context = "큰 상자들은 창고 안쪽으로 가져가시고 작은 상자들은 선반에 쌓아 주세요. 금요일까지요."
    assert said("금요일까지", context)
    assert not said("3일 안으로", context)  # "안으로" shares letters, the number does not
    assert not said("next Monday", context)


@pytest.mark.parametrize(
    ("due", "context"),
    [
        ("다음 주", "자료는 다음 주까지 보내 주세요."),
        ("다음 주까지", "자료는 다음 주까지 보내 주세요."),
        ("다음주", "자료는 다음 주까지 보내 주세요."),
        ("금요일까지", "금요일까지 해 주세요."),
        ("금요일까지", "금요일에 드릴게요."),
        ("내일까지", "내일까지 정리해서 드릴게요."),
        ("by Friday", "I'll send it by Friday."),
        ("end of next week", "Can you finish it by the end of next week?"),
    ],
)
def test_deadline_said_with_a_particle_attached(due: str, context: str) -> None:
    # Regression: "다음 주" was dropped when the line said "다음 주까지" (bigram overlap).
    from minutes.llm.actions import said

    assert said(due, context)


def test_owner_follows_the_form_of_the_line() -> None:
    from minutes.llm.actions import owner_by_form

    doc = _doc(
        [
            ("a", "보고서는 제가 금요일까지 보내 드리겠습니다."),  # promise: the speaker
            ("b", "회의실 좀 예약해 주세요."),  # request: the listener
            ("a", "이대리님이 자료를 정리해 주세요."),  # request naming a participant
            ("b", "다음 주에 다시 논의합시다."),  # proposal: everyone
            ("b", "저 식당 음식이 맛있나 봐요."),  # no form: the model decides
            ("a", "민수 씨가 다음 주까지 보고서를 정리해 주세요."),  # names someone else
            ("b", "그건 팀장님께서 확인해 주세요."),
        ]
    )
    assert [owner_by_form(doc, i) for i in range(7)] == [
        (True, "김과장"),
        (True, "김과장"),
        (True, "이대리"),
        (True, None),
        (False, None),
        (True, "민수"),
        (True, "팀장님"),
    ]


def test_a_due_must_be_a_time_said_there() -> None:
    from minutes.llm.actions import item_from_reply

    doc = _doc(
        [
            (
                "a",
                "다음 주부터 백화점 안에 있는 옷 가게에서 일하기로 했어요. "
                "금요일까지 알려 드릴게요.",
            )
        ]
    )
    seg = doc.segments[0]
    for due, kept in (
        ("금요일까지", "금요일까지"),
        ("다음 주부터 백화점 안에 있는 옷 가게에서", None),  # a clause, not a time
        ("백화점", None),
        ("다음 달", None),  # a time nobody said
    ):
        reply = {"task": "옷 가게 일 알려 드리기", "owner": "", "due": due}
        item, dropped = item_from_reply(reply, doc, seg, 0.3)
        assert item is not None and not dropped and item.due == kept, due


@pytest.mark.parametrize(
    ("due", "context"),
    [
        ("다음 주", "자료는 다음 달까지 보내 주세요."),
        ("다음 주", "다음에 주세요."),
        ("내일까지", "모레까지 드릴게요."),
        ("by Friday", "I'll send it by Monday."),
        ("Fri", "I'll send it by Friday."),
        ("end of next week", "by the end of this month"),
        ("3일 안으로", "상자는 창고 안으로 옮겨 주세요."),
    ],
)
def test_deadline_not_said(due: str, context: str) -> None:
    from minutes.llm.actions import said

    assert not said(due, context)


def test_action_candidates() -> None:
    from minutes.llm.actions import is_candidate

    for text in (
        "3일 안으로 배달해 드리겠습니다.",
        "작은 상자는 선반에 쌓아 주세요.",
        "회사에 건의해 보도록 합시다.",
        "침대 방으로 예약해 주십시오.",
        "6시에 저희 집으로 오세요.",
        "내일 자세히 알려 드릴게요.",
        "우리 같이 나가 보자.",
        "I'll send the deck by Friday.",
        "Let's ask the design team.",
    ):
        assert is_candidate(text), text
    for text in (
        "저 식당 음식이 정말 맛있나 봐요.",
        "다니신 지는 오래되셨어요?",
        "어디 계세요?",
        "Menu, alright.",
        "It's obvious what you're doing.",
    ):
        assert not is_candidate(text), text


def test_streaming_progress_and_language() -> None:
    pieces: list[str] = []
    seen: list[Progress] = []
    shown_before_first_call: list[int] = []

    def reply(messages: Sequence[ChatMessage], options: GenerationOptions) -> Any:
        shown_before_first_call.append(len(pieces))
        if options.on_prompt_read is not None:  # as llama.cpp reports reading the prompt
            options.on_prompt_read(0.5)
        return _map_reply(messages, options)

    engine = FakeEngine([reply])
    summarise(
        _doc(),
        engine,
        options=SummariseOptions(part_tokens=60),
        on_token=pieces.append,
        progress=seen.append,
    )
    # Reading a part's transcript moves the bar within that part's step, same label.
    parts = [p for p in seen if p.message.startswith("part")]
    assert any(a.message == b.message and a.fraction < b.fraction for a, b in pairwise(parts)), (
        parts
    )
    # Before the model's first call: a draft from the transcript alone.
    draft = pieces[0]
    assert draft.startswith("초안") and "참석자: 김과장, 이대리" in draft  # the minutes' language
    assert "[00:25] 김과장: 그럼 구체적인 실천 방법" in draft and "네." not in draft
    assert shown_before_first_call[0] == 1 and pieces[1].startswith("{")
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(p.stage == "minutes" for p in seen)
    assert "Korean" in engine.calls[0][0][0].content
    quiet: list[str] = []
    summarise(_doc(), FakeEngine([_map_reply]), options=SummariseOptions(draft=False),
              on_token=quiet.append)  # fmt: skip
    assert quiet[0].startswith("{")


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
    # One line per turn: consecutive segments of a speaker share the id and name.
    assert lines[1].text == "[1] 이대리: 네. 여기에 있는 이 상자를 모두 창고 안으로 옮길까요?"
    assert [s.id for s in lines[1].segments] == [1, 2]
    assert len(transcript_lines(_doc())) == 5
    assert transcript_lines(_doc())[1].text.startswith("[2] 이대리: 여기에")
    short = transcript_lines(_doc(), max_chars=10)
    assert all(len(line.segments) == 1 for line in short)


def test_select_lines_keeps_cues_within_budget() -> None:
    from minutes.llm.summarise import select_lines

    filler = [("a", f"그냥 이야기 {i}번 이어집니다") for i in range(40)]
    doc = _doc([*filler[:20], ("b", "제가 금요일까지 보고서를 보내겠습니다"), *filler[20:]])
    lines = transcript_lines(doc, max_chars=10)
    picked = select_lines(lines, 60, lambda text: len(text) // 4)
    assert sum(len(line.text) // 4 + 1 for line in picked) <= 60
    assert any("보내겠습니다" in line.text for line in picked)
    assert [line.id for line in picked] == sorted(line.id for line in picked)
    assert select_lines(lines, 10_000, len) == lines


def test_select_lines_covers_the_whole_meeting_when_cues_exceed_the_budget() -> None:
    from minutes.llm.summarise import select_lines

    # Every line has a cue; the budget holds a fifth of them. Taken in order
    # they all came from the first fifth of the meeting.
    doc = _doc([("a" if i % 2 else "b", f"{i}번 자료를 내일까지 보내겠습니다") for i in range(100)])
    lines = transcript_lines(doc, max_chars=10)
    picked = select_lines(lines, 20 * 11, lambda text: 10)
    assert len(picked) == 20
    ids = [line.id for line in picked]
    assert ids == sorted(ids)
    thirds = [sum(1 for i in ids if k * 100 <= i * 3 < (k + 1) * 100) for k in range(3)]
    assert min(thirds) >= 5, thirds
    assert ids[-1] >= 90


def test_fast_local_engines_read_a_budget_and_endpoints_read_everything() -> None:
    from dataclasses import replace

    from minutes.llm.summarise import LOCAL_TRANSCRIPT_TOKENS, transcript_budget

    local = FakeEngine([_map_reply])
    remote = FakeEngine([_map_reply])
    remote.info = replace(remote.info, local=False)
    fast = SummariseOptions(fast=True)
    assert transcript_budget(fast, local) == LOCAL_TRANSCRIPT_TOKENS
    assert transcript_budget(fast, remote) is None
    assert transcript_budget(SummariseOptions(max_transcript_tokens=500), remote) == 500
    assert transcript_budget(SummariseOptions(), local) is None  # everything by default
    # What the budget does: a long meeting's prompt is cut for the local engine only.
    long_doc = _doc([("a", f"{i}번 안건은 다음 주까지 검토하겠습니다") for i in range(400)])
    sizes = []
    for engine in (local, remote):
        stats = SummariseStats()
        options = SummariseOptions(max_action_candidates=0, fast=True)
        summarise(long_doc, engine, options=options, stats=stats)
        sizes.append(sum(c.prompt_tokens for c in stats.completions))
    assert sizes[0] < sizes[1]


def test_the_model_names_the_owner_only_where_the_rules_cannot() -> None:
    from dataclasses import replace

    # Without speakers the line's form cannot say whose task it is: the model is
    # asked, and it can only name one of the people present (or nobody).
    doc = _doc()
    undiarized = replace(doc, segments=tuple(replace(s, speaker=None) for s in doc.segments))
    for document, asked in ((doc, False), (undiarized, True)):
        engine = FakeEngine([_map_reply])
        summarise(document, engine)
        schema: Any = engine.calls[0][1].json_schema
        assert ("owner" in schema["properties"]) is asked
        assert schema["required"] == (["task", "owner", "due"] if asked else ["task", "due"])
    from minutes.llm.actions import line_schema
    from minutes.llm.prompts import load_prompt

    owner = line_schema(load_prompt("minutes_actions"), ["김과장", "이대리"])["properties"]["owner"]
    assert owner == {"enum": ["김과장", "이대리", ""]}


def test_the_draft_speaks_the_minutes_language() -> None:
    from minutes.llm.summarise import draft_text

    doc = _doc()
    found = [doc.segments[3]]
    assert draft_text(doc, found, "en").startswith("Draft (from the transcript")
    assert "Attendees: 김과장, 이대리" in draft_text(doc, found, "en")
    korean = draft_text(doc, found, "ko")
    assert korean.startswith("초안") and "할 일 후보" in korean
    assert draft_text(doc, found, "ja") == draft_text(doc, found, "en")  # no headings: English


def test_unusable_replies_raise() -> None:
    from minutes.llm.errors import LlmError

    with pytest.raises(LlmError):
        summarise(_doc(), FakeEngine(["no json here"]))


def test_notes_with_nothing_in_them_are_no_notes() -> None:
    # Valid JSON with empty sections: the minutes view says so instead of showing a meeting
    # where nothing was discussed.
    from minutes.llm.errors import LlmError

    empty = '{"title": "", "summary": "", "topics": [], "decisions": [], "open_questions": []}'
    with pytest.raises(LlmError, match="no notes"):
        summarise(_doc(), FakeEngine([empty]))


def test_find_action_items_is_the_action_pass_alone() -> None:
    from minutes.llm.summarise import find_action_items

    engine = FakeEngine([_map_reply])
    items = find_action_items(_doc(), engine)
    assert [(a.text, a.owner, a.segment_ids) for a in items] == [
        ("큰 상자는 창고 안쪽, 작은 상자는 선반에 쌓기", "이대리", (3,)),
        ("실천 방법 의견을 모아 회사에 건의", None, (5,)),
    ]
    assert len(engine.calls) == 3 and all("The line, " in m[1].content for m, _ in engine.calls)
    assert find_action_items(_doc(), engine, options=SummariseOptions(min_action_score=99)) == []
