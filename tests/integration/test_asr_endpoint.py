"""The endpoint ASR backend against a real OpenAI-compatible transcription server.

The server is faster-whisper-server (PyPI, MIT, FastAPI + faster-whisper) run as a
separate process with the embedded base model folder: it installs from the package
registry, runs offline from a local model folder, and serves
`POST /v1/audio/transcriptions` with `verbose_json`. Its decoding options are set
to the local backend's (beam 5, VAD, batched, no conditioning on previous text), so
the two paths must give the same transcript.

Faults: down (nothing listening), slow (a timeout shorter than the server needs),
5xx (the server cannot load its model), wrong model name, all against real
servers; garbage and a cut answer come from a scripted HTTP server, since a real
transcription server does not produce them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import cer, concat_clips, pansori_clips, wer
from bench.transcription_server import TranscriptionServer, free_port, local_on_uploaded_samples
from minutes.asr import AsrOptions, AsrRefused, AsrUnavailable
from minutes.asr.remote import EndpointTranscriber
from minutes.asr.settings import AsrEndpointSettings, AsrSettings
from minutes.config import Config
from minutes.errors import USER_ERRORS
from minutes.progress import Cancelled, CancelToken
from minutes.service import MeetingService
from tests.conftest import JFK_REFERENCE, SAMPLE

pytest.importorskip("faster_whisper_server", reason="faster-whisper-server is a test dependency")

@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, base_model_dir: Path
) -> Iterator[TranscriptionServer]:
    srv = TranscriptionServer(tmp_path_factory.mktemp("asr-server"), str(base_model_dir))
    yield srv
    srv.close()


def endpoint(url: str, **kw: Any) -> EndpointTranscriber:
    settings = AsrEndpointSettings(base_url=url, **{"retries": 1, **kw})
    return EndpointTranscriber(settings, api_key="", sleep=lambda _s: None)


def text_of(transcriber: Any, path: Path, language: str) -> str:
    options = AsrOptions(language=language)
    return " ".join(
        seg.text for _, window in transcriber.transcribe_windows(path, options) for seg in window
    )


# -- same transcript as the local model -----------------------------------------------
def test_server_gives_the_local_transcript_on_english(
    server: TranscriptionServer, base_transcriber: Any
) -> None:
    remote = text_of(endpoint(server.url), SAMPLE, "en")
    local, _ = local_on_uploaded_samples(base_transcriber, SAMPLE, AsrOptions(language="en"))
    assert cer(local, remote) <= 0.005, (local, remote)
    assert cer(JFK_REFERENCE.lower(), remote.lower()) < 0.1


def test_server_gives_the_local_transcript_on_korean(
    server: TranscriptionServer, base_transcriber: Any, speech_dir: Path, tmp_path: Path
) -> None:
    """About 2 minutes of Korean talks, in 60-s windows."""
    clips = pansori_clips()[:90]
    audio, reference = concat_clips(clips, tmp_path / "ko.wav")
    options = AsrOptions(language="auto", window_seconds=60.0)

    info: dict[str, Any] = {}
    windows = list(endpoint(server.url).transcribe_windows(audio, options, info=info))
    assert len(windows) >= 2
    remote = " ".join(s.text for _, w in windows for s in w)
    local, local_lang = local_on_uploaded_samples(base_transcriber, audio, options)
    assert info["language"] == local_lang == "ko"
    assert cer(local, remote) <= 0.005
    assert abs(cer(reference, remote) - cer(reference, local)) <= 0.005
    assert cer(reference, remote) < 0.35  # real Korean speech, recognised


def test_pipeline_on_the_server_names_it_and_keeps_segment_times(
    server: TranscriptionServer, tmp_path: Path
) -> None:
    cfg = Config(sessions_folder=str(tmp_path / "sessions"), guided_decoding=False)
    AsrSettings(backend="endpoint", endpoint=AsrEndpointSettings(base_url=server.url)).store(cfg)
    service = MeetingService(cfg)
    seen: list[float] = []
    result = service.transcribe(
        service.import_audio(SAMPLE), service.run_options(),
        progress=lambda p: seen.append(p.fraction),
    )  # fmt: skip
    assert result.transcript.model == f"whisper-1@127.0.0.1:{server.port}"
    assert result.notes == []
    seg = result.transcript.segments[0]
    assert 0.0 <= seg.start < seg.end <= 11.1
    assert "Americans" in result.transcript.segments[0].text
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_glossary_terms_go_to_the_server_as_prompt(server: TranscriptionServer) -> None:
    from glossary.terms import Glossary, Term

    t = endpoint(server.url)
    glossary = Glossary.from_terms([Term("Kubernetes"), Term("gRPC")])
    cfg = Config(glossary_hints=True)
    options = MeetingService(cfg).hinted_options(AsrOptions(language="en"), t, glossary)
    assert options.initial_prompt and "Kubernetes" in options.initial_prompt
    assert options.hotwords is None
    language, segments = t.transcribe_samples(_jfk_samples(), options)
    assert language == "en" and "country" in " ".join(s.text for s in segments)


def _jfk_samples() -> Any:
    from minutes.audio import load_audio

    return load_audio(SAMPLE)


# -- faults ----------------------------------------------------------------------------
def test_down_server_says_so_after_the_retries() -> None:
    waits: list[float] = []
    settings = AsrEndpointSettings(base_url=f"http://127.0.0.1:{free_port()}/v1", retries=2)
    t = EndpointTranscriber(settings, api_key="", sleep=waits.append)
    with pytest.raises(AsrUnavailable, match="cannot reach the server") as err:
        t.transcribe_samples(_jfk_samples())
    assert isinstance(err.value, USER_ERRORS)
    assert waits == [1.0, 2.0]  # exponential backoff


def test_slow_server_times_out(server: TranscriptionServer) -> None:
    t = endpoint(server.url, timeout_s=0.05, retries=0)
    with pytest.raises(AsrUnavailable, match=r"no answer within 0\.05 s"):
        t.transcribe_samples(_jfk_samples())


def test_server_that_cannot_load_its_model_answers_5xx(tmp_path: Path) -> None:
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    srv = TranscriptionServer(tmp_path, str(broken))
    try:
        with pytest.raises(AsrUnavailable, match="HTTP 500") as err:
            endpoint(srv.url).transcribe_samples(_jfk_samples())
        assert not isinstance(err.value, AsrRefused)  # retried: a 5xx may pass
    finally:
        srv.close()


def test_wrong_model_name_is_refused_without_retrying(
    tmp_path: Path, base_model_dir: Path
) -> None:
    srv = TranscriptionServer(tmp_path, str(base_model_dir), name="large-v3")
    waits: list[float] = []
    t = EndpointTranscriber(
        AsrEndpointSettings(base_url=srv.url, retries=3), api_key="", sleep=waits.append
    )
    try:
        with pytest.raises(AsrRefused, match=r"unknown model.*model name"):
            t.transcribe_samples(_jfk_samples())
        assert waits == []
    finally:
        srv.close()


@pytest.mark.parametrize(
    "action",
    [
        ("raw", "text/html", b"<html>proxy error</html>"),
        ("raw", "application/json", b'{"text": " And so my fel'),  # cut mid-answer
        ("chunked_cut", ["x"]),  # cut inside chunked encoding: IncompleteRead
        ("raw", "application/json", b'{"choices": []}'),  # JSON, not a transcription
    ],
)
def test_garbage_and_cut_answers_are_retried_then_reported(action: tuple[Any, ...]) -> None:
    from tests.reliability.test_faults_llm import FaultServer

    fake = FaultServer()
    fake.script = [action, action]
    try:
        with pytest.raises(AsrUnavailable) as err:
            endpoint(fake.url, timeout_s=5).transcribe_samples(_jfk_samples())
        assert fake.requests == 2
        assert fake.url in str(err.value)
    finally:
        fake.close()


def test_cancel_interrupts_a_slow_answer() -> None:
    from tests.reliability.test_faults_llm import FaultServer

    fake = FaultServer()
    fake.script = [("sleep", 30)]
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    started = time.monotonic()
    try:
        with pytest.raises(Cancelled):
            list(endpoint(fake.url).transcribe_windows(SAMPLE, cancel=cancel))
        assert time.monotonic() - started < 5
    finally:
        fake.close()


def test_api_key_goes_in_the_header_only(memory_keyring: Any) -> None:
    from minutes.apikeys import ASR_KEYS
    from tests.reliability.test_faults_llm import FaultServer

    fake = FaultServer()
    fake.script = [("status", 401, {"error": {"message": "bad key sk-secret-1"}})]
    ASR_KEYS.set(fake.url, "sk-secret-1")
    try:
        t = EndpointTranscriber(AsrEndpointSettings(base_url=fake.url), sleep=lambda _s: None)
        with pytest.raises(AsrRefused) as err:
            t.transcribe_samples(_jfk_samples())
        assert fake.last_headers["Authorization"] == "Bearer sk-secret-1"
        assert "sk-secret-1" not in str(err.value) and "API key" in str(err.value)
    finally:
        fake.close()


# -- a dead server never loses a recording -----------------------------------------------
def _service(tmp_path: Path, url: str, fallback: bool) -> MeetingService:
    cfg = Config(sessions_folder=str(tmp_path / "sessions"), guided_decoding=False)
    settings = AsrSettings(
        backend="endpoint", fallback_local=fallback,
        endpoint=AsrEndpointSettings(base_url=url, retries=0),
    )  # fmt: skip
    settings.store(cfg)
    return MeetingService(cfg)


def test_dead_server_falls_back_to_the_local_model(
    tmp_path: Path, base_transcriber: Any
) -> None:
    service = _service(tmp_path, f"http://127.0.0.1:{free_port()}/v1", fallback=True)
    service.set_transcriber(base_transcriber)
    result = service.transcribe(service.import_audio(SAMPLE), service.run_options())
    assert result.transcript.model == "base"
    assert "transcribed on this computer instead" in result.notes[0]
    text = " ".join(s.text for s in result.transcript.segments)
    assert cer(JFK_REFERENCE.lower(), text.lower()) < 0.1


def test_dead_server_without_fallback_keeps_the_recording(tmp_path: Path) -> None:
    service = _service(tmp_path, f"http://127.0.0.1:{free_port()}/v1", fallback=False)
    with pytest.raises(AsrUnavailable, match="cannot reach"):
        service.transcribe(service.import_audio(SAMPLE), service.run_options())
    from minutes.session import list_sessions

    (session,) = list_sessions(tmp_path / "sessions")
    assert session.audio_path is not None and session.audio_path.exists()
    # A later run with the server back (here: the local model) finishes the same meeting.
    cfg = service.config
    AsrSettings().store(cfg)
    back = MeetingService(cfg)
    again = back.transcribe(back.import_audio(SAMPLE), back.run_options())
    assert again.session.folder == session.folder


def test_remote_server_needs_permission(tmp_path: Path) -> None:
    cfg = Config(sessions_folder=str(tmp_path / "s"))
    AsrSettings(
        backend="endpoint", endpoint=AsrEndpointSettings(base_url="http://192.0.2.7:8000/v1")
    ).store(cfg)
    with pytest.raises(AsrUnavailable, match="another computer"):
        MeetingService(cfg).transcriber()


# -- the live transcript -------------------------------------------------------------------
def test_live_transcript_on_the_server_and_its_fallback(
    server: TranscriptionServer, tmp_path: Path, base_transcriber: Any
) -> None:
    """While recording, chunks go to the chosen server; when it dies, the rest of the
    meeting is decoded on this computer and the note says so."""
    from glossary.terms import Glossary, Term
    from minutes.audio import load_audio

    samples = load_audio(SAMPLE)
    glossary = Glossary.from_terms([Term("Americans")])
    live = _service(tmp_path, server.url, fallback=True)
    decode, guide = live.live_decoding(glossary, "en")
    assert guide is None  # guided re-decoding needs the local model's scores
    text = " ".join(s.text for s in decode(samples, 0.0))
    assert cer(JFK_REFERENCE.lower(), text.lower()) < 0.15 and decode.note is None

    dead = _service(tmp_path, f"http://127.0.0.1:{free_port()}/v1", fallback=True)
    dead.set_transcriber(base_transcriber)
    decode, _ = dead.live_decoding(glossary, "en")
    segments = decode(samples, 30.0)
    assert decode.note and "on this computer" in decode.note
    assert segments and segments[0].start >= 30.0
    assert wer(JFK_REFERENCE, " ".join(s.text for s in segments)) <= 0.25
