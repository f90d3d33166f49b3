"""Each capture device runs on its own clock; this follows it against the computer's.

A microphone and the system's output are two sound cards (or a card and a
virtual sink), each with a crystal of its own: over an hour they drift apart
by tens to hundreds of milliseconds. The system-audio monitor also jumps: an
output that falls idle delivers nothing and silence is filled in by the
computer's clock (minutes.capture_system). So each track keeps a log of where
its samples sit on the common clock (`time.monotonic()`): every block's
arrival gives `offset = arrival - frames / rate`; over each window of a few
seconds the smallest offset is kept (an audio callback is only ever late, never
early), as one anchor (frames, offset). The mix (minutes.capture_mix) maps the
track onto the common clock through these anchors, which follows slow drift
and the monitor's jumps alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIRST_WINDOW_S = 1.0  # the first anchor comes early, so even a short track has one
WINDOW_S = 2.0  # anchors over an hour: 1,800 per track, about 100 KB of clock.jsonl


@dataclass(frozen=True)
class BlockTime:
    """Handed to a capture callback (in place of PortAudio's time info) by a source that
    knows better than the callback's own arrival time when a block's last frame came in:
    `captured_end` is on the common clock (`time.monotonic()`)."""

    captured_end: float


@dataclass(frozen=True)
class Anchor:
    """Frame `frames` of the track was taken at `frames / rate + offset` (common clock)."""

    frames: float
    offset: float


@dataclass
class ClockLog:
    """The anchors of one track, fed from its audio callback (one thread) and read from
    another (`anchors` only grows; reading its length is atomic)."""

    rate: float  # the device's nominal frames per second
    anchors: list[Anchor] = field(default_factory=list)
    _window_start: float | None = None
    _best: Anchor | None = None

    def add(self, t: float, frames: float) -> None:
        """A block ending at frame `frames` arrived at time `t` (seconds, common clock)."""
        offset = t - frames / self.rate
        if self._best is None or offset < self._best.offset:
            self._best = Anchor(frames, offset)
        if self._window_start is None:
            self._window_start = t
        span = WINDOW_S if self.anchors else FIRST_WINDOW_S
        if t - self._window_start >= span:
            self.close_window()

    def close_window(self) -> None:
        """End the current window (also at Stop and Pause: its best point becomes an anchor)."""
        if self._best is not None:
            self.anchors.append(self._best)
        self._best, self._window_start = None, None

    def pause(self) -> None:
        """Time does not run for a paused track: the next block starts a new window."""
        self.close_window()
