"""Speech regions from Silero VAD (the ONNX model that ships with faster-whisper).

The probabilities are computed here in 20 s batches (faster-whisper's own
`get_speech_timestamps` feeds up to 320 s at once, ~90 MB of activations),
then turned into regions by the same rules as `get_speech_timestamps`; tests
check both against faster-whisper on real speech.

Measured and not adopted (see docs/BENCHMARKS.md): lowering the threshold for
muffled far-field audio (AMI trn07 hears 3 s of 15 s at 0.35), or raising
its level first. Either finds more of that file's speech but also non-speech
and destabilises the speaker count elsewhere; pooled AMI DER got worse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from minutes.progress import CancelToken

logger = logging.getLogger(__name__)

Region = tuple[float, float]


@dataclass(frozen=True)
class VadConfig:
    """Silero settings tuned for diarization rather than for ASR chunking.

    ASR wants long chunks (faster-whisper's defaults: 2 s silence, 400 ms pad);
    diarization wants to cut at the short pauses where speakers change, so the
    silence needed to end a region is short and the padding small.
    """

    threshold: float = 0.35
    min_silence_ms: int = 250
    speech_pad_ms: int = 150
    min_speech_ms: int = 200
    chunk_s: float = 300.0  # VAD runs per chunk so progress and cancel work


WINDOW = 512  # Silero's hop: one speech probability per 32 ms
CONTEXT = 64  # samples of the previous window Silero sees in front of each window


def speech_probabilities(
    audio: npt.NDArray[np.float32],
    *,
    batch_windows: int = 625,
    cancel: CancelToken | None = None,
) -> npt.NDArray[np.float32]:
    """Silero's speech probability for every 512-sample window of 16 kHz audio.

    The same numbers as faster-whisper's `SileroVADModel` on the whole input
    (the LSTM state and the 64-sample context are carried from batch to batch),
    but in batches of `batch_windows` (20 s), so memory stays small whatever
    the input's length; faster-whisper runs up to 320 s at once (~90 MB).

    Args:
        audio: Float32 mono samples at 16 kHz.
        batch_windows: Windows per model call.
        cancel: Checked between batches.

    Returns:
        (ceil((len + 1) / 512),) probabilities (the input is zero-padded as
        faster-whisper pads it).
    """
    from faster_whisper.vad import get_vad_model

    session = get_vad_model().session
    n_windows = audio.shape[0] // WINDOW + 1  # faster-whisper always pads
    h = np.zeros((1, 1, 128), dtype=np.float32)
    c = np.zeros((1, 1, 128), dtype=np.float32)
    context = np.zeros(CONTEXT, dtype=np.float32)
    out: list[npt.NDArray[np.float32]] = []
    for first in range(0, n_windows, batch_windows):
        if cancel is not None:
            cancel.raise_if_cancelled()
        last = min(first + batch_windows, n_windows)
        block = np.zeros((last - first) * WINDOW, dtype=np.float32)
        piece = audio[first * WINDOW : last * WINDOW]
        block[: piece.shape[0]] = piece
        rows = block.reshape(-1, WINDOW)
        before = np.concatenate([context[None, :], rows[:-1, -CONTEXT:]], axis=0)
        probs, h, c = session.run(
            None, {"input": np.concatenate([before, rows], axis=1), "h": h, "c": c}
        )
        out.append(np.asarray(probs, dtype=np.float32).reshape(-1))
        context = rows[-1, -CONTEXT:].copy()
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def regions_from_probabilities(
    probs: npt.NDArray[np.float32],
    n_samples: int,
    config: VadConfig,
    sample_rate: int = 16000,
) -> list[tuple[int, int]]:
    """Speech (start, end) sample ranges from Silero probabilities.

    faster-whisper's `get_speech_timestamps` rules (hysteresis between the
    threshold and threshold - 0.15, minimum silence and speech durations,
    padding; no maximum speech duration), applied to probabilities computed
    once by `speech_probabilities`.
    """
    threshold = config.threshold
    neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = sample_rate * config.min_speech_ms / 1000
    pad = sample_rate * config.speech_pad_ms / 1000
    min_silence = sample_rate * config.min_silence_ms / 1000
    speeches: list[list[int]] = []
    start: int | None = None
    temp_end = 0
    for i, p in enumerate(probs.tolist()):
        pos = WINDOW * i
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and start is None:
            start = pos
            continue
        if p < neg_threshold and start is not None:
            if not temp_end:
                temp_end = pos
            if pos - temp_end < min_silence:
                continue
            if temp_end - start > min_speech:
                speeches.append([start, temp_end])
            start, temp_end = None, 0
    if start is not None and n_samples - start > min_speech:
        speeches.append([start, n_samples])
    for i, sp in enumerate(speeches):
        if i == 0:
            sp[0] = int(max(0, sp[0] - pad))
        if i != len(speeches) - 1:
            silence = speeches[i + 1][0] - sp[1]
            if silence < 2 * pad:
                sp[1] += int(silence // 2)
                speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - silence // 2))
            else:
                sp[1] = int(min(n_samples, sp[1] + pad))
                speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - pad))
        else:
            sp[1] = int(min(n_samples, sp[1] + pad))
    return [(a, b) for a, b in speeches]


def speech_regions(
    audio: npt.NDArray[np.float32],
    sample_rate: int = 16000,
    *,
    config: VadConfig | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[Region]:
    """Find speech in 16 kHz mono audio.

    Args:
        audio: Float32 mono samples at `sample_rate` (must be 16000: Silero's rate).
        sample_rate: Sample rate in Hz.
        config: VAD settings; defaults to `VadConfig()`.
        progress: Called with 0..1 after each chunk.
        cancel: Checked between chunks and model batches.

    Returns:
        Sorted, non-overlapping (start, end) regions in seconds.
    """
    if sample_rate != 16000:
        raise ValueError("speech_regions needs 16 kHz audio")
    cfg = config or VadConfig()
    n = int(audio.shape[0])
    chunk = max(int(cfg.chunk_s * sample_rate), sample_rate)
    regions: list[Region] = []
    for offset in range(0, n, chunk):
        if cancel is not None:
            cancel.raise_if_cancelled()
        piece = np.ascontiguousarray(audio[offset : offset + chunk], dtype=np.float32)
        if piece.size >= WINDOW:  # a shorter tail holds no usable speech
            probs = speech_probabilities(piece, cancel=cancel)
            for a, b in regions_from_probabilities(probs, piece.size, cfg, sample_rate):
                regions.append(((offset + a) / sample_rate, (offset + b) / sample_rate))
        if progress is not None:
            progress(min(1.0, (offset + chunk) / max(n, 1)))
    merged = merge_regions(regions, gap=1e-3)
    logger.debug("VAD: %d regions, %.1f s speech", len(merged), sum(e - s for s, e in merged))
    return merged


def merge_regions(regions: list[Region], gap: float = 0.0) -> list[Region]:
    """Sort regions and join those that overlap or are at most `gap` seconds apart.

    Args:
        regions: (start, end) pairs in seconds, in any order.
        gap: Largest gap to bridge.

    Returns:
        Sorted, disjoint regions.
    """
    out: list[Region] = []
    for s, e in sorted(regions):
        if e <= s:
            continue
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
