"""LLM settings: which engines, in which order, with which model.

Stored under ``"llm"`` in `minutes.config.Config.extra` (shared by the CLI and
the app). API keys are never stored here: they live in the OS keyring (see
`minutes.llm.secrets`).

Local first: the default order is ``["local"]``; an endpoint is used only
when the user configured its URL *and* put ``"endpoint"`` in the order. An
endpoint on another machine additionally needs ``allow_remote`` - nothing
leaves the machine without both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from minutes.config import Config
from minutes.netpolicy import is_loopback_url

__all__ = ["ENGINE_KINDS", "EndpointSettings", "LlmSettings", "is_loopback_url"]

logger = logging.getLogger(__name__)

ENGINE_KINDS = ("local", "transformers", "endpoint")


@dataclass
class EndpointSettings:
    """An OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp server).

    Attributes:
        base_url: Up to and including ``/v1``, e.g. ``http://127.0.0.1:11434/v1``.
        model: The server's model name.
        timeout_s: Socket timeout for connecting and for each read.
        retries: Extra attempts after a connection error, 429 or 5xx.
        backoff_s: First wait between attempts (doubles each time).
        context_size: The server model's context window, for chunking.
        json_mode: "json_schema" (OpenAI style), "json_object" (llama.cpp
            server style, schema attached) or "none"; "auto" tries them in that order.
    """

    base_url: str = ""
    model: str = ""
    timeout_s: float = 120.0
    retries: int = 2
    backoff_s: float = 1.0
    context_size: int = 8192
    json_mode: str = "auto"


@dataclass
class LlmSettings:
    """Engine choice and options.

    Attributes:
        order: Engines to try, first to last ("local", "transformers", "endpoint").
        local_model: Embedded model name/alias or a .gguf path for llama.cpp.
        context_size: llama.cpp context window (tokens).
        threads: CPU threads for llama.cpp (0 = all cores).
        transformers_model: Folder or file of an HF-format model (transformers engine).
        transformers_gguf_file: GGUF file name inside that folder, if it is one.
        transformers_device: "auto" (a CUDA or Apple GPU when torch sees one, else
            the CPU), "cpu", "cuda", "cuda:N" or "mps".
        endpoint: The OpenAI-compatible server.
        allow_remote: Allow an endpoint that is not on this machine.
    """

    order: list[str] = field(default_factory=lambda: ["local"])
    local_model: str = "qwen2.5-coder-1.5b"
    context_size: int = 8192
    threads: int = 0
    transformers_model: str = ""
    transformers_gguf_file: str = ""
    transformers_device: str = "auto"
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    allow_remote: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LlmSettings:
        """Build settings from stored values; unknown keys and bad values are ignored."""
        known = {f.name for f in fields(cls)} - {"endpoint"}
        values = {k: v for k, v in data.items() if k in known}
        ep_known = {f.name for f in fields(EndpointSettings)}
        ep_raw = data.get("endpoint") or {}
        ep = {k: v for k, v in ep_raw.items() if k in ep_known} if isinstance(ep_raw, dict) else {}
        try:
            out = cls(**values, endpoint=EndpointSettings(**ep))
        except TypeError as exc:
            logger.warning("ignoring bad LLM settings: %s", exc)
            return cls()
        out.order = [k for k in out.order if k in ENGINE_KINDS] or ["local"]
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, cfg: Config) -> LlmSettings:
        raw = cfg.extra.get("llm")
        return cls.from_dict(raw) if isinstance(raw, dict) else cls()

    def store(self, cfg: Config) -> None:
        """Put these settings into `cfg` (the caller saves it)."""
        cfg.extra["llm"] = self.to_dict()

    def endpoint_allowed(self) -> bool:
        """True when the endpoint may be used: configured, in the order, and local or allowed."""
        if "endpoint" not in self.order or not self.endpoint.base_url:
            return False
        return self.allow_remote or is_loopback_url(self.endpoint.base_url)
