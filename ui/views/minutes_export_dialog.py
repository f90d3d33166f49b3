"""Export minutes: DOCX, a Markdown checklist, action items as CSV and iCalendar."""

from __future__ import annotations

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

from minutes.export import ExportError
from minutes.meeting import Minutes
from minutes.types import Document
from ui.views.export_dialog import safe_stem
from ui.workers import JobRunner, minutes_export_job


class MinutesExportDialog(QDialog):
    def __init__(self, minutes: Minutes, document: Document | None, runner: JobRunner,
                 out_dir: Path, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export minutes"))
        self.minutes = minutes
        self.document = document
        self.runner = runner
        self.written: list[Path] = []
        labels = {
            "docx": self.tr("Minutes (DOCX)"),
            "md": self.tr("Markdown with a checklist"),
            "csv": self.tr("Action items (CSV)"),
            "ics": self.tr("Action items (iCalendar tasks)"),
        }
        self.checks = {fmt: QCheckBox(label) for fmt, label in labels.items()}
        for box in self.checks.values():
            box.setChecked(True)
        self.appendix = QCheckBox(self.tr("Append the transcript to the DOCX"))
        self.appendix.setChecked(document is not None)
        self.appendix.setEnabled(document is not None)
        self.checks["docx"].toggled.connect(
            lambda on: self.appendix.setEnabled(on and document is not None)
        )
        self.folder = QLineEdit(str(out_dir))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        self.stem = QLineEdit(safe_stem(minutes.title))
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

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Formats")))
        for box in self.checks.values():
            layout.addWidget(box)
        layout.addWidget(self.appendix)
        layout.addWidget(QLabel(self.tr("Folder")))
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse)
        layout.addLayout(folder)
        layout.addWidget(QLabel(self.tr("File name")))
        layout.addWidget(self.stem)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.export_button, self.open_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    def formats(self) -> list[str]:
        return [f for f, box in self.checks.items() if box.isChecked()]

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Export folder"), self.folder.text())
        if name:
            self.folder.setText(name)

    def export(self) -> None:
        appendix = self.document if self.appendix.isChecked() else None
        job = minutes_export_job(self.minutes, Path(self.folder.text()).expanduser(),
                                 self.stem.text().strip(), self.formats(), appendix)  # fmt: skip
        job.signals.succeeded.connect(self._done)
        job.signals.failed.connect(self._failed)
        try:
            self.runner.start(job)
        except ExportError as exc:
            self._failed(str(exc))
            return
        self.export_button.setEnabled(False)
        self.status.setStyleSheet("")
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
