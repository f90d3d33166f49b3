"""API keys for servers (ASR, LLM), kept in the OS keyring and nowhere else.

Keys never go into config files or logs. The ``keyring`` package picks the
platform store (macOS Keychain, Windows Credential Locker, Secret Service on
Linux desktops). Where no keyring exists (a headless server, CI), an
environment variable is read instead; nothing is ever written to disk here.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass

logger = logging.getLogger(__name__)


class KeyringUnavailable(RuntimeError):
    """No usable OS keyring; the message names the environment variable to set instead."""


@dataclass(frozen=True)
class KeyStore:
    """Keys of one kind of server: a keyring service name and its environment variable."""

    service: str
    env_var: str

    @staticmethod
    def _account(base_url: str) -> str:
        return base_url.rstrip("/").lower()

    def get(self, base_url: str) -> str | None:
        """The key stored for an endpoint, or the environment's, or None."""
        try:
            import keyring
            from keyring.errors import KeyringError

            try:
                key = keyring.get_password(self.service, self._account(base_url))
            except KeyringError as exc:
                logger.info(
                    "keyring unavailable (%s); using %s if set", type(exc).__name__, self.env_var
                )
                key = None
        except ImportError:
            key = None
        return key or os.environ.get(self.env_var) or None

    def set(self, base_url: str, key: str) -> None:
        """Store an endpoint's key in the OS keyring.

        Raises:
            KeyringUnavailable: No usable keyring here (set the environment variable).
        """
        try:
            import keyring
            from keyring.errors import KeyringError
        except ImportError as exc:
            raise KeyringUnavailable(
                f"the keyring package is not installed; set {self.env_var} instead"
            ) from exc
        try:
            keyring.set_password(self.service, self._account(base_url), key)
        except KeyringError as exc:
            raise KeyringUnavailable(
                f"no usable OS keyring here ({type(exc).__name__}); set {self.env_var} instead"
            ) from exc

    def delete(self, base_url: str) -> None:
        """Forget an endpoint's key (no error if there was none)."""
        try:
            import keyring
            from keyring.errors import KeyringError, PasswordDeleteError
        except ImportError:
            return
        with contextlib.suppress(PasswordDeleteError, KeyringError):
            keyring.delete_password(self.service, self._account(base_url))


LLM_KEYS = KeyStore("minutes-llm", "MINUTES_LLM_API_KEY")
ASR_KEYS = KeyStore("minutes-asr", "MINUTES_ASR_API_KEY")
