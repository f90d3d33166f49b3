"""Nothing leaves the machine: the whole pipeline runs with the network forbidden."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from glossary.terms import Glossary, Term
from minutes.asr import WhisperTranscriber
from minutes.pipeline import Pipeline, RunOptions
from tests.conftest import SAMPLE

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_pipeline_opens_no_network_connection(
    base_transcriber: WhisperTranscriber, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access is forbidden in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(var, raising=False)

    pipeline = Pipeline(tmp_path / "sessions")
    pipeline._transcriber = None  # load the model inside the guard too
    options = RunOptions(
        model="base",
        language="auto",
        formats=("json", "docx", "srt"),
        out_dir=tmp_path / "out",
        diarize=True,
        hints=True,
    )
    glossary = Glossary.from_terms([Term("Americans"), Term("Kubernetes")])
    result = pipeline.run(SAMPLE, options, glossary)
    assert (
        "ask not what your country" in " ".join(s.text for s in result.transcript.segments).lower()
    )
    assert attempts == []
