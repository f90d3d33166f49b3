"""``minutes summarize`` / ``minutes repair`` end to end with a scripted engine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from minutes.export import export_document
from minutes.llm import cli
from minutes.types import Document, Segment, Transcript
from tests.unit.test_llm_fake_engine import FakeEngine

MAP = {
    "title": "배포 회의",
    "summary": "금요일 배포를 결정했다.",
    "topics": [],
    "decisions": [{"text": "금요일에 배포", "segments": [0]}],
    "action_items": [
        {"task": "QA 체크리스트 작성", "owner": "이대리", "due": "목요일까지", "segment": 1}
    ],
    "open_questions": [],
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minutes")
    parser.add_argument("-q", "--quiet", action="store_true")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def _transcript_json(tmp_path: Path, title: str = "배포 회의") -> Path:
    segs = (
        Segment(0, 0, 4, "금요일에 배포합시다", speaker="a"),
        Segment(1, 4, 9, "QA 체크리스트는 제가 목요일까지 작성할게요", speaker="b"),
        Segment(2, 9, 12, "현재 지디피 얘기는 다음에", speaker="a"),
    )
    doc = Document.build(
        Transcript("ko", 12.0, segs),
        speaker_names={"b": "이대리"},
        title=title,
        created="2025-05-07T10:00:00+09:00",
    )
    return export_document(doc, "json", tmp_path / "meeting.json")


def test_summarize_writes_minutes_and_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr("minutes.llm.engines.open_engine", lambda s, spec: FakeEngine([MAP]))
    src = _transcript_json(tmp_path)
    args = _parser().parse_args(
        [
            "summarize",
            str(src),
            "--out",
            str(tmp_path / "out"),
            "--formats",
            "md,csv,ics,docx",
            "--template",
            "weekly_status",
        ]
    )
    assert cli.run(args) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "meeting.actions.csv",
        "meeting.actions.ics",
        "meeting.minutes.docx",
        "meeting.minutes.json",
        "meeting.minutes.md",
    ]
    data = json.loads((tmp_path / "out" / "meeting.minutes.json").read_text(encoding="utf-8"))
    assert data["template"] == "weekly_status" and data["action_items"][0]["owner"] == "이대리"
    md = (tmp_path / "out" / "meeting.minutes.md").read_text(encoding="utf-8")
    assert "## 다음 할 일" in md and "- [ ] QA 체크리스트 작성" in md
    assert "1 action items" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("title", "option", "expected"),
    [
        ("meeting", [], "배포 회의"),  # `transcribe` named it after the file: the model names it
        ("meeting", ["--title", "Q2 배포"], "Q2 배포"),
        ("월요 회의", [], "월요 회의"),  # a title someone chose stays
    ],
)
def test_summarize_titles_minutes_by_the_model_only_when_the_title_was_automatic(
    title: str, option: list[str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("minutes.llm.engines.open_engine", lambda s, spec: FakeEngine([MAP]))
    src = _transcript_json(tmp_path, title)
    out = ["--out", str(tmp_path / "o"), "--formats", "json"]
    assert cli.run(_parser().parse_args(["summarize", str(src), *out, *option])) == 0
    data = json.loads((tmp_path / "o" / "meeting.minutes.json").read_text(encoding="utf-8"))
    assert data["title"] == expected


def test_summarize_rejects_unknown_template_before_loading_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    def boom(*a: Any) -> Any:
        raise AssertionError("model loaded")

    monkeypatch.setattr("minutes.llm.engines.open_engine", boom)
    args = _parser().parse_args(["summarize", str(_transcript_json(tmp_path)), "--template", "x"])
    assert cli.run(args) == 1
    assert "unknown minutes template" in capsys.readouterr().err


def test_repair_adds_proposals_to_the_transcript(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = {"fixes": [{"id": 2, "wrong": "지디피", "right": "GDP"}]}
    monkeypatch.setattr("minutes.llm.engines.open_engine", lambda s, spec: FakeEngine([reply]))
    glossary = tmp_path / "terms.csv"
    glossary.write_text("term\nGDP\n", encoding="utf-8")
    src = _transcript_json(tmp_path)
    args = _parser().parse_args(
        ["repair", str(src), "--glossary", str(glossary), "--no-user-glossary"]
    )
    assert cli.run(args) == 0
    data = json.loads((tmp_path / "meeting.repaired.json").read_text(encoding="utf-8"))
    llm = [c for c in data["corrections"] if c["source"] == "llm"]
    assert len(llm) == 1 and llm[0]["after"] == "GDP" and llm[0]["status"] == "proposed"
    assert data["segments"][2]["text"] == "현재 지디피 얘기는 다음에"  # proposals change nothing


def test_models_lists_the_language_models_next_to_whisper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, isolated_data_dir: Path
) -> None:
    import hashlib

    from minutes import modelstore as whisper_store
    from minutes.cli import main
    from minutes.llm import modelstore

    parts = [b"GGUF" + b"a" * 100, b"b" * 50]
    for i, data in enumerate(parts, start=1):
        (tmp_path / f"pkg{i}" / "data").mkdir(parents=True)
        (tmp_path / f"pkg{i}" / "data" / f"part{i:02d}.bin").write_bytes(data)
    whole = b"".join(parts)
    tiny = modelstore.EmbeddedGguf(
        "tiny-llm",
        "Tiny test GGUF",
        ("pkg1", "pkg2"),
        hashlib.sha256(whole).hexdigest(),
        len(whole),
        "chatml",
        512,
    )
    absent = modelstore.EmbeddedGguf(
        "absent-llm", "Not installed", ("nopkg",), "0" * 64, 10, "chatml", 512
    )
    monkeypatch.setattr(modelstore, "EMBEDDED_LLM", {"tiny-llm": tiny, "absent-llm": absent})
    monkeypatch.setattr(modelstore, "_package_dir", lambda name, hint="": tmp_path / name)
    monkeypatch.setattr(whisper_store, "EMBEDDED", {})  # keep the test off the Whisper files

    assert main(["models"]) == 1  # one model is missing
    out = capsys.readouterr().out
    assert "tiny-llm" in out and "Tiny test GGUF, 0.00 GB (assembled on first use)" in out
    assert "absent-llm" in out and "MISSING" in out and "lacks" in out
    assert not modelstore.gguf_target("tiny-llm").exists()  # listing writes nothing

    monkeypatch.delitem(modelstore.EMBEDDED_LLM, "absent-llm")
    assert main(["models", "--verify"]) == 0
    out = capsys.readouterr().out
    assert "tiny-llm" in out and "verified" in out
    assert str(modelstore.gguf_target("tiny-llm")) in out
    assert main(["models"]) == 0
    assert "assembled on first use" not in capsys.readouterr().out

    (tmp_path / "pkg2" / "data" / "part02.bin").write_bytes(b"x" * 50)
    modelstore.gguf_target("tiny-llm").write_bytes(b"GGUF" + b"a" * 100 + b"x" * 50)
    assert main(["models", "--verify"]) == 1
    out = capsys.readouterr().out
    assert "CORRUPT/MISSING" in out and "corrupt" in out


def test_summarize_stream_shows_a_draft_first_and_fast_reads_a_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, summarise_options: list[Any]
) -> None:
    from minutes.llm import summarise as summarise_mod

    seen = summarise_options
    monkeypatch.setattr("minutes.llm.engines.open_engine", lambda s, spec: FakeEngine([MAP]))
    src = _transcript_json(tmp_path)
    out = ["--out", str(tmp_path / "o"), "--formats", "md"]
    assert cli.run(_parser().parse_args(["summarize", str(src), "--stream", *out])) == 0
    err = capsys.readouterr().err
    draft = err.index("초안 (모델이 쓰기 전에 녹취록에서 뽑은 내용)")  # a Korean meeting
    assert draft < err.index("model: fake-model")  # before the model is even loaded
    assert err.count("초안 (") == 1
    assert "[00:04] 이대리: QA 체크리스트는 제가 목요일까지 작성할게요" in err
    assert "제목: 배포 회의\n요약: 금요일 배포를 결정했다.\n결정: 금요일에 배포\n" in err
    assert '{"' not in err  # the replies are shown as labelled lines, not JSON
    local = FakeEngine([])
    assert summarise_mod.transcript_budget(seen[-1], local) is None  # everything by default
    assert cli.run(_parser().parse_args(["summarize", str(src), "--fast", *out])) == 0
    assert summarise_mod.transcript_budget(seen[-1], local) == summarise_mod.LOCAL_TRANSCRIPT_TOKENS
    assert cli.run(_parser().parse_args(["summarize", str(src), "--read-all", *out])) == 0
    assert summarise_mod.transcript_budget(seen[-1], local) is None  # still accepted
    args = ["summarize", str(src), "--transcript-tokens", "900", *out]
    assert cli.run(_parser().parse_args(args)) == 0
    assert summarise_mod.transcript_budget(seen[-1], local) == 900


def test_summarize_two_sessions_into_one_folder_keeps_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each meeting's minutes carry its own name, not a shared ``minutes.minutes.*``."""
    from minutes.session import Session

    monkeypatch.setattr("minutes.llm.engines.open_engine", lambda s, spec: FakeEngine([MAP]))
    transcript = Transcript(
        "ko", 9.0, (Segment(0, 0, 4, "금요일에 배포합시다"), Segment(1, 4, 9, "제가 작성할게요"))
    )
    out = tmp_path / "all"
    for title in ("월요 회의", "화요 회의"):
        session = Session.create(tmp_path / "library", title)
        session.save_asr(transcript, "k", {})
        args = ["summarize", str(session.folder), "--out", str(out), "--formats", "md"]
        assert cli.run(_parser().parse_args(args)) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4 and len({n.split(".")[0] for n in names}) == 2, names
    assert "월요" in names[0] and "화요" in names[-1]


def test_the_minutes_so_far_are_printed_while_the_rest_is_read(capsys: Any) -> None:
    from minutes.llm.summarise import MinutesSoFar
    from minutes.meeting import ActionItem, Minutes

    so_far = MinutesSoFar(Minutes(title="주간 회의", action_items=(
        ActionItem("QA 체크리스트 작성", "이대리", "목요일까지", (1,)),
        ActionItem("배포 공지", None, None, (2,)),
    )), 1112.4, 3, 2)  # fmt: skip
    cli._print_so_far(so_far)
    err = capsys.readouterr().err
    assert "still reading from 00:18:32 on and 2 earlier task lines)" in err
    assert "2 action items" in err
    assert "  - QA 체크리스트 작성 (이대리, 목요일까지)\n" in err
    assert "  - 배포 공지\n" in err
