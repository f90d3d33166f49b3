"""Two-track recording: the clock log, the drift fit, the mix, and a track that fails
or stays silent while the other records (real-sound-server tests:
tests/integration/test_capture_tracks.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from minutes import capture_tracks
from minutes.audio import load_audio
from minutes.capture import finish_session, recover, start_session, unfinished_recordings
from minutes.capture_clock import ClockLog
from minutes.capture_mix import TrackClock, fit_clock, mix_tracks, track_clocks
from minutes.capture_tracks import TwoTrackRecorder
from tests.fake_sounddevice import FakeSoundDevice

SR = 16_000


def test_the_clock_log_keeps_the_earliest_arrival_of_each_window() -> None:
    log = ClockLog(SR)
    rng = np.random.default_rng(1)
    frames = 0
    for _ in range(300):  # 30 s of 0.1-s blocks, each arriving 0-40 ms late
        frames += 1600
        log.add(frames / SR + 0.5 + rng.uniform(0, 0.04), frames)
    log.close_window()
    offsets = [a.offset for a in log.anchors]
    assert len(offsets) >= 14  # a window every 2 s (the first after 1 s)
    assert all(0.5 <= o < 0.51 for o in offsets)  # a callback is late, never early


def test_the_fit_finds_drift_through_jitter_and_jumps() -> None:
    rng = np.random.default_rng(2)
    times = np.arange(0, 3600, 2.0)
    drift = 80e-6  # 288 ms an hour
    offsets = 0.2 + drift * times + rng.uniform(0, 0.004, len(times))
    offsets[times > 1200] += 0.03  # the monitor jumped once (an output woke up)
    offsets[times > 2400] -= 0.03
    positions = (times - offsets) * SR
    lag, fitted = fit_clock(times, positions)
    assert abs(fitted - drift) * 3_600_000 < 5  # under 5 ms an hour off
    assert abs(lag - 0.202) < 0.005


def test_less_than_a_minute_says_nothing_about_drift() -> None:
    times = np.arange(0, 30, 2.0)
    lag, drift = fit_clock(times, (times - 0.1 - 1e-3 * times) * SR)
    assert drift == 0.0
    assert abs(lag - 0.115) < 0.02


def _clicks(seconds: float, every: float, rate: float = SR) -> np.ndarray:
    x = np.zeros(int(seconds * rate), np.float32)
    x[(np.arange(every, seconds - 0.5, every) * rate).astype(int)] = 0.5
    return x


def test_the_mix_puts_a_drifting_track_back_on_the_common_clock(tmp_path: Path) -> None:
    # Ten minutes of clicks every 10 s on both tracks, at the same true moments; the
    # "mic" card's clock runs 100 ppm fast, so its file holds more samples per second.
    seconds, fast = 600.0, 100e-6
    true = np.arange(10.0, seconds - 1, 10.0)
    sys_x = np.zeros(int(seconds * SR), np.float32)
    sys_x[(true * SR).round().astype(int)] = 0.5
    mic_x = np.zeros(int(seconds * SR * (1 + fast)), np.float32)
    mic_x[(true * SR * (1 + fast)).round().astype(int)] = 0.5
    soundfile.write(tmp_path / "system.wav", sys_x, SR, subtype="PCM_16")
    soundfile.write(tmp_path / "mic.wav", mic_x, SR, subtype="PCM_16")
    anchors = np.arange(1.0, seconds, 2.0)
    clocks = [
        TrackClock("system", tmp_path / "system.wav", len(sys_x),
                   *fit_clock(anchors, anchors * SR)),
        TrackClock("mic", tmp_path / "mic.wav", len(mic_x),
                   *fit_clock(anchors, anchors * SR * (1 + fast))),
    ]  # fmt: skip
    assert abs(clocks[1].drift_ms_per_hour + 360) < 1  # 100 ppm fast = -360 ms an hour
    mix_tracks(clocks, tmp_path / "audio.wav")
    mixed = load_audio(tmp_path / "audio.wav")
    peaks = np.flatnonzero(mixed > 0.4)  # both clicks at once: one peak of 0.5
    assert len(peaks) == len(true)
    assert np.abs(peaks / SR - true).max() < 0.001
    # Without the correction the last clicks are 60 ms apart: the mix would hold two.
    assert np.flatnonzero(mic_x)[-1] / SR - true[-1] > 0.05


def _mic(seconds: float, tone: bool = True) -> FakeSoundDevice:
    t = np.arange(int(seconds * SR)) / SR
    x = (0.3 * np.sin(2 * np.pi * 440 * t) if tone else np.zeros_like(t)) * 32767
    return FakeSoundDevice(x.astype(np.int16), realtime=True)


def test_a_source_that_cannot_start_leaves_the_other_recording(tmp_path: Path) -> None:
    broken = _mic(2)
    broken.fail_open = "device busy"
    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(session.folder, {"mic": (_mic(2), None), "system": (broken, None)})
    recorder.start()
    assert set(recorder.tracks) == {"mic"}
    assert any("system audio is not recorded" in str(n) and "device busy" in str(n)
               and n.kind == "not_started" for n in recorder.notices)  # fmt: skip
    time.sleep(1.0)
    assert recorder.poll() is None
    recorder.stop()
    finish_session(session)
    assert session.meta.duration > 0.5
    assert not (session.folder / "system.wav").exists()


def test_nothing_to_record_is_an_error_and_says_why(tmp_path: Path) -> None:
    a, b = _mic(1), _mic(1)
    a.fail_open, b.fail_open = "no microphone", "no monitor"
    recorder = TwoTrackRecorder(tmp_path, {"mic": (a, None), "system": (b, None)})
    with pytest.raises(capture_tracks.CaptureError, match=r"no microphone.*no monitor"):
        recorder.start()


def test_a_track_that_ends_midway_leaves_the_other_recording(tmp_path: Path) -> None:
    short = _mic(0.5)
    short.unplug_at_end = True
    errors: list[str] = []
    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(
        session.folder, {"mic": (_mic(3), None), "system": (short, None)}, on_error=errors.append
    )
    recorder.start()
    time.sleep(1.5)
    assert recorder.poll() is None  # one track left: recording goes on
    assert errors and "system audio track stopped; the other keeps recording" in errors[0]
    assert not recorder.finished_by_itself
    recorder.stop()
    finish_session(session)
    assert session.meta.duration >= 1.4


def test_a_silent_track_gets_a_warning_while_the_other_has_sound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capture_tracks, "SILENT_WARN_S", 0.6)
    recorder = TwoTrackRecorder(
        tmp_path, {"mic": (_mic(3), None), "system": (_mic(3, tone=False), None)}
    )
    recorder.start()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not recorder.notices:
        recorder.poll()
        time.sleep(0.1)
    recorder.stop()
    assert len(recorder.notices) == 1
    assert "system audio has been silent" in str(recorder.notices[0])
    assert (recorder.notices[0].kind, recorder.notices[0].track) == ("silent", "system")


def test_a_killed_two_track_recording_is_found_and_mixed(tmp_path: Path) -> None:
    """As after kill -9: tracks and clock.jsonl on disk, the manifest still 'recording',
    audio.wav never made, clock.jsonl's last line torn."""
    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(session.folder, {"mic": (_mic(3), None), "system": (_mic(3), None)})
    recorder.start()
    time.sleep(1.5)
    recorder.poll()
    for r in recorder.tracks.values():  # the process dies: nothing is finalised
        r._stream.stop()
    manifest = json.loads((session.folder / "recording.json").read_text())
    manifest["pid"] = 2**22 + 7  # a process that is gone
    (session.folder / "recording.json").write_text(json.dumps(manifest))
    with (session.folder / "clock.jsonl").open("a") as fh:
        fh.write('{"track": "mic", "fra')
    capture_tracks.ACTIVE.discard(session.folder.resolve())
    (found,) = unfinished_recordings(tmp_path / "sessions")
    recovered = recover(found)
    assert recovered.meta.duration >= 1.0
    assert (recovered.folder / "audio.wav").is_file()
    names = {c.name for c in track_clocks(recovered.folder, manifest)}
    assert names == {"mic", "system"}


def test_the_mix_so_far_is_the_final_mix_while_both_tracks_record(tmp_path: Path) -> None:
    """What the transcription during the meeting reads (minutes.during): the two tracks
    mixed on the clocks logged so far, up to where both have audio; it matches the mix
    made after Stop."""
    from minutes.capture_mix import GrowingMix

    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(session.folder, {"mic": (_mic(4), None), "system": (_mic(4), None)})
    mix = GrowingMix(recorder.tracks)
    assert mix.available() == 0
    recorder.start()
    seen: list[int] = []
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        recorder.poll()
        seen.append(mix.available())
        time.sleep(0.2)
    early = mix.read(0, seen[-1])
    assert seen[-1] > 2 * SR and seen == sorted(seen), "it grows with the recording"
    on_disk = {n: r.samples_written for n, r in recorder.tracks.items()}
    assert seen[-1] <= max(on_disk.values()) + SR // 10
    recorder.stop()
    finish_session(session)
    final = load_audio(session.folder / "audio.wav")[: len(early)]
    assert len(final) == len(early)
    corr = float(np.dot(early, final) / (np.linalg.norm(early) * np.linalg.norm(final)))
    assert corr > 0.99


def test_the_system_track_so_far_is_what_the_diarizer_reads_after_stop(tmp_path: Path) -> None:
    """What the speakers pass reads during a two-track meeting (minutes.during_speakers):
    the system track alone on the recording's clock; it matches `system_on_clock`, the
    diarizer's input after Stop, and holds none of the microphone."""
    from minutes.capture_mix import GrowingMix
    from minutes.track_speakers import system_on_clock, two_tracks

    t = np.arange(4 * SR) / SR
    mic = FakeSoundDevice((0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16),
                          realtime=True)  # fmt: skip
    other = FakeSoundDevice((0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16),
                            realtime=True)  # fmt: skip
    session = start_session(tmp_path / "sessions", "call")
    recorder = TwoTrackRecorder(session.folder, {"mic": (mic, None), "system": (other, None)})
    alone = GrowingMix(recorder.tracks, only=["system"])
    recorder.start()
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        recorder.poll()
        time.sleep(0.2)
    n = alone.available()
    early = alone.read(0, n)
    recorder.stop()
    finish_session(session)
    tracks = two_tracks(session.folder)
    assert tracks is not None and n > 2 * SR
    final = load_audio(system_on_clock(tracks, tmp_path / "placed.wav"))[:n]

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))

    assert corr(early, final) > 0.99
    mic_tone = np.sin(2 * np.pi * 440 * np.arange(n) / SR)
    assert abs(corr(early, mic_tone)) < 0.05, "the microphone is not in it"
