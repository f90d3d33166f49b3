"""What both export dialogs share: formats, folder, file name, Export / Open folder / Close,
the export running as a background job with its outcome shown in the dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from minutes.export import ExportError, safe_stem
from ui.workers import Job, JobRunner


class ExportDialogBase(QDialog):
    """Texts are translated with the explicit context "ExportDialogBase": self.tr() in a base
    class looks them up under the subclass's name, where lupdate did not put them.

    Subclasses fill `checks` (format -> box), lay them out in `add_formats`, and build
    the export job in `job`."""

    def __init__(self, title: str, runner: JobRunner, out_dir: Path,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.runner = runner
        self.written: list[Path] = []
        self.checks: dict[str, QCheckBox] = {}
        self.folder = QLineEdit(str(out_dir))
        browse = QPushButton(QCoreApplication.translate("ExportDialogBase", "Choose…"))
        browse.clicked.connect(self._browse)
        self.stem = QLineEdit(safe_stem(title))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton(QCoreApplication.translate("ExportDialogBase", "Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton(
            QCoreApplication.translate("ExportDialogBase", "Open folder")
        )
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        close = QPushButton(QCoreApplication.translate("ExportDialogBase", "Close"))
        close.clicked.connect(self.accept)
        self._browse_button = browse
        self._close_button = close

    def build_layout(self) -> None:
        """Lay the dialog out; call at the end of the subclass's __init__."""
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(QCoreApplication.translate("ExportDialogBase", "Formats")))
        self.add_formats(layout)
        layout.addWidget(QLabel(QCoreApplication.translate("ExportDialogBase", "Folder")))
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(self._browse_button)
        layout.addLayout(folder)
        layout.addWidget(QLabel(QCoreApplication.translate("ExportDialogBase", "File name")))
        layout.addWidget(self.stem)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.export_button, self.open_button, self._close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    def add_formats(self, layout: QVBoxLayout) -> None:
        row: QLayout = QHBoxLayout()
        for box in self.checks.values():
            row.addWidget(box)
        layout.addLayout(row)

    def job(self, folder: Path, stem: str, formats: list[str]) -> Job:
        raise NotImplementedError

    def formats(self) -> list[str]:
        return [f for f, box in self.checks.items() if box.isChecked()]

    def _browse(self) -> None:
        title = QCoreApplication.translate("ExportDialogBase", "Export folder")
        name = QFileDialog.getExistingDirectory(self, title, self.folder.text())
        if name:
            self.folder.setText(name)

    def export(self) -> None:
        job = self.job(Path(self.folder.text()).expanduser(), self.stem.text().strip(),
                       self.formats())  # fmt: skip
        job.signals.succeeded.connect(self._done)
        job.signals.failed.connect(self._failed)
        try:
            self.runner.start(job)
        except ExportError as exc:
            self._failed(str(exc))
            return
        self.export_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(QCoreApplication.translate("ExportDialogBase", "Exporting…"))

    def _done(self, paths: list[Path]) -> None:
        self.written = list(paths)
        self.export_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.status.setStyleSheet("")
        wrote = QCoreApplication.translate("ExportDialogBase", "Wrote {n} file(s) to {folder}")
        self.status.setText(wrote.format(n=len(paths), folder=self.folder.text()))

    def _failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setStyleSheet("color:#b91c1c;")
        self.status.setText(message)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))
