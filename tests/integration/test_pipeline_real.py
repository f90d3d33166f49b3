"""The whole pipeline on real speech: resume after cancel, reuse of finished work."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bench.corpus import cer, concat_clips, pansori_clips
from minutes.asr import AsrOptions, WhisperTranscriber
from minutes.pipeline import Pipeline, RunOptions
from minutes.progress import Cancelled, CancelToken, Progress
from minutes.session import Session

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_cancel_then_resume_then_reuse(
    base_transcriber: WhisperTranscriber,
    speech_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clips = [c for c in pansori_clips() if c.duration >= 4.0][:12]
    audio, reference = concat_clips(clips, tmp_path / "meeting.wav", gap=0.8)
    pipeline = Pipeline(tmp_path / "sessions")
    pipeline._transcriber = base_transcriber  # share the loaded model
    options = RunOptions(
        model="base", language="ko", asr=AsrOptions(window_seconds=20.0), formats=()
    )

    windows_decoded: list[float] = []
    real = WhisperTranscriber._transcribe_window

    def spy(self: WhisperTranscriber, window, language, opts):  # type: ignore[no-untyped-def]
        windows_decoded.append(window.offset)
        return real(self, window, language, opts)

    monkeypatch.setattr(WhisperTranscriber, "_transcribe_window", spy)

    cancel = CancelToken()
    meeting = pipeline.import_audio(audio)

    def cancel_after_first_window(p: Progress) -> None:
        if len(windows_decoded) >= 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        pipeline.run(meeting, options, progress=cancel_after_first_window, cancel=cancel)
    session_dirs = list((tmp_path / "sessions").iterdir())
    assert len(session_dirs) == 1
    assert (session_dirs[0] / "asr.partial.jsonl").is_file()
    first_run = list(windows_decoded)

    windows_decoded.clear()
    result = pipeline.run(meeting, options)
    assert not result.reused_asr
    assert windows_decoded and windows_decoded[0] > 0.0, "resume must skip the finished window"
    assert set(windows_decoded).isdisjoint(first_run[:1])
    assert not (session_dirs[0] / "asr.partial.jsonl").exists()
    assert cer(reference, " ".join(s.text for s in result.transcript.segments)) < 0.25
    ids = [s.id for s in result.transcript.segments]
    assert ids == list(range(len(ids)))
    meta = Session.open(session_dirs[0]).meta  # as the library reads it
    assert meta.language == "ko"
    assert meta.duration == pytest.approx(result.transcript.duration, abs=1)
    starts = [s.start for s in result.transcript.segments]
    assert starts == sorted(starts)

    windows_decoded.clear()
    again = pipeline.run(meeting, options)
    assert again.reused_asr and windows_decoded == []
    assert again.transcript == result.transcript

    # A cancel that lands after the last segment still stops the run before export.
    late = CancelToken()
    late.cancel()
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        pipeline.run(meeting, replace(options, out_dir=out, formats=("json",)), cancel=late)
    assert not out.exists()

    windows_decoded.clear()
    changed = pipeline.run(
        meeting, replace(options, asr=AsrOptions(window_seconds=20.0, beam_size=1))
    )
    assert not changed.reused_asr and windows_decoded, "other decoding options must not reuse"
