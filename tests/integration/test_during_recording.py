"""The final transcription done during the recording (minutes.during), on real Korean
speech with the real model: the windows done while the file grew are the windows an
import transcribes, the run after Stop decodes only the rest, a restart continues
them; end to end through `minutes record` on a real PulseAudio server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import cer, concat_clips, pansori_clips
from minutes.asr import AsrOptions, WhisperTranscriber
from minutes.audio import SAMPLE_RATE
from minutes.capture_disk import HEADER_BYTES, finish_session, start_session
from minutes.during import TranscribeWhileRecording
from minutes.live import WavTail
from minutes.pipeline import Pipeline, RunOptions
from minutes.session import Session
from tests.pulse_server import PulseServer, pulse_server

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    yield from pulse_server(tmp_path, monkeypatch)


def _meeting(folder: Path, seconds: float) -> tuple[Path, str]:
    """Pansori clips of about `seconds` in all, joined with pauses (built at test time)."""
    clips, total = [], 0.0
    for clip in (c for c in pansori_clips() if c.duration >= 4.0):
        if total + clip.duration > seconds:
            break
        clips.append(clip)
        total += clip.duration + 0.8
    return concat_clips(clips, folder / "meeting.wav", gap=0.8)


def test_windows_done_while_recording_are_the_imports_and_only_the_rest_is_left(
    base_transcriber: WhisperTranscriber,
    speech_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    audio, _ = _meeting(tmp_path, 75.0)
    pipeline = Pipeline(tmp_path / "sessions")
    pipeline._transcriber = base_transcriber  # share the loaded model
    options = RunOptions(
        model="base", language="ko", asr=AsrOptions(window_seconds=15.0), formats=()
    )
    imported = pipeline.run(pipeline.import_audio(audio), options).transcript

    # The recorder writes the same samples into a new meeting, a few seconds at a time.
    session = start_session(tmp_path / "sessions", "recorded")
    shutil.copy(audio, session.folder / "audio.wav")
    total = (audio.stat().st_size - HEADER_BYTES) // 2
    written = {"samples": 0}
    source = WavTail(session.folder / "audio.wav", lambda: written["samples"])
    asr = Pipeline.asr_options(options, base_transcriber, None)
    work = TranscribeWhileRecording(session, source, base_transcriber, asr)
    growth = []
    while written["samples"] < total:
        written["samples"] = min(written["samples"] + 5 * SAMPLE_RATE, total)
        while work.step():
            growth.append((written["samples"], work.done))
    assert work.windows >= 2, "a 75-s recording holds several 15-s windows before it ends"
    assert all(done <= seen for seen, done in growth), "only audio already written is used"

    # A crash now: the next start (a recovered recording) continues from the checkpoint.
    again = TranscribeWhileRecording(Session.open(session.folder), source, base_transcriber, asr)
    assert (again.done, again.segments, again.language) == (
        work.done, work.segments, work.language
    )

    decoded: list[float] = []
    real = WhisperTranscriber._transcribe_window

    def spy(self: WhisperTranscriber, window, language, opts):  # type: ignore[no-untyped-def]
        decoded.append(window.offset)
        return real(self, window, language, opts)

    monkeypatch.setattr(WhisperTranscriber, "_transcribe_window", spy)
    finish_session(session)
    recorded = pipeline.run(Session.open(session.folder), options).transcript

    assert decoded and min(decoded) >= work.done_seconds - 1e-6, "the done windows are reused"
    assert len(decoded) < work.windows, "at Stop less is left than was done"

    def spans(segments):  # type: ignore[no-untyped-def]
        return [(round(s.start, 3), round(s.end, 3), s.text) for s in segments]

    # Same samples, same model, same windows: the same transcript as an import of the file.
    assert spans(recorded.segments) == spans(imported.segments)
    assert recorded.language == imported.language == "ko"


def test_a_different_model_or_options_do_not_take_the_windows(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path
) -> None:
    audio, _ = _meeting(tmp_path, 75.0)
    session = start_session(tmp_path / "sessions", "recorded")
    shutil.copy(audio, session.folder / "audio.wav")
    total = (audio.stat().st_size - HEADER_BYTES) // 2
    source = WavTail(session.folder / "audio.wav", lambda: total)
    asr = AsrOptions(language="ko", window_seconds=15.0)
    work = TranscribeWhileRecording(session, source, base_transcriber, asr)
    assert work.step()
    finish_session(session)

    from minutes.during import adopt

    reopened = Session.open(session.folder)
    assert adopt(reopened, "another-run", "another-model", asr) is None
    assert adopt(reopened, "another-run", base_transcriber.name, AsrOptions(language="en")) is None
    taken = adopt(reopened, "the-run", base_transcriber.name, asr)
    assert taken is not None and taken.done_until == pytest.approx(work.done_seconds)
    assert reopened.load_asr_checkpoint("the-run") == taken


def _record_while_playing(
    pulse: PulseServer, audio: Path, out: Path, capsys: pytest.CaptureFixture[str],
    *flags: str,
) -> tuple[int, str]:  # fmt: skip
    """`minutes record FLAGS` with 12-s windows while `audio` plays into the meeting
    output; the seconds it says were transcribed during the recording."""
    from minutes.cli import main

    player = subprocess.Popen(
        ["sh", "-c", f"sleep 1; exec paplay --device=meeting '{audio}'"],
        env={**os.environ, **pulse.env},
    )  # fmt: skip
    status = main([
        "record", *flags, "--language", "ko", "--window-seconds", "12", "--title", "Call",
        "--out", str(out), "--formats", "txt", "--no-guided",
    ])  # fmt: skip
    player.wait(30)
    err = capsys.readouterr().err
    assert status == 0, err
    found = re.search(r"(\d+) s of (\d+) s were transcribed during the recording", err)
    assert found, err
    return int(found[1]), err


def test_minutes_record_transcribes_while_it_records(
    pulse: PulseServer, speech_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audio, reference = _meeting(tmp_path, 55.0)
    out = tmp_path / "out"
    done, _ = _record_while_playing(
        pulse, audio, out, capsys, "--source", "system", "--duration", "62"
    )
    assert done >= 12, "at least one window was done before Stop"
    from tests.integration.test_capture_system import _spoken

    assert cer(reference, _spoken(out / "Call.json")) <= 0.35  # a bound, not one string


def test_a_two_track_recording_is_transcribed_from_its_mix_so_far(
    pulse: PulseServer, speech_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from minutes import record_cli
    from minutes.capture_system import open_monitors
    from tests.integration.test_capture_system import _spoken

    real = record_cli.source_api  # the "microphone" is the mic output's monitor

    def api(source: str) -> object:
        return open_monitors() if source == "mic" else real(source)

    monkeypatch.setattr(record_cli, "source_api", api)
    pulse.add_sink("mic")  # a second output whose monitor stands in for the microphone
    audio, reference = _meeting(tmp_path, 50.0)
    out = tmp_path / "out"
    done, _ = _record_while_playing(
        pulse, audio, out, capsys, "--source", "both", "--device", "mic.monitor",
        "--system-device", "meeting.monitor", "--duration", "58",
    )  # fmt: skip
    assert done >= 12
    assert cer(reference, _spoken(out / "Call.json")) <= 0.35  # a bound, not one string


def test_minutes_record_with_minutes_keeps_notes_and_writes_the_minutes(
    pulse: PulseServer, speech_dir: Path, tmp_path: Path, gguf_05b: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """`minutes record --minutes`: the notes pass runs with the transcription during the
    meeting (a 50-s meeting is one part, so it has nothing settled to ask), and after
    the transcript the minutes are written with the same, already loaded, model."""
    from minutes.config import Config
    from minutes.llm.settings import LlmSettings

    cfg = Config.load()
    LlmSettings(local_model=str(gguf_05b), context_size=2048).store(cfg)
    cfg.save()
    audio, _ = _meeting(tmp_path, 45.0)
    out = tmp_path / "out"
    done, err = _record_while_playing(
        pulse, audio, out, capsys, "--source", "system", "--duration", "52", "--minutes",
    )  # fmt: skip
    assert done >= 12
    assert "the minutes' notes: 0 model calls were made during the recording" in err
    sessions = [p for p in (Config.load().sessions_root()).iterdir() if p.is_dir()]
    assert len(sessions) == 1
    minutes = sessions[0] / "minutes.json"
    assert minutes.is_file(), err
    assert list(out.glob("*.minutes.md")), "the minutes' exports go where the transcript's do"
