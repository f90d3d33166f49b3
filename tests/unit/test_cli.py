"""The command line, without models: glossary management, errors, correct."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from minutes.cli import main
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Document,
    Segment,
    Transcript,
)


def test_glossary_add_list_export_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["glossary", "add", "Kubernetes", "--variant", "쿠베네티스", "--category", "infra"])
        == 0
    )
    assert main(["glossary", "add", "Kubernetes", "--variant", "큐브네티스"]) == 0
    assert main(["glossary", "list"]) == 0
    out = capsys.readouterr().out
    assert "Kubernetes" in out and "쿠베네티스" in out and "큐브네티스" in out
    csv_path = tmp_path / "g.csv"
    assert main(["glossary", "export", str(csv_path)]) == 0
    assert "Kubernetes" in csv_path.read_text(encoding="utf-8-sig")
    cp949 = tmp_path / "excel.csv"
    cp949.write_bytes(
        "term,variants,category,note\r\n깃허브,기트허브,dev,저장소\r\n".encode("cp949")
    )
    assert main(["glossary", "import", str(cp949)]) == 0
    assert "2 terms" in capsys.readouterr().out


def test_broken_glossary_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("term,variants\nGDP,지디피\n,orphan variant\n", encoding="utf-8")
    assert main(["glossary", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "line 3" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"), [(None, "not found"), (b"", "empty"), (b"\x00" * 999, "not a readable")]
)
def test_transcribe_bad_audio_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    audio = tmp_path / "meeting.wav"
    if content is not None:
        audio.write_bytes(content)
    assert main(["transcribe", str(audio), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["transcribe", "x.wav", "--formats", "txt,pdf"])
    assert info.value.code == 2


def test_correct_rewrites_a_transcript_with_a_glossary(tmp_path: Path) -> None:
    raw = "쿠버네티스를 깃허브에 올렸어요"
    transcript = Transcript("ko", 3.0, (Segment(0, 0.0, 3.0, raw),), model="base")
    user_fix = Correction(
        0, 12, 16, "올렸어요", "배포했어요", CorrectionSource.USER, status=CorrectionStatus.ACCEPTED
    )
    doc = Document.build(transcript, [user_fix], title="standup")
    src = tmp_path / "standup.json"
    src.write_text(json.dumps(doc.to_contract(), ensure_ascii=False), encoding="utf-8")
    glossary = tmp_path / "terms.csv"
    glossary.write_text("term,variants\nKubernetes,\nGitHub,\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(
            [
                "correct",
                str(src),
                "--glossary",
                str(glossary),
                "--out",
                str(out),
                "--formats",
                "json,txt",
            ]
        )
        == 0
    )
    data = json.loads((out / "standup.json").read_text(encoding="utf-8"))
    seg = data["segments"][0]
    assert seg["text_raw"] == raw  # never overwritten
    assert seg["text"] == "Kubernetes를 GitHub에 배포했어요"
    sources = sorted(c["source"] for c in data["corrections"])
    assert sources == ["glossary", "glossary", "user"]  # the user's own edit survives


def test_models_lists_embedded_models(capsys: pytest.CaptureFixture[str]) -> None:
    main(["models"])
    out = capsys.readouterr().out
    assert "base" in out and "tiny.en" in out


def test_a_bad_file_in_a_batch_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from minutes import pipeline as pipeline_mod

    done: list[str] = []

    def fake_run(self: object, session: Any, *args: object, **kwargs: object) -> object:
        # Only readable files become meetings (the import probes them first).
        done.append(Path(session.meta.source).name)
        raise SystemExit("stop here")  # the model is not needed for this test

    monkeypatch.setattr(pipeline_mod.Pipeline, "run", fake_run)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    good = tmp_path / "good.flac"
    from tests.conftest import SAMPLE

    good.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(SystemExit):
        main(["transcribe", str(empty), str(good), "--out", str(tmp_path)])
    assert done == ["good.flac"]
    assert "empty" in capsys.readouterr().err
