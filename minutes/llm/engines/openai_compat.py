"""Engine for OpenAI-compatible servers: Ollama, vLLM, LM Studio, llama.cpp's server.

Plain HTTP with the standard library (no SDK): ``POST {base_url}/chat/completions``
with ``stream: true``, read as server-sent events. The API key comes from the
OS keyring (`minutes.llm.apikeys`) and is only ever put in the
``Authorization`` header - never logged, never in an error message.

Structured output differs between servers: OpenAI, vLLM, LM Studio and Ollama
take ``response_format: {type: json_schema, ...}``; llama.cpp's Python server
takes ``{type: json_object, schema: ...}``. In "auto" mode the engine tries
them in that order and remembers the first the server accepts.

Retries: connection errors, timeouts, 429 and 5xx are retried with
exponential backoff (honouring ``Retry-After``), but only before the first
token arrived; a stream that breaks later raises, since its tokens were
already handed out.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from minutes.httpretry import RETRY_STATUS, auth_headers, backoff_delay, redact, retry_after
from minutes.llm.apikeys import get_api_key
from minutes.llm.engines.base import (
    ChatMessage,
    Completion,
    Engine,
    EngineInfo,
    GenerationOptions,
    TokenCallback,
    estimate_tokens,
)
from minutes.llm.errors import EngineUnavailable, LlmError
from minutes.llm.settings import EndpointSettings, is_loopback_url
from minutes.progress import Cancelled, CancelToken

logger = logging.getLogger(__name__)

JSON_MODES = ("json_schema", "json_object", "none")


class _HttpStatus(Exception):
    def __init__(self, status: int, body: str, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.retry_after = retry_after


class OpenAICompatEngine(Engine):
    """A chat model behind an OpenAI-compatible HTTP API.

    Args:
        settings: URL, model, timeouts, retries.
        api_key: Overrides the keyring lookup (tests); None reads the keyring.
        sleep: Injected for tests of the backoff.
    """

    def __init__(
        self,
        settings: EndpointSettings,
        *,
        api_key: str | None = None,
        sleep: Any = time.sleep,
    ) -> None:
        if not settings.base_url:
            raise EngineUnavailable("no endpoint URL configured")
        self.settings = settings
        self._base = settings.base_url.rstrip("/")
        self._key = api_key if api_key is not None else get_api_key(self._base)
        self._sleep = sleep
        self._lock = threading.Lock()
        mode = settings.json_mode if settings.json_mode in JSON_MODES else "auto"
        self._modes = list(JSON_MODES) if mode == "auto" else [mode]
        self.info = EngineInfo(
            kind="openai",
            model=settings.model or "default",
            family="server",
            context_size=settings.context_size,
            local=is_loopback_url(self._base),
            details={"base_url": self._base},
        )

    # -- HTTP ------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {
            "Content-Type": "application/json", "Accept": "text/event-stream",
            **auth_headers(self._key),
        }  # fmt: skip

    def _open(self, path: str, body: dict[str, Any] | None) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(
            self._base + path,
            data=data,
            headers=self._headers(),
            method="POST" if data is not None else "GET",
        )
        try:
            return urllib.request.urlopen(req, timeout=self.settings.timeout_s)
        except urllib.error.HTTPError as exc:
            body_text = redact(exc.read().decode("utf-8", "replace")[:2000], self._key)
            asked = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            raise _HttpStatus(exc.code, body_text, asked) from None

    def list_models(self) -> list[str]:
        """Model names the server offers (``GET /models``), for the settings screen.

        Raises:
            EngineUnavailable: The server cannot be reached.
        """
        try:
            with self._open("/models", None) as resp:
                data = json.loads(resp.read().decode("utf-8"))
        except (_HttpStatus, OSError, ValueError) as exc:
            raise EngineUnavailable(
                f"cannot list models at {self._base}: {_describe(exc)}"
            ) from exc
        return [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict)]

    # -- completion ------------------------------------------------------
    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        with self._lock:
            return self._complete(messages, options, on_token, cancel)

    def _body(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": [m.to_dict() for m in messages],
            "temperature": options.temperature,
            "max_tokens": options.max_tokens,
            "stream": True,
        }
        if self.settings.model:
            body["model"] = self.settings.model
        if options.seed is not None:
            body["seed"] = options.seed
        if options.stop:
            body["stop"] = list(options.stop)
        return body

    def _complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        on_token: TokenCallback | None,
        cancel: CancelToken | None,
    ) -> Completion:
        started = time.perf_counter()
        body = self._body(messages, options)
        modes = self._modes if options.json_schema else ["none"]
        last_error: Exception | None = None
        for i, mode in enumerate(modes):
            if options.json_schema and mode != "none":
                body["response_format"] = _response_format(mode, options.json_schema)
            else:
                body.pop("response_format", None)
            try:
                resp = self._post_with_retries(body, cancel)
            except _HttpStatus as exc:
                # The server did not like this response_format; try the next style.
                if _refuses_format(exc) and i + 1 < len(modes):
                    logger.info("endpoint refused response_format %s; trying the next", mode)
                    last_error = exc
                    continue
                raise LlmError(f"endpoint {self._base} answered {_describe(exc)}") from exc
            if len(modes) > 1:
                self._modes = modes[i:]  # remember what works
            with resp:
                return self._read_stream(resp, messages, started, on_token, cancel)
        raise LlmError(f"endpoint {self._base} refused every JSON mode: {_describe(last_error)}")

    def _post_with_retries(self, body: dict[str, Any], cancel: CancelToken | None) -> Any:
        attempts = max(0, self.settings.retries) + 1
        for attempt in range(attempts):
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                return self._open("/chat/completions", body)
            except _HttpStatus as exc:
                if (
                    exc.status not in RETRY_STATUS
                    or attempt + 1 == attempts
                    or _refuses_format(exc)
                ):
                    raise
                wait = exc.retry_after
                error: Exception = exc
            except (TimeoutError, OSError, http.client.HTTPException) as exc:
                if attempt + 1 == attempts:
                    raise EngineUnavailable(self._unreachable(exc)) from exc
                wait = None
                error = exc
            delay = backoff_delay(attempt, self.settings.backoff_s, wait)
            logger.warning(
                "endpoint %s: %s; retry %d/%d in %.1f s",
                self._base,
                _describe(error),
                attempt + 1,
                attempts - 1,
                delay,
            )
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _unreachable(self, exc: BaseException) -> str:
        if _is_timeout(exc):
            return f"{self._base} did not answer within {self.settings.timeout_s:g} s"
        return f"cannot reach {self._base}: {_describe(exc)}"

    def _read_stream(
        self,
        resp: Any,
        messages: Sequence[ChatMessage],
        started: float,
        on_token: TokenCallback | None,
        cancel: CancelToken | None,
    ) -> Completion:
        pieces: list[str] = []
        first: float | None = None
        finish: str | None = None
        usage: dict[str, Any] = {}
        n_deltas = 0
        state = _StreamState()
        headers = getattr(resp, "headers", None)
        if headers is not None and "json" in str(headers.get("Content-Type") or "").lower():
            return self._read_whole(resp, messages, started, on_token)
        try:
            for event in _sse_events(resp, state):
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                if event.get("usage"):
                    usage = event["usage"]
                for choice in event.get("choices") or ():
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        n_deltas += 1
                        if first is None:
                            first = time.perf_counter() - started
                        pieces.append(text)
                        if on_token is not None:
                            on_token(text)
                    if choice.get("finish_reason"):
                        finish = str(choice["finish_reason"])
        except EngineUnavailable:
            raise
        except LlmError as exc:  # an error event in the stream
            raise LlmError(f"{self._base}: {redact(str(exc), self._key)}") from exc
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            what = (f"sent nothing for {self.settings.timeout_s:g} s" if _is_timeout(exc)
                    else f"broke ({_describe(exc)})")  # fmt: skip
            if not pieces:  # nothing handed out yet: another engine may take over
                raise EngineUnavailable(f"the answer from {self._base} {what}") from exc
            raise LlmError(
                f"the answer from {self._base} {what} after {len(''.join(pieces))} characters; "
                "the partial answer was not used"
            ) from exc
        if not state.done and finish is None:
            if not state.events:
                raise EngineUnavailable(
                    f"{self._base} did not answer in the OpenAI streaming format "
                    f"({state.bytes} bytes that are not server-sent JSON events)"
                )
            raise LlmError(
                f"the answer from {self._base} was cut off after {len(''.join(pieces))} "
                "characters (the connection closed before the end); the partial answer was "
                "not used"
            )
        text = "".join(pieces)
        prompt_chars = "".join(m.content for m in messages)
        return Completion(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or estimate_tokens(prompt_chars)),
            completion_tokens=int(usage.get("completion_tokens") or n_deltas),
            first_token_s=first,
            elapsed_s=time.perf_counter() - started,
            finish_reason=finish or "stop",
            engine=self.info.kind,
            model=self.info.model,
        )

    def _read_whole(
        self,
        resp: Any,
        messages: Sequence[ChatMessage],
        started: float,
        on_token: TokenCallback | None,
    ) -> Completion:
        """A server that ignored ``stream: true`` and sent one JSON chat completion."""
        try:
            raw = resp.read()
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            raise EngineUnavailable(
                f"the answer from {self._base} broke: {_describe(exc)}"
            ) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
            choice = data["choices"][0]
            text = str(choice["message"]["content"] or "")
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise EngineUnavailable(
                f"{self._base} answered with JSON that is not a chat completion ({len(raw)} bytes)"
            ) from exc
        if on_token is not None and text:
            on_token(text)
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens")
                              or estimate_tokens("".join(m.content for m in messages))),
            completion_tokens=int(usage.get("completion_tokens") or estimate_tokens(text)),
            first_token_s=time.perf_counter() - started,
            elapsed_s=time.perf_counter() - started,
            finish_reason=str(choice.get("finish_reason") or "stop"),
            engine=self.info.kind,
            model=self.info.model,
        )  # fmt: skip


@dataclass
class _StreamState:
    """What the stream parser saw: the ``[DONE]`` marker, valid events, raw bytes."""

    done: bool = False
    events: int = 0
    bytes: int = 0


def _is_timeout(exc: BaseException) -> bool:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, TimeoutError)


def _response_format(mode: str, schema: Any) -> dict[str, Any]:
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "reply", "schema": schema, "strict": True},
        }
    return {"type": "json_object", "schema": schema}


def _sse_events(resp: Any, state: _StreamState | None = None) -> Iterator[dict[str, Any]]:
    """Parse a server-sent-event stream of JSON chunks until ``[DONE]``."""
    state = state or _StreamState()
    data_lines: list[str] = []
    for raw in resp:
        state.bytes += len(raw)
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if line.startswith("data:"):
            data_lines.append(line[5:].lstrip())
            continue
        if line or not data_lines:
            continue  # comments (": ping"), event names, or blank keep-alives
        payload = "\n".join(data_lines)
        data_lines = []
        if payload == "[DONE]":
            state.done = True
            return
        try:
            event = json.loads(payload)
        except ValueError:
            logger.debug("skipping a malformed stream event")
            continue
        if isinstance(event, dict):
            if "error" in event:
                raise LlmError(f"the server reported an error: {str(event['error'])[:300]}")
            state.events += 1
            yield event
    if data_lines and data_lines[-1] != "[DONE]":
        try:
            event = json.loads("\n".join(data_lines))
        except ValueError:
            return
        if isinstance(event, dict):
            state.events += 1
            yield event


def _refuses_format(exc: _HttpStatus) -> bool:
    """A request the server rejected for its ``response_format``.

    Most servers answer 400 or 422; llama-cpp-python's server answers 500
    with a validation error naming the field.
    """
    return exc.status in (400, 422) or (exc.status == 500 and "response_format" in exc.body)


def _describe(exc: BaseException | None) -> str:
    """A short, key-free description of an HTTP or network error."""
    if exc is None:
        return "unknown error"
    if isinstance(exc, _HttpStatus):
        detail = " ".join(exc.body.split())[:200]
        return f"HTTP {exc.status}" + (f": {detail}" if detail else "")
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__
