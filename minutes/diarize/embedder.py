"""Resemblyzer voice encoder (d-vectors) run under onnxruntime.

The ONNX file is exported from the weights in the `resemblyzer` wheel by
`scripts/export_resemblyzer_onnx.py`; torch is not needed at run time. The
encoder maps a power-mel sequence (frames, 40) to an L2-normalised 256-d
embedding; it was trained on 1.6 s (160-frame) partials.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from minutes.diarize.types import DiarizationError
from minutes.progress import CancelToken
from minutes.resources import INSTALLED, SOURCE_TREE

logger = logging.getLogger(__name__)

MODEL_FILENAME = "resemblyzer_voice_encoder.onnx"
MODEL_ID = "resemblyzer-0.1.4-ge2e-256"  # stored with voice profiles: same space or no match
EMBEDDING_DIM = 256
MODEL_ENV = "MINUTES_DIARIZE_MODEL"

FloatArray = npt.NDArray[np.float32]


def default_model_path() -> Path:
    """Locate the shipped ONNX encoder.

    Looks, in order, at `$MINUTES_DIARIZE_MODEL`, the source tree's
    `resources/models/`, and `<prefix>/share/minutes/models/`.

    Raises:
        DiarizationError: With the places looked at and how to fix it.
    """
    env = os.environ.get(MODEL_ENV)
    candidates = [Path(env)] if env else []
    candidates += [
        SOURCE_TREE / "models" / MODEL_FILENAME,
        INSTALLED / "models" / MODEL_FILENAME,
    ]
    for path in candidates:
        if path.is_file():
            return path
    raise DiarizationError(
        "The speaker model (resemblyzer_voice_encoder.onnx) is missing; looked at: "
        + ", ".join(str(p) for p in candidates)
        + ". Reinstall minutes (`make install`), or set MINUTES_DIARIZE_MODEL to the file "
        "(re-create it with scripts/export_resemblyzer_onnx.py)."
    )


class VoiceEncoder:
    """Lazy onnxruntime session around the exported encoder.

    Args:
        model_path: ONNX file; defaults to `default_model_path()`.
        threads: Intra-op threads; defaults to the CPU count capped at 4
            (the LSTM gains little beyond that).
    """

    def __init__(
        self, model_path: str | os.PathLike[str] | None = None, threads: int | None = None
    ):
        self._path = Path(model_path) if model_path is not None else None
        self._threads = threads
        self._session: Any = None

    @property
    def model_path(self) -> Path:
        return self._path if self._path is not None else default_model_path()

    def _load(self) -> Any:
        if self._session is None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self._threads or min(os.cpu_count() or 1, 4)
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            # No busy-waiting between batches: on a small shared machine (ASR, UI, other
            # work) spinning threads burn CPU and were measured slower under load.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            path = self.model_path
            if not path.is_file():
                raise DiarizationError(
                    f"The speaker model {path} is missing. Reinstall minutes (`make install`), "
                    "or set MINUTES_DIARIZE_MODEL to the file."
                )
            try:
                self._session = ort.InferenceSession(
                    str(path), sess_options=opts, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime's own types (InvalidProtobuf, NoSuchFile...)
                raise DiarizationError(
                    f"The speaker model {path} cannot be loaded ({str(exc)[:200]}): the file is "
                    "damaged or truncated. Reinstall minutes (`make install`) or re-create it "
                    "with scripts/export_resemblyzer_onnx.py."
                ) from exc
            logger.debug("loaded voice encoder %s", self.model_path)
        return self._session

    def embed_mels(self, mels: FloatArray) -> FloatArray:
        """Embed a batch of equal-length mel sequences.

        Args:
            mels: float32 array (batch, frames, 40).

        Returns:
            float32 array (batch, 256), rows L2-normalised.
        """
        if mels.ndim != 3 or mels.shape[0] == 0:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        out = self._load().run(None, {"mels": np.ascontiguousarray(mels, dtype=np.float32)})[0]
        return np.asarray(out, dtype=np.float32)

    def embed_windows(
        self,
        mel: FloatArray,
        windows: Sequence[tuple[int, int]],
        *,
        batch_size: int = 64,
        progress: Callable[[float], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> FloatArray:
        """Embed frame windows of one mel spectrogram, in batches.

        Windows of equal length are batched together (the LSTM's final state
        depends on every frame, so shorter windows cannot be zero-padded).

        Args:
            mel: float32 (frames, 40) power mel of the whole audio.
            windows: (start_frame, end_frame) pairs.
            batch_size: Windows per encoder call (bounds memory).
            progress: Called with 0..1 after each batch.
            cancel: Checked before each batch.

        Returns:
            float32 (len(windows), 256).
        """
        out = np.zeros((len(windows), EMBEDDING_DIM), dtype=np.float32)
        by_len: dict[int, list[int]] = {}
        for i, (s, e) in enumerate(windows):
            by_len.setdefault(e - s, []).append(i)
        done = 0
        for length, idx in sorted(by_len.items(), key=lambda kv: -len(kv[1])):
            for b in range(0, len(idx), batch_size):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                part = idx[b : b + batch_size]
                batch = np.stack([mel[windows[i][0] : windows[i][0] + length] for i in part])
                out[part] = self.embed_mels(batch)
                done += len(part)
                if progress is not None:
                    progress(done / len(windows))
        return out
