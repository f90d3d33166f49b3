"""API keys for LLM endpoints: `minutes.apikeys.LLM_KEYS`, with the LLM package's error."""

from __future__ import annotations

from minutes.apikeys import LLM_KEYS, KeyringUnavailable
from minutes.llm.errors import LlmError

SERVICE = LLM_KEYS.service
ENV_VAR = LLM_KEYS.env_var


def get_api_key(base_url: str) -> str | None:
    """The key stored for an endpoint, or the environment's, or None."""
    return LLM_KEYS.get(base_url)


def set_api_key(base_url: str, key: str) -> None:
    """Store an endpoint's key in the OS keyring.

    Raises:
        LlmError: No usable keyring on this system (set the environment variable instead).
    """
    try:
        LLM_KEYS.set(base_url, key)
    except KeyringUnavailable as exc:
        raise LlmError(str(exc)) from exc


def delete_api_key(base_url: str) -> None:
    """Forget an endpoint's key (no error if there was none)."""
    LLM_KEYS.delete(base_url)
