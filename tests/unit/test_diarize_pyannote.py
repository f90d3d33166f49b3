"""Everything around the pyannote backend that can run without pyannote's models."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minutes.diarize import BackendUnavailable, DiarizationError, DiarizeOptions, diarize
from minutes.diarize.pyannote_backend import (
    DEFAULT_PIPELINE,
    annotation_to_turns,
    diarize_pyannote,
    hub_token,
    make_hook,
    pyannote_status,
    resolve_pipeline,
)
from minutes.progress import Cancelled, CancelToken


@dataclass
class Seg:
    start: float
    end: float


class FakeAnnotation:
    """Quacks like pyannote.core.Annotation for `itertracks(yield_label=True)`."""

    def __init__(self, tracks: list[tuple[float, float, str]]) -> None:
        self.tracks = tracks

    def itertracks(self, yield_label: bool = False) -> Any:
        for i, (s, e, lab) in enumerate(self.tracks):
            yield (Seg(s, e), i, lab) if yield_label else (Seg(s, e), i)


@dataclass
class FakeDiarizeOutput:
    """pyannote 4.x returns an object whose `speaker_diarization` is the Annotation."""

    speaker_diarization: FakeAnnotation


def test_local_folder_file_and_missing(tmp_path: Path) -> None:
    folder = tmp_path / "pipe"
    folder.mkdir()
    with pytest.raises(BackendUnavailable, match=r"config\.yaml"):
        resolve_pipeline(folder, environ={})
    (folder / "config.yaml").write_text("pipeline: {}\n", encoding="utf-8")
    src = resolve_pipeline(folder, environ={})
    assert src.local and src.location == str(folder) and src.token is None
    assert resolve_pipeline(folder / "config.yaml", environ={}).local
    with pytest.raises(BackendUnavailable, match="not found"):
        resolve_pipeline(tmp_path / "nope" / "config.yaml", environ={})
    with pytest.raises(BackendUnavailable, match="not found"):
        resolve_pipeline(str(tmp_path / "absent"), environ={})


def test_hub_pipeline_needs_a_token() -> None:
    with pytest.raises(BackendUnavailable, match="token"):
        resolve_pipeline(None, environ={})
    src = resolve_pipeline(None, environ={"HF_TOKEN": "hf_x"})
    assert (src.location, src.local, src.token) == (DEFAULT_PIPELINE, False, "hf_x")
    src = resolve_pipeline("org/custom-pipeline", token="tok", environ={"HF_TOKEN": "other"})
    assert (src.location, src.token) == ("org/custom-pipeline", "tok")


def test_token_precedence() -> None:
    env = {"HF_TOKEN": "b", "MINUTES_HF_TOKEN": "a", "HUGGING_FACE_HUB_TOKEN": "c"}
    assert hub_token(None, env) == "a"
    assert hub_token("explicit", env) == "explicit"
    assert hub_token(None, {"HUGGING_FACE_HUB_TOKEN": "c"}) == "c"
    assert hub_token(None, {}) is None


def test_annotation_conversion_both_major_versions() -> None:
    ann = FakeAnnotation([(3.0, 4.0, "SPEAKER_00"), (0.5, 2.0, "SPEAKER_01"), (1.5, 1.5, "x")])
    turns = annotation_to_turns(ann)
    assert [(t.start, t.end, t.speaker) for t in turns] == [
        (0.5, 2.0, "SPEAKER_01"),
        (3.0, 4.0, "SPEAKER_00"),
    ]
    assert annotation_to_turns(FakeDiarizeOutput(ann)) == turns


def test_hook_reports_progress_and_cancels() -> None:
    seen: list[float] = []
    hook = make_hook(seen.append, None)
    hook("segmentation", None, total=4, completed=2)
    hook("segmentation", None, total=4, completed=4)
    hook("speaker_counting", object())
    hook("embeddings", None, total=10, completed=5)
    hook("discrete_diarization", object())  # unknown step: no progress change
    assert (
        seen == sorted(seen) and seen[0] == pytest.approx(0.15) and seen[-1] == pytest.approx(0.65)
    )
    token = CancelToken()
    hook = make_hook(None, token)
    hook("segmentation", None, total=1, completed=0)
    token.cancel()
    with pytest.raises(Cancelled):
        hook("segmentation", None, total=1, completed=1)


class FakePipeline:
    """Stands in for an instantiated pyannote Pipeline (checks the call contract)."""

    def __init__(self, output: Any, fail: Exception | None = None) -> None:
        self.output = output
        self.fail = fail
        self.calls: list[dict[str, Any]] = []

    def __call__(self, file: dict[str, Any], hook: Any = None, **kwargs: Any) -> Any:
        self.calls.append({"file": file, **kwargs})
        hook("segmentation", None, total=2, completed=1)
        hook("embeddings", None, total=2, completed=2)
        if self.fail:
            raise self.fail
        return self.output


@pytest.fixture()
def fake_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backend turns the samples into a torch tensor; a stub is enough here."""
    if "torch" not in sys.modules:
        stub = types.ModuleType("torch")
        stub.from_numpy = lambda a: a  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "torch", stub)


@pytest.mark.usefixtures("fake_torch")
def test_diarize_pyannote_contract_with_a_fake_pipeline() -> None:
    ann = FakeAnnotation([(0.0, 2.0, "B"), (1.5, 3.0, "A"), (3.0, 5.0, "B")])
    pipe = FakePipeline(FakeDiarizeOutput(ann))
    seen: list[float] = []
    audio = np.zeros(16000 * 5, np.float32)
    res = diarize_pyannote(
        audio, 16000, DiarizeOptions(2, backend="pyannote"), progress=seen.append, loaded=pipe
    )
    call = pipe.calls[0]
    assert call["num_speakers"] == 2 and "min_speakers" not in call
    assert call["file"]["sample_rate"] == 16000 and call["file"]["waveform"].shape == (1, 80000)
    # Overlap kept; labels renamed by first appearance.
    assert [(t.start, t.end, t.speaker) for t in res.turns] == [
        (0.0, 2.0, "SPEAKER_1"),
        (1.5, 3.0, "SPEAKER_2"),
        (3.0, 5.0, "SPEAKER_1"),
    ]
    assert res.backend == "pyannote" and seen[-1] == 1.0 and seen == sorted(seen)


@pytest.mark.usefixtures("fake_torch")
def test_diarize_pyannote_errors() -> None:
    audio = np.zeros(16000, np.float32)
    with pytest.raises(DiarizationError, match="RuntimeError"):
        diarize_pyannote(audio, loaded=FakePipeline(None, fail=RuntimeError("boom")))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        diarize_pyannote(audio, cancel=token, loaded=FakePipeline(FakeAnnotation([])))


def test_backend_unavailable_reason_without_pyannote(tmp_path: Path) -> None:
    ok, reason = pyannote_status()
    if ok:
        pytest.skip("pyannote.audio is importable here; covered by the integration test")
    assert "pyannote.audio cannot be imported" in reason
    (tmp_path / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(BackendUnavailable, match=r"pyannote\.audio cannot be imported"):
        diarize(
            np.zeros(16000, np.float32),
            options=DiarizeOptions(backend="pyannote", pyannote_pipeline=str(tmp_path)),
        )
