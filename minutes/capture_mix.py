"""Two tracks of one recording put on one clock and mixed into the audio ASR reads.

The tracks (`mic.wav`, `system.wav`, 16 kHz as written) stay as they are; the
mix (`audio.wav`) is built from them after the recording ends, or after a
crash when it is recovered. Each track's clock anchors (minutes.capture_clock,
in `clock.jsonl`) say where its samples sit on the common clock; one robust line
through them gives the track's lag and drift, and the track is resampled onto
the common clock by it (linear interpolation: drift is parts per million, far
below what speech recognition hears), and the two are averaged (speech recognition
normalises loudness; a sum could clip where both speak). Done in 30-s blocks,
so an eight-hour recording needs no more memory than a short one.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from minutes.audio import SAMPLE_RATE
from minutes.capture_disk import (
    BYTES_PER_SAMPLE,
    HEADER_BYTES,
    read_samples,
    repair_wav,
    wav_header,
)

logger = logging.getLogger(__name__)

BLOCK_S = 30.0
Floats = npt.NDArray[np.float64]


MIN_DRIFT_SPAN_S = 60.0  # anchors spanning less say nothing reliable about drift
MAX_PAIRS_ANCHORS = 240  # Theil-Sen over at most this many anchors (evenly chosen)


@dataclass(frozen=True)
class TrackClock:
    """Where one track sits on the common clock: its samples' lag behind their count,
    `offset(t) = t - position / 16 kHz`, is `lag + drift * t`."""

    name: str
    path: Path
    samples: int
    lag: float  # seconds
    drift: float  # seconds per second (positive: the track's clock runs slow)
    anchors: int = 0

    @property
    def start(self) -> float:
        return self.time_of(0.0)

    @property
    def end(self) -> float:
        return self.time_of(float(self.samples))

    def time_of(self, position: float) -> float:
        return (position / SAMPLE_RATE + self.lag) / (1.0 - self.drift)

    def position_at(self, t: Floats) -> Floats:
        """The track's sample position at common-clock times `t`."""
        return np.asarray(((1.0 - self.drift) * t - self.lag) * SAMPLE_RATE, dtype=np.float64)

    @property
    def drift_ms_per_hour(self) -> float:
        return self.drift * 3_600_000


def fit_clock(times: Floats, positions: Floats) -> tuple[float, float]:
    """(lag, drift) of anchors, robustly: one line through the offsets (Theil-Sen: the
    median of the pairwise slopes), so the system monitor's jumps when an output falls
    idle or wakes up do not bend it. No drift is fitted on less than a minute."""
    if not len(times):
        return 0.0, 0.0
    offsets = times - positions / SAMPLE_RATE
    drift = 0.0
    if len(times) >= 3 and times[-1] - times[0] >= MIN_DRIFT_SPAN_S:
        pick = np.unique(np.linspace(0, len(times) - 1, MAX_PAIRS_ANCHORS).round().astype(int))
        t, o = times[pick], offsets[pick]
        i, j = np.triu_indices(len(t), k=1)
        ok = t[j] - t[i] > 1e-6
        drift = float(np.median((o[j][ok] - o[i][ok]) / (t[j][ok] - t[i][ok])))
    lag = float(np.median(offsets - drift * times))
    return lag, drift


def read_anchors(path: Path) -> dict[str, list[tuple[float, float]]]:
    """{track: [(frames, offset)]} from clock.jsonl; a torn last line (a crash) is skipped."""
    out: dict[str, list[tuple[float, float]]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            item = json.loads(line)
            out.setdefault(str(item["track"]), []).append(
                (float(item["frames"]), float(item["offset"]))
            )
        except (ValueError, KeyError, TypeError):
            continue
    return out


def track_clocks(folder: Path, manifest: dict[str, Any]) -> list[TrackClock]:
    """The manifest's tracks that hold audio, each with its clock (files repaired)."""
    anchors = read_anchors(folder / str(manifest.get("clock") or "clock.jsonl"))
    out: list[TrackClock] = []
    for track in manifest.get("tracks") or []:
        path = folder / str(track.get("file", ""))
        if not path.is_file() or path.stat().st_size <= HEADER_BYTES:
            continue
        samples = repair_wav(path)
        if samples <= 0:
            continue
        name = str(track.get("name", path.stem))
        rate = float(track.get("device_rate") or SAMPLE_RATE)
        out.append(clock_of(name, path, samples, anchors.get(name, []), rate))
    return out


def clock_of(
    name: str, path: Path, samples: int, anchors: list[tuple[float, float]], rate: float
) -> TrackClock:
    """A track's clock from its anchors (frames at the device's `rate`, offset)."""
    points = np.asarray(sorted(anchors), dtype=np.float64).reshape(-1, 2)
    frames, offsets = points[:, 0], points[:, 1]
    lag, drift = fit_clock(frames / rate + offsets, frames * SAMPLE_RATE / rate)
    return TrackClock(name, path, samples, lag, drift, len(points))


def pcm16(x: Floats) -> npt.NDArray[np.int16]:
    """Float samples as the mix's 16-bit PCM (rounded, clipped)."""
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype("<i2")


def mixed(clocks: list[TrackClock], t: Floats) -> Floats:
    """The tracks at common-clock times `t`, averaged (ASR normalises loudness; a sum
    could clip where both speak)."""
    return sum((on_clock(c, t) for c in clocks), np.zeros(len(t))) / len(clocks)


class GrowingMix:
    """The mix of a two-track recording while it is being recorded, as a live
    `AudioSource`: each track on the clock its anchors give so far (read from the
    recorder, which writes them to clock.jsonl only every few seconds), from the first
    track's start, up to where every track has audio. The final mix (`mix_tracks`,
    after Stop) fits the clocks on all anchors, so its samples differ from these by
    the refinement of the tracks' placement that the later anchors bring.

    Args:
        tracks: {name: the track's recorder (`minutes.capture.Recorder`)}: its `path`,
            `samples_written` and `clock` (`minutes.capture_clock.ClockLog`) are read.
        only: Mix only these tracks (still placed on, and limited by, all tracks'
            clock), as `track_speakers.system_on_clock` gives the system track alone
            to the diarizer; None mixes every track.
    """

    def __init__(self, tracks: Mapping[str, Any], only: Collection[str] | None = None) -> None:
        self.tracks = tracks
        self.only = None if only is None else frozenset(only)
        self._t0: float | None = None
        self._clocks: list[TrackClock] = []

    def available(self) -> int:
        """Mix samples that every track has reached (refits the clocks); 0 until every
        track has its first anchor."""
        clocks = []
        for name, recorder in list(self.tracks.items()):
            anchors = [(a.frames, a.offset) for a in list(recorder.clock.anchors)]
            samples = int(recorder.samples_written)
            if not anchors or samples <= 0:
                return 0
            clocks.append(clock_of(name, recorder.path, samples, anchors, recorder.clock.rate))
        if not clocks:
            return 0
        if self._t0 is None:
            self._t0 = min(c.start for c in clocks)
        self._clocks = clocks
        return max(math.floor((min(c.end for c in clocks) - self._t0) * SAMPLE_RATE), 0)

    def read(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        if self._t0 is None or not self._clocks:
            return np.zeros(0, dtype=np.float32)
        t = self._t0 + np.arange(start, stop, dtype=np.float64) / SAMPLE_RATE
        clocks = [c for c in self._clocks if self.only is None or c.name in self.only]
        # As the final mix's 16-bit file reads back.
        return (pcm16(mixed(clocks, t)) / 32768.0).astype(np.float32)


def mix_tracks(
    clocks: list[TrackClock], out: Path, *, t0: float | None = None, seconds: float | None = None
) -> int:
    """Write the tracks, each on the common clock, averaged, to `out` (replaced atomically);
    return the samples written. The mix spans the tracks, or `seconds` from `t0`."""
    if not clocks:
        raise ValueError("no track holds audio")
    t0 = min(c.start for c in clocks) if t0 is None else t0
    if seconds is None:
        seconds = max(c.end for c in clocks) - t0
    total = math.ceil(seconds * SAMPLE_RATE)
    tmp = out.with_name(out.name + ".part")
    block = int(BLOCK_S * SAMPLE_RATE)
    with tmp.open("wb") as fh:
        fh.write(wav_header(0))
        for n0 in range(0, total, block):
            t = t0 + np.arange(n0, min(n0 + block, total), dtype=np.float64) / SAMPLE_RATE
            acc = mixed(clocks, t)
            pcm = pcm16(acc)
            fh.write(pcm.tobytes())
        data = fh.tell() - HEADER_BYTES
        fh.seek(0)
        fh.write(wav_header(data))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    return data // BYTES_PER_SAMPLE


def on_clock(c: TrackClock, t: Floats) -> Floats:
    """The track's signal at common-clock times `t` (0 where it has no sample)."""
    pos = c.position_at(t)
    inside = (pos >= 0) & (pos <= c.samples - 1)
    out = np.zeros(len(t), dtype=np.float64)
    if not inside.any():
        return out
    lo = math.floor(pos[inside].min())
    hi = min(math.ceil(pos[inside].max()) + 1, c.samples)
    src = read_samples(c.path, lo, hi).astype(np.float64)
    out[inside] = np.interp(pos[inside] - lo, np.arange(len(src)), src)
    return out
