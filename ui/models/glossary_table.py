"""The glossary as an editable table: Term, Variants, Category, Note."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
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


class GlossaryFilter(QAbstractProxyModel):
    """Search over every column (case-insensitive) and sort, for a `GlossaryModel`.

    Done in Python over plain strings: QSortFilterProxyModel calls the model's Python
    `data()` for every comparison, which took 8 s to show a 20,000-term glossary and
    2-10 s per search keystroke. Here a search or a sort is one pass over cached
    strings (tens of ms); an edit repaints its row and keeps it in place until the
    next search or sort.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._rows: list[int] = []  # proxy row -> source row
        self._pos: dict[int, int] = {}  # source row -> proxy row
        self._text: dict[int, str] = {}  # source row -> casefolded cells, for search

    # -- source ---------------------------------------------------------
    def setSourceModel(self, model: Any) -> None:
        old = self.sourceModel()
        if old is not None:
            old.modelReset.disconnect(self._source_reset)
            old.dataChanged.disconnect(self._source_changed)
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_changed)
        self._rebuild()
        self.endResetModel()

    def _source(self) -> GlossaryModel:
        model = self.sourceModel()
        assert isinstance(model, GlossaryModel)
        return model

    def _source_reset(self) -> None:
        self.beginResetModel()
        self._text.clear()
        self._rebuild()
        self.endResetModel()

    def _source_changed(self, top: QModelIndex, bottom: QModelIndex, roles: Any = ()) -> None:
        for row in range(top.row(), bottom.row() + 1):
            self._text.pop(row, None)
            pos = self._pos.get(row)
            if pos is not None:
                self.dataChanged.emit(self.index(pos, 0), self.index(pos, self.columnCount() - 1))

    def _cells(self, row: int) -> tuple[str, str, str, str]:
        t = self._source().glossary.terms[row]
        return t.canonical, SEPARATOR.join(t.variants), t.category, t.note

    def _search_text(self, row: int) -> str:
        text = self._text.get(row)
        if text is None:
            text = self._text[row] = "\x1f".join(self._cells(row)).casefold()
        return text

    def _rebuild(self) -> None:
        model = self.sourceModel()
        n = model.rowCount() if model is not None else 0
        rows = list(range(n))
        if self._needle:
            rows = [r for r in rows if self._needle in self._search_text(r)]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(key=lambda r: self._cells(r)[column].casefold(),
                      reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        self._rows = rows
        self._pos = {r: i for i, r in enumerate(rows)}

    # -- what the view asks ------------------------------------------------
    def setFilterFixedString(self, text: str) -> None:
        needle = text.casefold()
        if needle != self._needle:
            self._needle = needle
            self._source_reset_keep_cache()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:
            self._sort = None
        else:
            self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._rebuild()
        # Keep selections and the current cell on the same terms.
        for index in self.persistentIndexList():
            if index.isValid() and index.row() < len(old):
                src = old[index.row()]
                new_row = self._pos.get(src, -1)
                self.changePersistentIndex(
                    index, self.index(new_row, index.column()) if new_row >= 0 else QModelIndex()
                )
        self.layoutChanged.emit()

    def _source_reset_keep_cache(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def mapToSource(self, proxy: Index) -> QModelIndex:
        if not proxy.isValid() or not 0 <= proxy.row() < len(self._rows):
            return QModelIndex()
        return self._source().index(self._rows[proxy.row()], proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:
        if not source.isValid():
            return QModelIndex()
        pos = self._pos.get(source.row())
        return QModelIndex() if pos is None else self.index(pos, source.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._rows) or not 0 <= column < 4:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(GlossaryModel.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._source().data(self.mapToSource(index), role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return self._source().setData(self.mapToSource(index), value, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._source().flags(self.mapToSource(index))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._source().headerData(section, orientation, role)
        return None
