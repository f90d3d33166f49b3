"""Microphone capture into a session folder, crash-safe (see `minutes.capture_disk`).

Thread contract:
- The audio callback (PortAudio's thread) only copies the block, updates
  the level and puts the copy on the writer's unbounded queue: it never
  blocks, never writes to disk and never drops a block.
- One writer thread (`CaptureWriter`) owns the file: it converts blocks to
  16 kHz mono int16 (resampling when the device runs at another rate),
  writes, flushes and reports errors through `on_error`.
- `Recorder.start/pause/resume/stop/poll` are called from one controlling
  thread (the GUI thread). `samples_written`, `level` and `seconds` may be
  read from any thread. `on_error` may be called on any thread.

`sounddevice` is injected (`sd=`), so tests can feed a fake stream.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from minutes.atomic import atomic_write_json
from minutes.audio import SAMPLE_RATE
from minutes.capture_clock import BlockTime, ClockLog
from minutes.capture_disk import (
    ACTIVE,
    AUDIO_NAME,
    BYTES_PER_SAMPLE,
    HEADER_BYTES,
    MANIFEST_NAME,
    MANIFEST_SCHEMA,
    CaptureWriter,
    ErrorCallback,
    discard,
    finish_session,
    os_reason,
    read_samples,
    recover,
    repair_wav,
    start_session,
    unfinished_recordings,
    wav_header,
)

__all__ = [
    "AUDIO_NAME", "BYTES_PER_SAMPLE", "HEADER_BYTES", "MANIFEST_NAME", "CaptureError",
    "CaptureWriter", "InputDevice", "Recorder", "discard", "finish_session",
    "list_input_devices", "read_samples", "recover", "repair_wav", "start_session",
    "unfinished_recordings", "wav_header",
]

logger = logging.getLogger(__name__)


class CaptureError(Exception):
    """Recording cannot start or continue; the message is meant for the user."""


SYSTEM_PREFIX = "system:"  # a device choice meaning a system-audio (monitor) source


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_rate: float
    is_default: bool
    kind: str = "mic"  # "mic", or "system": what the computer plays (minutes.capture_system)

    @property
    def choice(self) -> str:
        """How the device is chosen (settings, `Recorder`): its name, system ones prefixed."""
        return SYSTEM_PREFIX + self.name if self.kind == "system" else self.name


def list_input_devices(sd: Any) -> list[InputDevice]:
    """Input devices as PortAudio sees them (empty when there are none)."""
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0] if sd.default.device is not None else -1
    except Exception as exc:  # PortAudio missing or broken
        logger.warning("cannot list audio devices: %s", exc)
        return []
    return [
        InputDevice(i, str(d["name"]), int(d["max_input_channels"]),
                    float(d["default_samplerate"]), i == default_in)
        for i, d in enumerate(devices)
        if int(d.get("max_input_channels", 0)) > 0
    ]  # fmt: skip


class Recorder:
    """Records one input device into `folder/audio.wav` until stopped.

    Args:
        folder: The session folder (exists).
        sd: The `sounddevice` module (or a fake with the same surface).
        device: Device index or name; None = the system default.
        max_seconds: Stop by itself after this much audio (None = no limit).
        on_error: Called with a user message when recording fails midway
            (writer or device); may run on any thread.
        file_name: The track's file in `folder` (one track of several:
            `minutes.capture_tracks`).
        manifest: Write the recording manifest (the owner of several tracks
            writes one for all of them).
        clock_origin: `time.monotonic()` value the track's clock fit is
            relative to (shared by the tracks of one recording).
    """

    def __init__(
        self,
        folder: Path,
        *,
        sd: Any = None,
        device: int | str | None = None,
        max_seconds: float | None = None,
        flush_interval: float = 0.5,
        block_seconds: float = 0.1,
        stall_seconds: float = 3.0,
        on_error: ErrorCallback | None = None,
        file_name: str = AUDIO_NAME,
        manifest: bool = True,
        clock_origin: float | None = None,
    ) -> None:
        if sd is None:
            import sounddevice

            sd = sounddevice
        self.folder = folder
        self.path = folder / file_name
        self._manifest = manifest
        # Where the track's samples sit on the computer's clock (minutes.capture_clock).
        self.clock = ClockLog(SAMPLE_RATE)
        self.clock_origin = time.monotonic() if clock_origin is None else clock_origin
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self.sd = sd
        self.device = device
        self.max_seconds = max_seconds
        self.flush_interval = flush_interval
        self.block_seconds = block_seconds
        self.stall_seconds = stall_seconds
        self.on_error = on_error
        self.state = "idle"  # idle | recording | paused | stopped | failed
        self.error: str | None = None
        self.error_kind: str | None = None  # "disk_full" | "device_lost" | "write_failed"
        self.level = 0.0
        self.frames = 0  # device frames taken into the recording
        self.rate = SAMPLE_RATE
        self.auto_stopped = False
        self.writer: CaptureWriter | None = None
        self._stream: Any = None
        self._paused = False
        self._stopping = False
        self._limit: int | None = None
        self._last_block = time.monotonic()
        self._device_name = ""

    @property
    def seconds(self) -> float:
        """Recorded audio so far (pauses excluded)."""
        return self.frames / self.rate if self.rate else 0.0

    @property
    def device_name(self) -> str:
        return self._device_name

    @property
    def samples_written(self) -> int:
        return self.writer.samples_written if self.writer else 0

    def start(self) -> None:
        """Open the device and start writing. Raises CaptureError with a clear reason."""
        rate, channels = self._choose_settings()
        self.rate = rate
        self.clock = ClockLog(rate)
        self._limit = int(self.max_seconds * rate) if self.max_seconds else None
        self.writer = CaptureWriter(
            self.path, rate, channels, flush_interval=self.flush_interval,
            on_error=self._writer_failed,
        )  # fmt: skip
        try:
            self.writer.start()
        except OSError as exc:
            raise CaptureError(f"Cannot create {self.path} ({os_reason(exc)}).") from exc
        self._write_manifest("recording")
        ACTIVE.add(self.folder.resolve())
        try:
            self._stream = self.sd.InputStream(
                device=self.device, samplerate=rate, channels=channels, dtype="int16",
                blocksize=max(int(rate * self.block_seconds), 1), callback=self._callback,
                finished_callback=self._stream_finished,
            )  # fmt: skip
            self._last_block = time.monotonic()
            self.state = "recording"  # before start: the device may fail at once (callback)
            self._stream.start()
        except Exception as exc:
            self.writer.close()
            self.state = "failed"
            self._write_manifest("finished")
            ACTIVE.discard(self.folder.resolve())
            raise CaptureError(f"Cannot open the input device {self._device_name}: {exc}") from exc

    def _choose_settings(self) -> tuple[int, int]:
        devices = list_input_devices(self.sd)
        if not devices:
            raise CaptureError("No input device found. Connect a microphone and try again.")
        info = next((d for d in devices if d.index == self.device or d.name == self.device), None)
        if info is None and self.device is not None:
            raise CaptureError(f"The input device {self.device!r} is not available.")
        info = info or next((d for d in devices if d.is_default), devices[0])
        self._device_name = info.name
        for rate, channels in ((SAMPLE_RATE, 1), (int(info.default_rate), 1),
                               (int(info.default_rate), info.channels)):  # fmt: skip
            try:
                self.sd.check_input_settings(
                    device=self.device, samplerate=rate, channels=channels, dtype="int16"
                )
                return rate, channels
            except Exception as exc:
                logger.info("device %s: %s Hz x%d not usable (%s)", info.name, rate, channels, exc)
        raise CaptureError(f"The input device {info.name!r} supports no usable format.")

    def _callback(self, indata: Any, frames: int, _time: Any, status: Any) -> None:
        # PortAudio's thread: copy, enqueue, never block or drop.
        now = self._last_block = time.monotonic()
        arrived = _time.captured_end if isinstance(_time, BlockTime) else now
        if status:
            logger.warning("input stream status: %s", status)
        if self._paused or self._stopping or self.writer is None:
            return
        block = indata
        if self._limit is not None and self.frames + frames >= self._limit:
            block = indata[: max(self._limit - self.frames, 0)]
            self.auto_stopped = True
            self._stopping = True
        if len(block):
            self.writer.put(np.array(block, dtype=np.int16, copy=True))
            self.frames += len(block)
            self.level = float(np.abs(block).max()) / 32768.0
            self.clock.add(arrived - self.clock_origin - self._paused_total, self.frames)

    def _stream_finished(self) -> None:
        if not self._stopping and self.state in ("recording", "paused"):
            self._fail("The input device stopped delivering audio (was it unplugged?). "
                       "The audio recorded so far is kept.", "device_lost")  # fmt: skip

    def _writer_failed(self, message: str) -> None:
        self._stopping = True
        kind = self.writer.error_kind if self.writer is not None else None
        self._fail(message, kind or "write_failed")

    def _fail(self, message: str, kind: str) -> None:
        if self.error is None:
            self.error, self.error_kind = message, kind
            if self.on_error:
                self.on_error(message)

    def _stream_broken(self) -> str | None:
        """Why PortAudio says the stream is dead (device removed), or None while it runs."""
        if self._stream is None:
            return None
        try:
            active = self._stream.active
        except AttributeError:  # a stream object without the property: rely on the watchdog
            return None
        except Exception as exc:  # PortAudioError: the device is gone
            return str(exc) or type(exc).__name__
        return None if active else "the stream stopped"

    def poll(self) -> str | None:
        """Call a few times a second: detects a dead or silent device; returns an error."""
        if self.state == "recording" and not self._stopping:
            broken = self._stream_broken()
            if broken is not None:
                self._fail(f"The input device was disconnected ({broken}). "
                           "The audio recorded so far is kept.", "device_lost")  # fmt: skip
            elif time.monotonic() - self._last_block > self.stall_seconds:
                self._fail("No audio arrives from the input device (was it unplugged?). "
                           "The audio recorded so far is kept.", "device_lost")  # fmt: skip
        return self.error

    @property
    def finished_by_itself(self) -> bool:
        """The limit was reached or the device/disk failed: the caller should `stop`."""
        return self.state in ("recording", "paused") and (self._stopping or self.error is not None)

    def pause(self) -> None:
        if self.state == "recording":
            self._paused, self.state = True, "paused"
            self._paused_at = time.monotonic()
            self.clock.pause()
            self._write_manifest("paused")

    def resume(self) -> None:
        if self.state == "paused":
            now = time.monotonic()
            if self._paused_at is not None:  # the clock fit counts recorded time only
                self._paused_total += now - self._paused_at
                self._paused_at = None
            self._paused, self.state = False, "recording"
            self._last_block = now
            self._write_manifest("recording")

    def stop(self) -> Path:
        """Stop the device, write out everything captured, finalise the files."""
        if self.state in ("idle", "stopped"):
            return self.path
        self._stopping = True
        if self._stream is not None:
            with contextlib.suppress(Exception):
                self._stream.stop()
            with contextlib.suppress(Exception):
                self._stream.close()
        if self.writer is not None:
            self.writer.close()
        self.clock.close_window()
        self.state = "stopped"
        self._write_manifest("finished")
        ACTIVE.discard(self.folder.resolve())
        return self.path

    def _write_manifest(self, state: str) -> None:
        if not self._manifest:
            return
        data = {
            "schema": MANIFEST_SCHEMA, "state": state, "audio": AUDIO_NAME,
            "sample_rate": SAMPLE_RATE, "device": self._device_name, "device_rate": self.rate,
            "pid": os.getpid(),
            "updated": datetime.now().astimezone().isoformat(timespec="seconds"),
        }  # fmt: skip
        try:
            atomic_write_json(self.folder / MANIFEST_NAME, data)
        except OSError as exc:  # the audio itself matters more than the manifest
            logger.warning("cannot write the recording manifest: %s", exc)
