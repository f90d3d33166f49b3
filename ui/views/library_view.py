"""The meeting library: list, search, open, rename, delete, import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from minutes.session import Session
from ui import dialogs
from ui.models.library import LibraryFilter, LibraryModel, Role


class LibraryView(QWidget):
    openRequested = Signal(object)  # Session
    importRequested = Signal()

    def __init__(self, root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LibraryModel(root, self)
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search titles and transcripts…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_query)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search, 1)
        for label, slot in (
            (self.tr("Open"), self.open_selected),
            (self.tr("Rename"), self.rename_selected),
            (self.tr("Delete"), self.delete_selected),
            (self.tr("Import recording…"), self.importRequested.emit),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(self._open_index)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def reload(self, root: Path | None = None) -> None:
        self.model.reload(root)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.mapToSource(rows[0]).row() if rows else -1

    def select_folder(self, folder: Path) -> None:
        row = self.model.row_of(folder)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def _open_index(self, index: QModelIndex) -> None:
        session = index.data(Role.Session)
        if isinstance(session, Session):
            self.openRequested.emit(session)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row >= 0:
            self.openRequested.emit(self.model.entries[row].session)

    def rename_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.edit(rows[0])

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        title = self.model.entries[row].session.meta.title
        if dialogs.ask(self, self.tr("Delete meeting"),
                       self.tr("Delete “{title}” with its audio and transcript? "
                               "This cannot be undone.").format(title=title)):
            self.model.delete(row)  # fmt: skip
