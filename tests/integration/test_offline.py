"""Nothing leaves the machine: the whole pipeline runs with the network forbidden."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bench.corpus import wer
from glossary.terms import Glossary, Term
from minutes.asr import WhisperTranscriber
from minutes.pipeline import Pipeline, RunOptions
from tests.conftest import JFK_REFERENCE, SAMPLE

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every outgoing connection fails and is recorded."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access is forbidden in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(var, raising=False)
    return attempts


def test_pipeline_opens_no_network_connection(
    base_transcriber: WhisperTranscriber, tmp_path: Path, no_network: list[object]
) -> None:
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
    result = pipeline.run(pipeline.import_audio(SAMPLE), options, glossary)
    text = " ".join(s.text for s in result.transcript.segments)
    assert wer(JFK_REFERENCE, text) <= 0.25, text  # hints on: a bound, not one string
    assert no_network == []


def test_minutes_and_repair_open_no_network_connection(
    gguf_05b: Path,
    tmp_path: Path,
    no_network: list[object],
) -> None:
    """The default LLM settings (no endpoint configured) stay on the machine."""
    from minutes.llm.engines import open_engine
    from minutes.llm.repair import repair_transcript
    from minutes.llm.settings import LlmSettings
    from minutes.llm.summarise import SummariseOptions, summarise
    from minutes.types import Document, Segment, Transcript

    transcript = Transcript(
        "ko",
        8.0,
        (
            Segment(0, 0.0, 4.0, "다음 주까지 쿠버네티스 배포 문서를 정리해 주세요.", speaker="A"),
            Segment(1, 4.0, 8.0, "네, 금요일까지 공유하겠습니다.", speaker="B"),
        ),
    )
    settings = LlmSettings(local_model=str(gguf_05b), context_size=2048)
    engine = open_engine(settings)
    try:
        repair_transcript(transcript, engine, glossary=Glossary.from_terms([Term("Kubernetes")]))
        minutes = summarise(
            Document.build(transcript, title="배포 회의"), engine,
            options=SummariseOptions(map_tokens=300),
        )  # fmt: skip
    finally:
        engine.close()
    assert minutes.title
    assert no_network == []
