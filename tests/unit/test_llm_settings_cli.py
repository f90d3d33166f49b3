"""``minutes llm``: settings, API keys in the keyring, and the engine check."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from minutes.cli import main
from minutes.config import config_path
from tests.reliability.test_faults_llm import FaultServer


@pytest.fixture()
def server() -> Iterator[FaultServer]:
    s = FaultServer()
    yield s
    s.close()


def _llm_config() -> dict[str, Any]:
    return dict(json.loads(config_path().read_text(encoding="utf-8"))["extra"]["llm"])


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_show_defaults_to_the_embedded_model_only(capsys: Any) -> None:
    assert main(["llm"]) == 0
    out = capsys.readouterr().out
    assert "order:    local\n" in out
    assert "qwen2.5-coder-1.5b" in out and "not allowed" in out


def test_set_stores_an_endpoint_and_explains_why_a_remote_one_is_skipped(capsys: Any) -> None:
    argv = ["llm", "set", "--order", "endpoint,local", "--endpoint-url", "http://10.1.2.3:8000/v1/"]
    assert main([*argv, "--endpoint-model", "qwen2.5:7b", "--retries", "0"]) == 0
    out = capsys.readouterr().out
    assert "is on another computer and --allow-remote is not set; it is skipped" in out
    assert "[skipped]" in out
    stored = _llm_config()
    assert stored["order"] == ["endpoint", "local"]
    assert stored["endpoint"]["base_url"] == "http://10.1.2.3:8000/v1"  # trailing / dropped
    assert stored["endpoint"]["retries"] == 0 and stored["allow_remote"] is False

    assert main(["llm", "set", "--allow-remote"]) == 0
    assert "[skipped]" not in capsys.readouterr().out
    assert _llm_config()["allow_remote"] is True
    assert main(["llm", "set", "--local-only"]) == 0
    assert _llm_config()["allow_remote"] is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--order", "local,cloud"], "--order takes local, transformers, endpoint"),
        (["--endpoint-url", "ftp://example.com"], "--endpoint-url must look like"),
        (["--endpoint-url", "localhost:11434"], "--endpoint-url must look like"),
        (["--model", "/no/such/model.gguf"], "nor an existing .gguf file"),
        (["--context", "10"], "--context must be at least 512"),
        (["--timeout", "0"], "--timeout must be more than 0"),
        (["--transformers-model", "/no/such/folder"], "does not exist"),
        (["--transformers-device", "gpu"], "--transformers-device: unknown transformers device"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    argv: list[str], message: str, capsys: Any
) -> None:
    assert main(["llm", "set", "--threads", "2"]) == 0
    before = config_path().read_bytes()
    assert main(["llm", "set", *argv]) == 1
    assert message in capsys.readouterr().err
    assert config_path().read_bytes() == before


def test_a_gguf_file_and_a_transformers_model_are_stored_as_full_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    (tmp_path / "my.gguf").write_bytes(b"GGUF" + bytes(16))
    (tmp_path / "hf").mkdir()
    monkeypatch.chdir(tmp_path)
    argv = ["llm", "set", "--model", "my.gguf", "--order", "transformers,local"]
    argv += ["--transformers-model", "hf", "--transformers-gguf-file", "q.gguf"]
    assert main([*argv, "--transformers-device", "CUDA:1"]) == 0
    stored = _llm_config()
    assert stored["local_model"] == str(tmp_path / "my.gguf")
    assert stored["transformers_model"] == str(tmp_path / "hf")
    assert stored["transformers_device"] == "cuda:1"
    out = capsys.readouterr().out
    assert f"transformers: {tmp_path / 'hf'}, GGUF q.gguf, device cuda:1" in out
    assert main(["llm", "set", "--model", "0.5b"]) == 0
    assert _llm_config()["local_model"] == "qwen2.5-coder-0.5b"


def test_key_goes_to_the_keyring_and_is_sent_to_the_endpoint(
    server: FaultServer,
    memory_keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    argv = ["llm", "set", "--order", "endpoint", "--endpoint-url", server.url]
    assert main([*argv, "--endpoint-model", "m", "--retries", "0"]) == 0
    _stdin(monkeypatch, "sk-live-secret\n")
    assert main(["llm", "key", "set"]) == 0
    assert memory_keyring == {("minutes-llm", server.url.lower()): "sk-live-secret"}
    assert "sk-live-secret" not in config_path().read_text(encoding="utf-8")
    assert main(["llm", "show"]) == 0
    out = capsys.readouterr().out
    assert "API key stored" in out and "sk-live" not in out

    server.script.append(("sse", ["Ready", "."]))
    assert main(["llm", "check"]) == 0
    out = capsys.readouterr().out
    assert "engine: openai, model m (this computer)" in out
    assert "answer: Ready." in out and "first token after" in out
    assert server.last_headers["Authorization"] == "Bearer sk-live-secret"

    assert main(["llm", "key", "delete"]) == 0
    assert memory_keyring == {}


def test_key_without_a_keyring_is_refused_with_the_environment_variable_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backends import fail

    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        _stdin(monkeypatch, "sk-x\n")
        assert main(["llm", "key", "set", "--url", "http://127.0.0.1:8080/v1"]) == 1
    finally:
        keyring.set_keyring(old)
    assert "set MINUTES_LLM_API_KEY instead" in capsys.readouterr().err
    assert not config_path().exists() or "sk-x" not in config_path().read_text()


def test_key_needs_an_endpoint_and_a_non_empty_key(
    memory_keyring: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    _stdin(monkeypatch, "sk\n")
    assert main(["llm", "key", "set"]) == 1
    assert "give --url" in capsys.readouterr().err
    _stdin(monkeypatch, "\n")
    assert main(["llm", "key", "set", "--url", "http://127.0.0.1:1/v1"]) == 1
    assert "no key given" in capsys.readouterr().err
    assert memory_keyring == {}


def test_check_names_a_dead_endpoint(capsys: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    assert main(["llm", "set", "--order", "endpoint", "--endpoint-url", url, "--retries", "0"]) == 0
    capsys.readouterr()
    assert main(["llm", "check"]) == 1
    err = capsys.readouterr().err
    assert f"cannot reach {url}" in err
