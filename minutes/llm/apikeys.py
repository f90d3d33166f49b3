"""API keys for OpenAI-compatible endpoints, kept in the OS keyring.

Keys never go into config files or logs. The ``keyring`` package picks the
platform store (macOS Keychain, Windows Credential Locker, Secret Service on
Linux desktops). Where no keyring exists (a headless server, CI), the
``MINUTES_LLM_API_KEY`` environment variable is read instead; nothing is
ever written to disk by this module.
"""

from __future__ import annotations

import contextlib
import logging
import os

from minutes.llm.errors import LlmError

logger = logging.getLogger(__name__)

SERVICE = "minutes-llm"
ENV_VAR = "MINUTES_LLM_API_KEY"


def _account(base_url: str) -> str:
    return base_url.rstrip("/").lower()


def get_api_key(base_url: str) -> str | None:
    """The key stored for an endpoint, or the environment's, or None."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            key = keyring.get_password(SERVICE, _account(base_url))
        except KeyringError as exc:
            logger.info("keyring unavailable (%s); using %s if set", type(exc).__name__, ENV_VAR)
            key = None
    except ImportError:
        key = None
    return key or os.environ.get(ENV_VAR) or None


def set_api_key(base_url: str, key: str) -> None:
    """Store an endpoint's key in the OS keyring.

    Raises:
        LlmError: No usable keyring on this system (set the environment
            variable instead).
    """
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError as exc:
        raise LlmError(f"the keyring package is not installed; set {ENV_VAR} instead") from exc
    try:
        keyring.set_password(SERVICE, _account(base_url), key)
    except KeyringError as exc:
        raise LlmError(
            f"no usable OS keyring here ({type(exc).__name__}); set {ENV_VAR} instead"
        ) from exc


def delete_api_key(base_url: str) -> None:
    """Forget an endpoint's key (no error if there was none)."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return
    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(SERVICE, _account(base_url))
