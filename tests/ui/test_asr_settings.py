"""Settings › Transcription: this computer's model or a team's transcription server,
and an import in the app transcribed by a real server (faster-whisper-server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import wer
from bench.transcription_server import TranscriptionServer, free_port
from minutes.asr.settings import AsrSettings
from minutes.config import Config, config_path
from tests.conftest import JFK_REFERENCE, SAMPLE


def _transcription_tab(window: Any) -> Any:
    dialog = window.open_settings()
    dialog.tabs.setCurrentWidget(dialog.asr)
    return dialog


def test_server_settings_are_saved_and_the_key_goes_to_the_keyring(
    window: Any, memory_keyring: dict[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINUTES_ASR_API_KEY", raising=False)
    dialog = _transcription_tab(window)
    tab = dialog.asr
    assert tab.backend.currentData() == "local" and not tab.fallback.isEnabled()
    tab.backend.setCurrentIndex(tab.backend.findData("endpoint"))
    assert tab.fallback.isEnabled() and tab.fallback.isChecked()  # on by default
    dialog.accept()  # no URL yet
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "base URL" in dialog.problem.text() and dialog.tabs.currentWidget() is tab

    tab.url.setText("http://gpu-server.lan:8000/v1")
    assert "another computer" in tab.remote_warning.text()
    tab.model.setText("Systran/faster-whisper-large-v3")
    tab.api_key.setText("sk-asr-secret")
    tab.allow_remote.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problem.text()
    assert memory_keyring == {("minutes-asr", "http://gpu-server.lan:8000/v1"): "sk-asr-secret"}
    assert "sk-asr-secret" not in config_path().read_text(encoding="utf-8")
    saved = AsrSettings.from_config(Config.load())
    assert saved.backend == "endpoint" and saved.allow_remote and saved.fallback_local
    assert saved.endpoint.model == "Systran/faster-whisper-large-v3"
    assert window.engine.service.asr_settings() == saved
    assert "gpu-server.lan:8000" in window.model_label.text()  # the status bar says where

    again = _transcription_tab(window)
    assert again.asr.backend.currentData() == "endpoint"
    assert "stored in the OS keyring" in again.asr.key_status.text()
    assert again.asr.api_key.text() == ""  # never shown back
    again.asr.backend.setCurrentIndex(again.asr.backend.findData("local"))
    again.accept()
    saved = AsrSettings.from_config(Config.load())
    assert saved.backend == "local"
    assert saved.endpoint.base_url == "http://gpu-server.lan:8000/v1"  # kept for later
    assert "Model: base" in window.model_label.text()
    third = _transcription_tab(window)
    third.asr.forget_key.click()
    assert not memory_keyring
    third.reject()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, base_model_dir: Path
) -> Iterator[TranscriptionServer]:
    pytest.importorskip("faster_whisper_server", reason="a test dependency (the [test] extra)")
    srv = TranscriptionServer(tmp_path_factory.mktemp("asr-server"), str(base_model_dir))
    yield srv
    srv.close()


def _use_server(window: Any, url: str, fallback: bool) -> None:
    dialog = _transcription_tab(window)
    dialog.asr.backend.setCurrentIndex(dialog.asr.backend.findData("endpoint"))
    dialog.asr.url.setText(url)
    dialog.asr.fallback.setChecked(fallback)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problem.text()


def test_an_import_is_transcribed_by_the_server(
    window: Any, qtbot: Any, server: TranscriptionServer
) -> None:
    _use_server(window, server.url, fallback=False)
    job = window.transcribe(SAMPLE)
    qtbot.waitUntil(job.done.is_set, timeout=180_000)
    assert job.error is None, job.error
    qtbot.waitUntil(lambda: window.review.session is not None, timeout=10_000)
    transcript = window.review.session.load_transcript()
    assert transcript.model == f"whisper-1@127.0.0.1:{server.port}"
    text = " ".join(s.text for s in transcript.segments)
    assert wer(JFK_REFERENCE, text) <= 0.25  # a bound, not one ASR string


def test_a_dead_server_falls_back_and_says_so(window: Any, qtbot: Any) -> None:
    _use_server(window, f"http://127.0.0.1:{free_port()}/v1", fallback=True)
    job = window.transcribe(SAMPLE)
    qtbot.waitUntil(job.done.is_set, timeout=180_000)
    assert job.error is None, job.error
    qtbot.waitUntil(lambda: window.review.session is not None, timeout=10_000)
    assert window.review.session.load_transcript().model == "base"
    assert "this computer" in window.statusBar().currentMessage()


def test_server_fields_are_enabled_only_when_a_server_is_used(
    window: Any, memory_keyring: dict[Any, str]
) -> None:
    """Settings › Transcription and › AI: an endpoint's URL, model and key are greyed out
    while this computer does the work (they are kept for later)."""
    dialog = window.open_settings()
    tab = dialog.asr
    fields = (tab.url, tab.model, tab.timeout, tab.api_key, tab.allow_remote)
    assert tab.backend.currentData() == "local" and not any(f.isEnabled() for f in fields)
    tab.backend.setCurrentIndex(tab.backend.findData("endpoint"))
    assert all(f.isEnabled() for f in fields)

    llm = (dialog.base_url, dialog.endpoint_model, dialog.api_key, dialog.allow_remote)
    assert dialog.llm_engine.currentData() == "1.5b" and not dialog.fallback.isChecked()
    assert not any(f.isEnabled() for f in llm)
    dialog.llm_engine.setCurrentIndex(dialog.llm_engine.findData("endpoint"))
    assert all(f.isEnabled() for f in llm)
    dialog.llm_engine.setCurrentIndex(dialog.llm_engine.findData("0.5b"))
    assert not any(f.isEnabled() for f in llm)
    dialog.fallback.setChecked(True)  # the embedded model falls back to the endpoint
    assert all(f.isEnabled() for f in llm)
    dialog.llm_engine.setCurrentIndex(dialog.llm_engine.findData("transformers"))
    assert not any(f.isEnabled() for f in llm)  # its fallback is the embedded model
    assert not dialog.forget_key.isEnabled() and not tab.forget_key.isEnabled()  # no key kept
    dialog.reject()


def test_forget_key_is_enabled_while_a_key_is_stored(
    window: Any, memory_keyring: dict[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with this computer chosen (the server's fields greyed out), a stored key can
    be forgotten; with none stored, the button has nothing to do."""
    monkeypatch.delenv("MINUTES_ASR_API_KEY", raising=False)
    memory_keyring[("minutes-asr", "http://gpu-server.lan:8000/v1")] = "sk-asr"
    dialog = window.open_settings()
    tab = dialog.asr
    tab.url.setText("http://gpu-server.lan:8000/v1")
    tab.key.refresh()
    assert not tab.url.isEnabled() and tab.forget_key.isEnabled()
    tab.forget_key.click()
    assert not memory_keyring and not tab.forget_key.isEnabled()
    dialog.reject()
