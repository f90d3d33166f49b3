"""A stand-in for the `sounddevice` module: an input stream fed from an array.

The stream calls the recorder's callback from its own thread, like
PortAudio does, either as fast as possible or at real-time pace.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np


class PortAudioError(Exception):
    pass


class _Default:
    device: tuple[int, int] | None = (0, 0)


class FakeStream:
    def __init__(self, sd: FakeSoundDevice, **kwargs: Any) -> None:
        self.sd = sd
        self.samplerate = kwargs["samplerate"]
        self.channels = kwargs["channels"]
        self.blocksize = kwargs["blocksize"]
        self.callback: Callable[..., None] = kwargs["callback"]
        self.finished_callback: Callable[[], None] | None = kwargs.get("finished_callback")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._feed, daemon=True)
        sd.streams.append(self)

    def start(self) -> None:
        if self.sd.fail_open:
            raise PortAudioError(self.sd.fail_open)
        self.sd.started_at = time.monotonic()
        self._thread.start()

    def _feed(self) -> None:
        data = self.sd.source
        if data.ndim == 1:
            data = data[:, None]
        if data.shape[1] != self.channels:
            data = np.repeat(data[:, :1], self.channels, axis=1)
        pos = 0
        t0 = time.monotonic()
        while not self._stop.is_set() and pos < len(data):
            block = data[pos : pos + self.blocksize]
            self.callback(block, len(block), None, None)
            self.sd.fed += len(block)
            pos += len(block)
            if self.sd.on_fed:
                self.sd.on_fed(self.sd.fed)
            if self.sd.realtime:
                wait = t0 + pos / self.samplerate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
        if self.sd.unplug_at_end and not self._stop.is_set():
            if self.finished_callback:
                self.finished_callback()
            return
        self._stop.wait()
        if self.finished_callback:
            self.finished_callback()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def close(self) -> None:
        self.stop()


class FakeSoundDevice:
    """Module-like object: `query_devices`, `check_input_settings`, `InputStream`."""

    PortAudioError = PortAudioError

    def __init__(
        self,
        source: np.ndarray,
        *,
        rate: int = 16_000,
        channels: int = 1,
        realtime: bool = False,
        supported_rates: tuple[int, ...] | None = None,
        devices: list[dict[str, Any]] | None = None,
    ) -> None:
        self.source = source
        self.rate = rate
        self.realtime = realtime
        self.supported_rates = supported_rates or (rate,)
        self.channels = channels
        self.default = _Default()
        self.devices = devices if devices is not None else [
            {"name": "Fake microphone", "max_input_channels": channels,
             "default_samplerate": float(rate)}
        ]  # fmt: skip
        self.streams: list[FakeStream] = []
        self.fed = 0
        self.started_at = 0.0
        self.unplug_at_end = False
        self.fail_open: str | None = None
        self.on_fed: Callable[[int], None] | None = None

    def query_devices(self) -> list[dict[str, Any]]:
        return self.devices

    def check_input_settings(self, **kwargs: Any) -> None:
        if kwargs.get("samplerate") not in self.supported_rates:
            raise PortAudioError("Invalid sample rate")
        if kwargs.get("channels", 1) > self.channels:
            raise PortAudioError("Invalid number of channels")

    def InputStream(self, **kwargs: Any) -> FakeStream:
        return FakeStream(self, **kwargs)
