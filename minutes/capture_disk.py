"""The recording on disk: a WAV file that is valid at every moment, its writer thread, recovery.

Format: ``audio.wav`` (16 kHz, mono, 16-bit PCM) in the session folder plus
``recording.json`` (the manifest: state, device, process id). The data is
flushed to the OS after every block; the header is rewritten and the file
fsync'ed at least every `flush_interval` seconds (<= 1 s). After a crash the
file is readable as it stands (its header at most one flush behind) and
`recover` makes the header exact from the file size: a killed process loses
nothing that reached the writer, a power failure at most one flush interval.

Thread contract: `CaptureWriter.put` may be called from any thread (the
audio callback); it never blocks and never drops (unbounded queue). One
writer thread owns the file and calls `on_error` on that thread if writing
fails. The other functions run on the caller's thread.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import queue
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from minutes.atomic import atomic_write_json
from minutes.audio import SAMPLE_RATE
from minutes.session import Session, SessionError, fingerprint_file, list_sessions

logger = logging.getLogger(__name__)

AUDIO_NAME = "audio.wav"
MANIFEST_NAME = "recording.json"
MANIFEST_SCHEMA = "minutes.recording/1"
HEADER_BYTES = 44
BYTES_PER_SAMPLE = 2
ErrorCallback = Callable[[str], None]
ACTIVE: set[Path] = set()  # session folders this process is recording into now


def wav_header(data_bytes: int, rate: int = SAMPLE_RATE) -> bytes:
    """The 44-byte header of a mono 16-bit PCM WAV holding `data_bytes` of samples."""
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data_bytes, b"WAVE", b"fmt ", 16, 1, 1, rate,
        rate * BYTES_PER_SAMPLE, BYTES_PER_SAMPLE, 16, b"data", data_bytes,
    )  # fmt: skip


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def os_reason(exc: OSError) -> str:
    if is_disk_full(exc):
        return "the disk is full"
    return exc.strerror or str(exc)


class CaptureWriter:
    """Drains the capture queue into a WAV file on its own thread.

    Args:
        path: The WAV file to create.
        input_rate: The device's sample rate.
        channels: Channels per block (downmixed to mono).
        flush_interval: Seconds between header rewrites + fsync (<= 1).
        on_error: Called once, on the writer thread, if writing fails.
    """

    def __init__(
        self,
        path: Path,
        input_rate: int,
        channels: int = 1,
        *,
        flush_interval: float = 0.5,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self.path = path
        self.input_rate = int(input_rate)
        self.channels = channels
        self.flush_interval = min(flush_interval, 1.0)
        self.on_error = on_error
        self.samples_written = 0  # 16 kHz samples visible to readers of the file
        self.error: str | None = None
        self.error_kind: str | None = None  # "disk_full" | "write_failed"
        self._queue: queue.SimpleQueue[npt.NDArray[Any] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="capture-writer", daemon=True)
        self._resampler: Any = None
        self._file: Any = None

    def start(self) -> None:
        self._file = self.path.open("wb")
        self._file.write(wav_header(0))
        self._sync()
        self._thread.start()

    def put(self, block: npt.NDArray[Any]) -> None:
        """Queue a block (frames x channels); safe from the audio callback."""
        self._queue.put(block)

    def close(self, timeout: float | None = None) -> int:
        """Write everything queued, finalise the header; return the samples written."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        return self.samples_written

    # -- writer thread ----------------------------------------------------
    def _run(self) -> None:
        last_sync = time.monotonic()
        try:
            while True:
                try:
                    block = self._queue.get(timeout=self.flush_interval)
                except queue.Empty:
                    block = np.zeros((0, self.channels), dtype=np.int16)
                if block is None:
                    self._write(self._convert_tail())
                    break
                self._write(self._convert(block))
                if time.monotonic() - last_sync >= self.flush_interval:
                    self._sync()
                    last_sync = time.monotonic()
            self._sync()
        except OSError as exc:
            self.error_kind = "disk_full" if is_disk_full(exc) else "write_failed"
            self._fail(f"Recording stopped: cannot write {self.path.name} ({os_reason(exc)}). "
                       "The audio recorded so far is kept.")  # fmt: skip
        finally:
            with contextlib.suppress(OSError):
                self._file.close()

    def _fail(self, message: str) -> None:
        self.error = message
        logger.error(message)
        with contextlib.suppress(OSError):
            self._sync()  # keep what is on disk valid
        if self.on_error:
            self.on_error(message)
        while True:  # discard the rest so `close` returns; nothing can be written
            with contextlib.suppress(queue.Empty):
                if self._queue.get(timeout=0.1) is None:
                    return

    def _write(self, pcm: npt.NDArray[np.int16]) -> None:
        if pcm.size:
            self._file.write(pcm.astype("<i2", copy=False).tobytes())
            self._file.flush()
            self.samples_written += int(pcm.size)

    def _sync(self) -> None:
        self._file.flush()
        pos = self._file.tell()
        self._file.seek(0)
        self._file.write(wav_header(pos - HEADER_BYTES))
        self._file.seek(pos)
        self._file.flush()
        os.fsync(self._file.fileno())

    def _convert(self, block: npt.NDArray[Any]) -> npt.NDArray[np.int16]:
        if block.ndim == 1:
            block = block[:, None]
        if block.dtype != np.int16:
            block = np.clip(np.round(block.astype(np.float64) * 32768), -32768, 32767)
            block = block.astype(np.int16)
        if self.input_rate == SAMPLE_RATE and block.shape[1] == 1:
            return np.ascontiguousarray(block[:, 0])
        if block.shape[1] > 1:
            block = np.round(block.mean(axis=1, keepdims=True)).astype(np.int16)
        return self._resample(np.ascontiguousarray(block[:, 0]))

    def _resample(self, mono: npt.NDArray[np.int16] | None) -> npt.NDArray[np.int16]:
        import av

        if self._resampler is None:
            self._resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        frame = None
        if mono is not None:
            if not mono.size:
                return mono
            frame = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = self.input_rate
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.int16) if out else np.zeros(0, np.int16)

    def _convert_tail(self) -> npt.NDArray[np.int16]:
        if self._resampler is None:
            return np.zeros(0, np.int16)
        return self._resample(None)


# -- sessions and recovery ---------------------------------------------------
def start_session(root: Path, title: str) -> Session:
    """A new session whose audio is the recording about to start."""
    session = Session.create(root, title)
    session.meta.audio = AUDIO_NAME
    session.save_meta()
    return session


def finish_session(session: Session) -> Session:
    """After `Recorder.stop`: record duration and fingerprint (so the pipeline reuses it).

    A recording of several tracks (minutes.capture_tracks) is first mixed into
    `audio.wav` on one clock (minutes.capture_mix); the tracks are kept.
    """
    path = session.folder / AUDIO_NAME
    manifest = read_manifest(session.folder) or {}
    if track_files(session.folder, manifest):
        samples = _mix(session.folder, manifest, path)
    else:
        samples = repair_wav(path)
    session.meta.audio = AUDIO_NAME
    session.meta.duration = samples / SAMPLE_RATE
    session.meta.fingerprint = fingerprint_file(path)
    session.save_meta()
    return session


def _mix(folder: Path, manifest: dict[str, Any], out: Path) -> int:
    from minutes.capture_mix import mix_tracks, track_clocks

    clocks = track_clocks(folder, manifest)
    if not clocks:
        raise SessionError(f"{folder}: the recording holds no audio.")
    samples = mix_tracks(clocks, out)
    data = read_manifest(folder) or {"schema": MANIFEST_SCHEMA}
    data["mix"] = [
        {"name": c.name, "samples": c.samples, "start": round(c.start, 4),
         "anchors": c.anchors, "drift_ms_per_hour": round(c.drift_ms_per_hour, 2)}
        for c in clocks
    ]  # fmt: skip
    atomic_write_json(folder / MANIFEST_NAME, data)
    logger.info("mixed %s: %s", folder.name, data["mix"])
    return samples


def track_files(folder: Path, data: dict[str, Any]) -> list[Path]:
    """The track files a recording manifest names (empty for a one-track recording)."""
    tracks = data.get("tracks")
    if not isinstance(tracks, list):
        return []
    return [folder / str(t.get("file")) for t in tracks if isinstance(t, dict) and t.get("file")]


def repair_wav(path: Path) -> int:
    """Make the header match the data on disk (after a crash); return the sample count."""
    size = path.stat().st_size
    if size < HEADER_BYTES:
        raise SessionError(f"{path}: the recording holds no audio.")
    data = size - HEADER_BYTES
    with path.open("r+b") as fh:
        if data % BYTES_PER_SAMPLE:
            data -= 1
            fh.truncate(HEADER_BYTES + data)
        fh.seek(0)
        fh.write(wav_header(data))
        fh.flush()
        os.fsync(fh.fileno())
    return data // BYTES_PER_SAMPLE


def read_samples(path: Path, start: int, stop: int) -> npt.NDArray[np.float32]:
    """Samples [start, stop) of a recording as float32, read straight from the file."""
    with path.open("rb") as fh:
        fh.seek(HEADER_BYTES + start * BYTES_PER_SAMPLE)
        raw = fh.read(max(stop - start, 0) * BYTES_PER_SAMPLE)
    raw = raw[: len(raw) - len(raw) % BYTES_PER_SAMPLE]
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():  # ours: running only if listed in ACTIVE
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed child not yet reaped) is not recording.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def unfinished_recordings(root: Path) -> list[Session]:
    """Sessions whose recording was never stopped or never finished (crash, kill) and is
    not running now."""
    out: list[Session] = []
    for session in list_sessions(root):
        data = read_manifest(session.folder)
        if not data:
            continue
        audio = session.folder / str(data.get("audio") or AUDIO_NAME)
        # Two-track recordings: audio.wav (the mix) exists only once finished.
        files = track_files(session.folder, data) or [audio]
        holding = [f for f in files if f.is_file() and f.stat().st_size > HEADER_BYTES]
        # Killed between `Recorder.stop` and `finish_session`: stopped, but without the
        # duration and fingerprint that let the pipeline reuse this session.
        cut_short = data.get("state") == "finished" and not session.meta.fingerprint and holding
        if data.get("state") not in ("recording", "paused") and not cut_short:
            continue
        if session.folder.resolve() in ACTIVE or _alive(int(data.get("pid") or 0)):
            continue
        if any(f.is_file() for f in files):
            out.append(session)
    return out


def recover(session: Session) -> Session:
    """Repair an unfinished recording so it can be transcribed like any other."""
    finish_session(session)
    data = read_manifest(session.folder) or {"schema": MANIFEST_SCHEMA}
    data["state"] = "recovered"
    atomic_write_json(session.folder / MANIFEST_NAME, data)
    logger.info("recovered %s (%.1f s)", session.folder.name, session.meta.duration)
    return session


def discard(session: Session) -> None:
    """Mark an unfinished recording as finished without repairing (user declined)."""
    data = read_manifest(session.folder) or {"schema": MANIFEST_SCHEMA}
    data["state"] = "abandoned"
    atomic_write_json(session.folder / MANIFEST_NAME, data)

