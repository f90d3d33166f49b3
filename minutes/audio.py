"""Audio input: probing, streaming decode, pause-cut windows, loudness.

Files are decoded with PyAV (FFmpeg) as a stream and resampled to 16 kHz mono
float32, so a multi-hour file never sits in memory as one array: the pipeline
takes windows of a few minutes, each cut at the quietest moment near its end
so no word is split between windows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
SUPPORTED_SUFFIXES = (
    ".wav",
    ".flac",
    ".mp3",
    ".m4a",
    ".ogg",
    ".opus",
    ".webm",
    ".mp4",
    ".aac",
    ".mkv",
)

FloatArray = npt.NDArray[np.float32]


class AudioError(Exception):
    """The audio cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class AudioInfo:
    path: str
    duration: float  # seconds; 0.0 when the container does not say
    sample_rate: int
    channels: int
    codec: str


def probe(path: str | Path) -> AudioInfo:
    """Read an audio file's header; raise AudioError with a clear reason."""

    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: file not found.")
    if p.is_dir():
        raise AudioError(f"{p}: is a folder, not an audio file.")
    if p.stat().st_size == 0:
        raise AudioError(f"{p}: the file is empty (0 bytes).")
    try:
        with _open_container(p) as container:
            if not container.streams.audio:
                raise AudioError(f"{p}: has no audio track.")
            stream = container.streams.audio[0]
            _check_rate(p, stream.codec_context.sample_rate)
            duration = 0.0
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            return AudioInfo(
                path=str(p),
                duration=max(duration, 0.0),
                sample_rate=int(stream.codec_context.sample_rate or 0),
                channels=int(stream.codec_context.channels or 0),
                codec=str(stream.codec_context.name),
            )
    except AudioError:
        raise
    except Exception as exc:  # PyAV raises many error types for bad input
        raise AudioError(f"{p}: not a readable audio file ({_short(exc)}).") from exc


MIN_SAMPLE_RATE = 1_000
"""Below this no real recording exists; a header claiming it (a corrupt WAV saying
1 Hz) would "decode" a few kilobytes into days of audio for ASR to grind through."""
MAX_BAD_PACKETS = 1_000  # consecutive unreadable packets before the file is given up


def _check_rate(path: Path, rate: int | None) -> None:
    if not rate:  # FFmpeg opened it by its suffix but found no audio parameters (junk)
        raise AudioError(f"{path}: not a readable audio file (no sample rate found).")
    if rate < MIN_SAMPLE_RATE:
        raise AudioError(f"{path}: the file claims a sample rate of {rate} Hz; it is corrupt.")


def _open_container(path: Path) -> Any:
    """Open for reading, ignoring undecodable tags (a title in a legacy code page).

    PyAV 19 dropped the ``metadata_errors`` argument; it then opens without it.
    """
    import av

    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except TypeError as exc:
        if "metadata_errors" not in str(exc):
            raise
        return av.open(str(path), mode="r")


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "…"


def iter_blocks(path: str | Path, block_seconds: float = 30.0) -> Iterator[FloatArray]:
    """Decode a file as a stream of 16 kHz mono float32 blocks.

    Corrupt frames in the middle of a file are skipped (as FFmpeg players do)
    rather than failing the whole meeting.
    """
    import av

    p = Path(path)
    block = int(block_seconds * SAMPLE_RATE)
    pending: list[FloatArray] = []
    pending_len = 0
    try:
        with _open_container(p) as container:
            if not container.streams.audio:
                raise AudioError(f"{p}: has no audio track.")
            stream = container.streams.audio[0]
            resampler: Any = None
            setup: tuple[str, str, int] | None = None
            for frame in _decode_tolerant(container, stream, p):
                # A corrupt frame (or a concatenated file) may change rate or channel
                # layout mid-stream; a resampler only takes the setup it started with.
                frame_setup = (frame.format.name, frame.layout.name, int(frame.sample_rate))
                frames = [frame]
                if frame_setup != setup:
                    _check_rate(p, frame.sample_rate)
                    flushed = resampler.resample(None) if resampler is not None else []
                    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
                    setup = frame_setup
                    frames = [*flushed, frame]
                for out in (o for f in frames for o in _resample(resampler, f)):
                    pcm = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                    pending.append(pcm)
                    pending_len += pcm.size
                    while pending_len >= block:
                        joined = np.concatenate(pending)
                        yield joined[:block]
                        rest = joined[block:]
                        pending, pending_len = ([rest] if rest.size else []), rest.size
            for out in resampler.resample(None) if resampler is not None else []:
                pcm = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                pending.append(pcm)
                pending_len += pcm.size
    except AudioError:
        raise
    except Exception as exc:
        raise AudioError(f"{p}: cannot decode audio ({_short(exc)}).") from exc
    if pending_len:
        yield np.concatenate(pending)


def _resample(resampler: Any, frame: Any) -> list[Any]:
    """Frames already resampled (flushed output) pass through unchanged."""
    if frame.sample_rate == SAMPLE_RATE and frame.layout.name == "mono" and (
        frame.format.name == "s16"
    ):
        return [frame]
    return list(resampler.resample(frame))


def _decode_tolerant(container: Any, stream: Any, path: Path) -> Iterator[Any]:
    """Decoded frames; corrupt packets are skipped, but a file with no decodable
    audio at all, or an endless run of unreadable data, is an AudioError."""
    import av

    demux = container.demux(stream)
    decoded = bad = bad_in_a_row = 0
    while True:
        try:
            packet = next(demux)
        except StopIteration:
            break
        except av.error.InvalidDataError:
            logger.warning("skipping unreadable data in %s", path)
            bad, bad_in_a_row = bad + 1, bad_in_a_row + 1
        else:
            try:
                frames = packet.decode()
            except (av.error.FFmpegError, ValueError) as exc:
                # FFmpeg reports corrupt packets under many codes (EINVAL, EPERM, ...).
                logger.debug("skipping corrupt packet in %s: %s", path, exc)
                bad, bad_in_a_row = bad + 1, bad_in_a_row + 1
            else:
                bad_in_a_row = 0
                decoded += len(frames)
                yield from frames
        if bad_in_a_row > MAX_BAD_PACKETS:
            raise AudioError(f"{path}: too much unreadable data; the file is corrupt.")
    if bad and not decoded:
        raise AudioError(f"{path}: no readable audio ({bad} corrupt packets); the file is corrupt.")


def load_audio(path: str | Path) -> FloatArray:
    """Decode a whole file (for short clips and tests; the pipeline uses windows)."""
    blocks = list(iter_blocks(path))
    if not blocks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(blocks)


@dataclass(frozen=True)
class Window:
    """A slice of the recording handed to ASR; `offset` is its start in seconds."""

    offset: float
    samples: FloatArray

    @property
    def duration(self) -> float:
        return self.samples.size / SAMPLE_RATE


def quietest_cut(samples: FloatArray, lo: int, hi: int, frame: int = 1600) -> int:
    """Index of the quietest 0.1 s frame between sample `lo` and `hi`."""
    lo = max(lo, 0)
    hi = min(hi, samples.size)
    if hi - lo < frame * 2:
        return hi
    n = (hi - lo) // frame
    frames = samples[lo : lo + n * frame].reshape(n, frame)
    energy = np.sqrt(np.mean(frames * frames, axis=1))
    best = int(np.argmin(energy))
    return lo + best * frame + frame // 2


def window_cut(
    buffer: FloatArray, window_seconds: float, search_seconds: float = 30.0
) -> int | None:
    """Where the window that starts at `buffer[0]` ends (at the quietest moment near
    `window_seconds`), or None while the buffer is shorter than that choice needs.

    The cut depends only on the first `window_seconds + search_seconds` of audio, so a
    recording that is still growing is cut where its finished file will be. The search
    reaches at most half a window back: a search from the window's start would find the
    pause the window starts in and cut a window of a fraction of a second, again and
    again (windows of 60 s or less).
    """
    target = int(window_seconds * SAMPLE_RATE)
    search = _search(window_seconds, search_seconds)
    if buffer.size < target + search:
        return None
    return quietest_cut(buffer, target - search, target + search)


def window_span(window_seconds: float, search_seconds: float = 30.0) -> int:
    """Samples `window_cut` needs to decide where a window ends."""
    return int(window_seconds * SAMPLE_RATE) + _search(window_seconds, search_seconds)


def _search(window_seconds: float, search_seconds: float) -> int:
    return int(min(search_seconds, window_seconds / 2) * SAMPLE_RATE)


def iter_windows(
    path: str | Path,
    window_seconds: float = 240.0,
    search_seconds: float = 30.0,
    *,
    start_s: float = 0.0,
) -> Iterator[Window]:
    """Windows of about `window_seconds`, each ending at a pause, from `start_s` on.

    Starting at an earlier window's end gives the windows a run from the beginning
    gives after it (resuming a checkpoint). Memory holds at most one window plus one
    decode block.
    """
    start = max(round(start_s * SAMPLE_RATE), 0)
    buffer = np.zeros(0, dtype=np.float32)
    offset_samples = 0
    for block in iter_blocks(path):
        if offset_samples + block.size <= start:
            offset_samples += block.size
            continue
        if offset_samples < start:
            block = block[start - offset_samples :]
            offset_samples = start
        buffer = np.concatenate([buffer, block]) if buffer.size else block
        while (cut := window_cut(buffer, window_seconds, search_seconds)) is not None:
            yield Window(offset_samples / SAMPLE_RATE, buffer[:cut].copy())
            offset_samples += cut
            buffer = buffer[cut:]
    if buffer.size:
        yield Window(offset_samples / SAMPLE_RATE, buffer)


def dbfs(samples: FloatArray) -> float:
    """Loudness of the active part of a signal in dBFS (-inf for silence).

    Uses the RMS of the loudest 30% of 50 ms frames, so long pauses in a
    meeting do not make normal speech look quiet.
    """
    frame = 800
    n = samples.size // frame
    if n == 0:
        rms = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
    else:
        frames = samples[: n * frame].reshape(n, frame)
        per_frame = np.sqrt(np.mean(frames * frames, axis=1))
        k = max(1, int(n * 0.3))
        rms = float(np.mean(np.sort(per_frame)[-k:]))
    return float(20 * np.log10(rms)) if rms > 0 else float("-inf")


def normalise_loudness(
    samples: FloatArray, target_dbfs: float = -18.0, max_gain_db: float = 30.0
) -> FloatArray:
    """Raise quiet speech to about `target_dbfs` for ASR; loud input is left alone.

    Returns a new array (the stored recording keeps its level). Gain is capped
    so a near-silent file is not turned into amplified noise, and peaks are
    limited to avoid clipping.
    """
    level = dbfs(samples)
    if not np.isfinite(level) or level >= target_dbfs:
        return samples
    gain_db = min(target_dbfs - level, max_gain_db)
    if gain_db < 1.0:
        return samples
    out = samples * np.float32(10 ** (gain_db / 20))
    np.clip(out, -0.99, 0.99, out=out)
    return out.astype(np.float32, copy=False)
