"""The minutes as an editable form: action items table, and text <-> sections without Qt.

Sections are edited as plain text: decisions and open questions one per line
("- " optional), discussion as topic lines each followed by its "- " points.
When the text is read back, an item whose text is unchanged keeps the
transcript segments it came from (so its time link survives editing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from minutes.meeting import ActionItem, Note, Topic
from ui.models.library import format_duration

Index = QModelIndex | QPersistentModelIndex
BULLET = "- "


# -- text <-> sections ---------------------------------------------------------
def _strip_bullet(line: str) -> str:
    text = line.strip()
    for mark in ("- ", "* ", "• ", "· "):
        if text.startswith(mark):
            return text[len(mark) :].strip()
    return text


def notes_to_text(notes: Sequence[Note]) -> str:
    return "\n".join(BULLET + n.text for n in notes)


def text_to_notes(text: str, old: Sequence[Note] = ()) -> tuple[Note, ...]:
    """One note per non-empty line; unchanged notes keep their segment ids."""
    ids = {n.text: n.segment_ids for n in old}
    out = []
    for line in text.splitlines():
        body = _strip_bullet(line)
        if body:
            out.append(Note(body, ids.get(body, ())))
    return tuple(out)


def topics_to_text(topics: Sequence[Topic]) -> str:
    blocks = []
    for t in topics:
        blocks.append("\n".join([t.title, *(BULLET + p for p in t.points)]))
    return "\n\n".join(blocks)


def text_to_topics(text: str, old: Sequence[Topic] = ()) -> tuple[Topic, ...]:
    """A line without a bullet starts a topic; bulleted lines are its points."""
    ids = {t.title: t.segment_ids for t in old}
    out: list[Topic] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        is_point = line.lstrip()[:2] in ("- ", "* ", "• ", "· ")
        body = _strip_bullet(line)
        if is_point and out:
            last = out[-1]
            out[-1] = replace(last, points=(*last.points, body))
        elif is_point:  # points before any title: a topic without a title of its own
            out.append(Topic(body))
        else:
            out.append(Topic(body, (), ids.get(body, ())))
    return tuple(out)


def attendees_to_text(attendees: Sequence[str]) -> str:
    return ", ".join(attendees)


def text_to_attendees(text: str) -> tuple[str, ...]:
    names = (" ".join(n.split()) for n in text.replace("\n", ",").split(","))
    return tuple(dict.fromkeys(n for n in names if n))


# -- action items -------------------------------------------------------------
class Col(IntEnum):
    Done = 0
    Task = 1
    Owner = 2
    Due = 3
    Time = 4


class ActionItemsModel(QAbstractTableModel):
    """Action items: done (a checkbox), task, owner, due as stated, and the time it was said.

    Every change emits `edited`; the time column links to the transcript
    (`segment_id`) and is not editable.
    """

    HEADERS = ("Done", "Task", "Owner", "Due", "Time")
    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[ActionItem] = []
        self.starts: dict[int, float] = {}  # segment id -> start (s)
        self.read_only = False  # minutes shown while still being written

    def load(self, items: Sequence[ActionItem], starts: Mapping[int, float]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.starts = dict(starts)
        self.endResetModel()

    def item(self, row: int) -> ActionItem:
        return self.items[row]

    def time_of(self, row: int) -> float | None:
        times = [self.starts[i] for i in self.items[row].segment_ids if i in self.starts]
        return min(times) if times else None

    def segment_id(self, row: int) -> int | None:
        """The earliest segment (with a known time) the item came from."""
        item = self.items[row]
        known = [i for i in item.segment_ids if i in self.starts]
        if not known:
            return item.segment_ids[0] if item.segment_ids else None
        return min(known, key=lambda i: self.starts[i])

    def add(self, text: str = "") -> int:
        row = len(self.items)
        self.beginInsertRows(QModelIndex(), row, row)
        self.items.append(ActionItem(text))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.items):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.items[row]
                self.endRemoveRows()
        self.edited.emit()

    # -- Qt model ---------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.read_only:
            return base
        if index.column() == Col.Done:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == Col.Time:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        col = index.column()
        if col == Col.Done:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == Col.Task:
                return item.text
            if col == Col.Owner:
                return item.owner or ""
            if col == Col.Due:
                return item.due or ""
            if col == Col.Time and role == Qt.ItemDataRole.DisplayRole:
                t = self.time_of(index.row())
                return format_duration(t) if t is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == Col.Time and self.time_of(index.row()):
            return self.tr("Double-click to show this moment in Review")
        if role == Qt.ItemDataRole.ForegroundRole and col == Col.Time:
            return QColor("#1d4ed8")
        if role == Qt.ItemDataRole.FontRole and col == Col.Task and item.done:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.read_only:
            return False
        row, col = index.row(), index.column()
        item = self.items[row]
        if col == Col.Done and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            new = replace(item, done=bool(checked))
        elif role == Qt.ItemDataRole.EditRole and col in (Col.Task, Col.Owner, Col.Due):
            text = " ".join(str(value).split())
            if col == Col.Task:
                if not text:
                    return False  # a task needs words; remove the row instead
                new = replace(item, text=text)
            elif col == Col.Owner:
                new = replace(item, owner=text or None)
            else:
                new = replace(item, due=text or None)
        else:
            return False
        if new == item:
            return False
        self.items[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.edited.emit()
        return True
