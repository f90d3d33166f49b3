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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from minutes.diarize.assign import assign_word_speakers
from minutes.diarize.options import BACKENDS, DiarizeOptions
from minutes.diarize.types import (
    BackendUnavailable,
    DiarizationError,
    DiarizationResult,
    SpeakerTurn,
)
from minutes.progress import CancelToken

if TYPE_CHECKING:
    from minutes.diarize.offline import SpeechSoFar

logger = logging.getLogger(__name__)


__all__ = [
    "BACKENDS",
    "BackendUnavailable",
    "DiarizationError",
    "DiarizationResult",
    "DiarizeOptions",
    "SpeakerTurn",
    "assign_word_speakers",
    "diarize",
    "diarize_full",
]


AudioInput = npt.NDArray[np.floating] | str | Path


def diarize_full(
    audio: AudioInput,
    sample_rate: int = 16000,
    options: DiarizeOptions | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    pyannote_token: str | None = None,
    resume: SpeechSoFar | None = None,
) -> DiarizationResult:
    """Diarize and also return one voice embedding per speaker (for voice profiles).

    Same arguments as `diarize`, plus `pyannote_token` (else $HF_TOKEN etc.) and
    `resume`: what the offline backend collected from the file's start during the
    recording (`minutes.during_speakers`); other backends and in-memory audio ignore it.
    With the pyannote backend, `embeddings` is empty: use
    `minutes.diarize.profiles.label_speakers(result, store, audio=...)`.
    Given a file path, the offline backend decodes it as a stream (memory
    does not grow with its length); pyannote loads it whole.

    Returns:
        A `DiarizationResult`.
    """
    options = options or DiarizeOptions()
    if options.backend == "offline":
        from minutes.diarize.offline import diarize_offline, diarize_offline_file

        if isinstance(audio, str | Path):
            return diarize_offline_file(
                audio, options, progress=progress, cancel=cancel, resume=resume
            )
        return diarize_offline(audio, sample_rate, options, progress=progress, cancel=cancel)
    if isinstance(audio, str | Path):
        from minutes.audio import load_audio

        audio = load_audio(audio)
    from minutes.diarize.pyannote_backend import diarize_pyannote

    return diarize_pyannote(
        audio, sample_rate, options, progress=progress, cancel=cancel, token=pyannote_token
    )


def diarize(
    audio: AudioInput,
    sample_rate: int = 16000,
    options: DiarizeOptions | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[SpeakerTurn]:
    """Who spoke when.

    Args:
        audio: Mono float32 samples in [-1, 1] (2-D input is down-mixed), or
            the path of an audio file (decoded as a stream by the offline backend).
        sample_rate: Their rate; 16 kHz expected, others are resampled
            (ignored for a file).
        options: Speaker counts and the backend (`DiarizeOptions`; default: offline,
            automatic count).
        progress: Called with a rising fraction 0..1 (ends with 1.0).
        cancel: Polled between VAD chunks / embedding batches; raises
            `minutes.progress.Cancelled`.

    Returns:
        Turns sorted by start; speakers "SPEAKER_1", "SPEAKER_2", ... in order
        of first appearance. Offline turns never overlap; pyannote's may.

    Raises:
        BackendUnavailable: The pyannote backend cannot run here.
        minutes.progress.Cancelled: When cancelled.
    """
    return list(diarize_full(audio, sample_rate, options, progress=progress, cancel=cancel).turns)
