"""Settings kept in the core's config (shared with the CLI); window state lives in QSettings.

The Transcription tab (`ui.views.asr_settings_tab`) edits the ASR backend.
The AI tab edits `minutes.llm.settings.LlmSettings` (stored under "llm" in the
config). An endpoint's API key goes to the OS keyring (`minutes.llm.apikeys`)
when the dialog is accepted, never into the config.
"""

from __future__ import annotations

import copy
import importlib.util
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from minutes.apikeys import LLM_KEYS
from minutes.asr.settings import AsrSettings
from minutes.capture import InputDevice
from minutes.config import Config
from minutes.llm.settings import LlmSettings, is_loopback_url
from ui.views.asr_settings_tab import AsrSettingsTab
from ui.widgets.api_key_field import ApiKeyField
from ui.widgets.form_row import form_row

MAX_SPEAKERS = 10
UI_LANGUAGES = (("system", "System"), ("en", "English"), ("ko", "한국어"))
EMBEDDED = {"1.5b": "qwen2.5-coder-1.5b", "0.5b": "qwen2.5-coder-0.5b"}


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
            system = self.tr("System audio: {name}").format(name=d.name)
            self.device.addItem(d.name if d.kind == "mic" else system, d.choice)
        self._select(self.device, config.extra.get("input_device"))
        # Without a microphone only "System default" is listed: say why, and what still works.
        self.no_mic = QLabel(
            self.tr("No microphone found. Connect one, or check the sound settings; the app "
                    "can still import recordings.")
        )  # fmt: skip
        self.no_mic.setWordWrap(True)
        self.no_mic.setStyleSheet("color:#92400e;")
        self.no_mic.setVisible(not any(d.kind == "mic" for d in devices))
        self.record_system = QCheckBox(
            self.tr("Also record what this computer plays (online meetings)")
        )
        self.record_system.setChecked(bool(config.extra.get("record_system", True)))
        self.record_system.setEnabled(any(d.kind == "system" for d in devices))
        self.while_recording = QCheckBox(self.tr("Transcribe during the meeting"))
        self.while_recording.setToolTip(
            self.tr("While you record, the finished parts of the recording are transcribed at "
                    "low priority, so less is left to do when you press Stop.")
        )  # fmt: skip
        self.while_recording.setChecked(bool(config.extra.get("transcribe_while_recording", True)))
        self.notes_while_recording = QCheckBox(
            self.tr("Take the minutes' notes during the meeting")
        )
        self.notes_while_recording.setToolTip(
            self.tr("While you record, the language model reads the parts of the meeting that "
                    "are over; after Stop the minutes are written at once and only the rest is "
                    "left to read. Uses the computer more during the meeting.")
        )  # fmt: skip
        self.notes_while_recording.setChecked(
            bool(config.extra.get("notes_while_recording", True))
        )
        self.while_recording.toggled.connect(self.notes_while_recording.setEnabled)
        self.notes_while_recording.setEnabled(self.while_recording.isChecked())
        self.folder = QLineEdit(config.sessions_folder or "")
        self.folder.setPlaceholderText(str(config.sessions_root()))
        browse_folder = QPushButton(self.tr("Choose…"))
        browse_folder.clicked.connect(self._browse_folder)
        self.hints = QCheckBox(self.tr("Pass glossary terms to Whisper as hints"))
        self.hints.setChecked(config.glossary_hints)
        self.guided = QCheckBox(self.tr("Check glossary terms in the audio (guided re-decoding)"))
        self.guided.setToolTip(
            self.tr("Where a glossary term may have been said, decode those seconds again with "
                    "the term as a hint, and keep the change only when the audio confirms it.")
        )  # fmt: skip
        self.guided.setChecked(config.guided_decoding)
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

        general = QWidget()
        form = QFormLayout(general)
        form.addRow(self.tr("Speech model"), form_row(self.model, browse_model))
        form.addRow(self.tr("Meeting language"), self.language)
        form.addRow(self.tr("Input device"), self.device)
        form.addRow("", self.no_mic)
        form.addRow("", self.record_system)
        form.addRow("", self.while_recording)
        form.addRow("", self.notes_while_recording)
        form.addRow(self.tr("Meetings folder"), form_row(self.folder, browse_folder))
        form.addRow("", self.hints)
        form.addRow("", self.guided)
        form.addRow(self.tr("Speakers"), self.diarize)
        form.addRow(self.tr("Number of speakers"), self.speakers)
        form.addRow(self.tr("App language"), self.ui_language)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, self.tr("General"))
        self.asr = AsrSettingsTab(AsrSettings.from_config(config))
        self.tabs.addTab(self.asr, self.tr("Transcription"))
        self.ai_tab = self._ai_tab(LlmSettings.from_config(config))
        self.tabs.addTab(self.ai_tab, self.tr("AI"))
        self.problem = QLabel()
        self.problem.setStyleSheet("color:#b91c1c;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    # -- AI ---------------------------------------------------------------
    def _ai_tab(self, llm: LlmSettings) -> QWidget:
        self.llm = llm
        self.llm_engine = QComboBox()
        self.llm_engine.addItem(self.tr("Embedded 1.5B (default)"), "1.5b")
        self.llm_engine.addItem(self.tr("Embedded 0.5B (light, faster, weaker)"), "0.5b")
        self.llm_engine.addItem(self.tr("GGUF model file…"), "gguf")
        self.llm_engine.addItem(self.tr("OpenAI-compatible endpoint"), "endpoint")
        self.llm_engine.addItem(
            self.tr("Hugging Face model (transformers; uses a GPU if present)"), "transformers"
        )
        local = EMBEDDED.get(llm.local_model.lower()) or llm.local_model
        names = {v: k for k, v in EMBEDDED.items()}
        if llm.order and llm.order[0] in ("endpoint", "transformers"):
            kind = llm.order[0]
        elif local in names or llm.local_model.lower() in ("default", "light"):
            kind = names.get(local, "0.5b" if llm.local_model.lower() == "light" else "1.5b")
        else:
            kind = "gguf"
        self._select(self.llm_engine, kind)
        self.gguf = QLineEdit("" if local in names else llm.local_model)
        self.gguf.setPlaceholderText(self.tr("Path of a .gguf model file"))
        self.browse_gguf = QPushButton(self.tr("Choose…"))
        self.browse_gguf.clicked.connect(self._browse_gguf)
        self.hf_model = QLineEdit(llm.transformers_model)
        self.hf_model.setPlaceholderText(self.tr("Folder of a Hugging Face model, or a .gguf file"))
        self.browse_hf = QPushButton(self.tr("Choose…"))
        self.browse_hf.clicked.connect(self._browse_hf)
        self.hf_device = QComboBox()
        self.hf_device.addItem(self.tr("Automatic (a GPU if torch sees one)"), "auto")
        self.hf_device.addItem(self.tr("CPU"), "cpu")
        self.hf_device.addItem(self.tr("NVIDIA GPU (CUDA)"), "cuda")
        self.hf_device.addItem(self.tr("Apple GPU (MPS)"), "mps")
        if self.hf_device.findData(llm.transformers_device) < 0:  # e.g. cuda:1 from the CLI
            self.hf_device.addItem(llm.transformers_device, llm.transformers_device)
        self._select(self.hf_device, llm.transformers_device)
        self.base_url = QLineEdit(llm.endpoint.base_url)
        self.base_url.setPlaceholderText("http://127.0.0.1:11434/v1")
        self.base_url.textChanged.connect(self._show_remote_warning)
        self.endpoint_model = QLineEdit(llm.endpoint.model)
        self.endpoint_model.setPlaceholderText("qwen2.5:7b-instruct")
        self.key = ApiKeyField(LLM_KEYS, lambda: self.base_url.text().strip(), self)
        self.api_key = self.key.edit  # the names the tests and the form use
        self.forget_key = self.key.forget
        self.key_status = self.key.status
        self.fallback = QCheckBox(self.tr("If this engine cannot start, use the other one"))
        self.fallback.setToolTip(
            self.tr("The embedded model when the endpoint or the Hugging Face model cannot be "
                    "used, or the endpoint when the embedded model cannot load.")
        )  # fmt: skip
        self.fallback.setChecked(len(llm.order) > 1 and llm.order[1] != "transformers")
        self.allow_remote = QCheckBox(
            self.tr("Allow an endpoint on another computer (the meeting's text is sent there)")
        )
        self.allow_remote.setChecked(llm.allow_remote)
        self.remote_warning = QLabel()
        self.remote_warning.setWordWrap(True)
        self.remote_warning.setStyleSheet("color:#92400e;")
        privacy = QLabel(
            self.tr("Local first: the embedded model runs on this computer. Text leaves it only "
                    "when an endpoint is chosen (or is the fallback), and an endpoint on another "
                    "computer also needs the permission above.")
        )  # fmt: skip
        privacy.setWordWrap(True)
        privacy.setStyleSheet("color:#555555;")
        from minutes.llm.templates import user_dir

        self.templates_hint = QLabel(
            self.tr("Minutes › Edit template… copies a template into {folder}; files there "
                    "override the shipped ones, and new files add templates.")
            .format(folder=user_dir())
        )  # fmt: skip
        self.templates_hint.setWordWrap(True)
        open_templates = QPushButton(self.tr("Open folder"))
        open_templates.clicked.connect(self._open_templates)

        tab = QWidget()
        form = QFormLayout(tab)
        form.addRow(self.tr("Language model"), self.llm_engine)
        form.addRow(self.tr("GGUF file"), form_row(self.gguf, self.browse_gguf))
        form.addRow(self.tr("Hugging Face model"), form_row(self.hf_model, self.browse_hf))
        form.addRow(self.tr("Runs on"), self.hf_device)
        form.addRow(self.tr("Endpoint URL"), self.base_url)
        form.addRow(self.tr("Endpoint model"), self.endpoint_model)
        form.addRow(self.tr("API key"), form_row(self.api_key, self.forget_key))
        form.addRow("", self.key_status)
        form.addRow("", self.fallback)
        form.addRow("", self.allow_remote)
        form.addRow("", self.remote_warning)
        form.addRow("", privacy)
        form.addRow(self.tr("Templates"), form_row(self.templates_hint, open_templates))
        self.llm_engine.currentIndexChanged.connect(self._engine_changed)
        self.fallback.toggled.connect(self._engine_changed)
        self._engine_changed()
        self.base_url.editingFinished.connect(self.key.refresh)
        self._show_remote_warning()
        return tab

    def _engine_changed(self) -> None:
        kind = self.llm_engine.currentData()
        self.gguf.setEnabled(kind == "gguf")
        self.browse_gguf.setEnabled(kind == "gguf")
        for widget in (self.hf_model, self.browse_hf, self.hf_device):
            widget.setEnabled(kind == "transformers")
        # The endpoint's fields matter only when it is used: chosen, or as the fallback of
        # a model on this computer (the fallback of a Hugging Face model is the embedded one).
        # "Forget key" follows whether a key is stored, whatever is chosen (`ApiKeyField`).
        endpoint = kind == "endpoint" or (kind != "transformers" and self.fallback.isChecked())
        for field in (self.base_url, self.endpoint_model, self.api_key, self.allow_remote):
            field.setEnabled(endpoint)

    def _browse_hf(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Hugging Face model folder"), self.hf_model.text()
        )
        if folder:
            self.hf_model.setText(folder)

    def _browse_gguf(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("GGUF model file"), self.gguf.text(), self.tr("GGUF models (*.gguf)")
        )
        if name:
            self.gguf.setText(name)

    def _show_remote_warning(self) -> None:
        url = self.base_url.text().strip()
        remote = bool(url) and not is_loopback_url(url)
        self.remote_warning.setText(
            self.tr("This endpoint is on another computer.") if remote else ""
        )

    def _open_templates(self) -> None:
        from minutes.llm.templates import user_dir

        folder = user_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def result_llm(self) -> LlmSettings:
        """The edited LLM settings (no secrets in them)."""
        llm = copy.deepcopy(self.llm)
        kind = self.llm_engine.currentData()
        if kind in EMBEDDED:
            llm.local_model = EMBEDDED[kind]
        elif kind == "gguf" and self.gguf.text().strip():
            llm.local_model = str(Path(self.gguf.text().strip()).expanduser())
        if kind == "transformers":
            llm.transformers_model = str(Path(self.hf_model.text().strip()).expanduser())
            llm.transformers_device = str(self.hf_device.currentData())
        primary = kind if kind in ("endpoint", "transformers") else "local"
        order = [primary]
        if self.fallback.isChecked():
            order.append("endpoint" if primary == "local" else "local")
        # A transformers fallback set on the command line stays behind the others
        # (once: it may now be the engine chosen here).
        keep = "transformers" in self.llm.order[1:] and "transformers" not in order
        llm.order = order + ["transformers"] * keep
        llm.endpoint.base_url = self.base_url.text().strip()
        llm.endpoint.model = self.endpoint_model.text().strip()
        llm.allow_remote = self.allow_remote.isChecked()
        return llm

    def _check(self) -> str | None:
        """What stops the settings from being saved, if anything (the API key is stored here)."""
        kind = self.llm_engine.currentData()
        if kind == "gguf" and not Path(self.gguf.text().strip()).expanduser().is_file():
            return self.tr("Choose an existing .gguf model file.")
        if kind == "transformers":
            hf = self.hf_model.text().strip()
            if not hf or not Path(hf).expanduser().exists():
                return self.tr("Choose the folder of a Hugging Face model (or a .gguf file).")
            if any(importlib.util.find_spec(m) is None for m in ("torch", "transformers")):
                return self.tr("The transformers engine is not installed: install torch, then "
                               "pip install 'minutes[transformers]' (see the README).")  # fmt: skip
        url = self.base_url.text().strip()
        if kind == "endpoint" and not url:
            return self.tr("Type the endpoint's base URL (for example http://127.0.0.1:11434/v1).")
        return self.key.store_typed()

    def accept(self) -> None:
        for tab, check in ((self.asr, self.asr.check), (self.ai_tab, self._check)):
            problem = check()
            if problem:
                self.problem.setText(problem)
                self.problem.show()
                self.tabs.setCurrentWidget(tab)
                return
        super().accept()

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
        extra["record_system"] = self.record_system.isChecked()
        extra["transcribe_while_recording"] = self.while_recording.isChecked()
        extra["notes_while_recording"] = self.notes_while_recording.isChecked()
        extra["ui_language"] = self.ui_language.currentData()
        extra["llm"] = self.result_llm().to_dict()
        extra["asr"] = self.asr.result().to_dict()
        folder = self.folder.text().strip()
        return replace(
            self.config, model=str(model), language=str(self.language.currentData()),
            glossary_hints=self.hints.isChecked(), guided_decoding=self.guided.isChecked(),
            diarize=self.diarize.isChecked(),
            speakers=self.speakers.currentData(),
            sessions_folder=str(Path(folder).expanduser()) if folder else None, extra=extra,
        )  # fmt: skip

