"""Who speaks, from the tracks of a two-track recording (minutes.capture_tracks).

The microphone track is the user; the system track is everybody else. So the
user's speech is found on the microphone track without any diarization, and
only the system track is diarized. Without headphones the microphone also
hears the loudspeakers: a stretch of the microphone whose loudness follows
the system track's (an echo) is not the user, while the user talking over the
others (double talk) breaks that likeness and counts as the user.

Work is done on 100-ms loudness envelopes of both tracks placed on the
recording's common clock (minutes.capture_mix), in 30-s blocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from minutes.audio import SAMPLE_RATE
from minutes.capture_mix import BLOCK_S, TrackClock, mix_tracks, on_clock, track_clocks
from minutes.diarize.types import SpeakerTurn

USER_SPEAKER = "ME"  # the speaker id of the microphone track's speech
FRAME_S = 0.1
ACTIVE_DB = 12.0  # above the track's quiet level: speech
ECHO_CORR = 0.6  # loudness that follows the system track this closely is its echo
ECHO_WINDOW = 10  # frames each side for that likeness (about 2 s in all)
ECHO_LAGS = 3  # the echo comes 0-300 ms after the system track (room, clocks)
MIN_TURN_FRAMES = 3
SILENT_RMS = 1e-3  # -60 dBFS: a track this quiet plays nothing
BRIDGE_FRAMES = 3
ECHO_MARGIN_DB = 6.0  # the user's voice is this much louder at the mic than the echo
MIN_GATE_FRAMES = 5  # echo shorter than 0.5 s is left in a live chunk (see without_echo)

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Tracks:
    """The two tracks of a recording, on the common clock from `t0` for `seconds`."""

    mic: TrackClock
    system: TrackClock
    t0: float
    seconds: float


def two_tracks(folder: Path) -> Tracks | None:
    """The recording's microphone and system tracks, or None for a one-track recording."""
    from minutes.capture_disk import read_manifest

    manifest = read_manifest(folder) or {}
    if not manifest.get("tracks"):
        return None
    clocks = {c.name: c for c in track_clocks(folder, manifest)}
    if "mic" not in clocks or "system" not in clocks:
        return None
    t0 = min(c.start for c in clocks.values())
    end = max(c.end for c in clocks.values())
    return Tracks(clocks["mic"], clocks["system"], t0, end - t0)


def envelope(clock: TrackClock, t0: float, seconds: float) -> Floats:
    """RMS loudness per FRAME_S of the track on the common clock."""
    per_frame = int(FRAME_S * SAMPLE_RATE)
    frames = math.ceil(seconds / FRAME_S)
    out = np.zeros(frames)
    step = int(BLOCK_S / FRAME_S)
    for f0 in range(0, frames, step):
        n = min(step, frames - f0)
        t = t0 + (f0 * per_frame + np.arange(n * per_frame)) / SAMPLE_RATE
        x = on_clock(clock, t).reshape(n, per_frame)
        out[f0 : f0 + n] = np.sqrt((x * x).mean(axis=1))
    return out


def active(env: Floats) -> npt.NDArray[np.bool_]:
    """Frames ACTIVE_DB above the track's quiet level (its 20th percentile)."""
    floor = max(float(np.percentile(env, 20)), 1e-5)
    return env > floor * 10 ** (ACTIVE_DB / 20)


def echo(mic: Floats, system: Floats) -> npt.NDArray[np.bool_]:
    """Frames where the microphone's loudness follows the system track's (log envelopes
    correlated over about 2 s, the mic 0-300 ms behind)."""
    a, b = np.log(mic + 1e-5), np.log(system + 1e-5)
    n, w = len(a), ECHO_WINDOW
    best = np.full(n, -1.0)
    for lag in range(ECHO_LAGS + 1):
        shifted = np.concatenate([np.full(lag, b[0]), b[: n - lag]]) if lag else b
        best = np.maximum(best, _rolling_corr(a, shifted, w))
    return best > ECHO_CORR


def _rolling_corr(a: Floats, b: Floats, w: int) -> Floats:
    """Pearson correlation of a and b over [i-w, i+w] at each i (edges padded)."""
    k = np.ones(2 * w + 1)

    def mean(x: Floats) -> Floats:
        padded = np.pad(x, w, mode="edge")
        return np.convolve(padded, k, mode="valid") / len(k)

    ma, mb = mean(a), mean(b)
    cov = mean(a * b) - ma * mb
    va, vb = mean(a * a) - ma * ma, mean(b * b) - mb * mb
    return np.asarray(cov / np.sqrt(np.maximum(va * vb, 1e-12)), dtype=np.float64)


def user_frames(mic: Floats, system: Floats) -> npt.NDArray[np.bool_]:
    """Frames of the user's speech: the microphone active and not the system's echo."""
    return active(mic) & ~(_system_heard(system) & echo(mic, system))


def _system_heard(system: Floats) -> npt.NDArray[np.bool_]:
    """Frames where the loudspeakers may be heard: the system track active, or just was
    (the echo lasts past the system's own sound by the room's and clocks' delay)."""
    return np.convolve(active(system), np.ones(ECHO_LAGS + 2), mode="full")[: len(system)] > 0


def samples_envelope(samples: npt.NDArray[np.float32]) -> Floats:
    """RMS per FRAME_S of 16-kHz samples."""
    per = int(FRAME_S * SAMPLE_RATE)
    n = len(samples) // per
    x = samples[: n * per].astype(np.float64).reshape(n, per)
    return np.asarray(np.sqrt((x * x).mean(axis=1)), dtype=np.float64)


def is_echo(mic: npt.NDArray[np.float32], system: npt.NDArray[np.float32]) -> bool:
    """Whether a stretch of the microphone (the same seconds of both tracks) is the
    loudspeakers' echo rather than the user: the system track has sound there and the
    microphone's loudness follows it over the whole stretch (0-300 ms behind). The live
    transcript skips such a stretch: its words come from the system track already. The
    user talking over the others breaks the likeness and is kept."""
    m, s = samples_envelope(mic), samples_envelope(system)
    n = min(len(m), len(s))
    if n < 5 or s[:n].max() < SILENT_RMS:
        return False
    a, b = np.log(m[:n] + 1e-5), np.log(s[:n] + 1e-5)
    best = -1.0
    for lag in range(min(ECHO_LAGS, n - 3) + 1):
        x, y = a[lag:], b[: n - lag]
        if x.std() > 0 and y.std() > 0:
            best = max(best, float(np.corrcoef(x, y)[0, 1]))
    return best > ECHO_CORR


def without_echo(
    mic: npt.NDArray[np.float32], system: npt.NDArray[np.float32], context: int = 0
) -> npt.NDArray[np.float32] | None:
    """The microphone stretch with the loudspeakers' echo silenced (the same seconds of
    both tracks), or None when nothing but echo is left: a chunk that holds the user's
    answer and the tail of the others' words would otherwise write those words twice.
    The first `context` samples only help measure the likeness (it is measured over
    about 2 s) and are not returned. Only echo runs of MIN_GATE_FRAMES or more are
    silenced, since the likeness blurs at its edges."""
    per = int(FRAME_S * SAMPLE_RATE)
    skip = context // per
    m, s = samples_envelope(mic), samples_envelope(system)
    n = min(len(m), len(s))
    out = mic[skip * per :].copy()
    if n - skip < MIN_GATE_FRAMES or s[:n].max() < SILENT_RMS:
        return out
    gate = np.zeros(len(m), dtype=bool)
    for start, end in _runs(_echo_frames(m[:n], s[:n])):
        if end - start >= MIN_GATE_FRAMES:
            gate[start:end] = True
    if (active(m) & ~gate)[skip:].sum() < MIN_TURN_FRAMES:
        return None  # all the microphone heard here was the loudspeakers
    silenced = np.repeat(gate[skip:], per)
    out[: silenced.size][silenced] = 0.0
    return out


def _echo_frames(mic: Floats, system: Floats) -> npt.NDArray[np.bool_]:
    """Frames of the loudspeakers' echo: the loudness follows the system track's, or is
    no louder than that echo's level (learnt from those frames, plus ECHO_MARGIN_DB)
    while the system track plays. The level test catches the last words before the
    system track falls silent, where a likeness over 2 s breaks down."""
    heard = _system_heard(system)
    followed = heard & echo(mic, system)
    if followed.sum() < MIN_GATE_FRAMES:
        return followed  # too little echo to learn its level from
    recent = system.copy()  # the system's loudness over the echo's possible delay
    for lag in range(1, ECHO_LAGS + 1):
        recent[lag:] = np.maximum(recent[lag:], system[:-lag])
    gain = float(np.median(mic[followed] / np.maximum(recent[followed], 1e-5)))
    return followed | (heard & (mic <= gain * recent * 10 ** (ECHO_MARGIN_DB / 20)))


def user_turns(mic: Floats, system: Floats) -> list[SpeakerTurn]:
    """The user's speech: the microphone active and not the system's echo."""
    runs = _runs(user_frames(mic, system))
    merged: list[list[int]] = []
    for start, end in runs:  # bridge short pauses inside a turn
        if merged and start - merged[-1][1] <= BRIDGE_FRAMES:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [
        SpeakerTurn(round(s * FRAME_S, 3), round(e * FRAME_S, 3), USER_SPEAKER)
        for s, e in merged
        if e - s >= MIN_TURN_FRAMES
    ]


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(),
                    strict=True))  # fmt: skip


def system_on_clock(tracks: Tracks, out: Path) -> Path:
    """The system track alone on the recording's timeline (what the mix's times mean), for
    the diarizer."""
    mix_tracks([tracks.system], out, t0=tracks.t0, seconds=tracks.seconds)
    return out
