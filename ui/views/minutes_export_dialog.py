"""Export minutes: DOCX, a Markdown checklist, action items as CSV and iCalendar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from minutes.meeting import Minutes
from minutes.types import Document
from ui.views.export_base import ExportDialogBase
from ui.workers import Job, JobRunner, minutes_export_job


class MinutesExportDialog(ExportDialogBase):
    def __init__(self, minutes: Minutes, document: Document | None, runner: JobRunner,
                 out_dir: Path, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(minutes.title, runner, out_dir, parent)
        self.setWindowTitle(self.tr("Export minutes"))
        self.minutes = minutes
        self.document = document
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
        self.build_layout()

    def add_formats(self, layout: QVBoxLayout) -> None:
        for box in self.checks.values():  # one a line: the labels are long
            layout.addWidget(box)
        layout.addWidget(self.appendix)

    def job(self, folder: Path, stem: str, formats: list[str]) -> Job:
        appendix = self.document if self.appendix.isChecked() else None
        return minutes_export_job(self.minutes, folder, stem, formats, appendix)
