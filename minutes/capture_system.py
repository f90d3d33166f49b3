"""System audio (what the computer plays) as a capture source, on Linux.

The monitor source of an output (PulseAudio, or PipeWire through its Pulse
interface) is read with PulseAudio's own `parec` and listed with `pactl`
(package pulseaudio-utils). `PulseMonitors` offers the small part of the
`sounddevice` module that `minutes.capture.Recorder` uses (`query_devices`,
`default`, `check_input_settings`, `InputStream`), so system audio is recorded
by the same recorder as a microphone, with the same guarantees: written to disk
as it arrives, a crash leaves a recoverable file, a server that goes away is
reported as a lost device and what was recorded is kept.

Why processes and not a Python binding: `soundcard` connects to the server once,
at import (it asserts when no server runs and cannot reconnect after a restart);
`pulsectl` controls the server but does not record. A `parec` per recording
starts clean every time, and a dead server is simply a process that ends.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from minutes.capture import SYSTEM_PREFIX, InputDevice
from minutes.capture_clock import BlockTime

logger = logging.getLogger(__name__)

TIMEOUT_S = 5.0
IDLE_S = 0.3  # no data for this long: the output is idle, its monitor sends nothing
READ_BYTES = 1 << 16  # at most one read of what parec wrote (2 s of 16 kHz stereo)


FOLLOW_DEFAULT = "@DEFAULT_MONITOR@"  # the server's name for the default output's monitor


class SystemAudioUnavailable(RuntimeError):
    """No way to record system audio here; the message says why and what to install."""


@dataclass(frozen=True)
class Monitor:
    """A monitor source: what one output plays."""

    index: int
    name: str  # the server's source name, e.g. "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor"
    channels: int
    rate: int


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemAudioUnavailable(
            f"recording system audio needs `{name}` (Debian/Ubuntu: apt install "
            "pulseaudio-utils; it works with PulseAudio and with PipeWire's Pulse server)"
        )
    return path


def _pactl(*args: str) -> str:
    try:
        done = subprocess.run(
            [_tool("pactl"), *args], capture_output=True, text=True, timeout=TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        raise SystemAudioUnavailable("the sound server does not answer (pactl timed out)") from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"pactl exited with {done.returncode}"
        raise SystemAudioUnavailable(f"no sound server to record system audio from: {reason}")
    return done.stdout


def list_monitors() -> list[Monitor]:
    """The monitor sources of the running sound server.

    Raises:
        SystemAudioUnavailable: `pactl` is missing or no server runs.
    """
    out: list[Monitor] = []
    for line in _pactl("list", "short", "sources").splitlines():
        fields = line.split("\t")
        if len(fields) < 4 or not fields[1].endswith(".monitor"):
            continue
        spec = fields[3].split()  # e.g. "s16le 2ch 44100Hz"
        channels = next((int(s[:-2]) for s in spec if s.endswith("ch") and s[:-2].isdigit()), 2)
        rate = next((int(s[:-2]) for s in spec if s.endswith("Hz") and s[:-2].isdigit()), 48000)
        out.append(Monitor(int(fields[0]), fields[1], channels, rate))
    return out


def default_monitor_name() -> str | None:
    """The monitor of the current default output (what the user hears), if any."""
    try:
        sink = _pactl("get-default-sink").strip()
    except SystemAudioUnavailable:
        return None
    return f"{sink}.monitor" if sink else None


class _Default:
    def __init__(self, device: tuple[int, int]) -> None:
        self.device = device


class PulseMonitors:
    """The `sounddevice` surface `Recorder` uses, over the server's monitor sources."""

    def __init__(self) -> None:
        self.monitors = list_monitors()
        default = default_monitor_name()
        # Positions in the list, as PortAudio numbers devices (`list_input_devices`).
        index = next((i for i, m in enumerate(self.monitors) if m.name == default), -1)
        self.default = _Default((index, -1))

    def query_devices(self) -> list[dict[str, Any]]:
        return [
            {"name": m.name, "max_input_channels": m.channels,
             "default_samplerate": float(m.rate)}
            for m in self.monitors
        ]  # fmt: skip

    def _find(self, device: int | str | None) -> Monitor:
        if device is None:
            device = self.default.device[0]
        if isinstance(device, int) and 0 <= device < len(self.monitors):
            return self.monitors[device]
        for m in self.monitors:
            if device == m.name:
                return m
        raise SystemAudioUnavailable(f"no system audio source {device!r}")

    def check_input_settings(self, device: int | str | None = None, **_: Any) -> None:
        self._find(device)  # the server converts any rate and channel count

    def InputStream(self, **kw: Any) -> MonitorStream:
        monitor = self._find(kw.get("device"))
        if kw.get("device") is None:
            # No source named: follow the default output, so that plugging in headphones
            # (the meeting moves to them) moves the recording along (the server moves a
            # stream made on @DEFAULT_MONITOR@ when the default output changes).
            monitor = Monitor(monitor.index, FOLLOW_DEFAULT, monitor.channels, monitor.rate)
        return MonitorStream(monitor, **kw)


class MonitorStream:
    """`parec` reading one monitor source as raw 16-bit PCM, handed to `callback` in blocks
    on a reader thread, as PortAudio would; `finished_callback` when the process ends.
    While the output is idle (nothing plays), silence is written in its place."""

    def __init__(
        self,
        monitor: Monitor,
        *,
        samplerate: int,
        channels: int,
        blocksize: int,
        callback: Callable[[np.ndarray, int, Any, Any], None],
        finished_callback: Callable[[], None] | None = None,
        **_: Any,
    ) -> None:
        self.monitor = monitor
        self.samplerate = samplerate
        self.channels = channels
        self.blocksize = blocksize
        self._callback = callback
        self._finished = finished_callback
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._lock = threading.Lock()  # one block at a time reaches the callback
        self._ended = threading.Event()
        self._delivered = 0
        self._started = self._last_data = 0.0

    @property
    def active(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        command = [
            _tool("parec"), f"--device={self.monitor.name}", "--format=s16le",
            f"--rate={self.samplerate}", f"--channels={self.channels}", "--raw",
            "--latency-msec=50",
        ]  # fmt: skip
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0
        )
        self._started = self._last_data = time.monotonic()
        self._thread = threading.Thread(target=self._read, name="parec-reader", daemon=True)
        self._thread.start()
        threading.Thread(target=self._fill_silence, name="parec-idle", daemon=True).start()

    def _deliver(self, block: np.ndarray, captured_end: float | None = None) -> None:
        with self._lock:
            timing = BlockTime(captured_end) if captured_end is not None else None
            self._callback(block, len(block), timing, None)
            self._delivered += len(block)
            self._last_data = time.monotonic()

    def _read(self) -> None:
        """Whatever `parec` has written is read at once and timed on arrival: a block that
        ends inside a read was captured that read's remaining frames earlier. (Timing each
        block by when it completes instead adds up to one of parec's writes, differently
        for each track, which the tracks' clocks would carry into the mix.)"""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        frame_bytes = 2 * self.channels
        want = self.blocksize * frame_bytes
        pending = bytearray()
        try:
            while True:
                chunk = os.read(fd, max(want, READ_BYTES))
                arrived = time.monotonic()
                if not chunk:
                    break
                pending += chunk
                while len(pending) >= want:
                    block = np.frombuffer(bytes(pending[:want]), dtype="<i2")
                    del pending[:want]
                    still = len(pending) // frame_bytes  # frames after this block, same read
                    self._deliver(
                        block.reshape(-1, self.channels), arrived - still / self.samplerate
                    )
        finally:
            usable = len(pending) - len(pending) % frame_bytes
            if usable:
                self._deliver(
                    np.frombuffer(bytes(pending[:usable]), dtype="<i2").reshape(-1, self.channels)
                )
            self._ended.set()
            if self._finished is not None:
                self._finished()

    def _fill_silence(self) -> None:
        """An output that plays nothing is idle, and its monitor then delivers nothing at all:
        write silence for that time, so the track keeps the meeting's clock."""
        while not self._ended.wait(self.blocksize / self.samplerate):
            with self._lock:
                if time.monotonic() - self._last_data < IDLE_S:
                    continue
                behind = int((time.monotonic() - self._started) * self.samplerate)
                missing = behind - self._delivered
                if missing < self.blocksize:
                    continue
            self._deliver(np.zeros((missing, self.channels), dtype=np.int16))

    def stop(self) -> None:
        self._stopping = True
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
        if self._thread is not None:
            self._thread.join(TIMEOUT_S)

    def close(self) -> None:
        self.stop()


def open_monitors() -> PulseMonitors:
    """The system-audio sources of this computer.

    Raises:
        SystemAudioUnavailable: another OS, no sound server, or pulseaudio-utils missing.
    """
    if sys.platform != "linux":
        raise SystemAudioUnavailable(
            "recording system audio is built in on Linux (PulseAudio or PipeWire) for now; "
            "on Windows and macOS record a loopback device such as VB-CABLE or BlackHole "
            "as a microphone (see the README)"
        )
    return PulseMonitors()


def system_input_devices() -> list[InputDevice]:
    """The system-audio sources to offer next to the microphones (empty, with the reason in
    the log, where there are none: another OS, no sound server, pulseaudio-utils missing)."""
    try:
        monitors = open_monitors()
    except SystemAudioUnavailable as exc:
        logger.info("no system audio source: %s", exc)
        return []
    default = monitors.default.device[0]
    return [
        InputDevice(i, m.name, m.channels, float(m.rate), i == default, kind="system")
        for i, m in enumerate(monitors.monitors)
    ]


def recorder_source(choice: int | str | None, microphones: Any) -> tuple[Any, int | str | None]:
    """The device surface and device for a device choice: system audio for a choice that
    starts with `SYSTEM_PREFIX`, else the microphones' (`sounddevice`).

    Raises:
        SystemAudioUnavailable: a system source was chosen and cannot be used now.
    """
    if isinstance(choice, str) and choice.startswith(SYSTEM_PREFIX):
        return open_monitors(), choice[len(SYSTEM_PREFIX):]
    return microphones, choice
