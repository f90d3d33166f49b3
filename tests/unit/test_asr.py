"""The ASR package without a model: settings, the backend registry, hints, the server's
answer parsed, and `minutes asr` (settings, keys, a check against a dead server)."""

from __future__ import annotations

import io
import json
import wave
from typing import Any

import numpy as np
import pytest

from bench.transcription_server import free_port
from glossary.terms import Glossary, Term
from minutes.asr import (
    AsrOptions,
    AsrUnavailable,
    HintSupport,
    Transcriber,
    backend,
    backend_names,
    open_transcriber,
    with_hints,
)
from minutes.asr.remote import EndpointTranscriber, _language_code, parse_segments, wav_bytes
from minutes.asr.settings import AsrEndpointSettings, AsrSettings
from minutes.cli import main
from minutes.config import Config, config_path


def _asr_config() -> dict[str, Any]:
    return dict(json.loads(config_path().read_text(encoding="utf-8"))["extra"]["asr"])


# -- settings ------------------------------------------------------------------------------
def test_settings_round_trip_and_ignore_what_they_do_not_know() -> None:
    settings = AsrSettings(
        backend="endpoint", allow_remote=True, fallback_local=False,
        endpoint=AsrEndpointSettings(base_url="http://gpu:8000/v1", model="large-v3"),
    )  # fmt: skip
    assert AsrSettings.from_dict(settings.to_dict()) == settings
    odd = AsrSettings.from_dict({"backend": "cloud", "colour": "red", "endpoint": "nope"})
    assert odd == AsrSettings()  # unknown backend -> local, junk dropped
    assert AsrSettings.from_dict({"endpoint": {"timeout_s": 5, "extra": 1}}).endpoint.timeout_s == 5
    assert AsrSettings.from_dict({"allow_remote": True, "retries": "x"}).allow_remote


def test_a_server_needs_a_url_and_permission_when_it_is_elsewhere() -> None:
    settings = AsrSettings(backend="endpoint")
    assert "no transcription server URL" in (settings.endpoint_problem() or "")
    settings.endpoint.base_url = "http://127.0.0.1:8000/v1"
    assert settings.endpoint_problem() is None
    settings.endpoint.base_url = "http://10.0.0.5:8000/v1"
    assert "another computer" in (settings.endpoint_problem() or "")
    settings.allow_remote = True
    assert settings.endpoint_problem() is None


# -- registry and hints ---------------------------------------------------------------------
def test_both_backends_are_registered_and_the_server_satisfies_the_protocol() -> None:
    assert backend_names()[:2] == ("local", "endpoint")  # the default first; others may follow
    assert backend("local").local and not backend("endpoint").local
    with pytest.raises(AsrUnavailable, match="unknown ASR backend"):
        backend("cloud")
    settings = AsrSettings(endpoint=AsrEndpointSettings(base_url="http://127.0.0.1:9/v1"))
    remote = open_transcriber("endpoint", Config(), settings)
    assert isinstance(remote, Transcriber) and isinstance(remote, EndpointTranscriber)
    assert remote.name == "whisper-1@127.0.0.1:9" and remote.multilingual


class _Fake:
    """Only what `with_hints` reads."""

    def __init__(self, support: HintSupport) -> None:
        self._support = support

    def hint_support(self) -> HintSupport:
        return self._support


def test_hints_go_where_the_backend_takes_them_within_its_budget() -> None:
    glossary = Glossary.from_terms([Term("Kubernetes"), Term("OKR"), Term("쿠버네티스 클러스터")])
    def hinted(field: str, budget: int, terms: Glossary | None = glossary) -> AsrOptions:
        return with_hints(AsrOptions(), _Fake(HintSupport(field, budget, None)), terms)  # type: ignore[arg-type]

    as_hotwords = hinted("hotwords", 100)
    assert as_hotwords.hotwords and "Kubernetes" in as_hotwords.hotwords
    assert as_hotwords.initial_prompt is None
    as_prompt = hinted("prompt", 100)
    assert as_prompt.initial_prompt == as_hotwords.hotwords and as_prompt.hotwords is None
    tight = hinted("prompt", 3).initial_prompt or ""
    assert len(tight) < len(as_prompt.initial_prompt or "")
    assert hinted("prompt", 100, None) == AsrOptions()


# -- the server's answer --------------------------------------------------------------------
def test_verbose_json_with_words_is_placed_in_recording_time() -> None:
    answer = {
        "language": "korean",
        "segments": [
            {"start": 0.0, "end": 2.0, "text": " 쿠버네티스 배포", "avg_logprob": -0.2,
             "no_speech_prob": 0.01},
            {"start": 2.0, "end": 3.5, "text": "OK", "avg_logprob": -0.3, "no_speech_prob": 0.0},
        ],
        "words": [
            {"start": 0.1, "end": 0.9, "word": "쿠버네티스", "probability": 0.8},
            {"start": 1.0, "end": 1.8, "word": "배포", "probability": 0.9},
            {"start": 2.1, "end": 3.0, "word": "OK"},
        ],
    }  # fmt: skip
    segments = parse_segments(answer, offset=30.0, duration=30.0)
    assert [s.text for s in segments] == ["쿠버네티스 배포", "OK"]
    assert (segments[0].start, segments[0].end) == (30.0, 32.0)
    assert [w.text for w in segments[0].words] == ["쿠버네티스", " 배포"]
    assert segments[0].words[1].start == 31.0 and segments[0].words[0].probability == 0.8
    assert segments[1].words[0].probability == 1.0  # a server without probabilities
    assert _language_code(answer["language"]) == "ko" and _language_code("en") == "en"


def test_plain_text_answers_and_junk_segments() -> None:
    one = parse_segments({"text": " hello there "}, offset=60.0, duration=12.5)
    assert len(one) == 1 and (one[0].start, one[0].end, one[0].text) == (60.0, 72.5, "hello there")
    assert parse_segments({"text": "", "segments": []}, 0.0, 10.0) == []
    junk = {"segments": ["x", {"start": "a", "text": "fine"}, {"text": "   "}]}
    assert [s.text for s in parse_segments(junk, 0.0, 5.0)] == ["fine"]


def test_windows_are_uploaded_as_16_bit_wav() -> None:
    samples = np.sin(np.linspace(0, 100, 16000)).astype(np.float32) * 0.5
    with wave.open(io.BytesIO(wav_bytes(samples))) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() == 16000


# -- minutes asr ----------------------------------------------------------------------------
def test_show_defaults_to_this_computer(capsys: Any) -> None:
    assert main(["asr"]) == 0
    out = capsys.readouterr().out
    assert "backend:  local" in out and "server: not set" in out


def test_set_a_server_then_go_back_to_the_local_model(capsys: Any) -> None:
    argv = ["asr", "set", "--endpoint-url", "http://10.1.2.3:8000/v1/", "--endpoint-model", "v3"]
    assert main([*argv, "--retries", "0", "--no-fallback"]) == 0
    out = capsys.readouterr().out
    assert "another computer" in out and "the local model is used" in out
    stored = _asr_config()
    assert stored["backend"] == "endpoint" and stored["fallback_local"] is False
    assert stored["endpoint"] == {
        "base_url": "http://10.1.2.3:8000/v1", "model": "v3", "timeout_s": 300.0,
        "retries": 0, "backoff_s": 1.0,
    }  # fmt: skip
    assert main(["asr", "set", "--allow-remote"]) == 0
    assert "the local model is used" not in capsys.readouterr().out
    assert main(["asr", "set", "--backend", "local"]) == 0
    assert _asr_config()["backend"] == "local"
    assert _asr_config()["endpoint"]["base_url"] == "http://10.1.2.3:8000/v1"  # kept
    assert main(["asr", "set", "--endpoint-url", ""]) == 0
    assert _asr_config()["endpoint"]["base_url"] == "" and _asr_config()["backend"] == "local"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--endpoint-url", "ftp://example.com"], "--endpoint-url"),
        (["--timeout", "0"], "--timeout must be more than 0"),
        (["--retries", "-1"], "--retries must be 0 or more"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    argv: list[str], message: str, capsys: Any
) -> None:
    assert main(["asr", "set", "--retries", "1"]) == 0
    before = config_path().read_bytes()
    assert main(["asr", "set", *argv]) == 1
    assert message in capsys.readouterr().err
    assert config_path().read_bytes() == before


def test_key_goes_to_the_keyring_never_to_the_settings(
    memory_keyring: dict[Any, str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert main(["asr", "key", "set", "--stdin"]) == 1  # no server yet
    assert "no server" in capsys.readouterr().err
    assert main(["asr", "set", "--endpoint-url", "http://127.0.0.1:8000/v1"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("sk-asr-123\n"))
    assert main(["asr", "key", "set", "--stdin"]) == 0
    assert memory_keyring == {("minutes-asr", "http://127.0.0.1:8000/v1"): "sk-asr-123"}
    assert "sk-asr-123" not in config_path().read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["asr"]) == 0
    out = capsys.readouterr().out
    assert "API key stored" in out and "sk-asr-123" not in out
    assert main(["asr", "key", "delete"]) == 0
    assert not memory_keyring


def test_check_names_a_dead_server(capsys: Any) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    assert main(["asr", "set", "--endpoint-url", url, "--retries", "0"]) == 0
    capsys.readouterr()
    assert main(["asr", "check"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the server" in err and url in err


def test_transcribe_refuses_an_unknown_backend(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        main(["transcribe", "x.wav", "--asr", "cloud"])
    assert "invalid choice" in capsys.readouterr().err
