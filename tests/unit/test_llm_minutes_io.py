"""Minutes data: round trips, the session file, templates and prompt files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes.llm.engines.base import ChatMessage, parse_json_object
from minutes.llm.errors import LlmError
from minutes.llm.prompts import (
    family_from_metadata,
    load_prompt,
    prompt_versions,
    render_chat,
)
from minutes.llm.templates import copy_for_editing, list_templates, load_template
from minutes.meeting import (
    MINUTES_SCHEMA,
    ActionItem,
    Minutes,
    Note,
    Topic,
    load_minutes,
    save_minutes,
)
from minutes.session import SessionError


def sample_minutes() -> Minutes:
    return Minutes(
        title="주간 회의",
        date="2025-05-07T10:00:00+09:00",
        attendees=("김과장", "이대리"),
        summary="배포 일정을 정했다.",
        topics=(Topic("배포", ("금요일 배포", "QA 먼저"), (3,)),),
        decisions=(Note("금요일에 배포한다", (3,)),),
        action_items=(
            ActionItem("QA 체크리스트 작성", "이대리", "목요일까지", (4,), id="a1"),
            ActionItem("릴리스 노트; 공지, 작성", None, None, (5, 6), done=True, id="a2"),
        ),
        open_questions=(Note("롤백 절차는?", ()),),
        language="ko",
        model="qwen2.5-coder-1.5b",
        prompts=("minutes_map/v1",),
        source_duration=1830.0,
        segment_starts={3: 65.0, 4: 80.5, 5: 95.0, 6: 99.0},
    )


def test_round_trip_through_dict_and_json() -> None:
    m = sample_minutes()
    again = Minutes.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m
    assert m.to_dict()["schema"] == MINUTES_SCHEMA


def test_action_item_ids_are_stable_and_done_toggles() -> None:
    m = sample_minutes()
    item = m.action_items[0]
    toggled = m.with_action_done(item.id)
    assert toggled.action_items[0].done and toggled.action_items[0].id == item.id
    assert ActionItem.from_dict(
        {"text": "x", "owner": " ", "segment_ids": ["2", "x", 2]}
    ).segment_ids == (2,)


def test_session_file_is_versioned(tmp_path: Path) -> None:
    assert load_minutes(tmp_path) is None
    path = save_minutes(tmp_path, sample_minutes())
    assert path.name == "minutes.json"
    assert load_minutes(tmp_path) == sample_minutes()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema"] = "minutes.minutes/9"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SessionError, match="newer"):
        load_minutes(tmp_path)
    path.write_text('{"schema": "minutes.minutes/1", "action_items": [{}]}', encoding="utf-8")
    with pytest.raises(SessionError, match="malformed"):
        load_minutes(tmp_path)


def test_templates_ship_and_user_copies_override(isolated_data_dir: Path) -> None:
    names = list_templates()
    assert names[0] == "general"
    assert {"weekly_status", "client_meeting", "one_on_one"} <= set(names)
    general = load_template("general")
    assert general.heading("action_items", "ko") == "할 일"
    assert general.heading("action_items", "fr") == "Action items"
    path = copy_for_editing("general")
    assert path.is_relative_to(isolated_data_dir)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'action_items = "할 일"', 'action_items = "TODO 목록"'
        ),
        encoding="utf-8",
    )
    assert load_template("general").heading("action_items", "ko") == "TODO 목록"
    (path.parent / "mine.toml").write_text('sections = ["summary", "nonsense"]', encoding="utf-8")
    with pytest.raises(LlmError, match="nonsense"):
        load_template("mine")
    with pytest.raises(LlmError, match="unknown minutes template"):
        load_template("does-not-exist")


def test_prompts_are_versioned_files_with_schemas() -> None:
    newest = {"repair": 1, "minutes_actions": 2, "minutes_notes": 4, "minutes_reduce": 1}
    for task, version in newest.items():
        assert prompt_versions(task) == list(range(1, version + 1))
        prompt = load_prompt(task)
        assert prompt.id == f"{task}/v{version}" and prompt.schema is not None
    assert load_prompt("minutes_actions", 1).id == "minutes_actions/v1"  # old ones still load
    with pytest.raises(LlmError):
        load_prompt("no-such-task")


def test_placeholders_take_braces_and_dollars_literally() -> None:
    prompt = load_prompt("repair")
    values = dict(
        glossary="- GDP",
        before="${after}",
        segments='{"id": 1, "text": "$100 {x}"}',
        after="(none)",
    )
    user = prompt.messages(**values)[1].content
    assert "${after}" in user and '"$100 {x}"' in user
    with pytest.raises(LlmError, match="placeholder"):
        prompt.messages(glossary="x")


def test_chat_templates() -> None:
    msgs = [ChatMessage("system", "S"), ChatMessage("user", "U")]
    assert render_chat(msgs, "chatml") == (
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    )
    gemma = render_chat(msgs, "gemma")
    assert gemma.startswith("<bos><start_of_turn>user\nS\n\nU") and "system" not in gemma
    assert render_chat(msgs, "llama3", include_bos=False).startswith("<|start_header_id|>system")
    with pytest.raises(LlmError, match="unknown chat template"):
        render_chat(msgs, "nope")
    assert family_from_metadata({"general.architecture": "qwen2"}) == "chatml"
    assert family_from_metadata({"tokenizer.chat_template": "<start_of_turn>"}) == "gemma"


def test_parse_json_object_tolerates_wrapping() -> None:
    assert parse_json_object('Sure! ```json\n{"a": [1]}\n``` done') == {"a": [1]}
    with pytest.raises(ValueError):
        parse_json_object("no object")


def test_renamed_speakers_reach_attendees_and_owners(tmp_path: Path) -> None:
    """Minutes written before a speaker was named show the name, not SPEAKER_1."""
    from dataclasses import replace

    m = sample_minutes()
    labelled = replace(
        m,
        attendees=("SPEAKER_1", "이대리", "SPEAKER_2"),
        action_items=(replace(m.action_items[0], owner="SPEAKER_2"), m.action_items[1]),
    )
    save_minutes(tmp_path, labelled)
    names = {"SPEAKER_1": "김과장", "SPEAKER_2": "이대리"}
    shown = load_minutes(tmp_path, names)
    assert shown is not None
    assert shown.attendees == ("김과장", "이대리")  # one attendee once
    assert [a.owner for a in shown.action_items] == ["이대리", None]
    assert [a.id for a in shown.action_items] == ["a1", "a2"]  # ticks still find their items
    assert load_minutes(tmp_path) == labelled  # the file itself is unchanged
