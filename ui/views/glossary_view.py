"""Glossary editor: table of terms; add, edit, delete, sort, search; CSV/JSON import/export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from glossary.errors import GlossaryError
from glossary.io import load_glossary, save_glossary
from glossary.terms import Glossary
from ui import dialogs
from ui.models.glossary_table import GlossaryFilter, GlossaryModel
from ui.pending_saves import PendingSaves
from ui.workers import Engine


class GlossaryView(QWidget):
    """Every change is saved to the user's glossary at once and announced."""

    glossaryChanged = Signal(object)  # Glossary, saved
    errorOccurred = Signal(str)

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.model = GlossaryModel(parent=self)
        self.proxy = GlossaryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.model.glossaryChanged.connect(self._save)
        self.model.editFailed.connect(self._fail)
        self.saves = PendingSaves(self)  # a failed save (disk full) is kept and retried
        self.saves.failed.connect(self._fail)
        self.saves.saved.connect(lambda _kind: self.glossaryChanged.emit(self.model.glossary))

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search terms, variants, notes…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.new_term = QLineEdit()
        self.new_term.setPlaceholderText(self.tr("New term, e.g. Kubernetes"))
        self.new_term.returnPressed.connect(self.add_term)
        add = QPushButton(self.tr("Add"))
        add.clicked.connect(self.add_term)
        delete = QPushButton(self.tr("Delete"))
        delete.clicked.connect(self.delete_selected)
        imp = QPushButton(self.tr("Import CSV/JSON…"))
        imp.clicked.connect(self._import_dialog)
        exp = QPushButton(self.tr("Export…"))
        exp.clicked.connect(self._export_dialog)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.count = QLabel()
        hint = QLabel(self.tr("Double-click a cell to edit. Separate variants with |."))
        hint.setObjectName("hint")

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.new_term, 2)
        for button in (add, delete, imp, exp):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.count)
        layout.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        try:
            glossary = self.engine.glossary()
        except GlossaryError as exc:
            self._fail(self.tr("Your glossary file cannot be read: {e}").format(e=exc))
            glossary = Glossary()
        self.model.set_glossary(glossary)
        self._count()

    def _count(self) -> None:
        self.count.setText(self.tr("{n} terms").format(n=len(self.model.glossary)))

    def _save(self, glossary: Glossary) -> None:
        if not self.saves.run(
            "glossary",
            lambda: self.engine.glossary_store.save(glossary),
            lambda e: self.tr("Cannot save the glossary: {e}. Your changes stay in the table "
                              "and are saved as soon as that works again.").format(e=e),
        ):  # fmt: skip
            return
        self._count()
        self.glossaryChanged.emit(glossary)

    def _fail(self, message: str) -> None:
        self.errorOccurred.emit(message)

    def add_term(self) -> None:
        text = self.new_term.text().strip()
        if not text:
            return
        row = self.model.add(text)
        if row >= 0:
            self.new_term.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 1))
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def delete_selected(self) -> None:
        rows = sorted({self.proxy.mapToSource(i).row()
                       for i in self.table.selectionModel().selectedRows()})  # fmt: skip
        if not rows:
            return
        names = ", ".join(self.model.glossary.terms[r].canonical for r in rows[:5])
        if dialogs.ask(self, self.tr("Delete terms"),
                       self.tr("Delete {n} term(s): {names}?").format(n=len(rows), names=names)):
            self.model.remove_rows(rows)  # fmt: skip

    def import_file(self, path: Path) -> bool:
        """Merge a CSV (UTF-8, BOM or CP949) or JSON file into the glossary."""
        try:
            incoming = load_glossary(path)
        except GlossaryError as exc:
            self._fail(self.tr("Cannot import {file}: {e}").format(file=path.name, e=exc))
            return False
        self.model.set_glossary(self.model.glossary.merge(incoming), notify=True)
        return True

    def export_file(self, path: Path) -> bool:
        try:
            save_glossary(self.model.glossary, path)
        except GlossaryError as exc:
            self._fail(self.tr("Cannot export: {e}").format(e=exc))
            return False
        return True

    def _import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import glossary"), "", self.tr("Glossary (*.csv *.tsv *.txt *.json)")
        )
        if name:
            self.import_file(Path(name))

    def _export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export glossary"), "glossary.csv", self.tr("CSV (*.csv);;JSON (*.json)")
        )
        if name:
            self.export_file(Path(name))
