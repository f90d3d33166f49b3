"""An API key for a server: typed (hidden), stored in the OS keyring on Save, forgotten on
request; a line says where the key comes from. Used for the ASR and the LLM servers."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from minutes.apikeys import KeyringUnavailable, KeyStore


class ApiKeyField(QWidget):
    """`edit`, `forget` and `status` go into the caller's form; `url()` says whose key it is."""

    def __init__(self, store: KeyStore, url: Callable[[], str],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._store = store
        self._url = url
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(self.tr("Leave empty to keep the stored key"))
        self.forget = QPushButton(self.tr("Forget key"))
        self.forget.clicked.connect(self.forget_key)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.refresh()

    def status_text(self) -> str:
        url = self._url()
        if not url:
            return self.tr("The key is kept in the OS keyring, never in the settings file.")
        key = self._store.get(url)
        env = os.environ.get(self._store.env_var)
        if key and key != env:
            return self.tr("A key for this server is stored in the OS keyring.")
        if env:
            return self.tr("Using the key in {var}.").format(var=self._store.env_var)
        return self.tr("No key stored (a server on your own network usually needs none). "
                       "A key you type is stored in the OS keyring, never in the settings "
                       "file.")  # fmt: skip

    def has_stored_key(self) -> bool:
        """Whether the keyring holds a key for this server (one "Forget key" would remove)."""
        url = self._url()
        key = self._store.get(url) if url else None
        return bool(key) and key != os.environ.get(self._store.env_var)

    def refresh(self) -> None:
        self.status.setText(self.status_text())
        # Enabled only when there is a key to forget, whichever engine is chosen (the
        # server's other fields are greyed out while it is not used).
        self.forget.setEnabled(self.has_stored_key())

    def forget_key(self) -> None:
        url = self._url()
        if url:
            self._store.delete(url)
        self.edit.clear()
        self.refresh()

    def store_typed(self) -> str | None:
        """Store the typed key, if any; returns what stopped it (shown to the user), or None."""
        key = self.edit.text().strip()
        if not key:
            return None
        url = self._url()
        if not url:
            return self.tr("Type the server's base URL before its API key.")
        try:
            self._store.set(url, key)
        except KeyringUnavailable as exc:
            return self.tr("The API key was not saved: {e}").format(e=exc)
        self.edit.clear()
        self.refresh()
        return None
