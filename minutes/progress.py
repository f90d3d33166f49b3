"""Progress reporting and cooperative cancellation shared by CLI and GUI.

Thread contract: `CancelToken.cancel()` may be called from any thread; the
worker polls `raise_if_cancelled()` between units of work (per segment,
per window). Progress callbacks are called on the worker thread and must not
touch widgets directly (the GUI marshals them through a Qt signal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

ProgressCallback = Callable[["Progress"], None]


class Cancelled(Exception):
    """Raised inside a worker when the user cancelled the job."""


@dataclass(frozen=True)
class Progress:
    """A point on one rising 0..1 scale for the whole job."""

    fraction: float
    stage: str
    message: str = ""


class CancelToken:
    """A thread-safe flag the caller sets and the worker checks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def null_progress(_: Progress) -> None:
    """A progress callback that ignores everything."""


class StageProgress:
    """Maps a stage's own 0..1 progress onto a slice of the overall scale."""

    def __init__(
        self, callback: ProgressCallback, stage: str, lo: float = 0.0, hi: float = 1.0
    ) -> None:
        self._callback = callback
        self._stage = stage
        self._lo = lo
        self._hi = hi

    def __call__(self, fraction: float, message: str = "") -> None:
        f = min(max(fraction, 0.0), 1.0)
        self._callback(Progress(self._lo + f * (self._hi - self._lo), self._stage, message))
