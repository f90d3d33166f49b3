"""Engine plumbing without a model: settings, fallback, the HTTP engine, keys, model store."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from minutes.llm.engines import FallbackEngine, factories, open_engine
from minutes.llm.engines.base import ChatMessage, GenerationOptions
from minutes.llm.engines.openai_compat import OpenAICompatEngine
from minutes.llm.errors import EngineUnavailable, LlmError
from minutes.llm.settings import EndpointSettings, LlmSettings, is_loopback_url
from minutes.progress import Cancelled, CancelToken
from tests.unit.test_llm_fake_engine import FakeEngine

SCHEMA = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}


def test_import_is_light() -> None:
    code = (
        "import sys, minutes.llm, minutes.llm.engines, minutes.llm.repair, minutes.llm.summarise,"
        " minutes.llm.cli, minutes.export.minutes_formats, minutes.llm.engines.llamacpp,"
        " minutes.llm.engines.openai_compat, minutes.llm.engines.transformers_engine;"
        "heavy = {'llama_cpp', 'torch', 'transformers', 'httpx', 'PySide6', 'docx', 'keyring'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_settings_round_trip_and_local_first() -> None:
    s = LlmSettings()
    assert s.order == ["local"] and not s.endpoint_allowed()
    s.endpoint = EndpointSettings(base_url="http://10.0.0.5:8000/v1", model="m")
    s.order = ["local", "endpoint"]
    assert not s.endpoint_allowed()  # another machine: needs allow_remote
    s.allow_remote = True
    assert s.endpoint_allowed()
    again = LlmSettings.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again == s
    assert LlmSettings.from_dict({"order": ["cloud"], "bogus": 1}).order == ["local"]
    local = LlmSettings(order=["endpoint"], endpoint=EndpointSettings("http://127.0.0.1:1/v1"))
    assert local.endpoint_allowed()
    assert [k for k, _ in factories(LlmSettings(order=["endpoint", "local"]))] == ["local"]


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:11434/v1", True),
        ("http://127.0.0.2/v1", True),
        ("http://[::1]:8/v1", True),
        ("https://api.example.com/v1", False),
        ("http://192.168.1.4/v1", False),
    ],
)
def test_loopback(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


def test_fallback_moves_on_and_explains() -> None:
    def broken() -> Any:
        raise EngineUnavailable("no model here")

    fake = FakeEngine([{"a": "b"}])
    engine = FallbackEngine([("local", broken), ("endpoint", lambda: fake)])
    assert engine.info.kind == "fake"
    assert engine.complete([ChatMessage("user", "x")], GenerationOptions()).json() == {"a": "b"}
    with pytest.raises(EngineUnavailable, match="no model here"):
        FallbackEngine([("local", broken)])


def test_open_engine_reports_missing_model() -> None:
    with pytest.raises(EngineUnavailable, match="unknown engine"):
        open_engine(LlmSettings(), "gpt-9")
    with pytest.raises(EngineUnavailable):
        open_engine(LlmSettings(local_model="/nonexistent/model.gguf"), "local")


# --- a real HTTP server on 127.0.0.1 speaking the OpenAI streaming protocol ---------------


class _Server:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.script: list[tuple[int, Any]] = []  # (status, body or list of SSE chunks)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((dict(self.headers), body))
                status, payload = server.script.pop(0) if server.script else (200, ["ok"])
                if status != 200:
                    data = json.dumps(payload).encode()
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in payload:
                    chunk = {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                done = {
                    "choices": [{"delta": {}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 11, "completion_tokens": len(payload)},
                }
                self.wfile.write(f": keep-alive\n\ndata: {json.dumps(done)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

            def do_GET(self) -> None:
                data = json.dumps({"data": [{"id": "tiny"}, {"id": "big"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.httpd.shutdown()


def _engine(server: _Server, **kw: Any) -> OpenAICompatEngine:
    settings = EndpointSettings(base_url=server.url, model="tiny", retries=2, backoff_s=0.01, **kw)
    return OpenAICompatEngine(settings, api_key="sk-secret-123", sleep=lambda s: None)


def test_streams_tokens_with_key_and_schema(server: _Server, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    server.script = [(200, ['{"a": ', '"b"}'])]
    pieces: list[str] = []
    out = _engine(server).complete(
        [ChatMessage("system", "s"), ChatMessage("user", "u")],
        GenerationOptions(json_schema=SCHEMA),
        on_token=pieces.append,
    )
    assert out.json() == {"a": "b"} and pieces == ['{"a": ', '"b"}']
    assert out.prompt_tokens == 11 and out.completion_tokens == 2 and out.finish_reason == "stop"
    headers, body = server.requests[0]
    assert headers["Authorization"] == "Bearer sk-secret-123"
    assert body["stream"] is True and body["model"] == "tiny"
    assert body["response_format"]["type"] == "json_schema"
    assert body["messages"][1] == {"role": "user", "content": "u"}
    assert "sk-secret" not in caplog.text


def test_falls_back_to_json_object_when_schema_style_is_refused(server: _Server) -> None:
    server.script = [
        (422, {"detail": "response_format"}),
        (200, ['{"a": "c"}']),
        (200, ['{"a": "d"}']),
    ]
    engine = _engine(server)
    assert engine.complete(
        [ChatMessage("user", "u")], GenerationOptions(json_schema=SCHEMA)
    ).json() == {"a": "c"}
    assert server.requests[1][1]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    engine.complete([ChatMessage("user", "u")], GenerationOptions(json_schema=SCHEMA))
    assert server.requests[2][1]["response_format"]["type"] == "json_object"  # remembered


def test_llama_cpp_server_style_refusal_is_not_retried(server: _Server) -> None:
    # llama-cpp-python's server answers 500 (not 422) to an unknown response_format type.
    refusal = {"error": {"message": "response_format.type: Input should be 'json_object'"}}
    server.script = [(500, refusal), (200, ['{"a": "x"}'])]
    out = _engine(server).complete(
        [ChatMessage("user", "u")], GenerationOptions(json_schema=SCHEMA)
    )
    assert out.json() == {"a": "x"} and len(server.requests) == 2


def test_retries_with_backoff_then_gives_up(server: _Server) -> None:
    server.script = [(503, {"error": "busy"}), (429, {"error": "slow down"}), (200, ["hi"])]
    assert _engine(server).complete([ChatMessage("user", "u")], GenerationOptions()).text == "hi"
    assert len(server.requests) == 3
    server.script = [(500, {"error": "x"})] * 3
    with pytest.raises(LlmError, match="HTTP 500"):
        _engine(server).complete([ChatMessage("user", "u")], GenerationOptions())
    server.script = [(401, {"error": "bad key sk-secret-123"})]
    with pytest.raises(LlmError, match="HTTP 401"):
        _engine(server).complete([ChatMessage("user", "u")], GenerationOptions())
    assert len(server.requests) == 7  # 401 is not retried


def test_unreachable_server_is_unavailable_and_cancel_works(server: _Server) -> None:
    dead = OpenAICompatEngine(
        EndpointSettings(base_url="http://127.0.0.1:9/v1", retries=1, backoff_s=0, timeout_s=2),
        api_key="",
        sleep=lambda s: None,
    )
    with pytest.raises(EngineUnavailable, match="cannot reach"):
        dead.complete([ChatMessage("user", "u")], GenerationOptions())
    cancel = CancelToken()
    server.script = [(200, ["a", "b", "c"])]
    with pytest.raises(Cancelled):
        _engine(server).complete(
            [ChatMessage("user", "u")],
            GenerationOptions(),
            on_token=lambda _t: cancel.cancel(),
            cancel=cancel,
        )
    assert _engine(server).list_models() == ["tiny", "big"]


def test_api_keys_live_in_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: ClassVar[dict[tuple[str, str], str]] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    from minutes.llm import apikeys

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        monkeypatch.delenv(apikeys.ENV_VAR, raising=False)
        assert apikeys.get_api_key("http://h/v1") is None
        apikeys.set_api_key("http://H/v1/", "sk-1")
        assert apikeys.get_api_key("http://h/v1") == "sk-1"
        apikeys.delete_api_key("http://h/v1")
        monkeypatch.setenv(apikeys.ENV_VAR, "sk-env")
        assert apikeys.get_api_key("http://h/v1") == "sk-env"
    finally:
        keyring.set_keyring(previous)


def test_gguf_assembly_checks_sha_and_is_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path
) -> None:
    from minutes.llm import modelstore
    from minutes.modelstore import ModelError

    parts = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    for i, data in enumerate(parts, start=1):
        (tmp_path / f"pkg{i}" / "data").mkdir(parents=True)
        (tmp_path / f"pkg{i}" / "data" / f"part{i:02d}.bin").write_bytes(data)
    whole = b"".join(parts)
    model = modelstore.EmbeddedGguf(
        "tiny",
        "t",
        ("pkg1", "pkg2", "pkg3"),
        hashlib.sha256(whole).hexdigest(),
        len(whole),
        "chatml",
        512,
    )
    monkeypatch.setitem(modelstore.EMBEDDED_LLM, "tiny", model)
    monkeypatch.setattr(modelstore, "_package_dir", lambda name, hint="": tmp_path / name)
    seen: list[float] = []
    path = modelstore.assemble_gguf("tiny", seen.append)
    assert path.read_bytes() == whole and seen[-1] == 1.0
    assert path.is_relative_to(isolated_data_dir)
    assert modelstore.assemble_gguf("tiny", verify=True) == path
    resolved = modelstore.resolve_gguf("tiny")
    assert resolved.embedded and resolved.family == "chatml"
    # A corrupt part: no file under the final name, nothing half-written left behind.
    path.unlink()
    (tmp_path / "pkg2" / "data" / "part02.bin").write_bytes(b"x" * 50)
    with pytest.raises(ModelError, match="corrupt"):
        modelstore.assemble_gguf("tiny")
    assert not path.exists() and list(path.parent.iterdir()) == []
    (tmp_path / "pkg3" / "data" / "part03.bin").unlink()
    with pytest.raises(ModelError, match="lacks"):
        modelstore.assemble_gguf("tiny")
    status = {s.name: s for s in modelstore.list_llm_models()}
    assert status["tiny"].installed is False and "lacks" in (status["tiny"].problem or "")


def test_resolve_gguf_by_path(tmp_path: Path) -> None:
    from minutes.llm.modelstore import resolve_gguf
    from minutes.modelstore import ModelError

    good = tmp_path / "my-model.gguf"
    good.write_bytes(b"GGUF\x03\x00")
    assert resolve_gguf(str(good)).name == "my-model" and resolve_gguf(str(good)).family is None
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"PK\x03\x04")
    with pytest.raises(ModelError, match="not a GGUF"):
        resolve_gguf(str(bad))
    with pytest.raises(ModelError, match="Unknown language model"):
        resolve_gguf("gpt-9")


@pytest.mark.parametrize(
    ("requested", "cuda", "bf16", "mps", "expected"),
    [
        ("auto", False, False, False, ("cpu", "float32")),
        ("", False, False, False, ("cpu", "float32")),
        ("auto", True, True, False, ("cuda", "bfloat16")),
        ("auto", True, False, False, ("cuda", "float16")),  # e.g. a T4: no bfloat16
        ("auto", False, False, True, ("mps", "float16")),
        ("CUDA:1", True, True, False, ("cuda:1", "bfloat16")),
        ("cpu", True, True, True, ("cpu", "float32")),
    ],
)
def test_transformers_device_and_precision(
    requested: str, cuda: bool, bf16: bool, mps: bool, expected: tuple[str, str]
) -> None:
    from minutes.llm.engines.transformers_engine import pick_device

    assert pick_device(requested, cuda=cuda, bf16=bf16, mps=mps) == expected


@pytest.mark.parametrize(
    ("requested", "cuda", "mps", "message"),
    [
        ("gpu", True, False, "unknown transformers device 'gpu'"),
        ("cuda:", True, False, "unknown transformers device"),
        ("cpu:0", True, False, "unknown transformers device"),
        ("cuda", False, False, "torch 2.x sees no CUDA GPU"),
        ("cuda:0", False, True, "torch 2.x sees no CUDA GPU"),
        ("mps", True, False, "no Apple GPU"),
    ],
)
def test_transformers_device_refusals_say_what_to_do(
    requested: str, cuda: bool, mps: bool, message: str
) -> None:
    from minutes.llm.engines.transformers_engine import pick_device

    with pytest.raises(EngineUnavailable, match=message):
        pick_device(requested, cuda=cuda, bf16=False, mps=mps, torch_version="2.x")
