"""Speech recognition backends behind one `Transcriber` protocol, and their registry.

Backends: ``local`` (faster-whisper on this computer, `minutes.asr.whisper`) and
``endpoint`` (a team's OpenAI-compatible server, `minutes.asr.remote`). A new
backend is its own module, one `register` line below, and its test.
Heavy libraries are imported only when a backend loads its model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from minutes.asr.base import (
    LANGUAGES,
    AsrOptions,
    AsrRefused,
    AsrUnavailable,
    HintSupport,
    Transcriber,
    with_hints,
)
from minutes.asr.whisper import WhisperTranscriber, release_freed_memory

if TYPE_CHECKING:
    from minutes.asr.settings import AsrSettings
    from minutes.config import Config

__all__ = [
    "LANGUAGES",
    "AsrOptions",
    "AsrRefused",
    "AsrUnavailable",
    "Backend",
    "HintSupport",
    "Transcriber",
    "WhisperTranscriber",
    "backend_names",
    "open_transcriber",
    "register",
    "release_freed_memory",
    "with_hints",
]

Factory = Callable[["Config", "AsrSettings"], Transcriber]


@dataclass(frozen=True)
class Backend:
    """A registered backend: its settings name, a label for people, how to open it."""

    name: str
    label: str
    open: Factory
    local: bool  # True when the audio never leaves this computer


_BACKENDS: dict[str, Backend] = {}


def register(backend: Backend) -> None:
    _BACKENDS[backend.name] = backend


def backend_names() -> tuple[str, ...]:
    return tuple(_BACKENDS)


def backend(name: str) -> Backend:
    try:
        return _BACKENDS[name]
    except KeyError:
        raise AsrUnavailable(
            f"unknown ASR backend {name!r} (known: {', '.join(_BACKENDS)})"
        ) from None


def open_transcriber(name: str, config: Config, settings: AsrSettings) -> Transcriber:
    """The backend `name` set up from the settings (a model is loaded on first use).

    Raises:
        AsrUnavailable: unknown backend, or the endpoint is not configured or not allowed.
        ModelError: the local model is missing.
    """
    return backend(name).open(config, settings)


def _open_local(config: Config, settings: AsrSettings) -> Transcriber:
    from minutes.asr.whisper import load_local

    return load_local(
        config.model, allow_download=config.allow_download, cpu_threads=config.cpu_threads
    )


def _open_endpoint(config: Config, settings: AsrSettings) -> Transcriber:
    from minutes.asr.remote import EndpointTranscriber

    problem = settings.endpoint_problem()
    if problem:
        raise AsrUnavailable(problem)
    return EndpointTranscriber(settings.endpoint)


register(Backend("local", "This computer (faster-whisper)", _open_local, local=True))
register(Backend("endpoint", "Transcription server (OpenAI-compatible)", _open_endpoint, False))
