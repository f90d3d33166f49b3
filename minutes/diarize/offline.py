"""The embedded offline diarizer: Silero VAD -> Resemblyzer d-vectors -> spectral clustering.

Runs anywhere faster-whisper runs (NumPy + onnxruntime), with no network:

1. Silero VAD finds speech regions (short silences split them, because
   speakers change at pauses).
2. Each region is cut into 1.6 s windows every `step_s` (regions shorter than
   1.6 s get one window of their own length); each window's power mel goes
   through the ONNX voice encoder in batches -> one d-vector per window.
3. The windows are clustered (NME-SC spectral clustering with an automatic or
   user-given speaker count, see `clustering.py`).
4. Every 10 ms frame of speech gets the speaker whose centroid is most similar
   to the windows covering it (centre-weighted), which puts turn boundaries
   between window steps; runs shorter than `min_turn_s` are absorbed.
5. Runs become `SpeakerTurn`s; same-speaker turns across short gaps are joined.

Overlapped speech gets one speaker: the frame goes to the voice that
dominates the windows around it.

Memory does not grow with the recording's length beyond the embeddings
(1 KB per 0.4 s of speech): steps 1-2 run on pause-cut windows of a few
minutes (`diarize_offline_file` decodes a file as a stream with
`minutes.audio.iter_windows`; in-memory input is cut the same way), mel
spectrograms are computed per region and only the current batch of windows
is held. Steps 3-5 need only the embeddings and the region lengths.
"""

from __future__ import annotations

import copy
import itertools
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from minutes.diarize.clustering import ClusterConfig, cluster_embeddings, l2_normalize
from minutes.diarize.embedder import EMBEDDING_DIM, VoiceEncoder
from minutes.diarize.features import HOP, PARTIAL_FRAMES, mel_spectrogram, volume_gain
from minutes.diarize.options import DiarizeOptions
from minutes.diarize.types import DiarizationResult, SpeakerTurn, renumber_turns
from minutes.diarize.vad import Region, VadConfig, speech_regions
from minutes.progress import CancelToken

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16000
FRAME_S = HOP / SAMPLE_RATE  # 10 ms
STREAM_SEARCH_S = 30.0  # iter_windows' default: a window ends at the quietest point +-30 s

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class OfflineConfig:
    """Settings of the offline diarizer (defaults tuned on AMI + Korean dialogues).

    Attributes:
        vad: Speech detection settings.
        cluster: Clustering settings.
        step_s: Hop between 1.6 s embedding windows.
        min_window_s: Shortest region that gets its own embedding; shorter
            ones take the speaker of the nearest embedded speech.
        short_quantum_frames: Short windows are trimmed to a multiple of this
            many frames so they can be batched.
        batch_size: Windows per encoder call.
        min_turn_s: Label runs shorter than this are absorbed by a neighbour.
        merge_gap_s: Same-speaker turns at most this far apart are joined.
        stream_window_s: Audio is processed in pause-cut windows of about this
            length (>= 30 s); bounds memory (one window of samples at a time).
    """

    vad: VadConfig = field(default_factory=VadConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    step_s: float = 0.4
    min_window_s: float = 0.5
    short_quantum_frames: int = 10
    batch_size: int = 64
    min_turn_s: float = 0.5
    merge_gap_s: float = 1.0
    stream_window_s: float = 240.0

    def __post_init__(self) -> None:
        if self.stream_window_s < STREAM_SEARCH_S:
            raise ValueError(f"stream_window_s must be >= {STREAM_SEARCH_S}")


@dataclass(frozen=True)
class Window:
    """One embedding window: `length` mel frames from `start` inside speech region `region`."""

    region: int
    start: int
    length: int


def prepare_audio(audio: npt.NDArray[np.floating], sample_rate: int) -> FloatArray:
    """Mono float32 at 16 kHz (channels averaged; other rates resampled linearly).

    Args:
        audio: (n,) or (n, channels) / (channels, n) samples; float in [-1, 1]
            or integer PCM (scaled).
        sample_rate: Rate of `audio`.

    Returns:
        1-D float32 array at 16 kHz.
    """
    raw = np.asarray(audio)
    if np.issubdtype(raw.dtype, np.integer):
        # PCM integers (e.g. int16 from a WAV reader): scale to [-1, 1] as the contract expects.
        x = raw.astype(np.float32) / float(np.iinfo(raw.dtype).max)
    else:
        x = raw.astype(np.float32, copy=False)
    if x.ndim == 2:
        # Channels are the short axis whichever way round the caller stacked them.
        x = x.mean(axis=0 if x.shape[0] < x.shape[1] else 1)
    elif x.ndim != 1:
        raise ValueError(f"audio must be 1-D or 2-D, got shape {x.shape}")
    if sample_rate <= 0:
        raise ValueError("sample_rate must be positive")
    if sample_rate != SAMPLE_RATE and x.size:
        ratio = SAMPLE_RATE / sample_rate
        if ratio < 1:
            # Box low-pass before decimating; speaker embeddings need little more.
            k = round(1 / ratio)
            if k > 1:
                x = np.convolve(x, np.full(k, 1.0 / k, dtype=np.float32), mode="same")
        n_out = round(x.size * ratio)
        x = np.interp(np.arange(n_out) / SAMPLE_RATE, np.arange(x.size) / sample_rate, x).astype(
            np.float32
        )
    return np.ascontiguousarray(x)


def _region_windows(
    n_frames: int, step: int, min_frames: int, quantum: int
) -> list[tuple[int, int]]:
    """(start, length) windows covering a region of `n_frames` mel frames."""
    if n_frames >= PARTIAL_FRAMES:
        starts = list(range(0, n_frames - PARTIAL_FRAMES + 1, step))
        if starts[-1] != n_frames - PARTIAL_FRAMES:
            starts.append(n_frames - PARTIAL_FRAMES)  # align the last window to the end
        return [(s, PARTIAL_FRAMES) for s in starts]
    if n_frames < min_frames:
        return []
    length = max(min_frames, (n_frames // quantum) * quantum)
    return [((n_frames - length) // 2, length)]


class _Progress:
    """Maps stage progress onto one rising 0..1 scale; never goes backwards."""

    def __init__(self, callback: Callable[[float], None] | None) -> None:
        self._cb = callback
        self._last = 0.0
        self._finished = False

    def __call__(self, value: float) -> None:
        value = min(max(value, self._last), 1.0)
        # Throttle to 0.5 % steps; always deliver the final 1.0 exactly once.
        if value - self._last >= 0.005 or (value >= 1.0 and not self._finished):
            self._last = value
            self._finished = value >= 1.0
            if self._cb is not None:
                self._cb(value)

    def stage(self, lo: float, hi: float) -> Callable[[float], None]:
        return lambda f: self(lo + (hi - lo) * min(max(f, 0.0), 1.0))


def embed_regions(
    audio: FloatArray,
    regions: list[Region],
    encoder: VoiceEncoder,
    config: OfflineConfig,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
) -> tuple[list[Window], FloatArray, list[int]]:
    """Window every speech region and embed the windows.

    Returns:
        The windows, their embeddings (n, 256) and each region's frame count.
    """
    speech_sq = sum(
        float(
            np.sum(np.square(audio[int(s * SAMPLE_RATE) : int(e * SAMPLE_RATE)], dtype=np.float64))
        )
        for s, e in regions
    )
    speech_n = sum(int(e * SAMPLE_RATE) - int(s * SAMPLE_RATE) for s, e in regions)
    rms = np.sqrt(speech_sq / max(speech_n, 1))
    gain = volume_gain(np.array([rms], dtype=np.float64))  # RMS of one sample == rms
    step = max(1, round(config.step_s / FRAME_S))
    min_frames = max(10, round(config.min_window_s / FRAME_S))

    windows: list[Window] = []
    embeddings: list[FloatArray] = []
    pending: dict[int, list[tuple[int, FloatArray]]] = {}
    frames_per_region: list[int] = []
    total = max(1, sum(int((e - s) * SAMPLE_RATE) for s, e in regions))
    done = 0

    def flush(length: int) -> None:
        items = pending.pop(length, [])
        if not items:
            return
        if cancel is not None:
            cancel.raise_if_cancelled()
        vecs = encoder.embed_mels(np.stack([m for _, m in items]))
        for (idx, _), v in zip(items, vecs, strict=True):
            embeddings[idx] = v

    for r, (s, e) in enumerate(regions):
        if cancel is not None:
            cancel.raise_if_cancelled()
        a, b = int(s * SAMPLE_RATE), int(e * SAMPLE_RATE)
        mel = mel_spectrogram(audio[a:b] * gain)
        frames_per_region.append(mel.shape[0])
        for start, length in _region_windows(
            mel.shape[0], step, min_frames, config.short_quantum_frames
        ):
            windows.append(Window(r, start, length))
            embeddings.append(np.zeros(EMBEDDING_DIM, dtype=np.float32))
            pending.setdefault(length, []).append(
                (len(windows) - 1, mel[start : start + length].copy())
            )
            if len(pending[length]) >= config.batch_size:
                flush(length)
        done += b - a
        if progress is not None:
            progress(done / total)
    for length in list(pending):
        flush(length)
    emb = np.stack(embeddings) if embeddings else np.zeros((0, EMBEDDING_DIM), np.float32)
    return windows, emb.astype(np.float32), frames_per_region


def _smooth_runs(labels: npt.NDArray[np.int64], scores: FloatArray, min_len: int) -> None:
    """Absorb runs shorter than `min_len` frames into the better-scoring neighbour (in place)."""
    while True:
        change = np.flatnonzero(np.diff(labels)) + 1
        bounds = np.concatenate(([0], change, [labels.size]))
        if bounds.size <= 2:
            return
        lengths = np.diff(bounds)
        i = int(np.argmin(lengths))
        if lengths[i] >= min_len:
            return
        a, b = int(bounds[i]), int(bounds[i + 1])
        options = []
        if i > 0:
            options.append(int(labels[a - 1]))
        if i + 1 < lengths.size:
            options.append(int(labels[b]))
        best = max(options, key=lambda k: float(scores[a:b, k].mean()))
        labels[a:b] = best


def frame_scores(windows: list[Window], scores: FloatArray, n_frames: int) -> FloatArray:
    """Each frame's similarity to each speaker centroid, from the windows covering it.

    Each window votes for the frames it covers with a centre-heavy (Hann)
    weight, so a frame is decided mostly by the windows centred near it.

    Args:
        windows: Windows of one region.
        scores: (len(windows), k) cosine similarity of each window to each centroid.
        n_frames: Frames in the region.

    Returns:
        (n_frames, k) scores.
    """
    k = scores.shape[1]
    acc = np.zeros((n_frames, k), dtype=np.float32)
    weight = np.zeros(n_frames, dtype=np.float32)
    for w, sc in zip(windows, scores, strict=True):
        taper = np.hanning(w.length + 2)[1:-1].astype(np.float32)
        acc[w.start : w.start + w.length] += taper[:, None] * sc[None, :]
        weight[w.start : w.start + w.length] += taper
    covered = weight > 0
    acc[covered] /= weight[covered, None]
    if not covered.all():
        # Region edges a centred short window missed: extend the nearest covered frame.
        idx = np.flatnonzero(covered)
        nearest = idx[np.clip(np.searchsorted(idx, np.arange(n_frames)), 0, idx.size - 1)]
        left = idx[np.clip(np.searchsorted(idx, np.arange(n_frames)) - 1, 0, idx.size - 1)]
        pick = np.where(
            np.abs(left - np.arange(n_frames)) < np.abs(nearest - np.arange(n_frames)),
            left,
            nearest,
        )
        acc = acc[pick]
    return acc


def frame_labels(
    windows: list[Window],
    scores: FloatArray,
    n_frames: int,
    min_turn_frames: int,
) -> npt.NDArray[np.int64]:
    """Speaker of each frame of one region from its windows' centroid similarities.

    Args:
        windows: Windows of this region.
        scores: (len(windows), k) cosine similarity of each window to each centroid.
        n_frames: Frames in the region.
        min_turn_frames: Shortest run kept.

    Returns:
        (n_frames,) labels.
    """
    acc = frame_scores(windows, scores, n_frames)
    labels: npt.NDArray[np.int64] = np.argmax(acc, axis=1).astype(np.int64)
    _smooth_runs(labels, acc, min_turn_frames)
    return labels


def _region_turns(region: Region, labels: npt.NDArray[np.int64]) -> list[tuple[float, float, int]]:
    """(start, end, cluster) runs of one region's frame labels, in seconds."""
    s, e = region
    change = np.flatnonzero(np.diff(labels)) + 1
    bounds = np.concatenate(([0], change, [labels.size]))
    out = []
    for a, b in itertools.pairwise(bounds):
        # Frame t is centred at t * 10 ms; a change sits half a frame before it.
        t0 = s if a == 0 else s + (a - 0.5) * FRAME_S
        t1 = e if b == labels.size else s + (b - 0.5) * FRAME_S
        out.append((t0, min(t1, e), int(labels[a])))
    return out


def _join_turns(raw: list[tuple[float, float, int]], merge_gap_s: float) -> list[SpeakerTurn]:
    """Sort runs and join same-speaker runs at most `merge_gap_s` apart."""
    raw.sort()
    merged: list[tuple[float, float, int]] = []
    for t0, t1, k in raw:
        if merged and merged[-1][2] == k and t0 - merged[-1][1] <= merge_gap_s:
            merged[-1] = (merged[-1][0], max(merged[-1][1], t1), k)
        else:
            merged.append((t0, t1, k))
    return [
        SpeakerTurn(round(float(a), 3), round(float(b), 3), str(k)) for a, b, k in merged if b > a
    ]


@dataclass
class _Speech:
    """What the diarizer keeps of a recording: speech regions, windows, embeddings."""

    regions: list[Region] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    embeddings: list[FloatArray] = field(default_factory=list)

    def add(
        self,
        offset: float,
        regions: list[Region],
        windows: list[Window],
        emb: FloatArray,
        frames: list[int],
    ) -> None:
        base = len(self.regions)
        self.regions += [(offset + s, offset + e) for s, e in regions]
        self.frames += frames
        self.windows += [Window(base + w.region, w.start, w.length) for w in windows]
        if len(windows):
            self.embeddings.append(emb)

    def embedding_matrix(self) -> FloatArray:
        if not self.embeddings:
            return np.zeros((0, EMBEDDING_DIM), np.float32)
        return np.concatenate(self.embeddings).astype(np.float32, copy=False)

    def extend(self, later: _Speech) -> None:
        """Append what was collected from audio after all of this (times already absolute)."""
        self.add(0.0, later.regions, later.windows, later.embedding_matrix(), later.frames)


@dataclass
class SpeechSoFar:
    """What the diarizer collected from a recording's first `done_until` seconds (whole
    pause-cut windows): a checkpoint that a run over the whole recording continues from
    (`diarize_offline_file(..., resume=)`), so only clustering, which needs every
    embedding, waits for the end.

    Attributes:
        key: What it was collected with (audio, track, settings); a checkpoint under
            another key is not used.
        done_until: Seconds of audio collected; the next window starts here.
        speech: The regions, windows and embeddings so far.
    """

    key: str
    done_until: float = 0.0
    speech: _Speech = field(default_factory=_Speech)

    def save(self, path: Path) -> None:
        """Write atomically (a crash leaves the previous checkpoint)."""
        import io

        from minutes.atomic import atomic_write_bytes

        sp = self.speech
        windows = [(w.region, w.start, w.length) for w in sp.windows]
        buffer = io.BytesIO()
        np.savez(
            buffer,
            key=np.array(self.key),
            done_until=np.array(self.done_until, dtype=np.float64),
            regions=np.array(sp.regions, dtype=np.float64).reshape(-1, 2),
            frames=np.array(sp.frames, dtype=np.int64),
            windows=np.array(windows, dtype=np.int64).reshape(-1, 3),
            embeddings=sp.embedding_matrix(),
        )
        atomic_write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path: Path, key: str) -> SpeechSoFar | None:
        """The checkpoint at `path` if it was collected under `key`; None when there is
        none, it has another key, or it cannot be read (it is then collected again)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["key"]) != key:
                    return None
                regions = [(float(a), float(b)) for a, b in data["regions"]]
                windows = [Window(int(r), int(s), int(n)) for r, s, n in data["windows"]]
                emb = data["embeddings"].astype(np.float32)
                speech = _Speech(regions, [int(f) for f in data["frames"]], windows,
                                 [emb] if len(emb) else [])  # fmt: skip
                done = float(data["done_until"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            logger.warning("ignoring an unreadable diarization checkpoint %s: %s", path, exc)
            return None
        if len(speech.frames) != len(regions) or len(emb) != len(windows):
            logger.warning("ignoring an inconsistent diarization checkpoint %s", path)
            return None
        return cls(key, done, speech)


def array_windows(x: FloatArray, window_s: float) -> Iterator[tuple[float, FloatArray]]:
    """(offset seconds, samples) windows of an in-memory signal, cut at pauses.

    Cut like `minutes.audio.iter_windows` cuts a file, so a file and its
    decoded samples are diarized alike.
    """

    from minutes.audio import window_cut, window_span

    span = window_span(window_s, STREAM_SEARCH_S)
    start = 0
    while x.size - start >= span:
        cut = window_cut(x[start : start + span], window_s, STREAM_SEARCH_S)
        assert cut is not None  # the buffer holds the span the cut needs
        yield start / SAMPLE_RATE, x[start : start + cut]
        start += cut
    if start < x.size:
        yield start / SAMPLE_RATE, x[start:]


def collect_speech(
    chunks: Iterable[tuple[float, FloatArray]],
    encoder: VoiceEncoder,
    config: OfflineConfig,
    *,
    total_s: float = 0.0,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    speech: _Speech | None = None,
) -> _Speech:
    """VAD and embeddings, window by window; the samples of a window are dropped after it.

    Args:
        chunks: (offset seconds, 16 kHz mono samples) in time order.
        encoder: Voice encoder.
        config: Pipeline settings.
        total_s: Expected duration for progress (0: unknown, no progress until the end).
        progress: Called with 0..1.
        cancel: Checked per chunk and per embedding batch.
        speech: What was collected before the first chunk (extended in place).
    """
    speech = speech if speech is not None else _Speech()
    for offset, samples in chunks:
        if cancel is not None:
            cancel.raise_if_cancelled()
        length = samples.size / SAMPLE_RATE
        lo = offset / total_s if total_s > 0 else 0.0
        hi = (offset + length) / total_s if total_s > 0 else 0.0

        def share(f: float, lo: float = lo, hi: float = hi) -> None:
            if progress is not None and total_s > 0:
                progress(min(1.0, lo + (hi - lo) * f))

        regions = speech_regions(
            samples,
            SAMPLE_RATE,
            config=config.vad,
            progress=lambda f: share(0.1 * f),
            cancel=cancel,
        )
        if regions:
            windows, emb, frames = embed_regions(
                samples,
                regions,
                encoder,
                config,
                progress=lambda f: share(0.1 + 0.9 * f),
                cancel=cancel,
            )
            speech.add(offset, regions, windows, emb, frames)
        share(1.0)
    return speech


def diarize_collected(
    speech: _Speech,
    config: OfflineConfig,
    *,
    options: DiarizeOptions,
) -> DiarizationResult:
    """Cluster the collected windows and turn them into speaker turns: the end of a run
    over the audio, also for what was collected so far (`SpeechSoFar.speech`)."""
    regions, windows = speech.regions, speech.windows
    if not regions:
        return DiarizationResult(turns=())
    if not windows:
        # Only scraps of speech too short to embed: one anonymous speaker.
        turns = [SpeakerTurn(round(s, 3), round(e, 3), "0") for s, e in regions]
        renamed, _ = renumber_turns(_join_turns([(t.start, t.end, 0) for t in turns], 0.0))
        return DiarizationResult(turns=tuple(renamed))
    emb = speech.embedding_matrix()
    weights = np.array([w.length for w in windows], dtype=np.float64)
    labels = cluster_embeddings(
        emb,
        num_speakers=options.speakers,
        min_speakers=options.min_speakers,
        max_speakers=options.max_speakers,
        weights=weights,
        config=config.cluster,
    )
    k = int(labels.max()) + 1
    cents = np.stack([l2_normalize(emb[labels == c].mean(axis=0)) for c in range(k)])
    scores = (l2_normalize(emb) @ cents.T).astype(np.float32)

    by_region: dict[int, list[int]] = {}
    for i, w in enumerate(windows):
        by_region.setdefault(w.region, []).append(i)
    centres = np.array([regions[w.region][0] + (w.start + w.length / 2) * FRAME_S for w in windows])
    min_turn = max(1, round(config.min_turn_s / FRAME_S))
    raw: list[tuple[float, float, int]] = []
    for r, region in enumerate(regions):
        idx = by_region.get(r)
        if idx:
            acc = frame_scores([windows[i] for i in idx], scores[idx], speech.frames[r])
            region_labels = np.argmax(acc, axis=1).astype(np.int64)
            _smooth_runs(region_labels, acc, min_turn)
        else:
            # Too short to embed: the speaker of the nearest embedded window.
            mid = 0.5 * (region[0] + region[1])
            nearest = int(np.argmin(np.abs(centres - mid)))
            region_labels = np.full(speech.frames[r], labels[nearest], dtype=np.int64)
        raw += _region_turns(region, region_labels)
    turns = _join_turns(raw, config.merge_gap_s)
    renamed, mapping = renumber_turns(turns)
    embeddings = {
        mapping[str(c)]: cents[c].astype(np.float32) for c in range(k) if str(c) in mapping
    }
    logger.info(
        "offline diarization: %d regions, %d windows, %d speakers",
        len(regions),
        len(windows),
        len(embeddings),
    )
    return DiarizationResult(turns=tuple(renamed), embeddings=embeddings, backend="offline")


def _run(
    chunks: Iterable[tuple[float, FloatArray]],
    total_s: float,
    *,
    options: DiarizeOptions,
    progress: Callable[[float], None] | None,
    cancel: CancelToken | None,
    config: OfflineConfig | None,
    encoder: VoiceEncoder | None,
    speech: _Speech | None = None,
) -> DiarizationResult:
    cfg = config or OfflineConfig()
    enc = encoder or VoiceEncoder()
    report = _Progress(progress)
    speech = collect_speech(
        chunks, enc, cfg, total_s=total_s, progress=report.stage(0.0, 0.9), cancel=cancel,
        speech=speech,
    )  # fmt: skip
    if cancel is not None:
        cancel.raise_if_cancelled()
    result = diarize_collected(speech, cfg, options=options)
    report(1.0)
    return result


def diarize_offline(
    audio: npt.NDArray[np.floating],
    sample_rate: int = SAMPLE_RATE,
    options: DiarizeOptions | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    config: OfflineConfig | None = None,
    encoder: VoiceEncoder | None = None,
) -> DiarizationResult:
    """Diarize in-memory audio with the embedded offline pipeline.

    Args:
        audio: Mono float32 samples in [-1, 1].
        sample_rate: Rate of `audio` (16 kHz expected; others are resampled).
        options: Speaker counts (the backend fields are not read here).
        progress: Called with a rising fraction 0..1.
        cancel: Checked between VAD chunks and embedding batches.
        config: Pipeline settings.
        encoder: Voice encoder (a shared instance avoids reloading the model).

    Returns:
        Non-overlapping turns and one embedding per speaker.

    Raises:
        minutes.progress.Cancelled: When `cancel` was set.
    """
    cfg = config or OfflineConfig()
    x = prepare_audio(audio, sample_rate)
    return _run(
        array_windows(x, cfg.stream_window_s),
        x.size / SAMPLE_RATE,
        options=options or DiarizeOptions(),
        progress=progress,
        cancel=cancel,
        config=cfg,
        encoder=encoder,
    )


def diarize_offline_file(
    path: str | Path,
    options: DiarizeOptions | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    config: OfflineConfig | None = None,
    encoder: VoiceEncoder | None = None,
    resume: SpeechSoFar | None = None,
) -> DiarizationResult:
    """Diarize an audio file, decoding it as a stream (memory independent of its length).

    Same arguments and result as `diarize_offline`, for a file of any format
    `minutes.audio` reads; `resume` continues from what was collected from the file's
    first seconds (its windows are cut where a run from the start cuts them, so the
    result is the same).

    Raises:
        minutes.audio.AudioError: The file cannot be read.
        minutes.progress.Cancelled: When `cancel` was set.
    """
    from minutes.audio import iter_windows, probe

    cfg = config or OfflineConfig()
    total = probe(path).duration
    start = resume.done_until if resume is not None else 0.0
    windows = iter_windows(path, window_seconds=cfg.stream_window_s, start_s=start)
    chunks = ((w.offset, w.samples) for w in windows)
    return _run(
        chunks,
        total,
        options=options or DiarizeOptions(),
        progress=progress,
        cancel=cancel,
        config=cfg,
        encoder=encoder,
        speech=copy.deepcopy(resume.speech) if resume is not None else None,
    )
