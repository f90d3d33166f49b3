"""The glossary as an editable table: Term, Variants, Category, Note."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from glossary.errors import GlossaryError
from glossary.terms import VARIANT_SEPARATOR, Glossary, Term

Index = QModelIndex | QPersistentModelIndex
SEPARATOR = f" {VARIANT_SEPARATOR} "


class Role(IntEnum):
    Term = Qt.ItemDataRole.UserRole + 1
    Canonical = Qt.ItemDataRole.UserRole + 2


class GlossaryModel(QAbstractTableModel):
    """Edits make a new immutable `Glossary`; `glossaryChanged` carries it."""

    HEADERS = ("Term", "Variants", "Category", "Note")
    glossaryChanged = Signal(object)  # Glossary
    editFailed = Signal(str)

    def __init__(self, glossary: Glossary | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.glossary = glossary or Glossary()

    def set_glossary(self, glossary: Glossary, *, notify: bool = False) -> None:
        self.beginResetModel()
        self.glossary = glossary
        self.endResetModel()
        if notify:
            self.glossaryChanged.emit(glossary)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.glossary)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        term = self.glossary.terms[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (term.canonical, SEPARATOR.join(term.variants), term.category, term.note)
            return values[index.column()]
        if role == Role.Term:
            return term
        if role == Role.Canonical:
            return term.canonical
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        old = self.glossary.terms[index.row()]
        text = str(value)
        try:
            if index.column() == 0:
                if any(t.key == Term(text).key for t in self.glossary if t is not old):
                    raise GlossaryError(f"“{text.strip()}” is already in the glossary")
                new = replace(old, canonical=text)
            elif index.column() == 1:
                new = replace(old, variants=tuple(v for v in text.split(VARIANT_SEPARATOR)))
            elif index.column() == 2:
                new = replace(old, category=text)
            else:
                new = replace(old, note=text)
        except GlossaryError as exc:
            self.editFailed.emit(str(exc))
            return False
        terms = list(self.glossary.terms)
        terms[index.row()] = new
        self.glossary = Glossary(tuple(terms))
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 3))
        self.glossaryChanged.emit(self.glossary)
        return True

    def add(self, canonical: str, variants: tuple[str, ...] = (), category: str = "") -> int:
        """Add a term (or merge into the existing one); return its row."""
        try:
            updated = self.glossary.with_term(Term(canonical, variants, category=category))
        except GlossaryError as exc:
            self.editFailed.emit(str(exc))
            return -1
        self.set_glossary(updated, notify=True)
        key = Term(canonical).key
        return next(i for i, t in enumerate(updated.terms) if t.key == key)

    def remove_rows(self, rows: list[int]) -> None:
        keys = {self.glossary.terms[r].key for r in rows}
        self.set_glossary(Glossary(tuple(t for t in self.glossary if t.key not in keys)),
                          notify=True)  # fmt: skip


class GlossaryFilter(QSortFilterProxyModel):
    """Search over every column; case-insensitive; sortable."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
