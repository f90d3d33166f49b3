"""Recording faults: a full disk (injected and a real tmpfs) and a microphone that goes away.

Every case checks the same promise: the recorder stops by itself with a clear
reason, and the WAV on disk is valid and holds every sample written before the
fault.
"""

from __future__ import annotations

import contextlib
import errno
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from minutes import capture
from minutes.capture import CaptureError, Recorder, finish_session, start_session
from minutes.session import list_sessions
from tests.fake_sounddevice import FakeSoundDevice, FakeStream, PortAudioError

SR = 16_000


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * SR)) * 3000).clip(-32768, 32767).astype(np.int16)


def wait_for(predicate: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)


# -- injected faults -----------------------------------------------------------------
class FullAfter:
    """Wraps the recorder's open WAV file: the disk 'fills up' after `limit` bytes.

    Like a real full disk it writes what still fits (a short write, maybe an
    odd number of bytes) and then raises ENOSPC on that and every later write.
    """

    def __init__(self, fh: Any, limit: int) -> None:
        self._fh = fh
        self.limit = limit
        self.hit = False

    def write(self, data: bytes) -> int:
        room = self.limit - self._fh.tell()
        if len(data) > room:
            self.hit = True
            if room > 0:
                self._fh.write(data[:room])
                self._fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        return int(self._fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def inject_full_disk(monkeypatch: pytest.MonkeyPatch, limit: int) -> list[FullAfter]:
    """Every CaptureWriter started from now on writes into a disk with `limit` bytes free."""
    wrapped: list[FullAfter] = []
    real_start = capture.CaptureWriter.start

    def start(self: capture.CaptureWriter) -> None:
        real_start(self)
        self._file = FullAfter(self._file, limit)
        wrapped.append(self._file)

    monkeypatch.setattr(capture.CaptureWriter, "start", start)
    return wrapped


class RemovableStream(FakeStream):
    """A fake input stream whose device is pulled out after `sd.remove_after` frames.

    `sd.removal` says what PortAudio then shows: "error" (the stream's `active`
    raises PortAudioError), "silent" (callbacks simply stop, nothing else is
    reported) or "status" (blocks keep coming, each flagged as an overflow). After an
    "error" removal, stopping the stream raises PortAudioError too.
    """

    @property
    def active(self) -> bool:
        if self.sd.removal == "error" and self.sd.removed:
            raise PortAudioError("Unanticipated host error [PaErrorCode -9999]: 'No such device'")
        return not self._stop.is_set()

    def stop(self) -> None:
        super().stop()
        if self.sd.removal == "error" and self.sd.removed:  # PortAudio: the device is gone
            raise PortAudioError("Error stopping stream: Unanticipated host error")

    def _feed(self) -> None:
        data = self.sd.source
        pos = 0
        while not self._stop.is_set() and pos < len(data):
            if self.sd.removal != "status" and pos >= self.sd.remove_after:
                self.sd.removed = True
                break  # PortAudio's thread stops calling back
            block = data[pos : pos + self.blocksize]
            status = "input overflow" if self.sd.removal == "status" else None
            self.callback(block[:, None], len(block), None, status)
            self.sd.fed += len(block)
            pos += len(block)
            if self.sd.realtime:
                time.sleep(len(block) / self.samplerate)
        self._stop.wait()


class RemovableDevice(FakeSoundDevice):
    def __init__(self, source: np.ndarray, removal: str, remove_after: int, **kw: Any) -> None:
        super().__init__(source, **kw)
        self.removal = removal
        self.remove_after = remove_after
        self.removed = False

    def InputStream(self, **kwargs: Any) -> FakeStream:
        return RemovableStream(self, **kwargs)


def read_wav(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="int16")
    assert rate == SR
    return np.asarray(data)


# -- disk full -----------------------------------------------------------------------
def test_disk_full_mid_recording_keeps_a_valid_wav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = speechlike(4.0, seed=11)
    limit = capture.HEADER_BYTES + 1 * SR * 2 + 1001  # ~1 s fits, then a short odd write
    wrapped = inject_full_disk(monkeypatch, limit)
    session = start_session(tmp_path, "Full disk")
    errors: list[str] = []
    rec = Recorder(session.folder, sd=FakeSoundDevice(src), on_error=errors.append)
    rec.start()
    wait_for(lambda: rec.finished_by_itself)
    assert rec.finished_by_itself and wrapped[0].hit
    assert rec.error_kind == "disk_full"
    assert errors == [rec.error] and "disk is full" in errors[0] and "kept" in errors[0]
    rec.stop()
    finish_session(session)
    kept = read_wav(rec.path)
    assert kept.size >= SR  # everything before the failure, to the sample
    assert np.array_equal(kept, src[: kept.size])
    assert [s.folder for s in list_sessions(tmp_path)] == [session.folder]
    assert list_sessions(tmp_path)[0].meta.duration == pytest.approx(kept.size / SR, abs=1e-3)


def test_disk_full_at_start_is_a_clear_capture_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def full_open(self: Path, mode: str = "r", *a: Any, **kw: Any) -> Any:
        if self.name == capture.AUDIO_NAME and "w" in mode:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(self, mode, *a, **kw)

    monkeypatch.setattr(Path, "open", full_open)
    with pytest.raises(CaptureError, match="disk is full"):
        Recorder(tmp_path, sd=FakeSoundDevice(speechlike(1))).start()


@contextlib.contextmanager
def small_tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of `size`; skips when this user may not mount (not root)."""
    mountpoint = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
    mountpoint.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
                         capture_output=True, text=True)  # fmt: skip
    if res.returncode:
        pytest.skip(f"cannot mount a tmpfs ({res.stderr.strip()}); the injected test covers it")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_real_full_tmpfs_keeps_every_sample_that_fit(tmp_path: Path) -> None:
    src = speechlike(20.0, seed=12)  # 640 kB of audio for a 256 kB file system
    with small_tmpfs(tmp_path, "256k") as root:
        session = start_session(root, "Tiny disk")
        errors: list[str] = []
        rec = Recorder(session.folder, sd=FakeSoundDevice(src), on_error=errors.append)
        rec.start()
        wait_for(lambda: rec.finished_by_itself)
        assert rec.error_kind == "disk_full" and "disk is full" in errors[0]
        rec.stop()
        with contextlib.suppress(OSError):  # session.json may not fit any more: kept as it was
            finish_session(session)
        kept = read_wav(rec.path)  # valid as it stands, whatever finish_session managed
        assert 2 * SR < kept.size < src.size
        assert np.array_equal(kept, src[: kept.size])
        assert [s.folder for s in list_sessions(root)] == [session.folder]
        on_disk = (rec.path.stat().st_size - capture.HEADER_BYTES) // 2
        assert kept.size == on_disk  # the header counts every sample that reached the disk


# -- the microphone goes away ---------------------------------------------------------
@pytest.mark.parametrize("removal", ["error", "silent"])
def test_device_removed_mid_recording_stops_and_keeps_audio(tmp_path: Path, removal: str) -> None:
    src = speechlike(3.0, seed=13)
    sd = RemovableDevice(src, removal, remove_after=SR)
    rec = Recorder(tmp_path, sd=sd, stall_seconds=0.4)
    rec.start()
    wait_for(lambda: sd.removed)
    wait_for(lambda: rec.poll() is not None, 5)  # the GUI polls like this
    assert rec.error_kind == "device_lost" and rec.finished_by_itself
    expected = "disconnected" if removal == "error" else "unplugged"
    assert expected in (rec.error or "") and "kept" in (rec.error or "")
    rec.stop()
    assert np.array_equal(read_wav(rec.path), src[: sd.fed])
    assert sd.fed >= SR


def test_overflow_status_flags_do_not_stop_or_lose_audio(tmp_path: Path) -> None:
    src = speechlike(2.0, seed=14)
    sd = RemovableDevice(src, "status", remove_after=0)
    rec = Recorder(tmp_path, sd=sd)
    rec.start()
    wait_for(lambda: sd.fed >= src.size)
    assert rec.poll() is None and not rec.finished_by_itself
    rec.stop()
    assert np.array_equal(read_wav(rec.path), src)


def test_broken_portaudio_reads_as_no_microphone(tmp_path: Path) -> None:
    sd = FakeSoundDevice(speechlike(1))

    def broken() -> Any:
        raise PortAudioError("Error querying device -1")

    sd.query_devices = broken  # type: ignore[method-assign]
    with pytest.raises(CaptureError, match="No input device found"):
        Recorder(tmp_path, sd=sd).start()
    assert not (tmp_path / capture.AUDIO_NAME).exists()


class DiesAtStart(FakeStream):
    """A device that is gone the moment its stream starts (PortAudio ends it at once)."""

    def start(self) -> None:
        if self.finished_callback:
            self.finished_callback()


def test_device_that_dies_while_starting_is_noticed(tmp_path: Path) -> None:
    sd = FakeSoundDevice(speechlike(1))
    sd.InputStream = lambda **kw: DiesAtStart(sd, **kw)  # type: ignore[method-assign]
    errors: list[str] = []
    rec = Recorder(tmp_path, sd=sd, on_error=errors.append)
    rec.start()
    assert rec.error_kind == "device_lost" and errors and rec.finished_by_itself
    rec.stop()
    assert read_wav(rec.path).size == 0  # a valid, empty WAV
