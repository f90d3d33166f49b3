"""Settings kept in the core's config (shared with the CLI); window state lives in QSettings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from minutes.capture import InputDevice
from minutes.config import Config

MAX_SPEAKERS = 10
UI_LANGUAGES = (("system", "System"), ("en", "English"), ("ko", "한국어"))


class SettingsDialog(QDialog):
    def __init__(self, config: Config, devices: list[InputDevice],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.config = config
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItem(self.tr("base (embedded, multilingual)"), "base")
        self.model.addItem(self.tr("tiny.en (embedded, English, faster)"), "tiny.en")
        self._select(self.model, config.model, add=True)
        browse_model = QPushButton(self.tr("Local folder…"))
        browse_model.clicked.connect(self._browse_model)
        self.language = QComboBox()
        for code, label in (("auto", self.tr("Detect")), ("ko", "한국어"), ("en", "English")):
            self.language.addItem(label, code)
        self._select(self.language, config.language)
        self.device = QComboBox()
        self.device.addItem(self.tr("System default"), None)
        for d in devices:
            self.device.addItem(d.name, d.name)
        self._select(self.device, config.extra.get("input_device"))
        self.folder = QLineEdit(config.sessions_folder or "")
        self.folder.setPlaceholderText(str(config.sessions_root()))
        browse_folder = QPushButton(self.tr("Choose…"))
        browse_folder.clicked.connect(self._browse_folder)
        self.hints = QCheckBox(self.tr("Pass glossary terms to Whisper as hints"))
        self.hints.setChecked(config.glossary_hints)
        self.diarize = QCheckBox(self.tr("Find speakers (diarization)"))
        self.diarize.setToolTip(
            self.tr("After transcribing, find who spoke when, on this computer. "
                    "Saved voices are named automatically.")
        )  # fmt: skip
        self.diarize.setChecked(config.diarize)
        self.speakers = QComboBox()
        self.speakers.addItem(self.tr("Automatic"), None)
        for n in range(2, MAX_SPEAKERS + 1):
            self.speakers.addItem(str(n), n)
        self._select(self.speakers, config.speakers, add=True)
        self.speakers.setEnabled(config.diarize)
        self.diarize.toggled.connect(self.speakers.setEnabled)
        self.ui_language = QComboBox()
        for code, label in UI_LANGUAGES:
            self.ui_language.addItem(self.tr(label) if code == "system" else label, code)
        self._select(self.ui_language, config.extra.get("ui_language", "system"))

        form = QFormLayout(self)
        form.addRow(self.tr("Speech model"), _row(self.model, browse_model))
        form.addRow(self.tr("Meeting language"), self.language)
        form.addRow(self.tr("Input device"), self.device)
        form.addRow(self.tr("Meetings folder"), _row(self.folder, browse_folder))
        form.addRow("", self.hints)
        form.addRow(self.tr("Speakers"), self.diarize)
        form.addRow(self.tr("Number of speakers"), self.speakers)
        form.addRow(self.tr("App language"), self.ui_language)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _select(combo: QComboBox, value: object, add: bool = False) -> None:
        i = combo.findData(value)
        if i < 0 and add and value:
            combo.addItem(str(value), value)
            i = combo.count() - 1
        combo.setCurrentIndex(max(i, 0))

    def _browse_model(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("CTranslate2 Whisper model folder"))
        if name:
            self._select(self.model, name, add=True)

    def _browse_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Meetings folder"))
        if name:
            self.folder.setText(name)

    def result_config(self) -> Config:
        """The edited config (not saved)."""
        model = self.model.currentData() or self.model.currentText().strip() or "base"
        extra = dict(self.config.extra)
        extra["input_device"] = self.device.currentData()
        extra["ui_language"] = self.ui_language.currentData()
        folder = self.folder.text().strip()
        return replace(
            self.config, model=str(model), language=str(self.language.currentData()),
            glossary_hints=self.hints.isChecked(), diarize=self.diarize.isChecked(),
            speakers=self.speakers.currentData(),
            sessions_folder=str(Path(folder).expanduser()) if folder else None, extra=extra,
        )  # fmt: skip


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        layout.addWidget(w, 1 if i == 0 else 0)
    return box
