import json
from pathlib import Path

import pytest

from minutes.session import (
    AsrCheckpoint,
    Session,
    SessionError,
    fingerprint_file,
    list_sessions,
    merge_glossary_corrections,
    stage_key,
)
from minutes.types import Correction, CorrectionSource, CorrectionStatus, Segment, Transcript


def _audio(tmp_path: Path, name: str = "m.wav", content: bytes = b"RIFF" + b"x" * 5000) -> Path:
    p = tmp_path / name
    p.write_bytes(content)
    return p


def test_for_audio_reuses_the_session_of_the_same_file(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    audio = _audio(tmp_path)
    s1 = Session.for_audio(root, audio, "주간 회의")
    s2 = Session.for_audio(root, audio)
    assert s1.folder == s2.folder
    assert s1.audio_path is not None and s1.audio_path.read_bytes() == audio.read_bytes()
    other = Session.for_audio(root, _audio(tmp_path, "n.wav", b"RIFF" + b"y" * 5000))
    assert other.folder != s1.folder
    assert {s.meta.title for s in list_sessions(root)} == {"주간 회의", "n"}


def test_a_title_is_default_until_the_user_names_the_meeting(tmp_path: Path) -> None:
    from datetime import datetime

    from minutes.session import default_recording_title

    root = tmp_path / "sessions"
    imported = Session.for_audio(root, _audio(tmp_path, "standup_0507.wav"))
    assert imported.meta.title == "standup_0507" and imported.meta.title_is_default()
    named = Session.for_audio(root, _audio(tmp_path, "x.wav", b"RIFF" + b"z" * 5000), "주간 회의")
    assert not named.meta.title_is_default()
    imported.meta.title = "Standup"  # renamed in the library
    assert not imported.meta.title_is_default()

    title = default_recording_title(datetime(2025, 5, 7, 10, 0))
    assert title == "Meeting 2025-05-07 10:00"
    assert Session.create(root, title).meta.title_is_default()  # a recording nobody named
    assert not Session.create(root, "Meeting with ACME").meta.title_is_default()


def test_asr_stage_round_trip_and_key(tmp_path: Path) -> None:
    s = Session.create(tmp_path, "t")
    t = Transcript("ko", 3.0, (Segment(0, 0.0, 1.0, "안녕하세요"),), model="base")
    key = stage_key(audio="a", model="base")
    s.save_asr(t, key, {"audio": "a"})
    assert s.load_asr(key) == t
    assert s.load_asr(stage_key(audio="a", model="tiny.en")) is None


def test_checkpoint_is_cleared_when_asr_finishes(tmp_path: Path) -> None:
    s = Session.create(tmp_path, "t")
    cp = AsrCheckpoint("k", 240.0, (Segment(0, 0.0, 1.0, "a"),), "ko")
    s.save_asr_checkpoint(cp)
    assert s.load_asr_checkpoint("k") == cp
    assert s.load_asr_checkpoint("other") is None
    s.save_asr(Transcript("ko", 1.0, cp.segments), "k", {})
    assert s.load_asr_checkpoint("k") is None


def test_newer_or_foreign_files_are_refused(tmp_path: Path) -> None:
    s = Session.create(tmp_path, "t")
    (s.folder / "asr.json").write_text(json.dumps({"schema": "minutes.asr/9", "transcript": {}}))
    with pytest.raises(SessionError, match="newer version"):
        s.load_asr()
    (s.folder / "asr.json").write_text("{broken")
    with pytest.raises(SessionError, match="unreadable"):
        s.load_asr()
    (s.folder / "session.json").write_text(json.dumps({"schema": "other/1"}))
    with pytest.raises(SessionError):
        Session.open(s.folder)
    assert list_sessions(tmp_path) == []  # broken sessions are skipped, not fatal


def _c(
    start: int,
    after: str,
    status: CorrectionStatus,
    source: CorrectionSource = CorrectionSource.GLOSSARY,
) -> Correction:
    return Correction(0, start, start + 2, "ab", after, source, status=status)


def test_merge_keeps_user_decisions_and_other_sources() -> None:
    rejected = _c(0, "X", CorrectionStatus.PROPOSED).decide(CorrectionStatus.REJECTED)
    stale = _c(4, "Y", CorrectionStatus.ACCEPTED)
    user = _c(8, "Z", CorrectionStatus.ACCEPTED, CorrectionSource.USER)
    fresh = [_c(0, "X", CorrectionStatus.ACCEPTED), _c(10, "W", CorrectionStatus.PROPOSED)]
    merged = merge_glossary_corrections([rejected, stale, user], fresh)
    by_start = {c.start_char: c for c in merged}
    assert by_start[0].status is CorrectionStatus.REJECTED  # the user's "no" survives a re-run
    assert 4 not in by_start  # undecided glossary output that no longer matches is dropped
    assert by_start[8] == user
    assert by_start[10].status is CorrectionStatus.PROPOSED


def test_fingerprint_changes_with_content(tmp_path: Path) -> None:
    a = _audio(tmp_path, "a.wav", b"1" * (5 << 20))
    b = _audio(tmp_path, "b.wav", b"1" * ((5 << 20) - 1) + b"2")
    assert fingerprint_file(a) != fingerprint_file(b)


def test_document_uses_speaker_splits_corrections_and_names(tmp_path: Path) -> None:
    from minutes.diarize.types import DiarizationResult, SpeakerTurn
    from minutes.types import Word

    s = Session.create(tmp_path, "주간 회의")
    words = (Word(0.0, 0.5, " 안녕"), Word(0.6, 1.0, " 쿠버네티스"), Word(2.0, 2.5, " 네"))
    s.save_asr(Transcript("ko", 3.0, (Segment(0, 0.0, 2.5, "안녕 쿠버네티스 네", words),)), "k", {})
    assert s.document() is not None and len(s.document().segments) == 1  # type: ignore[union-attr]
    turns = (SpeakerTurn(0.0, 1.2, "SPEAKER_1"), SpeakerTurn(1.8, 2.6, "SPEAKER_2"))
    s.save_diarization(DiarizationResult(turns), "d", {})
    s.update_meta(lambda m: setattr(m, "speaker_names", {"SPEAKER_1": "민지"}))
    split = s.load_transcript()
    assert split is not None
    first = split.segments[0]
    fix = Correction(
        first.id, first.text.index("쿠버네티스"), first.text.index("쿠버네티스") + 5,
        "쿠버네티스", "Kubernetes", CorrectionSource.GLOSSARY, "Kubernetes", 0.95,
        CorrectionStatus.ACCEPTED,
    )  # fmt: skip
    s.save_corrections([fix])
    doc = s.document()
    assert doc is not None
    assert [seg.speaker for seg in doc.segments] == ["SPEAKER_1", "SPEAKER_2"]
    assert "Kubernetes" in doc.segments[0].text and doc.segments[0].text_raw.endswith("쿠버네티스")
    assert doc.title == "주간 회의" and doc.speaker_label("SPEAKER_1") == "민지"
    assert doc.with_corrections([]).segments[0].text == doc.segments[0].text_raw


def test_document_is_none_before_asr(tmp_path: Path) -> None:
    assert Session.create(tmp_path, "t").document() is None
