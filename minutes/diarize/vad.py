"""Speech regions from Silero VAD (the ONNX model that ships with faster-whisper)."""

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
        cancel: Checked between chunks.

    Returns:
        Sorted, non-overlapping (start, end) regions in seconds.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if sample_rate != 16000:
        raise ValueError("speech_regions needs 16 kHz audio")
    cfg = config or VadConfig()
    opts = VadOptions(
        threshold=cfg.threshold,
        min_silence_duration_ms=cfg.min_silence_ms,
        speech_pad_ms=cfg.speech_pad_ms,
        min_speech_duration_ms=cfg.min_speech_ms,
    )
    n = int(audio.shape[0])
    chunk = max(int(cfg.chunk_s * sample_rate), sample_rate)
    regions: list[Region] = []
    for offset in range(0, n, chunk):
        if cancel is not None:
            cancel.raise_if_cancelled()
        piece = np.ascontiguousarray(audio[offset : offset + chunk], dtype=np.float32)
        if piece.size >= 512:  # Silero's window; a shorter tail holds no usable speech
            for ts in get_speech_timestamps(piece, opts, sampling_rate=sample_rate):
                regions.append(
                    ((offset + ts["start"]) / sample_rate, (offset + ts["end"]) / sample_rate)
                )
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
