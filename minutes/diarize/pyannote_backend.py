"""Optional pyannote.audio backend, same outputs as the offline one.

Used when pyannote.audio is installed and the user points to a local pipeline
folder (a `config.yaml` whose checkpoints are local files) or gives a hub
token (then a pipeline id, by default `pyannote/speaker-diarization-3.1`, is
fetched from the hub: gated, needs the user to accept its conditions).

The audio is handed over in memory (`{"waveform", "sample_rate"}`), so
pyannote never decodes files itself (its torchaudio/torchcodec decoders are
the fragile part of its install). Progress and cancel go through pyannote's
`hook` callback, which it calls between the steps of the pipeline and
between batches inside them.

Known limits here: pip's torchaudio for torch 2.13 is a CUDA build that does
not import on a CPU-only machine, and the pretrained pipelines are gated, so
the real pipeline cannot run in this project's CI; everything around it is
tested.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from minutes.diarize.options import DiarizeOptions
from minutes.diarize.types import (
    BackendUnavailable,
    DiarizationError,
    DiarizationResult,
    SpeakerTurn,
    renumber_turns,
)
from minutes.progress import CancelToken

logger = logging.getLogger(__name__)

DEFAULT_PIPELINE = "pyannote/speaker-diarization-3.1"
TOKEN_ENV_VARS = ("MINUTES_HF_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
# Share of the progress bar per pipeline step (pyannote 3.x/4.x step names).
_STEP_SPAN = {
    "segmentation": (0.0, 0.3),
    "speaker_counting": (0.3, 0.35),
    "embeddings": (0.35, 0.95),
}


@dataclass(frozen=True)
class PipelineSource:
    """Where the pyannote pipeline comes from.

    Attributes:
        location: A local folder / config.yaml path, or a hub id.
        local: True for a local folder or file.
        token: Hub token (hub ids only).
    """

    location: str
    local: bool
    token: str | None = None


def pyannote_status() -> tuple[bool, str]:
    """Whether pyannote.audio can be imported here, and if not, why (for the UI/tests)."""
    try:
        import pyannote.audio  # noqa: F401
    except Exception as exc:  # ImportError, or torchaudio's OSError on a CPU-only machine
        return False, f"pyannote.audio cannot be imported: {type(exc).__name__}: {exc}"
    return True, "pyannote.audio is available"


def hub_token(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The hub token: `explicit`, else the first set of `TOKEN_ENV_VARS`."""
    if explicit:
        return explicit
    env = os.environ if environ is None else environ
    for var in TOKEN_ENV_VARS:
        if env.get(var):
            return env[var]
    return None


def resolve_pipeline(
    pipeline: str | os.PathLike[str] | None,
    token: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> PipelineSource:
    """Decide which pipeline to load, without loading anything.

    Args:
        pipeline: A local folder holding `config.yaml`, a `config.yaml` path,
            a hub id ("org/name"), or None for the default hub pipeline.
        token: Hub token; falls back to the environment (see `hub_token`).
        environ: Environment to read (tests); defaults to `os.environ`.

    Returns:
        The resolved source.

    Raises:
        BackendUnavailable: A local path without `config.yaml`, or a hub
            pipeline without a token.
    """
    if pipeline is not None:
        path = Path(pipeline).expanduser()
        if path.is_dir():
            if not (path / "config.yaml").is_file():
                raise BackendUnavailable(f"{path}: no config.yaml in the pyannote pipeline folder")
            return PipelineSource(str(path), local=True)
        if path.is_file():
            return PipelineSource(str(path), local=True)
        text = str(pipeline)
        if path.is_absolute() or text.startswith((".", "~")) or text.endswith((".yaml", ".yml")):
            raise BackendUnavailable(f"{path}: pyannote pipeline not found")
    tok = hub_token(token, environ)
    hub_id = str(pipeline) if pipeline is not None else DEFAULT_PIPELINE
    if not tok:
        raise BackendUnavailable(
            f"the pyannote pipeline {hub_id!r} is on the Hugging Face hub and gated: give a local "
            "pipeline folder, or a hub token (setting or $HF_TOKEN) after accepting its conditions"
        )
    return PipelineSource(hub_id, local=False, token=tok)


def annotation_to_turns(annotation: Any) -> list[SpeakerTurn]:
    """Turns from a pyannote `Annotation` (3.x) or a 4.x `DiarizeOutput`.

    Args:
        annotation: Anything with `itertracks(yield_label=True)`, or with a
            `speaker_diarization` attribute holding such an object.

    Returns:
        Turns with pyannote's own labels, sorted, zero-length ones dropped.
    """
    ann = getattr(annotation, "speaker_diarization", annotation)
    tracks: Iterable[Any] = ann.itertracks(yield_label=True)
    turns = []
    for item in tracks:
        segment, label = item[0], item[-1]
        start, end = float(segment.start), float(segment.end)
        if end > start:
            turns.append(SpeakerTurn(round(start, 3), round(end, 3), str(label)))
    return sorted(turns, key=lambda t: (t.start, t.end, t.speaker))


def make_hook(
    progress: Callable[[float], None] | None, cancel: CancelToken | None
) -> Callable[..., None]:
    """A pyannote `hook` that reports progress and raises `Cancelled` when asked.

    pyannote calls `hook(step_name, step_artifact, file=..., total=..., completed=...)`.
    """
    last = [0.0]

    def hook(
        step_name: str,
        step_artifact: Any = None,
        file: Any = None,
        total: int | None = None,
        completed: int | None = None,
    ) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is None:
            return
        lo, hi = _STEP_SPAN.get(step_name, (last[0], last[0]))
        frac = hi if not total else lo + (hi - lo) * min(1.0, (completed or 0) / total)
        if frac > last[0]:
            last[0] = frac
            progress(frac)

    return hook


def load_pipeline(source: PipelineSource) -> Any:
    """Instantiate a pyannote `Pipeline` (imports torch and pyannote.audio here).

    Raises:
        BackendUnavailable: pyannote.audio missing or the pipeline cannot be loaded.
    """
    ok, reason = pyannote_status()
    if not ok:
        raise BackendUnavailable(reason)
    from pyannote.audio import Pipeline

    candidates = [source.location]
    if source.local and Path(source.location).is_dir():
        # pyannote 4 loads a folder; 3.x wants the config file itself.
        candidates.append(str(Path(source.location) / "config.yaml"))
    options: list[dict[str, Any]] = (
        [{}] if source.local else [{"token": source.token}, {"use_auth_token": source.token}]
    )
    errors = []
    for cand in candidates:
        for kwargs in options:
            try:
                pipe = Pipeline.from_pretrained(cand, **kwargs)
            except TypeError as exc:  # the other major version's keyword: try the next
                errors.append(str(exc))
                continue
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                break
            if pipe is not None:  # 3.x returns None when the hub refuses
                return pipe
            errors.append("Pipeline.from_pretrained returned None (gated or not found)")
            break
    raise BackendUnavailable(
        f"cannot load pyannote pipeline {source.location}: {'; '.join(errors)}"
    )


def diarize_pyannote(
    audio: npt.NDArray[np.floating],
    sample_rate: int = 16000,
    options: DiarizeOptions | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    token: str | None = None,
    loaded: Any = None,
) -> DiarizationResult:
    """Diarize with pyannote.audio.

    Args:
        audio: Mono float32 samples in [-1, 1].
        sample_rate: Their rate (pyannote resamples if needed).
        options: Speaker counts and `pyannote_pipeline` (a local pipeline folder /
            config.yaml, or a hub id).
        progress: Called with a rising fraction 0..1.
        cancel: Checked in pyannote's hook (between steps and batches).
        token: Hub token (else from the environment).
        loaded: An already instantiated pipeline (skips loading; tests, reuse).

    Returns:
        Turns (they may overlap: pyannote detects overlapped speech) with
        speakers renamed SPEAKER_1..; embeddings are left to the caller
        (`minutes.diarize.profiles.embed_speakers`), since pyannote's live in
        another space than the voice profiles.

    Raises:
        BackendUnavailable: pyannote or the pipeline is not available.
        minutes.progress.Cancelled: When `cancel` was set.
    """
    options = options or DiarizeOptions(backend="pyannote")
    pipe = (
        loaded
        if loaded is not None
        else load_pipeline(resolve_pipeline(options.pyannote_pipeline, token))
    )
    import torch

    x = np.asarray(audio, dtype=np.float32).reshape(1, -1)
    kwargs: dict[str, Any] = {}
    if options.speakers is not None:
        kwargs["num_speakers"] = options.speakers
    if options.min_speakers is not None:
        kwargs["min_speakers"] = options.min_speakers
    if options.max_speakers is not None:
        kwargs["max_speakers"] = options.max_speakers
    if cancel is not None:
        cancel.raise_if_cancelled()
    try:
        output = pipe(
            {"waveform": torch.from_numpy(x), "sample_rate": sample_rate},
            hook=make_hook(progress, cancel),
            **kwargs,
        )
    except BackendUnavailable:
        raise
    except Exception as exc:
        from minutes.progress import Cancelled

        if isinstance(exc, Cancelled):
            raise
        raise DiarizationError(f"pyannote diarization failed: {type(exc).__name__}: {exc}") from exc
    turns, _ = renumber_turns(annotation_to_turns(output))
    if progress is not None:
        progress(1.0)
    return DiarizationResult(turns=tuple(turns), backend="pyannote")
