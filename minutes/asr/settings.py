"""ASR settings: this computer's model, or a team's transcription server.

Stored under ``"asr"`` in `minutes.config.Config.extra` (shared by the CLI and the
app). The local model stays `Config.model`. A server is used only when the user
chose it (``backend = "endpoint"``) and gave its URL; a server on another computer
also needs ``allow_remote``: the meeting's audio is sent there. API keys live in
the OS keyring (`minutes.apikeys.ASR_KEYS`), never here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from minutes.config import Config
from minutes.netpolicy import is_loopback_url

logger = logging.getLogger(__name__)

@dataclass
class AsrEndpointSettings:
    """An OpenAI-compatible transcription server (`POST {base_url}/audio/transcriptions`).

    Attributes:
        base_url: Up to and including ``/v1``, e.g. ``http://gpu-server:8000/v1``.
        model: The server's model name (OpenAI's `model` field).
        timeout_s: Socket timeout for connecting and for the answer to one window.
        retries: Extra attempts after a connection error, a timeout, 429 or 5xx.
        backoff_s: First wait between attempts (doubles each time).
    """

    base_url: str = ""
    model: str = "whisper-1"
    timeout_s: float = 300.0
    retries: int = 2
    backoff_s: float = 1.0


@dataclass
class AsrSettings:
    """Which backend transcribes.

    Attributes:
        backend: "local" (faster-whisper on this computer) or "endpoint".
        endpoint: The server.
        allow_remote: Allow a server that is not on this computer.
        fallback_local: When the server is down or too slow, transcribe with the
            local model instead of stopping (the recording is kept either way).
    """

    backend: str = "local"
    endpoint: AsrEndpointSettings = field(default_factory=AsrEndpointSettings)
    allow_remote: bool = False
    fallback_local: bool = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AsrSettings:
        """Build settings from stored values; unknown keys and bad values are ignored."""
        known = {f.name for f in fields(cls)} - {"endpoint"}
        values = {k: v for k, v in data.items() if k in known}
        ep_known = {f.name for f in fields(AsrEndpointSettings)}
        ep_raw = data.get("endpoint") or {}
        ep = {k: v for k, v in ep_raw.items() if k in ep_known} if isinstance(ep_raw, dict) else {}
        try:
            out = cls(**values, endpoint=AsrEndpointSettings(**ep))
        except TypeError as exc:
            logger.warning("ignoring bad ASR settings: %s", exc)
            return cls()
        from minutes.asr import backend_names

        if out.backend not in backend_names():
            logger.warning("ignoring unknown ASR backend %r", out.backend)
            out.backend = "local"
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, cfg: Config) -> AsrSettings:
        raw = cfg.extra.get("asr")
        return cls.from_dict(raw) if isinstance(raw, dict) else cls()

    def store(self, cfg: Config) -> None:
        """Put these settings into `cfg` (the caller saves it)."""
        cfg.extra["asr"] = self.to_dict()

    def endpoint_problem(self) -> str | None:
        """Why the server cannot be used as configured, or None when it can."""
        if not self.endpoint.base_url:
            return "no transcription server URL is set (minutes asr set --endpoint-url URL)"
        if not (self.allow_remote or is_loopback_url(self.endpoint.base_url)):
            return (
                f"{self.endpoint.base_url} is on another computer and sending meeting audio "
                "there is not allowed (minutes asr set --allow-remote, or Settings)"
            )
        return None
