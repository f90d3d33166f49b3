"""Progress reporting and cooperative cancellation shared by CLI and GUI.

Thread contract: `CancelToken.cancel()` may be called from any thread; the
worker polls `raise_if_cancelled()` between units of work (per segment,
per window). Progress callbacks are called on the worker thread (or, for
`EstimatedProgress`, on its timer thread, one call at a time) and must not
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
    eta_s: float | None = None  # seconds left, where the job can tell (minutes.llm.pace)


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


class EstimatedProgress:
    """A stage's progress that keeps rising between its backend's reports.

    A backend reports only when it finishes a piece of work: the batched decoder a
    whole window of audio (up to minutes), a server its answer, and nothing while
    the model loads. Between two reports this moves the bar on by an estimate, at
    the speed measured so far (or `prior_speed` before the first report), easing
    towards the end of the piece in flight and never reaching it, so the bar never
    claims work that is not done and never goes back. Calls come from the worker
    thread and from a timer thread; both go through one lock.

    Use as a context manager around the stage; call it with the stage's real
    fraction as usual, and `expect(until)` with where the piece in flight ends.
    """

    def __init__(
        self,
        stage: Callable[[float, str], None],
        message: str,
        *,
        prior_speed: float = 0.02,
        tick_s: float = 0.5,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self._stage = stage
        self._message = message
        self._speed = prior_speed  # fraction per second
        self._tick_s = tick_s
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._shown = 0.0
        self._real = 0.0
        self._origin: float | None = None
        self._real_at = self._started = self._clock()
        self._until = 1.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> EstimatedProgress:
        self._thread = threading.Thread(target=self._run, name="progress-estimate", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def expect(self, until: float) -> None:
        """The piece of work in flight ends at `until` (a fraction of the stage)."""
        with self._lock:
            self._until = min(max(until, self._real), 1.0)

    def __call__(self, fraction: float, message: str = "") -> None:
        with self._lock:
            now = self._clock()
            if self._origin is None:  # where the stage starts (a resumed one part-way)
                self._origin, self._started = fraction, now
            elif fraction > self._real and now > self._started:
                self._speed = max((fraction - self._origin) / (now - self._started), 1e-6)
            self._real = max(self._real, fraction)
            self._real_at = now
            self._until = max(self._until, self._real)
            self._message = message or self._message
            self._show(self._real, force=True)

    def estimate(self) -> float:
        """Where the bar would be now: the last report plus the expected share of the piece
        in flight, approaching its end exponentially."""
        import math

        with self._lock:
            gap = self._until - self._real
            if gap <= 0:
                return self._real
            expected_s = gap / self._speed
            elapsed = self._clock() - self._real_at
            return self._real + 0.9 * gap * (1.0 - math.exp(-elapsed / expected_s))

    def tick(self) -> None:
        """Show the estimate (the timer thread calls this; tests call it directly)."""
        value = self.estimate()
        with self._lock:
            self._show(value)

    def _show(self, value: float, force: bool = False) -> None:
        """Report `value` unless the bar is already further (a real report always goes out,
        at least where the bar is, so its message shows)."""
        if value > self._shown or force:
            self._shown = max(self._shown, value)
            self._stage(self._shown, self._message)

    def _run(self) -> None:
        while not self._stop.wait(self._tick_s):
            self.tick()
