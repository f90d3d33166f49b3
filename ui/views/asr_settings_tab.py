"""The Settings dialog's Transcription tab: this computer's model or a team's server.

Edits `minutes.asr.settings.AsrSettings` (stored under "asr" in the config, shared
with `minutes asr`). The server's API key goes to the OS keyring
(`minutes.apikeys.ASR_KEYS`) when the dialog is accepted, never into the config.
"""

from __future__ import annotations

import copy
import os

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from minutes.apikeys import ASR_KEYS, KeyringUnavailable
from minutes.asr import backend, backend_names
from minutes.asr.settings import AsrSettings
from minutes.netpolicy import is_loopback_url
from ui.widgets.form_row import form_row


class AsrSettingsTab(QWidget):
    """Which ASR backend transcribes, and the server's address, model, key and rules."""

    def __init__(self, settings: AsrSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.backend = QComboBox()
        labels = {
            "local": self.tr("This computer (the speech model on the General tab)"),
            "endpoint": self.tr("A transcription server (OpenAI-compatible)"),
        }
        for name in backend_names():  # a newly registered backend appears by itself
            self.backend.addItem(labels.get(name, backend(name).label), name)
        i = self.backend.findData(settings.backend)
        self.backend.setCurrentIndex(max(i, 0))
        self.url = QLineEdit(settings.endpoint.base_url)
        self.url.setPlaceholderText("http://gpu-server.local:8000/v1")
        self.url.editingFinished.connect(self._show_key_status)
        self.url.textChanged.connect(self._show_remote_warning)
        self.model = QLineEdit(settings.endpoint.model)
        self.model.setPlaceholderText("whisper-1, Systran/faster-whisper-large-v3, …")
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(5, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setValue(settings.endpoint.timeout_s)
        self.timeout.setToolTip(self.tr("How long to wait for the server's answer to one "
                                        "window of about 4 minutes of audio."))  # fmt: skip
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("Leave empty to keep the stored key"))
        self.forget_key = QPushButton(self.tr("Forget key"))
        self.forget_key.clicked.connect(self._forget_key)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        self.fallback = QCheckBox(self.tr("If the server is down or too slow, "
                                          "transcribe on this computer instead"))  # fmt: skip
        self.fallback.setChecked(settings.fallback_local)
        self.allow_remote = QCheckBox(
            self.tr("Allow a server on another computer (the meeting's audio is sent there)")
        )
        self.allow_remote.setChecked(settings.allow_remote)
        self.remote_warning = QLabel()
        self.remote_warning.setWordWrap(True)
        self.remote_warning.setStyleSheet("color:#92400e;")
        privacy = QLabel(
            self.tr("Local first: by default Whisper runs on this computer. Audio leaves it "
                    "only when a server is chosen here, and a server on another computer also "
                    "needs the permission above. A recording is never lost when the server "
                    "fails: it stays in the library and can be transcribed again.")
        )  # fmt: skip
        privacy.setWordWrap(True)
        privacy.setStyleSheet("color:#555555;")

        form = QFormLayout(self)
        form.addRow(self.tr("Transcribe on"), self.backend)
        form.addRow(self.tr("Server URL"), self.url)
        form.addRow(self.tr("Server model"), self.model)
        form.addRow(self.tr("Wait for an answer"), self.timeout)
        form.addRow(self.tr("API key"), form_row(self.api_key, self.forget_key))
        form.addRow("", self.key_status)
        form.addRow("", self.fallback)
        form.addRow("", self.allow_remote)
        form.addRow("", self.remote_warning)
        form.addRow("", privacy)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        self._backend_changed()
        self._show_key_status()
        self._show_remote_warning()

    def _backend_changed(self) -> None:
        self.fallback.setEnabled(self.backend.currentData() != "local")

    def _key_status_text(self) -> str:
        url = self.url.text().strip()
        if not url:
            return self.tr("The key is kept in the OS keyring, never in the settings file.")
        key = ASR_KEYS.get(url)
        env = os.environ.get(ASR_KEYS.env_var)
        if key and key != env:
            return self.tr("A key for this server is stored in the OS keyring.")
        if env:
            return self.tr("Using the key in {var}.").format(var=ASR_KEYS.env_var)
        return self.tr("No key stored (a server on your own network usually needs none). "
                       "A key you type is stored in the OS keyring, never in the settings "
                       "file.")  # fmt: skip

    def _show_key_status(self) -> None:
        self.key_status.setText(self._key_status_text())

    def _show_remote_warning(self) -> None:
        url = self.url.text().strip()
        remote = bool(url) and not is_loopback_url(url)
        self.remote_warning.setText(
            self.tr("This server is on another computer.") if remote else ""
        )

    def _forget_key(self) -> None:
        url = self.url.text().strip()
        if url:
            ASR_KEYS.delete(url)
        self.api_key.clear()
        self._show_key_status()

    def result(self) -> AsrSettings:
        """The edited settings (no secrets in them)."""
        out = copy.deepcopy(self.settings)
        out.backend = str(self.backend.currentData())
        out.endpoint.base_url = self.url.text().strip()
        out.endpoint.model = self.model.text().strip() or out.endpoint.model
        out.endpoint.timeout_s = float(self.timeout.value())
        out.allow_remote = self.allow_remote.isChecked()
        out.fallback_local = self.fallback.isChecked()
        return out

    def check(self) -> str | None:
        """What stops the settings from being saved, if anything (stores a typed key)."""
        url = self.url.text().strip()
        if self.backend.currentData() == "endpoint":
            if not url:
                return self.tr("Type the transcription server's base URL "
                               "(for example http://gpu-server.local:8000/v1).")  # fmt: skip
            if not url.startswith(("http://", "https://")):
                return self.tr("The server URL starts with http:// or https://.")
        key = self.api_key.text().strip()
        if key:
            if not url:
                return self.tr("Type the server's base URL before its API key.")
            try:
                ASR_KEYS.set(url, key)
            except KeyringUnavailable as exc:
                return self.tr("The API key was not saved: {e}").format(e=exc)
            self.api_key.clear()
            self._show_key_status()
        return None

