"""Privacy and security: API keys stay in the OS keyring; parsing never executes code.

1. An endpoint key set through the app's settings path (`minutes.llm.apikeys`)
   is used on the wire but appears in no file the app writes (config, data
   folder, exports, home), no log record (DEBUG, tracebacks included), no
   exception text and no message of a failed background job (the app has no
   crash-log file: unexpected job errors go to `logger.exception` and to the
   window as "Unexpected error: ...", both checked here).
2. No module of minutes/, glossary/ or ui/ uses a loader that can run code
   (pickle, marshal, shelve, yaml.load without SafeLoader, eval/exec,
   np.load(allow_pickle=True), torch.load without weights_only=True,
   trust_remote_code), and
   files carrying a pickle payload or YAML tags are refused (or kept as
   inert text) without running anything.
"""

from __future__ import annotations

import ast
import json
import logging
import pickle
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-privacy-test-5f1c9a7e3b2d4"


# -- 1. API keys --------------------------------------------------------------------------


class _Server:
    """An OpenAI-compatible server on 127.0.0.1. With `echo` its error bodies repeat the
    Authorization header, as some proxies do ("invalid key: Bearer sk-...")."""

    def __init__(self, echo: bool) -> None:
        self.auth: list[str] = []
        self.script: list[int] = []  # HTTP status per request; 200 streams a reply
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                auth = self.headers.get("Authorization") or ""
                outer.auth.append(auth)
                status = outer.script.pop(0) if outer.script else 200
                if status != 200:
                    said = auth if echo else "check your key"
                    body = json.dumps({"error": {"message": f"bad credentials: {said}"}})
                    data = body.encode()
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                reply = {"title": "Sync", "summary": "Done.", "topics": [], "decisions": [],
                         "open_questions": [], "action_items": []}  # fmt: skip
                chunk = {"choices": [{"delta": {"content": json.dumps(reply)},
                                      "finish_reason": "stop"}]}  # fmt: skip
                self.wfile.write(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(
    params=[
        False,
        True,  # some proxies repeat the Authorization header in their error bodies
    ],
    ids=["plain-server", "key-echoing-server"],
)
def leaky_server(request: pytest.FixtureRequest) -> Iterator[_Server]:
    server = _Server(echo=request.param)
    yield server
    server.httpd.shutdown()


def _document() -> Any:
    from minutes.types import Document, ReviewedSegment

    segments = tuple(
        ReviewedSegment(i, i * 2.0, i * 2.0 + 1.5, "SPEAKER_00", text, text)
        for i, text in enumerate(["We ship on Friday.", "Kim writes the notes.", "Thanks."])
    )
    return Document("Sync", "en", 6.0, segments, created="2026-01-05T10:00:00+09:00")


def _files_containing(roots: list[Path], needle: bytes) -> list[Path]:
    hits = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and needle in path.read_bytes():
                hits.append(path)
    return hits


def test_api_key_never_leaves_the_keyring(
    tmp_path: Path,
    isolated_data_dir: Path,
    memory_keyring: dict[tuple[str, str], str],
    leaky_server: _Server,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    pytest.importorskip("PySide6")
    from minutes.config import Config, config_path
    from minutes.export import export_all
    from minutes.export.minutes_formats import MINUTES_FORMATS, export_minutes
    from minutes.llm.apikeys import set_api_key
    from minutes.llm.engines import open_engine
    from minutes.llm.engines.base import ChatMessage, GenerationOptions
    from minutes.llm.errors import LlmError
    from minutes.llm.settings import EndpointSettings, LlmSettings
    from minutes.llm.summarise import summarise
    from minutes.meeting import Minutes
    from ui.workers import Job

    home = tmp_path / "home"
    for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache")):  # fmt: skip
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("MINUTES_LLM_API_KEY", raising=False)
    caplog.set_level(logging.DEBUG)

    # The settings path of the app: endpoint settings into config.json, key into the keyring.
    config = Config.load()
    LlmSettings(
        order=["endpoint"],
        endpoint=EndpointSettings(
            base_url=leaky_server.url, model="tiny", retries=1, backoff_s=0.0
        ),
    ).store(config)
    config.save()
    set_api_key(leaky_server.url, SECRET)
    assert SECRET in memory_keyring.values()

    errors: list[BaseException] = []
    engine = open_engine(LlmSettings.from_config(Config.load()))
    messages = [ChatMessage("user", "hello")]
    leaky_server.script = [500]  # retried (the retry is logged), then answered
    engine.complete(messages, GenerationOptions(max_tokens=8))
    leaky_server.script = [401]  # refused: an LlmError carrying the server's text
    with pytest.raises(LlmError) as refused:
        engine.complete(messages, GenerationOptions(max_tokens=8))
    errors.append(refused.value)
    assert leaky_server.auth and all(a == f"Bearer {SECRET}" for a in leaky_server.auth)

    # A background job of the app failing the same way, and one failing unexpectedly.
    def refused_job(job: Job) -> None:
        leaky_server.script = [401]
        engine.complete(messages, GenerationOptions(max_tokens=8))

    def crashing_job(job: Job) -> None:
        try:
            leaky_server.script = [401]
            engine.complete(messages, GenerationOptions(max_tokens=8))
        except LlmError as exc:
            raise RuntimeError("while writing the minutes") from exc

    job_messages = []
    for fn in (refused_job, crashing_job):
        job = Job("minutes", fn)
        job.run()  # synchronously, as the thread pool would
        assert job.error
        job_messages.append(job.error)

    # Minutes written through the endpoint, then every export.
    document = _document()
    leaky_server.script = []
    try:
        minutes = summarise(document, engine)
    except LlmError as exc:  # an unusable reply is fine here; only leaks matter
        errors.append(exc)
        minutes = Minutes("Sync", model=engine.info.model)
    out = tmp_path / "exports"
    export_all(document, out, "sync", ["txt", "md", "srt", "vtt", "json", "docx"])
    export_minutes(minutes, out, "sync", MINUTES_FORMATS, document)
    config.save()
    engine.close()

    assert config_path().is_file()
    leaks = _files_containing([isolated_data_dir, home, out], SECRET.encode())
    assert leaks == []
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    log_text = "\n".join(formatter.format(r) for r in caplog.records)
    assert caplog.records and SECRET not in log_text
    for error in errors:
        text = "".join(traceback.format_exception(error))
        assert SECRET not in text, text
    for message in job_messages:
        assert SECRET not in message, message


# -- 2. No code execution while parsing ------------------------------------------------------


def _violations(tree: ast.AST) -> Iterator[tuple[int, str]]:
    banned_modules = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle",
                      "joblib"}  # fmt: skip
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in banned_modules:
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] in banned_modules:
                yield node.lineno, f"from {node.module} import"
        elif isinstance(node, ast.Call):
            func = node.func
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if isinstance(func, ast.Name) and func.id in ("eval", "exec", "__import__"):
                yield node.lineno, f"{func.id}()"
            remote = keywords.get("trust_remote_code")
            if remote is not None and not (isinstance(remote, ast.Constant) and not remote.value):
                yield node.lineno, "trust_remote_code (runs Python shipped with a model)"
            if not isinstance(func, ast.Attribute):
                continue
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            if owner == "yaml" and func.attr in ("unsafe_load", "full_load", "load_all"):
                yield node.lineno, f"yaml.{func.attr}()"
            if owner == "yaml" and func.attr == "load":
                loader = keywords.get("Loader") or (node.args[1] if len(node.args) > 1 else None)
                if not (isinstance(loader, ast.Attribute) and "Safe" in loader.attr) and not (
                    isinstance(loader, ast.Name) and "Safe" in loader.id
                ):
                    yield node.lineno, "yaml.load() without SafeLoader"
            if owner in ("np", "numpy") and func.attr == "load":
                value = keywords.get("allow_pickle")
                if isinstance(value, ast.Constant) and value.value is True:
                    yield node.lineno, "np.load(allow_pickle=True)"
                elif value is not None and not isinstance(value, ast.Constant):
                    yield node.lineno, "np.load(allow_pickle=<expression>)"
            if owner == "torch" and func.attr == "load":
                value = keywords.get("weights_only")
                if not (isinstance(value, ast.Constant) and value.value is True):
                    yield node.lineno, "torch.load() without weights_only=True"
            if owner in ("pd", "pandas") and func.attr == "read_pickle":
                yield node.lineno, "pandas.read_pickle()"


def _sources() -> list[Path]:
    return sorted(p for pkg in ("minutes", "glossary", "ui") for p in (ROOT / pkg).rglob("*.py"))


def test_no_code_executing_loaders_in_the_app() -> None:
    sources = _sources()
    assert len(sources) > 50  # the scan really ran over the packages
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sources
        for line, what in _violations(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("import pickle", "import pickle"),
        ("from marshal import loads", "from marshal import"),
        ("eval(text)", "eval()"),
        ("yaml.load(f)", "yaml.load() without SafeLoader"),
        ("yaml.load(f, Loader=yaml.SafeLoader)", None),
        ("np.load(p, allow_pickle=True)", "np.load(allow_pickle=True)"),
        ("np.load(p)", None),
        ("torch.load(p)", "torch.load() without weights_only=True"),
        ("torch.load(p, weights_only=True)", None),
        ("model.eval()", None),  # a method, not the builtin
        ("M.from_pretrained(p, trust_remote_code=True)",
         "trust_remote_code (runs Python shipped with a model)"),
    ],
)
def test_the_scanner_catches_what_it_should(snippet: str, expected: str | None) -> None:
    found = [what for _, what in _violations(ast.parse(snippet))]
    assert found == ([expected] if expected else [])


class _Payload:
    """Unpickling this creates the marker file: proof that code ran."""

    marker: Path

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (str(self.marker), "w"))  # opening for writing creates the file


def _hostile_payloads(marker: Path) -> dict[str, bytes]:
    payload = _Payload()
    payload.marker = marker
    yaml_tag = f"!!python/object/apply:os.system ['touch {marker}']\n".encode()
    return {
        "pickle": pickle.dumps(payload, protocol=4),
        "pickle0": pickle.dumps(payload, protocol=0),  # the ASCII protocol
        "yaml": yaml_tag,
        "yaml_doc": b"--- !!python/object:os.system\nterm: GDP\n",
    }


def test_the_pickle_payload_is_live(tmp_path: Path) -> None:
    """Unpickling the payload really runs code; so a marker-free load proves something."""
    marker = tmp_path / "marker"
    pickle.loads(_hostile_payloads(marker)["pickle"]).close()
    assert marker.exists()


@pytest.mark.parametrize("suffix", [".csv", ".json", ".tsv", ".txt"])
def test_glossary_with_pickle_or_yaml_payload_runs_nothing(tmp_path: Path, suffix: str) -> None:
    from glossary.errors import GlossaryError
    from glossary.io import load_glossary

    marker = tmp_path / "marker"
    for name, data in _hostile_payloads(marker).items():
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(data)
        try:
            glossary = load_glossary(path)
        except GlossaryError as exc:
            assert path.name in str(exc)
        else:  # a CSV cell of YAML text is kept as inert text, never interpreted
            text = data.decode("utf-8", "replace")
            assert suffix != ".json" and all(t.canonical in text for t in glossary)
        assert not marker.exists(), name


def test_session_and_transcript_with_payload_run_nothing(tmp_path: Path) -> None:
    from minutes.export import ExportError, load_document
    from minutes.session import Session, SessionError

    marker = tmp_path / "marker"
    for name, data in _hostile_payloads(marker).items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "session.json").write_bytes(data)
        with pytest.raises(SessionError, match=r"session\.json"):
            Session.open(folder)
        (folder / "session.json").write_text(
            json.dumps({"schema": "minutes.session/1", "id": name}), encoding="utf-8"
        )
        session = Session.open(folder)
        for stage in ("asr.json", "diarization.json", "corrections.json"):
            (folder / stage).write_bytes(data)
        for load in (session.load_asr, session.load_diarization, session.load_corrections):
            with pytest.raises(SessionError):
                load()
        export = folder / "transcript.json"
        export.write_bytes(data)
        with pytest.raises(ExportError, match=r"transcript\.json"):
            load_document(export)
        assert not marker.exists(), name
