"""LLM endpoint faults against a real HTTP server on 127.0.0.1 (http.server in a thread).

The server refuses, is slow, stalls mid-answer, answers 500/429, sends garbage,
cuts the stream, or sends valid JSON of the wrong shape. Each case must end in a
clear `LlmError` (a USER_ERRORS type) that names the endpoint, never hang, fall
back only where the settings allow it, and never leave half an answer behind as
if it were complete.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from minutes.errors import USER_ERRORS
from minutes.llm import engines
from minutes.llm.engines import FallbackEngine, factories, open_engine
from minutes.llm.engines.base import ChatMessage, GenerationOptions
from minutes.llm.engines.openai_compat import OpenAICompatEngine
from minutes.llm.errors import EngineUnavailable, LlmError
from minutes.llm.repair import RepairOptions, repair_transcript
from minutes.llm.settings import EndpointSettings, LlmSettings
from minutes.types import Correction, CorrectionSource, Segment, Transcript
from tests.unit.test_llm_fake_engine import FakeEngine

MSG = [ChatMessage("user", "u")]
TIMEOUT = 0.4  # seconds; the slow server sleeps well past it


class FaultServer:
    """Answers POST /v1/chat/completions with the next scripted action.

    Actions: ("sse", pieces) a complete stream; ("cut", pieces) the pieces, then
    the connection closes without [DONE]; ("chunked_cut", pieces) the same inside
    HTTP/1.1 chunked encoding (the client sees IncompleteRead); ("stall", pieces)
    the pieces, then silence; ("sleep", s) nothing for s seconds; ("status",
    code, body); ("raw", content_type, bytes).
    """

    def __init__(self) -> None:
        self.script: list[tuple[Any, ...]] = []
        self.requests = 0
        self.last_headers: dict[str, str] = {}
        self.release = threading.Event()  # ends sleeps and stalls at teardown
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                server.requests += 1
                server.last_headers = dict(self.headers)
                action = server.script.pop(0) if server.script else ("sse", ["ok"])
                with contextlib.suppress(OSError):  # the client gave up (timeout)
                    server.act(self, action)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def act(self, h: BaseHTTPRequestHandler, action: tuple[Any, ...]) -> None:
        kind = action[0]
        if kind == "sleep":
            self.release.wait(action[1])
            return
        if kind == "status":
            data = json.dumps(action[2]).encode()
            h.send_response(action[1])
            h.send_header("Content-Length", str(len(data)))
            if action[1] == 429:
                h.send_header("Retry-After", "3")
            h.end_headers()
            h.wfile.write(data)
            return
        if kind == "raw":
            h.send_response(200)
            h.send_header("Content-Type", action[1])
            h.end_headers()
            h.wfile.write(action[2])
            return
        chunked = kind == "chunked_cut"
        if chunked:
            h.protocol_version = "HTTP/1.1"
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for piece in action[1]:
            event = {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
            data = f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()
            h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            h.wfile.flush()
        if kind == "sse":
            done = {"choices": [{"delta": {}, "finish_reason": "stop"}]}
            h.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
        elif kind == "stall":
            self.release.wait(10)
        elif chunked:
            h.wfile.write(b"100\r\ndata: {\"choi")  # a chunk promised, never finished
            h.wfile.flush()
            h.close_connection = True
        # "cut": the handler returns and HTTP/1.0 closes the connection mid-answer

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server() -> Iterator[FaultServer]:
    s = FaultServer()
    yield s
    s.close()


def endpoint(url: str, **kw: Any) -> EndpointSettings:
    values: dict[str, Any] = {"retries": 1, "backoff_s": 0.01, "timeout_s": TIMEOUT,
                              "json_mode": "none"}  # fmt: skip
    values.update(kw)
    return EndpointSettings(base_url=url, model="m", **values)


def engine_for(url: str, sleeps: list[float] | None = None, **kw: Any) -> OpenAICompatEngine:
    sleep: Callable[[float], None] = (sleeps.append if sleeps is not None else lambda s: None)
    return OpenAICompatEngine(endpoint(url, **kw), api_key="", sleep=sleep)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


def run_in_thread(fn: Callable[[], Any], seconds: float = 20) -> Any:
    """Run `fn`; fail (instead of hanging the suite) if it does not return in time."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the test thread
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "the call hung"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _is_user_error(exc: BaseException) -> bool:
    return isinstance(exc, USER_ERRORS)


# -- (a) refused, (b) slow -------------------------------------------------------------
def test_refused_port_is_a_clear_unavailable_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    with pytest.raises(EngineUnavailable) as info:
        run_in_thread(lambda: engine_for(url).complete(MSG, GenerationOptions()))
    assert _is_user_error(info.value)
    assert url in str(info.value) and "refused" in str(info.value).lower()


def test_slow_server_times_out_after_retrying(server: FaultServer) -> None:
    server.script = [("sleep", 5), ("sleep", 5)]
    with pytest.raises(EngineUnavailable, match=rf"{server.url} did not answer within 0.4 s"):
        run_in_thread(lambda: engine_for(server.url).complete(MSG, GenerationOptions()))
    assert server.requests == 2  # one retry, then a clear error


def test_stall_mid_answer_is_an_error_not_a_short_answer(server: FaultServer) -> None:
    server.script = [("stall", ['{"summary": ', '"half'])]
    seen: list[str] = []
    with pytest.raises(LlmError) as info:
        run_in_thread(
            lambda: engine_for(server.url).complete(MSG, GenerationOptions(), on_token=seen.append)
        )
    assert not isinstance(info.value, EngineUnavailable)  # tokens were shown: no silent restart
    assert server.url in str(info.value) and "not used" in str(info.value)
    assert seen == ['{"summary": ', '"half']


# -- (c) 500/429 then success ---------------------------------------------------------
def test_500_and_429_are_retried_with_backoff_then_succeed(server: FaultServer) -> None:
    server.script = [("status", 500, {"error": "boom"}), ("status", 429, {"error": "slow"}),
                     ("status", 503, {"error": "busy"}), ("sse", ["fine"])]  # fmt: skip
    sleeps: list[float] = []
    engine = engine_for(server.url, sleeps, retries=3, backoff_s=0.5)
    assert run_in_thread(lambda: engine.complete(MSG, GenerationOptions())).text == "fine"
    assert sleeps == [0.5, 3.0, 2.0]  # doubling backoff; Retry-After wins when given
    server.script = [("status", 500, {"error": "boom"})] * 2
    with pytest.raises(LlmError, match=rf"{server.url} answered HTTP 500: .*boom"):
        engine_for(server.url).complete(MSG, GenerationOptions())


# -- (d) garbage, non-JSON, cut streams -----------------------------------------------
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html><body>502 Bad Gateway</body></html>"),
        ("text/event-stream", bytes(range(256)) * 4),
        ("text/event-stream", b"data: {not json\n\ndata: still not\n\n"),
    ],
)
def test_garbage_is_a_clear_error(server: FaultServer, content_type: str, body: bytes) -> None:
    server.script = [("raw", content_type, body)]
    with pytest.raises(EngineUnavailable, match="did not answer in the OpenAI stream") as info:
        engine_for(server.url).complete(MSG, GenerationOptions())
    assert server.url in str(info.value)


def test_non_json_body_with_a_json_content_type(server: FaultServer) -> None:
    server.script = [("raw", "application/json", b"{'choices': oops")]
    with pytest.raises(EngineUnavailable, match=rf"{server.url} answered with JSON that is not"):
        engine_for(server.url).complete(MSG, GenerationOptions())


def test_a_server_that_ignores_stream_true_still_works(server: FaultServer) -> None:
    body = {"choices": [{"message": {"content": '{"a": "b"}'}, "finish_reason": "stop"}]}
    server.script = [("raw", "application/json", json.dumps(body).encode())]
    seen: list[str] = []
    out = engine_for(server.url).complete(MSG, GenerationOptions(), on_token=seen.append)
    assert out.json() == {"a": "b"} and seen == ['{"a": "b"}']


@pytest.mark.parametrize("kind", ["cut", "chunked_cut"])
def test_stream_cut_in_the_middle_is_not_a_complete_answer(
    server: FaultServer, kind: str
) -> None:
    server.script = [(kind, ['{"title": "주간', ' 회의", "summary": "배'])]
    with pytest.raises(LlmError) as info:
        run_in_thread(lambda: engine_for(server.url).complete(MSG, GenerationOptions()))
    assert not isinstance(info.value, EngineUnavailable)
    message = str(info.value)
    assert server.url in message and "not used" in message


# -- fallback order -------------------------------------------------------------------
def _settings(url: str, order: list[str], **kw: Any) -> LlmSettings:
    return LlmSettings(order=order, endpoint=endpoint(url), **kw)


def test_endpoint_down_falls_back_to_local_in_order(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = FakeEngine(["local answer"])
    monkeypatch.setitem(engines._FACTORIES, "local", lambda s: local)
    server.script = [("sleep", 5), ("sleep", 5)]
    engine = open_engine(_settings(server.url, ["endpoint", "local"]))
    assert engine.info.kind == "openai"
    out = run_in_thread(lambda: engine.complete(MSG, GenerationOptions()))
    assert out.text == "local answer" and engine.info.kind == "fake"
    # Local first: with the default order the endpoint is never asked.
    before = server.requests
    engine = open_engine(_settings(server.url, ["local", "endpoint"]))
    assert engine.complete(MSG, GenerationOptions()).text == "local answer"
    assert server.requests == before


def test_garbage_falls_back_but_a_cut_answer_does_not(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = FakeEngine(["local answer"])
    chain = [("endpoint", lambda: engine_for(server.url)), ("local", lambda: local)]
    server.script = [("raw", "text/html", b"<html>proxy login</html>")]
    assert FallbackEngine(chain).complete(MSG, GenerationOptions()).text == "local answer"
    server.script = [("cut", ["half an ans"])]
    with pytest.raises(LlmError, match="cut off"):
        FallbackEngine(chain).complete(MSG, GenerationOptions())
    assert len(local.calls) == 1  # the cut answer was not silently redone elsewhere


def test_remote_endpoint_is_never_contacted_unless_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contacted: list[str] = []

    def spy(req: Any, *a: Any, **kw: Any) -> Any:
        contacted.append(req.full_url)
        raise OSError("should not be called")

    monkeypatch.setattr(urllib.request, "urlopen", spy)
    remote = _settings("http://192.0.2.10:8000/v1", ["endpoint"])
    assert factories(remote) == []
    with pytest.raises(EngineUnavailable, match="no language model engine"):
        open_engine(remote)
    with pytest.raises(EngineUnavailable, match="not enabled"):
        open_engine(remote, "endpoint")
    assert contacted == []


def test_all_engines_down_message_lists_each_reason(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    settings = _settings(url, ["endpoint", "local"], local_model=str(tmp_path / "none.gguf"))
    engine = open_engine(settings)
    with pytest.raises(EngineUnavailable) as info:
        run_in_thread(lambda: engine.complete(MSG, GenerationOptions()))
    message = str(info.value)
    assert f"endpoint: cannot reach {url}" in message and "local:" in message


# -- (e) valid HTTP, invalid JSON for the repair schema ---------------------------------
def _transcript() -> Transcript:
    texts = ["쿠베네티스 클러스터를 올렸어요", "지디피 얘기는 다음에"]
    segs = tuple(Segment(i, i * 3.0, i * 3.0 + 3, t) for i, t in enumerate(texts, start=1))
    return Transcript("ko", 6.0, segs)


@pytest.mark.parametrize(
    "reply",
    [
        'Sure! Here are the fixes: {"fixes": [{"id": 1, "wrong": "쿠베',  # truncated JSON
        json.dumps({"fixes": [{"segment": 1, "from": "쿠베네티스", "to": "Kubernetes"}]}),
        json.dumps({"fixes": "쿠베네티스 -> Kubernetes"}),
        json.dumps([{"id": 1, "wrong": "쿠베네티스", "right": "Kubernetes"}]),
    ],
)
def test_repair_drops_replies_that_do_not_fit_the_schema(server: FaultServer, reply: str) -> None:
    server.script = [("sse", [reply[i : i + 7] for i in range(0, len(reply), 7)])] * 2
    accepted = Correction(2, 0, 3, "지디피", "GDP", CorrectionSource.GLOSSARY, term="GDP")
    before = _transcript()
    result = repair_transcript(
        before, engine_for(server.url), corrections=[accepted],
        options=RepairOptions(window_segments=1),
    )  # fmt: skip
    assert result.corrections == []  # nothing proposed, let alone applied
    assert result.stats.json_invalid == 2 and result.stats.json_valid == 0
    assert before == _transcript() and accepted.after == "GDP"


def test_repair_stops_with_a_clear_error_when_the_stream_is_cut(server: FaultServer) -> None:
    server.script = [("cut", ['{"fixes": [{"id": 1, "wrong": "쿠베'])]
    with pytest.raises(LlmError, match=f"{server.url}.*cut off"):
        repair_transcript(_transcript(), engine_for(server.url))


def test_summarise_never_returns_minutes_from_half_an_answer(server: FaultServer) -> None:
    from minutes.llm.summarise import summarise
    from minutes.types import Document

    doc = Document.build(_transcript(), title="회의")
    half = '{"title": "회의", "summary": "쿠버네티스를 올렸다", "decisions": ['
    server.script = [("cut", [half[i : i + 9] for i in range(0, len(half), 9)])]
    with pytest.raises(LlmError, match="cut off"):
        summarise(doc, engine_for(server.url))
    server.script = [("sse", ["I cannot help with that."])] * 4
    with pytest.raises(LlmError):
        summarise(doc, engine_for(server.url))


def test_timings_do_not_hang_the_suite() -> None:
    # A guard for the helpers above: run_in_thread really fails on a hang.
    with pytest.raises(AssertionError, match="hung"):
        run_in_thread(lambda: time.sleep(2), seconds=0.2)


# -- the command line ------------------------------------------------------------------
def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _use_endpoint(url: str) -> None:
    from minutes.config import Config

    cfg = Config.load()
    LlmSettings(order=["endpoint"], endpoint=endpoint(url)).store(cfg)
    cfg.save()


@pytest.mark.parametrize("fault", ["refused", "cut"])
def test_cli_summarize_fails_cleanly_and_keeps_the_meeting(
    server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], fault: str
) -> None:
    from minutes.cli import main
    from tests.ui.helpers import make_meeting

    url = f"http://127.0.0.1:{closed_port()}/v1" if fault == "refused" else server.url
    server.script = [("cut", ['{"title": "주간 인프라', ' 회의", "summ'])]
    _use_endpoint(url)
    session = make_meeting(tmp_path / "sessions")
    before = _folder_state(session.folder)
    code = main(["summarize", str(session.folder), "--llm", "endpoint",
                 "--out", str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "error:" in err and url in err
    assert ("refused" in err.lower()) if fault == "refused" else ("cut off" in err)
    assert "Traceback" not in err
    assert _folder_state(session.folder) == before  # no minutes.json, transcript untouched
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_repair_fails_cleanly_and_writes_nothing(
    server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from minutes.cli import main
    from minutes.export import export_document
    from minutes.types import Document

    _use_endpoint(server.url)
    server.script = [("sleep", 5), ("sleep", 5)]
    path = export_document(Document.build(_transcript(), title="t"), "json", tmp_path / "t.json")
    original = path.read_bytes()
    code = main(["repair", str(path), "--llm", "endpoint"])
    err = capsys.readouterr().err
    assert code == 1 and f"{server.url} did not answer within 0.4 s" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]
    assert path.read_bytes() == original
