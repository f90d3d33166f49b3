"""The Settings dialog's Transcription tab: this computer's model or a team's server.

Edits `minutes.asr.settings.AsrSettings` (stored under "asr" in the config, shared
with `minutes asr`). The server's API key goes to the OS keyring
(`minutes.apikeys.ASR_KEYS`) when the dialog is accepted, never into the config.
"""

from __future__ import annotations

import copy

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from minutes.apikeys import ASR_KEYS
from minutes.asr import backend, backend_names
from minutes.asr.settings import AsrSettings
from minutes.netpolicy import is_loopback_url
from ui.widgets.api_key_field import ApiKeyField
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
        self.key = ApiKeyField(ASR_KEYS, lambda: self.url.text().strip(), self)
        self.api_key = self.key.edit  # the names the tests and the form use
        self.forget_key = self.key.forget
        self.key_status = self.key.status
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
        self.url.editingFinished.connect(self.key.refresh)
        self._show_remote_warning()

    def _backend_changed(self) -> None:
        server = self.backend.currentData() != "local"
        self.fallback.setEnabled(server)
        # The server's fields matter only when a server transcribes (they are kept for
        # later; "Forget key" follows whether a key is stored, see `ApiKeyField`).
        for field in (self.url, self.model, self.timeout, self.api_key, self.allow_remote):
            field.setEnabled(server)

    def _show_remote_warning(self) -> None:
        url = self.url.text().strip()
        remote = bool(url) and not is_loopback_url(url)
        self.remote_warning.setText(
            self.tr("This server is on another computer.") if remote else ""
        )

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
        return self.key.store_typed()

