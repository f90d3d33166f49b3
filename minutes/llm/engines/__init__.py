"""Engine selection: build the engines the settings name, local first.

`open_engine` walks the user's order ("local", "transformers", "endpoint")
and returns the first engine that loads; an endpoint is skipped unless
`LlmSettings.endpoint_allowed` says it may be used. `FallbackEngine` keeps
the rest of the chain so a call that fails because its engine became
unavailable (server down) moves on to the next one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from minutes.llm.engines.base import (
    ChatMessage,
    Completion,
    Engine,
    EngineInfo,
    GenerationOptions,
    TokenCallback,
)
from minutes.llm.errors import EngineUnavailable
from minutes.llm.settings import LlmSettings
from minutes.progress import CancelToken

logger = logging.getLogger(__name__)

EngineFactory = Callable[[], Engine]


def prefix_cache_dir() -> Path:
    """Where the embedded engine keeps the KV state of fixed instructions (a few MB each)."""
    from minutes import config

    return config.data_dir() / "cache" / "llm-prefix"


def local_engine(settings: LlmSettings) -> Engine:
    """The embedded llama.cpp engine on the configured GGUF (name, alias or path)."""
    from minutes.llm.engines.llamacpp import LlamaCppEngine
    from minutes.llm.modelstore import resolve_gguf
    from minutes.modelstore import ModelError

    try:
        resolved = resolve_gguf(settings.local_model)
    except ModelError as exc:
        raise EngineUnavailable(str(exc)) from exc
    try:
        return LlamaCppEngine(
            resolved.path,
            model_id=resolved.name,
            family=resolved.family,
            context_size=settings.context_size,
            threads=settings.threads,
            prefix_cache_dir=prefix_cache_dir(),
        )
    except EngineUnavailable as exc:
        if str(resolved.path) not in str(exc):
            raise  # llama-cpp-python itself is missing: its message says how to install it
        fix = ("run `minutes models --verify` to check and rebuild it" if resolved.embedded
               else "choose another .gguf file (Settings › AI, or --llm)")  # fmt: skip
        raise EngineUnavailable(f"{exc}. The file is damaged or truncated: {fix}.") from exc


def transformers_engine(settings: LlmSettings) -> Engine:
    from minutes.llm.engines.transformers_engine import TransformersEngine

    if not settings.transformers_model:
        raise EngineUnavailable("no transformers model configured")
    return TransformersEngine(
        settings.transformers_model,
        gguf_file=settings.transformers_gguf_file or None,
        device=settings.transformers_device,
        threads=settings.threads,
        context_size=settings.context_size,
    )


def endpoint_engine(settings: LlmSettings) -> Engine:
    from minutes.llm.engines.openai_compat import OpenAICompatEngine

    if not settings.endpoint_allowed():
        raise EngineUnavailable(
            "the endpoint is not enabled (set its URL, add 'endpoint' to the engine order, and "
            "allow remote use if it is on another machine)"
        )
    return OpenAICompatEngine(settings.endpoint)


_FACTORIES: dict[str, Callable[[LlmSettings], Engine]] = {
    "local": local_engine,
    "transformers": transformers_engine,
    "endpoint": endpoint_engine,
}


def factories(settings: LlmSettings) -> list[tuple[str, EngineFactory]]:
    """The engine factories in the user's order (only the allowed ones)."""
    out: list[tuple[str, EngineFactory]] = []
    for kind in settings.order:
        if kind == "endpoint" and not settings.endpoint_allowed():
            logger.info("endpoint configured but not allowed; skipped")
            continue
        factory = _FACTORIES.get(kind)
        if factory is not None:
            out.append((kind, functools.partial(factory, settings)))
    return out


class FallbackEngine(Engine):
    """Tries engines in order, moving on when one is unavailable.

    The first engine that loads serves every call; if a call raises
    `EngineUnavailable`, the next engine is loaded and the call repeated.

    Raises:
        EngineUnavailable: (from the constructor) no engine could be loaded;
            the message lists why each failed.
    """

    def __init__(self, chain: Sequence[tuple[str, EngineFactory]]) -> None:
        self._chain = list(chain)
        self._reasons: list[str] = []
        self._kind = ""
        self._current = self._next()
        self.info = self._current.info

    def _next(self) -> Engine:
        while self._chain:
            kind, factory = self._chain.pop(0)
            try:
                engine = factory()
            except EngineUnavailable as exc:
                logger.warning("LLM engine %s unavailable: %s", kind, exc)
                self._reasons.append(f"{kind}: {exc}")
                continue
            logger.info("using LLM engine %s (%s)", kind, engine.info.model)
            self._kind = kind
            return engine
        raise EngineUnavailable(
            "no language model engine could be started. " + " | ".join(self._reasons)
        )

    @property
    def current(self) -> Engine:
        return self._current

    @property
    def skipped(self) -> list[str]:
        """Why each engine before the current one could not serve ("kind: reason")."""
        return list(self._reasons)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        while True:
            try:
                return self._current.complete(messages, options, on_token=on_token, cancel=cancel)
            except EngineUnavailable as exc:
                self._reasons.append(f"{self._kind}: {exc}")
                self._current.close()
                self._current = self._next()
                self.info = self._current.info

    def prefill(
        self, messages: Sequence[ChatMessage], *, cancel: CancelToken | None = None
    ) -> int:
        try:
            return self._current.prefill(messages, cancel=cancel)
        except EngineUnavailable:
            return 0  # the call itself moves on to the next engine

    def held_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return self._current.held_tokens(messages)

    def count_tokens(self, text: str) -> int:
        return self._current.count_tokens(text)

    def close(self) -> None:
        self._current.close()


def open_engine(settings: LlmSettings, spec: str | None = None) -> FallbackEngine:
    """Open the engine for a job.

    Args:
        settings: The user's LLM settings.
        spec: Overrides them for one run (the CLI's ``--llm``): "auto" (the
            settings' order), "local", "endpoint", "transformers", an
            embedded model name/alias ("1.5b", "0.5b") or a .gguf path.

    Raises:
        EngineUnavailable: Nothing could be loaded (message says why).
    """
    if spec in (None, "", "auto"):
        return FallbackEngine(factories(settings))
    assert spec is not None
    if spec in _FACTORIES:
        return FallbackEngine([(spec, lambda: _FACTORIES[spec](settings))])
    if (
        spec.endswith(".gguf")
        or Path(spec).expanduser().is_file()
        or spec.lower() in ("1.5b", "0.5b", "light", "default")
        or spec.startswith("qwen")
    ):
        from dataclasses import replace

        local = replace(settings, local_model=spec)
        return FallbackEngine([("local", lambda: local_engine(local))])
    raise EngineUnavailable(
        f"unknown engine {spec!r}: use auto, local, endpoint, transformers, 1.5b, 0.5b or a "
        ".gguf path"
    )


__all__ = [
    "ChatMessage",
    "Completion",
    "Engine",
    "EngineInfo",
    "FallbackEngine",
    "GenerationOptions",
    "open_engine",
]
