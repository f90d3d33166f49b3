"""Speaker diarization: who spoke when, and which words each speaker said.

Importing this package is cheap (NumPy only): onnxruntime, faster-whisper's
VAD, torch and pyannote are imported inside the functions that need them.

Typical use::

    from minutes.diarize import diarize, assign_word_speakers
    turns = diarize(samples, 16000, progress=cb, cancel=token)
    segments = assign_word_speakers(transcript.segments, turns)

Backends:

* "offline" (default): Silero VAD + Resemblyzer d-vectors (ONNX) + spectral
  clustering; no network, no torch (see `offline.py`).
* "pyannote": pyannote.audio with a local pipeline folder or a hub token
  (see `pyannote_backend.py`).

Voice profiles (`profiles.py`) name known voices in later meetings.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from minutes.diarize.assign import assign_word_speakers
from minutes.diarize.types import (
    BackendUnavailable,
    DiarizationError,
    DiarizationResult,
    SpeakerTurn,
)
from minutes.progress import CancelToken

logger = logging.getLogger(__name__)

BACKENDS = ("offline", "pyannote")

__all__ = [
    "BACKENDS",
    "BackendUnavailable",
    "DiarizationError",
    "DiarizationResult",
    "SpeakerTurn",
    "assign_word_speakers",
    "diarize",
    "diarize_full",
]


def _check_counts(
    num_speakers: int | None, min_speakers: int | None, max_speakers: int | None
) -> None:
    for name, value in (
        ("num_speakers", num_speakers),
        ("min_speakers", min_speakers),
        ("max_speakers", max_speakers),
    ):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")
    if min_speakers is not None and max_speakers is not None and max_speakers < min_speakers:
        raise ValueError(f"max_speakers ({max_speakers}) < min_speakers ({min_speakers})")


AudioInput = npt.NDArray[np.floating] | str | Path


def diarize_full(
    audio: AudioInput,
    sample_rate: int = 16000,
    *,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    backend: str = "offline",
    pyannote_pipeline: str | os.PathLike[str] | None = None,
    pyannote_token: str | None = None,
) -> DiarizationResult:
    """Diarize and also return one voice embedding per speaker (for voice profiles).

    Same arguments as `diarize`, plus `pyannote_token` (else $HF_TOKEN etc.).
    With the pyannote backend, `embeddings` is empty: use
    `minutes.diarize.profiles.label_speakers(result, store, audio=...)`.
    Given a file path, the offline backend decodes it as a stream (memory
    does not grow with its length); pyannote loads it whole.

    Returns:
        A `DiarizationResult`.
    """
    _check_counts(num_speakers, min_speakers, max_speakers)
    if backend == "offline" and isinstance(audio, str | Path):
        from minutes.diarize.offline import diarize_offline_file

        return diarize_offline_file(
            audio,
            num_speakers=num_speakers,
            min_speakers=min_speakers,
            max_speakers=max_speakers,
            progress=progress,
            cancel=cancel,
        )
    if isinstance(audio, str | Path):
        if backend not in BACKENDS:
            raise ValueError(f"unknown diarization backend {backend!r}; expected one of {BACKENDS}")
        from minutes.audio import load_audio

        audio = load_audio(audio)
    if backend == "offline":
        from minutes.diarize.offline import diarize_offline

        return diarize_offline(
            audio,
            sample_rate,
            num_speakers=num_speakers,
            min_speakers=min_speakers,
            max_speakers=max_speakers,
            progress=progress,
            cancel=cancel,
        )
    if backend == "pyannote":
        from minutes.diarize.pyannote_backend import diarize_pyannote

        return diarize_pyannote(
            audio,
            sample_rate,
            num_speakers=num_speakers,
            min_speakers=min_speakers,
            max_speakers=max_speakers,
            progress=progress,
            cancel=cancel,
            pipeline=pyannote_pipeline,
            token=pyannote_token,
        )
    raise ValueError(f"unknown diarization backend {backend!r}; expected one of {BACKENDS}")


def diarize(
    audio: AudioInput,
    sample_rate: int = 16000,
    *,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    backend: str = "offline",
    pyannote_pipeline: str | None = None,
) -> list[SpeakerTurn]:
    """Who spoke when.

    Args:
        audio: Mono float32 samples in [-1, 1] (2-D input is down-mixed), or
            the path of an audio file (decoded as a stream by the offline backend).
        sample_rate: Their rate; 16 kHz expected, others are resampled
            (ignored for a file).
        num_speakers: Exact number of speakers, if known.
        min_speakers: Lower bound for the automatic count.
        max_speakers: Upper bound for the automatic count.
        progress: Called with a rising fraction 0..1 (ends with 1.0).
        cancel: Polled between VAD chunks / embedding batches; raises
            `minutes.progress.Cancelled`.
        backend: "offline" (default, embedded) or "pyannote".
        pyannote_pipeline: Local pipeline folder / config.yaml, or a hub id
            (hub needs a token: $HF_TOKEN).

    Returns:
        Turns sorted by start; speakers "SPEAKER_1", "SPEAKER_2", ... in order
        of first appearance. Offline turns never overlap; pyannote's may.

    Raises:
        ValueError: Bad speaker counts or backend name.
        BackendUnavailable: The pyannote backend cannot run here.
        minutes.progress.Cancelled: When cancelled.
    """
    return list(
        diarize_full(
            audio,
            sample_rate,
            num_speakers=num_speakers,
            min_speakers=min_speakers,
            max_speakers=max_speakers,
            progress=progress,
            cancel=cancel,
            backend=backend,
            pyannote_pipeline=pyannote_pipeline,
        ).turns
    )
