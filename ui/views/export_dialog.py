"""Export the reviewed transcript in the core's formats; offer to open the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QWidget

from minutes.export import FORMATS
from minutes.types import Document
from ui.views.export_base import ExportDialogBase
from ui.workers import Job, JobRunner, export_job

DEFAULT_FORMATS = ("txt", "md", "docx")

__all__ = ["DEFAULT_FORMATS", "ExportDialog"]


class ExportDialog(ExportDialogBase):
    def __init__(self, document: Document, runner: JobRunner, out_dir: Path,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(document.title, runner, out_dir, parent)
        self.setWindowTitle(self.tr("Export"))
        self.document = document
        self.checks = {f: QCheckBox(f.upper()) for f in FORMATS}
        for fmt, box in self.checks.items():
            box.setChecked(fmt in DEFAULT_FORMATS)
        self.build_layout()

    def job(self, folder: Path, stem: str, formats: list[str]) -> Job:
        return export_job(self.document, folder, stem, formats)
