"""Export registry, TXT/Markdown, the JSON contract round trip, and write failures."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minutes.export import FORMATS, ExportError, export_all, export_document, load_document
from minutes.export.contract import SCHEMA
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Document,
    Segment,
    Transcript,
    Word,
)


def korean_document() -> Document:
    """Two speakers (one named), word timestamps, one accepted and one rejected fix."""
    words = (Word(62.0, 62.4, "쿠베"), Word(62.4, 62.9, " 네티스"), Word(63.0, 63.5, " 배포"))
    segments = (
        Segment(0, 1.0, 4.5, "안녕하세요 주간 회의를 시작하겠습니다.", (), "SPEAKER_00"),
        Segment(1, 5.0, 9.25, "오늘은 배포 일정을 논의합니다.", (), "SPEAKER_00"),
        Segment(2, 62.0, 63.5, "쿠베 네티스 배포", words, "SPEAKER_01"),
        Segment(3, 64.0, 66.0, "Sounds good, let's ship it.", (), "SPEAKER_01"),
    )
    transcript = Transcript("ko", 3725.0, segments, model="large-v3")
    accepted = Correction(
        2, 0, 6, "쿠베 네티스", "쿠버네티스", CorrectionSource.GLOSSARY,
        term="쿠버네티스", score=0.93, status=CorrectionStatus.ACCEPTED, id="c1",
    )  # fmt: skip
    rejected = Correction(
        1, 4, 6, "배포", "배보", CorrectionSource.LLM, status=CorrectionStatus.REJECTED, id="c2"
    )
    return Document.build(
        transcript,
        [accepted, rejected],
        title="주간 회의",
        speaker_names={"SPEAKER_00": "김민수"},
        created="2024-05-14T10:00:00+09:00",
    )


def english_document() -> Document:
    """No speakers, no corrections, no date."""
    segments = (
        Segment(0, 0.0, 2.0, "Welcome everyone.", ()),
        Segment(1, 2.5, 5.0, "First item: the *release* plan <draft> & notes.", ()),
        Segment(2, 5.0, 6.0, "   ", ()),  # deleted during review: skipped in text exports
    )
    return Document.build(Transcript("en", 6.0, segments), title="")


DOCS = {"ko": korean_document, "en": english_document}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", sorted(DOCS))
def test_every_format_writes(tmp_path: Path, fmt: str, lang: str) -> None:
    target = tmp_path / "sub" / f"meeting.{fmt}"
    assert export_document(DOCS[lang](), fmt, target) == target
    assert target.stat().st_size > 0
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp files left


def test_export_all_names_files_by_stem_in_order(tmp_path: Path) -> None:
    paths = export_all(korean_document(), tmp_path, "회의록", ["docx", "MD", ".txt", "md"])
    assert [p.name for p in paths] == ["회의록.docx", "회의록.md", "회의록.txt"]
    assert all(p.is_file() for p in paths)


def test_txt_has_timestamps_speakers_and_reviewed_text(tmp_path: Path) -> None:
    text = export_document(korean_document(), "txt", tmp_path / "a.txt").read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "주간 회의"
    assert "Duration: 01:02:05" in lines[1] and "Korean (ko)" in lines[1]
    assert "[00:00:01] 김민수: 안녕하세요 주간 회의를 시작하겠습니다." in lines
    assert "[00:01:02] SPEAKER_01: 쿠버네티스 배포" in lines  # accepted fix applied
    assert "배보" not in text  # rejected fix not applied


def test_txt_without_speakers(tmp_path: Path) -> None:
    text = export_document(english_document(), "txt", tmp_path / "a.txt").read_text("utf-8")
    assert "[00:00:00] Welcome everyone." in text.splitlines()
    assert text.count("[00:") == 2  # the emptied segment is skipped


def test_markdown_layout(tmp_path: Path) -> None:
    md = export_document(korean_document(), "md", tmp_path / "a.md").read_text("utf-8")
    blocks = md.strip().split("\n\n")
    assert blocks[0] == "# 주간 회의"
    assert blocks[1].startswith("*Date: 2024-05-14 10:00 · Duration: 01:02:05")
    # Consecutive segments of one speaker share a paragraph.
    assert blocks[2] == (
        "[00:00:01] **김민수:** 안녕하세요 주간 회의를 시작하겠습니다. "
        "오늘은 배포 일정을 논의합니다."
    )
    assert blocks[3].startswith("[00:01:02] **SPEAKER\\_01:** 쿠버네티스 배포")


def test_markdown_escapes_syntax(tmp_path: Path) -> None:
    md = export_document(english_document(), "md", tmp_path / "a.md").read_text("utf-8")
    assert md.startswith("# Transcript\n")  # empty title gets a default
    assert r"the \*release\* plan \<draft\> & notes." in md


def test_json_is_the_contract_pretty_utf8(tmp_path: Path) -> None:
    doc = korean_document()
    raw = export_document(doc, "json", tmp_path / "a.json").read_text("utf-8")
    assert "쿠버네티스" in raw  # not \\uXXXX-escaped
    assert raw.startswith('{\n  "schema"')
    assert json.loads(raw) == doc.to_contract()
    assert doc.to_contract()["schema"] == SCHEMA


@pytest.mark.parametrize("lang", sorted(DOCS))
def test_json_round_trip_is_exact(tmp_path: Path, lang: str) -> None:
    doc = DOCS[lang]()
    first = export_document(doc, "json", tmp_path / "a.json")
    loaded = load_document(first)
    assert loaded == doc
    second = export_document(loaded, "json", tmp_path / "b.json")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"language": "ko", "segments": []}', "no 'schema' field"),
        (b'{"schema": "minutes.transcript/2", "segments": []}', "newer version"),
        (b'{"schema": "other/1"}', "not a minutes transcript"),
        (b'{"schema": "minutes.transcript/1", "segments": [{"id": 0}]}', "missing field"),
        (b'{"schema": "minutes.transcript/1", "segments": 3}', "must be a list"),
    ],
)
def test_load_document_rejects_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ExportError, match=message) as info:
        load_document(path)
    assert str(path) in str(info.value)


def test_load_document_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read"):
        load_document(tmp_path / "missing.json")


def test_unknown_format_raises_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export_document(korean_document(), "pdf", tmp_path / "a.pdf")
    with pytest.raises(ExportError, match="choose one of txt, md, srt, vtt, json, docx"):
        export_all(korean_document(), tmp_path, "a", ["txt", "pdf"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stem", ["", "  ", "a/b", "..", "a\\b"])
def test_export_all_rejects_bad_stems(tmp_path: Path, stem: str) -> None:
    with pytest.raises(ExportError, match="invalid file name"):
        export_all(korean_document(), tmp_path, stem, ["txt"])


def test_unwritable_folder_raises_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "meeting.txt"
    with pytest.raises(ExportError) as info:
        export_document(korean_document(), "txt", target)
    assert str(target) in str(info.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_raises_export_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            export_document(korean_document(), "md", folder / "a.md")
    finally:
        folder.chmod(0o700)


def _enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fmt", ["txt", "docx"])
@pytest.mark.parametrize("failing_call", ["fsync", "replace"])
def test_disk_full_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, failing_call: str
) -> None:
    target = tmp_path / f"meeting.{fmt}"
    monkeypatch.setattr(os, failing_call, _enospc)
    with pytest.raises(ExportError, match="disk is full") as info:
        export_document(korean_document(), fmt, target)
    monkeypatch.undo()
    assert str(target) in str(info.value)
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temp file


def test_disk_full_keeps_the_previous_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "meeting.md"
    target.write_text("previous export", "utf-8")
    monkeypatch.setattr(os, "fsync", _enospc)
    with pytest.raises(ExportError):
        export_document(korean_document(), "md", target)
    monkeypatch.undo()
    assert target.read_text("utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["meeting.md"]


def test_import_does_not_load_python_docx() -> None:
    code = "import sys, minutes.export; print('docx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
