"""Shared pieces of the long-meeting soaks: synthetic meetings, RSS sampling, reports.

Nothing here is imported by the app. The soaks build their inputs in a temporary
folder (never in the repository) from the public-domain `resources/samples/jfk.flac`.
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
JFK = REPO / "resources" / "samples" / "jfk.flac"
SR = 16_000
JFK_PHRASE = re.compile(r"ask\s+not\s+what\s+your\s+country", re.IGNORECASE)


def jfk_samples() -> np.ndarray:
    import soundfile as sf

    data, rate = sf.read(str(JFK), dtype="int16")
    assert rate == SR and data.ndim == 1, "jfk.flac is 16 kHz mono"
    return np.asarray(data, dtype=np.int16)


def meeting_blocks(
    hours: float, every_s: float = 60.0, noise: float = 20.0, seed: int = 0
) -> Iterator[tuple[np.ndarray, float | None]]:
    """int16 blocks of a synthetic meeting: jfk.flac at the start of every `every_s` slot,
    low noise (`noise` int16 RMS, about -64 dBFS) between. Yields (block, clip start or None)."""
    clip = jfk_samples()
    slot = int(every_s * SR)
    total = int(hours * 3600 * SR)
    rng = np.random.default_rng(seed)
    pos = 0
    while pos < total:
        n = min(slot, total - pos)
        block = np.round(rng.standard_normal(n) * noise).astype(np.int16)
        start: float | None = None
        if n >= clip.size + SR:  # a whole clip fits (the last, short slot may stay quiet)
            block[: clip.size] = np.clip(block[: clip.size].astype(np.int32) + clip, -32768, 32767)
            start = pos / SR
        yield block, start
        pos += n


def write_meeting(path: Path, hours: float, every_s: float = 60.0) -> list[float]:
    """Write the meeting as FLAC/WAV (by suffix) block by block; return the clip start times."""
    import soundfile as sf

    starts: list[float] = []
    fmt = "FLAC" if path.suffix.lower() == ".flac" else "WAV"
    with sf.SoundFile(str(path), "w", SR, 1, subtype="PCM_16", format=fmt) as out:
        for block, start in meeting_blocks(hours, every_s):
            out.write(block)
            if start is not None:
                starts.append(start)
    return starts


def write_meeting_raw(path: Path, hours: float, every_s: float = 60.0) -> list[float]:
    """The same meeting as headerless little-endian int16 (for the ALSA file device)."""
    starts: list[float] = []
    with path.open("wb") as out:
        for block, start in meeting_blocks(hours, every_s):
            out.write(block.astype("<i2").tobytes())
            if start is not None:
                starts.append(start)
    return starts


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its children, MB (psutil; /proc as a fallback)."""
    try:
        import psutil

        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total / 2**20
    except ImportError:
        return _proc_rss_kb(pid) / 1024


def _proc_rss_kb(pid: int) -> float:
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += float(line.split()[1])
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            with contextlib.suppress(OSError, ValueError):
                total += _proc_rss_kb(int(child))
    return total


@dataclass
class RssSampler:
    """Samples (seconds since start, RSS MB, progress 0..1) every `interval` seconds."""

    pid: int
    progress: Callable[[], float]
    interval: float = 1.0
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> RssSampler:
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss = tree_rss_mb(self.pid)
            except (OSError, ProcessLookupError):
                rss = 0.0
            except Exception:  # psutil.NoSuchProcess at the very end
                rss = 0.0
            if rss > 0:
                self.samples.append((time.monotonic() - self._t0, rss, self.progress()))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    @property
    def peak(self) -> float:
        return max((s[1] for s in self.samples), default=0.0)

    def at_progress(self, fraction: float) -> tuple[float, float] | None:
        """(seconds, RSS MB) of the first sample at or past `fraction` of progress."""
        return next(((t, r) for t, r, p in self.samples if p >= fraction), None)

    def growth_mb_per_hour(self, lo: float = 0.1, hi: float = 0.9) -> float:
        """Least-squares slope of RSS over progress between `lo` and `hi`, MB per unit of
        progress (for an 8 h input: per 8 h of audio); near 0 = flat."""
        pts = [(p, r) for _, r, p in self.samples if lo <= p <= hi]
        if len(pts) < 3:
            return float("nan")
        xs, ys = zip(*pts, strict=True)
        return float(np.polyfit(xs, ys, 1)[0])

    def table(self, marks: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9, 1.0)) -> str:
        lines = ["| progress | wall time (s) | RSS (MB) |", "|---:|---:|---:|"]
        for m in marks:
            hit = self.at_progress(m)
            if hit:
                lines.append(f"| {m:.0%} | {hit[0]:.0f} | {hit[1]:.0f} |")
        return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_with_progress(
    cmd: list[str], env: dict[str, str], parse: Callable[[str], float | None]
) -> tuple[subprocess.Popen[bytes], Callable[[], float], list[str]]:
    """Start `cmd`; a thread reads its stderr and keeps the last progress `parse` found."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    state = {"progress": 0.0}
    tail: list[str] = []

    def reader() -> None:
        assert proc.stderr is not None
        buf = b""
        while True:
            chunk = proc.stderr.read1(4096)  # type: ignore[attr-defined]
            if not chunk:
                break
            buf = (buf + chunk)[-8192:]
            for piece in re.split(rb"[\r\n]", buf):
                value = parse(piece.decode("utf-8", "replace"))
                if value is not None:
                    state["progress"] = max(state["progress"], value)
            text = chunk.decode("utf-8", "replace")
            tail.extend(line for line in re.split(r"[\r\n]", text) if line.strip())
            del tail[:-40]

    threading.Thread(target=reader, daemon=True).start()
    return proc, lambda: state["progress"], tail


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "max": float("nan"), "p99": float("nan"), "median": float("nan")}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"n": len(values), "max": ordered[-1], "p99": p99, "median": statistics.median(values)}
