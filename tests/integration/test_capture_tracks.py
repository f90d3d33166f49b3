"""The microphone and the system audio as two tracks, against a real PulseAudio server:
two null outputs stand for the loudspeakers ("meeting") and the microphone ("mic"); real
speech is played into them with `paplay`, and their monitors are recorded by the
project's two-track recorder; the mix, a kill -9 and `minutes record --source both`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from minutes.audio import load_audio
from minutes.capture import finish_session, recover, start_session, unfinished_recordings
from minutes.capture_mix import track_clocks
from minutes.capture_system import PulseMonitors
from minutes.capture_tracks import TwoTrackRecorder
from tests.conftest import SAMPLE
from tests.integration.test_capture_system import best_alignment
from tests.pulse_server import PulseServer, pulse_server

SR = 16_000


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    for server in pulse_server(tmp_path, monkeypatch):
        server.add_sink("mic")
        yield server


def _sources() -> dict[str, tuple[object, str]]:
    return {"mic": (PulseMonitors(), "mic.monitor"), "system": (PulseMonitors(), "meeting.monitor")}


def _placed(clock: object, t0: float, seconds: float) -> np.ndarray:
    """A track on the common clock from t0 (what the mix adds), as float samples."""
    from minutes.capture_mix import on_clock

    t = t0 + np.arange(int(seconds * SR)) / SR
    return on_clock(clock, t).astype(np.float32)  # type: ignore[arg-type]


def envelope(x: np.ndarray) -> np.ndarray:
    """|x| averaged over 10 ms, at 1 kHz: comparable across resamplers (which shift the
    waveform's phase, not its loudness over time)."""
    n = len(x) // 16 * 16
    e = np.abs(x[:n]).reshape(-1, 16).mean(axis=1)
    return np.convolve(e, np.ones(10) / 10, mode="same").astype(np.float32)


def envelope_alignment(recorded: np.ndarray, played: np.ndarray) -> tuple[float, float]:
    """best_alignment on envelopes: (seconds, correlation of the envelopes' deviations)."""
    a, b = envelope(recorded), envelope(played)
    a, b = a - a.mean(), b - b.mean()
    at, corr = best_alignment(a, b)
    return at * SR / 1000, corr


def _common_clock_offset(folder: Path) -> tuple[float, float]:
    """(seconds, correlation) between the two tracks as placed on the common clock."""
    manifest = json.loads((folder / "recording.json").read_text())
    clocks = {c.name: c for c in track_clocks(folder, manifest)}
    t0 = min(c.start for c in clocks.values())
    seconds = min(c.end for c in clocks.values()) - t0
    return envelope_alignment(
        _placed(clocks["mic"], t0, seconds), _placed(clocks["system"], t0, seconds)
    )


def test_two_recordings_of_one_source_land_on_the_same_time(
    pulse: PulseServer, tmp_path: Path
) -> None:
    # Both tracks read the same monitor through their own `parec` and their own clock log,
    # so any offset between them on the common clock is the recorder's own error.
    session = start_session(tmp_path / "sessions", "call")
    sources = {
        "mic": (PulseMonitors(), "meeting.monitor"),
        "system": (PulseMonitors(), "meeting.monitor"),
    }
    recorder = TwoTrackRecorder(session.folder, sources)
    recorder.start()
    time.sleep(0.5)
    assert pulse.play(SAMPLE, device="meeting").wait(60) == 0
    time.sleep(1.0)
    assert recorder.poll() is None
    recorder.stop()
    finish_session(session)
    offset, corr = _common_clock_offset(session.folder)
    assert corr > 0.9
    # 0.000 in 9 runs here, 5 of them beside four busy processes; CI once saw 12 ms when blocks
    # were timed by when they completed (now by the read that carried them). 20 ms is still
    # well under what a listener hears as an echo.
    assert abs(offset) <= 0.02, offset


def test_both_tracks_are_kept_and_mixed_on_one_clock(pulse: PulseServer, tmp_path: Path) -> None:
    # One player into both outputs at once: the same speech reaches both monitors at about
    # the same time, so on the common clock the two tracks must line up.
    pulse.add_sink("both", combine=("meeting", "mic"))
    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(session.folder, _sources())
    recorder.start()
    time.sleep(0.5)
    assert pulse.play(SAMPLE, device="both").wait(60) == 0
    time.sleep(1.0)
    assert recorder.poll() is None
    recorder.stop()
    finish_session(session)

    played = load_audio(SAMPLE)
    mic, system = load_audio(session.folder / "mic.wav"), load_audio(session.folder / "system.wav")
    for track in (mic, system):  # each holds what was played (the combining output resamples)
        assert envelope_alignment(track, played)[1] > 0.95
    manifest = json.loads((session.folder / "recording.json").read_text())
    offset, corr = _common_clock_offset(session.folder)
    assert corr > 0.9
    # The combining output feeds its two outputs through buffers of their own, so the same
    # sound reaches them up to one buffer apart (0 or 46 ms here with both cores busy; CI
    # once saw 40 ms): the placement itself is held to 10 ms by the test above.
    assert abs(offset) <= 0.08, offset
    mixed = load_audio(session.folder / "audio.wav")
    # Two copies as far apart as the tracks are (not further: not an echo of a misplaced
    # track) match the speech as well as the mix does. (CI: 0.88 at about 50 ms apart.)
    shift = round(abs(offset) * SR)
    twin = played + np.concatenate([np.zeros(shift, np.float32), played[: len(played) - shift]])
    expected = envelope_alignment(twin, played)[1]
    assert envelope_alignment(mixed, played)[1] > min(expected, 0.95) - 0.05
    assert abs(len(mixed) / SR - session.meta.duration) < 1e-3
    assert {m["name"] for m in manifest["mix"]} == {"mic", "system"}


def test_each_track_records_its_own_source(pulse: PulseServer, tmp_path: Path) -> None:
    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(session.folder, _sources())
    recorder.start()
    played = load_audio(SAMPLE)
    half = len(played) // 2
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    import soundfile

    soundfile.write(first, played[:half], SR)
    soundfile.write(second, played[half:], SR)
    assert pulse.play(first, device="meeting").wait(60) == 0  # they speak, then I answer
    assert pulse.play(second, device="mic").wait(60) == 0
    time.sleep(0.5)
    assert recorder.poll() is None
    recorder.stop()
    finish_session(session)
    system = load_audio(session.folder / "system.wav")
    mic = load_audio(session.folder / "mic.wav")
    assert best_alignment(system, played[:half])[1] > 0.97  # the samples, resampled
    assert best_alignment(mic, played[half:])[1] > 0.97
    assert best_alignment(mic, played[:half])[1] < 0.3  # no cross-talk between the tracks
    mixed = load_audio(session.folder / "audio.wav")
    for part in (played[:half], played[half:]):
        assert envelope_alignment(mixed, part)[1] > 0.9


RECORD_CHILD = """
import sys, time
from pathlib import Path
from minutes.capture_system import PulseMonitors
from minutes.capture_tracks import TwoTrackRecorder
r = TwoTrackRecorder(Path(sys.argv[1]), {"mic": (PulseMonitors(), "mic.monitor"),
                                         "system": (PulseMonitors(), "meeting.monitor")})
r.start()
print("started", flush=True)
while True:
    r.poll()
    time.sleep(0.2)
"""


def test_kill_9_during_a_two_track_recording_is_recovered(
    pulse: PulseServer, tmp_path: Path
) -> None:
    session = start_session(tmp_path / "sessions", "online meeting")
    child = subprocess.Popen(
        [sys.executable, "-c", RECORD_CHILD, str(session.folder)], stdout=subprocess.PIPE,
        env={**os.environ, **pulse.env},
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == b"started"
    started = time.monotonic()
    player = pulse.play(SAMPLE, device="meeting")
    time.sleep(6.5)
    child.send_signal(signal.SIGKILL)
    killed_after = time.monotonic() - started
    child.wait(10)
    player.wait(60)
    (found,) = unfinished_recordings(tmp_path / "sessions")
    recovered = recover(found)
    for name in ("mic.wav", "system.wav"):  # at most 1 s lost on either track
        assert len(load_audio(recovered.folder / name)) / SR >= killed_after - 1.0, name
    assert recovered.meta.duration >= killed_after - 1.0
    at, corr = best_alignment(
        load_audio(recovered.folder / "audio.wav"), load_audio(SAMPLE)[: int(3 * SR)]
    )
    assert corr > 0.97 and at < 2.5  # the mix: speech on one track, silence on the other


def test_minutes_record_both_transcribes_the_mix_and_keeps_the_tracks(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from minutes import record_cli
    from minutes.capture_system import open_monitors
    from minutes.cli import main
    from minutes.config import Config
    from minutes.session import list_sessions
    from tests.integration.test_capture_system import _spoken

    # The "microphone" is the mic output's monitor; the system source is the default one.
    real = record_cli.source_api

    def api(source: str) -> object:
        return open_monitors() if source == "mic" else real(source)

    monkeypatch.setattr(record_cli, "source_api", api)
    player = subprocess.Popen(
        ["sh", "-c", f"sleep 1; exec paplay --device=meeting '{SAMPLE}'"],
        env={**os.environ, **pulse.env},
    )  # fmt: skip
    out = tmp_path / "out"
    status = main([  # no --source: both tracks, where system audio exists
        "-q", "record", "--device", "mic.monitor", "--system-device", "meeting.monitor",
        "--duration", "15", "--language", "en", "--title", "Call", "--out", str(out),
        "--formats", "txt", "--no-guided",
    ])  # fmt: skip
    player.wait(30)
    assert status == 0, capsys.readouterr().err
    from bench.corpus import wer
    from tests.conftest import JFK_REFERENCE

    assert wer(JFK_REFERENCE, _spoken(out / "Call.json")) <= 0.25  # a bound, not one string
    (session,) = list_sessions(Config.load().sessions_root())
    for name in ("mic.wav", "system.wav", "audio.wav"):
        assert (session.folder / name).is_file(), name
    assert abs(session.meta.duration - 15) < 1.0


def test_the_microphone_is_the_user_and_the_echo_is_not(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """They speak (through the loudspeakers, which the microphone hears quieter), then the
    user answers into the microphone; `minutes record --diarize` names the user's speech
    from the microphone track and diarizes only the system track."""
    import soundfile

    from minutes import record_cli
    from minutes.capture_system import open_monitors
    from minutes.cli import main

    played = load_audio(SAMPLE)
    half = len(played) // 2
    them, me = tmp_path / "them.wav", tmp_path / "me.wav"
    soundfile.write(them, played[:half], SR)
    soundfile.write(me, played[half:], SR)
    real = record_cli.source_api

    def api(source: str) -> object:
        return open_monitors() if source == "mic" else real(source)

    monkeypatch.setattr(record_cli, "source_api", api)
    script = (
        f"sleep 1; paplay --device=meeting '{them}' & "
        f"paplay --device=mic --volume=16000 '{them}'; wait; sleep 1; "
        f"exec paplay --device=mic '{me}'"
    )
    player = subprocess.Popen(["sh", "-c", script], env={**os.environ, **pulse.env})
    out = tmp_path / "out"
    status = main([
        "-q", "record", "--device", "mic.monitor", "--system-device", "meeting.monitor",
        "--duration", "16", "--language", "en", "--title", "Call", "--out", str(out),
        "--formats", "json", "--no-guided", "--diarize",
    ])  # fmt: skip
    player.wait(30)
    assert status == 0, capsys.readouterr().err
    segments = json.loads((out / "Call.json").read_text(encoding="utf-8"))["segments"]
    mine = [s for s in segments if s["speaker"] == "ME"]
    theirs = [s for s in segments if s["speaker"] != "ME"]
    assert mine and theirs, segments
    # The user's words are the second half ("ask what you can do for your country").
    assert "country" in " ".join(s["text"] for s in mine).lower()
    assert "country" not in " ".join(s["text"] for s in theirs).lower()
    assert max(s["end"] for s in theirs) <= min(s["start"] for s in mine) + 0.5
