"""Crash-safe capture: the writer never drops, the file is always valid, recovery works."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from minutes import capture
from minutes.capture import CaptureError, Recorder
from minutes.session import Session
from tests.fake_sounddevice import FakeSoundDevice

SR = 16_000


def _speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * SR)) * 3000).clip(-32768, 32767).astype(np.int16)


def _record(tmp_path: Path, sd: FakeSoundDevice, wait_fed: int, **kwargs: object) -> Recorder:
    rec = Recorder(tmp_path, sd=sd, **kwargs)  # type: ignore[arg-type]
    rec.start()
    deadline = time.monotonic() + 20
    while sd.fed < wait_fed and time.monotonic() < deadline:
        time.sleep(0.01)
    rec.stop()
    return rec


def _wav(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="int16")
    assert rate == SR
    return data


def test_records_exactly_what_is_fed(tmp_path: Path) -> None:
    src = _speechlike(3.0)
    sd = FakeSoundDevice(src)
    rec = _record(tmp_path, sd, src.size)
    assert np.array_equal(_wav(rec.path), src)
    assert rec.seconds == pytest.approx(3.0)
    manifest = json.loads((tmp_path / capture.MANIFEST_NAME).read_text())
    assert manifest["state"] == "finished"


def test_slow_disk_drops_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = capture.CaptureWriter._write

    def slow_write(self: capture.CaptureWriter, pcm: np.ndarray) -> None:
        time.sleep(0.005)  # the writer falls far behind the (instant) device
        real_write(self, pcm)

    monkeypatch.setattr(capture.CaptureWriter, "_write", slow_write)
    src = _speechlike(20.0, seed=1)
    sd = FakeSoundDevice(src)
    rec = _record(tmp_path, sd, src.size, block_seconds=0.01)
    assert np.array_equal(_wav(rec.path), src)


def test_file_is_valid_while_recording(tmp_path: Path) -> None:
    src = _speechlike(2.5, seed=2)
    sd = FakeSoundDevice(src, realtime=True)
    rec = Recorder(tmp_path, sd=sd, flush_interval=0.25)
    rec.start()
    time.sleep(1.6)
    mid = _wav(rec.path)  # read as a player would, header as it is now
    on_disk = (rec.path.stat().st_size - capture.HEADER_BYTES) // 2
    rec.stop()
    assert mid.size > 0.9 * SR
    assert on_disk - mid.size <= 0.5 * SR  # the header lags at most one flush
    assert np.array_equal(mid, src[: mid.size])


def test_resamples_48k_stereo_device(tmp_path: Path) -> None:
    t = np.arange(48_000 * 2) / 48_000
    tone = (np.sin(2 * np.pi * 440 * t) * 10_000).astype(np.int16)
    sd = FakeSoundDevice(tone, rate=48_000, channels=2, supported_rates=(48_000,))
    rec = _record(tmp_path, sd, tone.size)
    out = _wav(rec.path).astype(np.float64)
    assert abs(out.size - 2 * SR) < 200
    spectrum = np.abs(np.fft.rfft(out[2000:18000]))
    assert abs(np.argmax(spectrum) * SR / 16000 - 440) < 5


def test_no_input_device(tmp_path: Path) -> None:
    sd = FakeSoundDevice(_speechlike(1), devices=[])
    with pytest.raises(CaptureError, match="No input device"):
        Recorder(tmp_path, sd=sd).start()


def test_device_fails_to_open(tmp_path: Path) -> None:
    sd = FakeSoundDevice(_speechlike(1))
    sd.fail_open = "Device unavailable"
    with pytest.raises(CaptureError, match="Device unavailable"):
        Recorder(tmp_path, sd=sd).start()


def test_unplugged_mid_recording_keeps_audio(tmp_path: Path) -> None:
    src = _speechlike(2.0, seed=3)
    sd = FakeSoundDevice(src)
    sd.unplug_at_end = True
    errors: list[str] = []
    rec = Recorder(tmp_path, sd=sd, on_error=errors.append)
    rec.start()
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        time.sleep(0.01)
    assert errors and "unplugged" in errors[0]
    assert rec.finished_by_itself
    rec.stop()
    assert np.array_equal(_wav(rec.path), src)


def test_silent_device_is_detected(tmp_path: Path) -> None:
    sd = FakeSoundDevice(_speechlike(0.3))
    rec = Recorder(tmp_path, sd=sd, stall_seconds=0.3)
    rec.start()
    time.sleep(0.6)
    assert rec.poll() is not None and "unplugged" in (rec.error or "")
    rec.stop()


def test_disk_full_stops_with_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = capture.CaptureWriter._write
    calls = {"n": 0}

    def full_disk(self: capture.CaptureWriter, pcm: np.ndarray) -> None:
        calls["n"] += 1
        if calls["n"] > 5 and pcm.size:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, pcm)

    monkeypatch.setattr(capture.CaptureWriter, "_write", full_disk)
    src = _speechlike(3.0, seed=4)
    errors: list[str] = []
    rec = Recorder(tmp_path, sd=FakeSoundDevice(src), on_error=errors.append)
    rec.start()
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        time.sleep(0.01)
    rec.stop()
    assert errors and "disk is full" in errors[0]
    kept = _wav(rec.path)
    assert kept.size > 0 and np.array_equal(kept, src[: kept.size])


def test_pause_and_resume(tmp_path: Path) -> None:
    src = _speechlike(3.0, seed=5)
    sd = FakeSoundDevice(src, realtime=True)
    rec = Recorder(tmp_path, sd=sd)
    rec.start()
    time.sleep(0.5)
    rec.pause()
    paused_at = rec.frames
    time.sleep(0.5)
    assert rec.frames == paused_at and rec.state == "paused"
    rec.resume()
    time.sleep(0.4)
    rec.stop()
    out = _wav(rec.path)
    assert np.array_equal(out[:paused_at], src[:paused_at])
    assert out.size < sd.fed - 0.3 * SR  # the paused stretch is not in the file


def test_max_seconds_stops_exactly(tmp_path: Path) -> None:
    src = _speechlike(5.0, seed=6)
    sd = FakeSoundDevice(src)
    rec = Recorder(tmp_path, sd=sd, max_seconds=1.25)
    rec.start()
    deadline = time.monotonic() + 5
    while not rec.finished_by_itself and time.monotonic() < deadline:
        time.sleep(0.01)
    assert rec.auto_stopped
    rec.stop()
    assert np.array_equal(_wav(rec.path), src[: int(1.25 * SR)])


_CHILD = """
import sys, time, numpy as np
from pathlib import Path
from minutes.capture import Recorder, start_session
from tests.fake_sounddevice import FakeSoundDevice
src = (np.random.default_rng(7).standard_normal(16000 * 30) * 3000).astype(np.int16)
sd = FakeSoundDevice(src, realtime=True)
session = start_session(Path(sys.argv[1]), "crash")
fed = open(sys.argv[2], "w")
sd.on_fed = lambda n: (fed.seek(0), fed.write(f"{n:12d}"), fed.flush())
Recorder(session.folder, sd=sd, flush_interval=0.5).start()
time.sleep(60)
"""


def test_killed_recording_is_recovered(tmp_path: Path) -> None:
    root, fed_file = tmp_path / "sessions", tmp_path / "fed.txt"
    root.mkdir()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(root), str(fed_file)])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if fed_file.is_file() and fed_file.read_text().strip() and int(
                fed_file.read_text()
            ) > 2.5 * SR:
                break
            time.sleep(0.05)
        child.kill()
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    fed = int(fed_file.read_text())
    [session] = capture.unfinished_recordings(root)
    recovered = capture.recover(session)
    out = _wav(recovered.audio_path)  # type: ignore[arg-type]
    src = (np.random.default_rng(7).standard_normal(16000 * 30) * 3000).astype(np.int16)
    assert np.array_equal(out, src[: out.size])
    assert (fed - out.size) / SR <= 1.0
    assert capture.unfinished_recordings(root) == []
    assert Session.open(recovered.folder).meta.fingerprint


def test_running_recording_is_not_offered_for_recovery(tmp_path: Path) -> None:
    src = _speechlike(2.0)
    session = capture.start_session(tmp_path, "live")
    rec = Recorder(session.folder, sd=FakeSoundDevice(src, realtime=True))
    rec.start()
    try:
        assert capture.unfinished_recordings(tmp_path) == []  # our own pid is not a crash
    finally:
        rec.stop()


def test_writer_thread_count_is_bounded(tmp_path: Path) -> None:
    before = threading.active_count()
    rec = _record(tmp_path, FakeSoundDevice(_speechlike(0.5)), 8000)
    assert rec.state == "stopped"
    time.sleep(0.1)
    assert threading.active_count() <= before + 1
