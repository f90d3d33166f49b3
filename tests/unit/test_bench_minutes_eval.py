"""The minutes benchmark's labelled meetings and its scoring (no model)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bench.minutes_eval import Meeting, input_digest, load_meetings, score

MEETINGS = load_meetings()


@pytest.mark.parametrize("meeting", MEETINGS, ids=[m.id for m in MEETINGS])
def test_every_label_names_the_turns_it_is_stated_in(meeting: Meeting) -> None:
    ids = {s["id"] for s in meeting.data["segments"]}
    labels = meeting.data["labels"]
    assert len(labels["decision_segments"]) == len(labels["decisions"])
    for anchors in labels["decision_segments"]:
        assert anchors and set(anchors) <= ids
    names = {p["name"] for p in meeting.data["participants"]}
    for item in labels["action_items"]:
        assert item["segments"] and set(item["segments"]) <= ids
        assert item["owner"] is None or item["owner"] in names


def _meeting() -> Meeting:
    data: dict[str, Any] = {
        "id": "ko_x", "language": "ko", "kind": "stand-up", "split": "dev", "title": "t",
        "participants": [{"speaker": "A", "name": "박서연"}, {"speaker": "B", "name": "이준호"}],
        "segments": [
            {"id": 0, "speaker": "A", "start": 0.0, "end": 2.0,
             "text": "준호 님이 오늘 중으로 사과 공지 검토해서 올려 주세요."},
            {"id": 1, "speaker": "B", "start": 2.4, "end": 4.0, "text": "네, 제가 할게요."},
            {"id": 2, "speaker": "A", "start": 4.4, "end": 6.0, "text": "배포는 월요일로 가죠."},
        ],
        "labels": {
            "decisions": ["배포를 다음 주 월요일로 미룬다"],
            "decision_segments": [[2]],
            "action_items": [{"task": "사과 공지 검토 후 업로드하기", "owner": "이준호",
                              "due": "오늘 중으로", "segments": [0, 1]}],
            "topics": [],
        },
    }  # fmt: skip
    return Meeting("ko_x", "ko", "stand-up", "dev", data)


def _result(items: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"minutes": {"action_items": items, "decisions": decisions, "summary": "s",
                        "topics": [1]}}  # fmt: skip


def test_a_paraphrase_at_its_moment_counts_there_but_not_by_wording() -> None:
    item = {"text": "검토해서 올리기", "owner": "이준호", "segment_ids": [1]}
    decision = {"text": "릴리스는 월요일에", "segment_ids": [2]}
    s = score(_meeting(), _result([item], [decision]))
    assert (s.owner_hits, s.moment_owner_hits) == (0, 1)
    assert (s.decision_hits, s.moment_decision_hits) == (0, 1)


def test_the_wrong_owner_turn_or_a_second_copy_does_not_count_at_its_moment() -> None:
    wrong_owner = {"text": "사과 공지 검토해서 올리기", "owner": "박서연", "segment_ids": [0]}
    wrong_turn = {"text": "사과 공지 검토해서 올리기", "owner": "이준호", "segment_ids": [2]}
    assert score(_meeting(), _result([wrong_owner, wrong_turn], [])).moment_owner_hits == 0
    right = {"text": "사과 공지 검토해서 올리기", "owner": "이준호", "segment_ids": [0]}
    twice = score(_meeting(), _result([right, dict(right, segment_ids=[1])], []))
    assert (twice.moment_owner_hits, twice.predicted) == (1, 2)
    uncited = {"text": "월요일로 가죠"}
    assert score(_meeting(), _result([], [uncited])).moment_decision_hits == 0


def test_labels_and_split_do_not_change_what_the_model_is_given() -> None:
    meeting = _meeting()
    moved = copy.deepcopy(meeting.data)
    moved["split"] = "held_aside"
    moved["labels"]["decisions"] = []
    assert input_digest(Meeting("ko_x", "ko", "stand-up", "held_aside", moved)) == input_digest(
        meeting
    )
    said = copy.deepcopy(meeting.data)
    said["segments"][0]["text"] = "다른 말"
    assert input_digest(Meeting("ko_x", "ko", "stand-up", "dev", said)) != input_digest(meeting)
