"""The endpoint backend: a team's OpenAI-compatible transcription server.

Servers that speak ``POST /v1/audio/transcriptions`` (speaches, vLLM serving
Whisper, whisper.cpp's server, faster-whisper-server) transcribe with a model too
large for a laptop. The recording is cut into the same windows as the local model
uses, and each window is uploaded as soon as it is cut (16-bit WAV, loudness
normalised as for the local model), so progress, checkpoints and cancel work per
window exactly as they do locally.

From each answer (``verbose_json``) the segments' times and text are kept, and the
words' times where the server gives them (``timestamp_granularities[]=word``);
without them the segment times stand. Glossary hints go as ``prompt``.

Faults: connection errors, timeouts, 408/429/5xx, a cut answer and an answer that is
not a transcription are retried with exponential backoff (``Retry-After`` honoured);
other 4xx (unknown model, bad key) are not, since the same request would fail again.
The API key comes from the OS keyring and only ever goes into the Authorization
header. Standard library only: no SDK, nothing to install.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from minutes.apikeys import ASR_KEYS
from minutes.asr.base import AsrOptions, AsrRefused, AsrUnavailable, HintSupport
from minutes.asr.settings import AsrEndpointSettings
from minutes.audio import FloatArray, iter_windows, normalise_loudness, probe
from minutes.httpretry import RETRY_STATUS, auth_headers, backoff_delay, redact, retry_after
from minutes.progress import Cancelled, CancelToken
from minutes.repetition import cut_repetitions, is_hallucination
from minutes.types import Segment, Word

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
PROMPT_BUDGET = 223  # Whisper's prompt half-context; servers cut longer prompts themselves
_POLL_S = 0.1
# Servers answer with a code ("ko") or, like OpenAI, a language name ("korean").
_LANGUAGE_NAMES = {
    "korean": "ko", "english": "en", "japanese": "ja", "chinese": "zh", "german": "de",
    "french": "fr", "spanish": "es", "italian": "it", "portuguese": "pt", "russian": "ru",
    "vietnamese": "vi", "thai": "th", "indonesian": "id", "dutch": "nl",
}  # fmt: skip


class _Retryable(Exception):
    """One attempt failed in a way the next attempt may not."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Upload:
    samples: FloatArray
    language: str | None
    prompt: str | None


class EndpointTranscriber:
    """Transcribes by uploading windows to an OpenAI-compatible server.

    Args:
        settings: URL, model, timeout, retries.
        api_key: Overrides the keyring lookup (tests); None reads the keyring.
        sleep: Injected for tests of the backoff.
    """

    def __init__(
        self,
        settings: AsrEndpointSettings,
        *,
        api_key: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.base_url:
            raise AsrUnavailable("no transcription server URL is set")
        self.settings = settings
        self.base_url = settings.base_url.rstrip("/")
        self._key = api_key if api_key is not None else ASR_KEYS.get(self.base_url)
        self._sleep = sleep
        host = urlparse(self.base_url).netloc or self.base_url
        # In transcripts and stage keys: another server or model is another transcript.
        self.name = f"{settings.model or 'default'}@{host}"

    # -- Transcriber ------------------------------------------------------
    @property
    def multilingual(self) -> bool:
        return True  # the server decides; an English-only model just answers in English

    def hint_support(self) -> HintSupport:
        return HintSupport("prompt", PROMPT_BUDGET, None)

    def transcribe_windows(
        self,
        path: str | Path,
        options: AsrOptions = AsrOptions(),
        *,
        skip_until: float = 0.0,
        progress: Callable[[float], None] | None = None,
        cancel: CancelToken | None = None,
        info: dict[str, Any] | None = None,
        on_segment: Callable[[Segment], None] | None = None,
    ) -> Iterator[tuple[float, list[Segment]]]:
        """Yield (window end, segments) per window, each uploaded as soon as it is cut."""
        total = probe(path).duration
        info = info if info is not None else {}
        info["duration"] = total
        language = options.language
        for window in iter_windows(path, options.window_seconds, start_s=skip_until):
            window_end = window.offset + window.duration
            if window_end <= skip_until + 1e-3:
                continue
            if cancel:
                cancel.raise_if_cancelled()
            found, segments = self._window(window.samples, window.offset, language, options, cancel)
            if language in ("auto", "", None) and found:
                language = found  # like the local model: the first window's language holds
            info["language"] = found or language
            for seg in segments:
                if on_segment:
                    on_segment(seg)
            if progress and total > 0:
                progress(min(window_end / total, 1.0))
            yield window_end, segments
        if info.get("language") is None:
            info["language"] = language

    def transcribe_samples(
        self, samples: FloatArray, options: AsrOptions = AsrOptions(), *, offset: float = 0.0
    ) -> tuple[str, list[Segment]]:
        found, segments = self._window(samples, offset, options.language, options, None)
        return found or options.language, segments

    # -- one window -------------------------------------------------------
    def _window(
        self,
        samples: FloatArray,
        offset: float,
        language: str,
        options: AsrOptions,
        cancel: CancelToken | None,
    ) -> tuple[str | None, list[Segment]]:
        if options.normalise_to_dbfs is not None:
            samples = normalise_loudness(samples, options.normalise_to_dbfs)
        prompt = options.initial_prompt or options.hotwords or None
        upload = _Upload(samples, None if language in ("auto", "", None) else language, prompt)
        answer = self._post_with_retries(upload, cancel)
        found = _language_code(answer.get("language"))
        segments = parse_segments(answer, offset, len(samples) / SAMPLE_RATE)
        return found, [replace(s, id=i) for i, s in enumerate(segments)]

    def _post_with_retries(self, upload: _Upload, cancel: CancelToken | None) -> dict[str, Any]:
        attempts = max(0, self.settings.retries) + 1
        for attempt in range(attempts):
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                return self._post_cancellable(upload, cancel)
            except _Retryable as exc:
                if attempt + 1 == attempts:
                    raise AsrUnavailable(
                        f"transcription server {self.base_url}: {exc} "
                        f"(tried {attempts} time{'s' if attempts > 1 else ''})"
                    ) from exc
                delay = backoff_delay(attempt, self.settings.backoff_s, exc.retry_after)
                logger.warning(
                    "transcription server %s: %s; retry %d/%d in %.1f s",
                    self.base_url, exc, attempt + 1, attempts - 1, delay,
                )  # fmt: skip
                self._sleep(delay)
        raise AssertionError("unreachable")

    def _post_cancellable(self, upload: _Upload, cancel: CancelToken | None) -> dict[str, Any]:
        """One request on a helper thread, so Cancel answers within a tenth of a second
        even while a slow server is still working on a 4-minute window."""
        if cancel is None:
            return self._post(upload)
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["answer"] = self._post(upload)
            except BaseException as exc:  # handed to the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=run, name="asr-upload", daemon=True)
        worker.start()
        while worker.is_alive():
            if cancel.cancelled:
                raise Cancelled()
            worker.join(_POLL_S)
        if "error" in box:
            raise box["error"]
        return dict(box["answer"])

    def _post(self, upload: _Upload) -> dict[str, Any]:
        fields: list[tuple[str, str]] = [
            ("model", self.settings.model or "whisper-1"),
            ("response_format", "verbose_json"),
            ("temperature", "0"),
            ("timestamp_granularities[]", "segment"),
            ("timestamp_granularities[]", "word"),
        ]
        if upload.language:
            fields.append(("language", upload.language))
        if upload.prompt:
            fields.append(("prompt", upload.prompt))
        body, content_type = multipart(fields, ("file", "audio.wav", wav_bytes(upload.samples)))
        headers = {
            "Content-Type": content_type, "Accept": "application/json", **auth_headers(self._key)
        }
        request = urllib.request.Request(
            self.base_url + "/audio/transcriptions", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_s) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            text = redact(exc.read().decode("utf-8", "replace")[:2000], self._key)
            if exc.code in RETRY_STATUS:
                asked = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                raise _Retryable(f"HTTP {exc.code} {_server_message(text)}", asked) from None
            raise AsrRefused(
                f"transcription server {self.base_url} refused the request "
                f"(HTTP {exc.code}): {_server_message(text)}{_hint_for(exc.code)}"
            ) from None
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            raise _Retryable(self._describe(exc)) from exc
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _Retryable(
                f"the answer is not JSON ({len(raw)} bytes: {raw[:60]!r})"
            ) from None
        if not isinstance(answer, dict) or not isinstance(answer.get("text"), str):
            raise _Retryable(f"the answer is not a transcription: {str(answer)[:120]}")
        return answer

    def _describe(self, exc: BaseException) -> str:
        reason = getattr(exc, "reason", None)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            return f"no answer within {self.settings.timeout_s:g} s"
        if isinstance(exc, http.client.IncompleteRead):
            return "the answer was cut off"
        return f"cannot reach the server ({reason or exc})"


# -- wire format ------------------------------------------------------------------
def pcm16(samples: FloatArray) -> np.ndarray:
    """Samples as 16-bit integers, on the grid servers decode them back to (x / 32768)."""
    scaled = np.round(np.asarray(samples, dtype=np.float64) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype("<i2")


def wav_bytes(samples: FloatArray) -> bytes:
    """16 kHz mono 16-bit PCM WAV: what every server reads, and what servers built on
    PyAV or FFmpeg turn any upload into anyway (a float WAV is rounded to 16 bits there)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm16(samples).tobytes())
    return buffer.getvalue()


def multipart(fields: list[tuple[str, str]], file: tuple[str, str, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body (RFC 7578) and its Content-Type."""
    boundary = f"minutes-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )
    field_name, filename, data = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
        f'filename="{filename}"\r\nContent-Type: audio/wav\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def parse_segments(answer: dict[str, Any], offset: float, duration: float) -> list[Segment]:
    """Segments of one window's answer, in recording time; hallucinations and loops go
    as they do for the local model. An answer with text but no segments (plain `json`)
    becomes one segment over the window."""
    raw_segments = answer.get("segments")
    if not isinstance(raw_segments, list) or not raw_segments:
        text = str(answer.get("text") or "").strip()
        raw_segments = [{"start": 0.0, "end": duration, "text": text}] if text else []
    words = [w for w in answer.get("words") or () if isinstance(w, dict)]
    out: list[Segment] = []
    for raw in raw_segments:
        if not isinstance(raw, dict):
            continue
        seg = _segment(raw, offset, words)
        if seg is not None:
            out.append(seg)
    return out


def _segment(raw: dict[str, Any], offset: float, words: list[dict[str, Any]]) -> Segment | None:
    full = str(raw.get("text") or "").strip()
    text = cut_repetitions(full)
    if not text:
        return None
    no_speech = _number(raw.get("no_speech_prob"))
    logprob = _number(raw.get("avg_logprob"))
    if is_hallucination(text, no_speech_prob=no_speech, avg_logprob=logprob):
        logger.debug("dropping likely hallucination %r", text)
        return None
    start = _number(raw.get("start")) or 0.0
    end = _number(raw.get("end")) or start
    inside = [
        w for w in words
        if start - 0.01 <= (_number(w.get("start")) or -1.0) < end + 0.01
    ]  # fmt: skip
    seg_words = tuple(
        Word(
            start=round((_number(w.get("start")) or 0.0) + offset, 3),
            end=round((_number(w.get("end")) or 0.0) + offset, 3),
            text=_word_text(str(w.get("word", "")), i),
            probability=_number(w.get("probability")) or 1.0,
        )
        for i, w in enumerate(inside)
    )
    if text != full:
        seg_words = ()  # a loop was cut: word times no longer match the text
    return Segment(
        id=0, start=round(start + offset, 3), end=round(end + offset, 3), text=text,
        words=seg_words, avg_logprob=logprob, no_speech_prob=no_speech,
    )  # fmt: skip


def _word_text(word: str, index: int) -> str:
    """faster-whisper's words carry their leading space; OpenAI's do not."""
    return word if word.startswith(" ") or index == 0 else " " + word


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _language_code(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    name = value.strip().lower()
    return _LANGUAGE_NAMES.get(name, name)


def _server_message(body: str) -> str:
    """The error message out of an OpenAI-style error body, else the body's start."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip()[:300]
    for path in (("error", "message"), ("detail", "error", "message"), ("detail",), ("message",)):
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and node:
            return node
    return body.strip()[:300]


def _hint_for(status: int) -> str:
    if status in (401, 403):
        return " - check the API key (minutes asr key set)"
    if status in (400, 404, 422):
        return " - check the URL and the model name (minutes asr show)"
    return ""
