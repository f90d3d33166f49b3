"""Export the reviewed transcript in the core's formats; offer to open the folder."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from minutes.export import FORMATS, ExportError
from minutes.types import Document
from ui.workers import JobRunner, export_job

DEFAULT_FORMATS = ("txt", "md", "docx")


def safe_stem(title: str) -> str:
    stem = re.sub(r"[\\/:*?\"<>|\0]+", "-", title).strip(" .-")
    return stem[:80] or "meeting"


class ExportDialog(QDialog):
    def __init__(self, document: Document, runner: JobRunner, out_dir: Path,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.document = document
        self.runner = runner
        self.written: list[Path] = []
        self.checks = {f: QCheckBox(f.upper()) for f in FORMATS}
        for fmt, box in self.checks.items():
            box.setChecked(fmt in DEFAULT_FORMATS)
        self.folder = QLineEdit(str(out_dir))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        self.stem = QLineEdit(safe_stem(document.title))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton(self.tr("Open folder"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)

        formats = QHBoxLayout()
        for box in self.checks.values():
            formats.addWidget(box)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.export_button, self.open_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Formats")))
        layout.addLayout(formats)
        layout.addWidget(QLabel(self.tr("Folder")))
        layout.addLayout(folder)
        layout.addWidget(QLabel(self.tr("File name")))
        layout.addWidget(self.stem)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def formats(self) -> list[str]:
        return [f for f, box in self.checks.items() if box.isChecked()]

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Export folder"), self.folder.text())
        if name:
            self.folder.setText(name)

    def export(self) -> None:
        job = export_job(self.document, Path(self.folder.text()).expanduser(),
                         self.stem.text().strip(), self.formats())  # fmt: skip
        job.signals.succeeded.connect(self._done)
        job.signals.failed.connect(self._failed)
        try:
            self.runner.start(job)
        except ExportError as exc:
            self._failed(str(exc))
            return
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))

    def _done(self, paths: list[Path]) -> None:
        self.written = list(paths)
        self.export_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Wrote {n} file(s) to {folder}").format(
            n=len(paths), folder=self.folder.text()))  # fmt: skip

    def _failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setStyleSheet("color:#b91c1c;")
        self.status.setText(message)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))
