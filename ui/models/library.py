"""The meeting library: every session with title, date, duration, language; full-text search."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from minutes.session import Session, SessionError, list_sessions
from minutes.types import apply_corrections

logger = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    Session = Qt.ItemDataRole.UserRole + 1
    Folder = Qt.ItemDataRole.UserRole + 2
    SearchText = Qt.ItemDataRole.UserRole + 3
    SortKey = Qt.ItemDataRole.UserRole + 4


@dataclass
class Entry:
    session: Session
    text: str  # reviewed transcript text, for search
    _folded: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def search_text(self) -> str:
        """Title and text, casefolded once per title (a 3-hour transcript is ~200 KB)."""
        title = self.session.meta.title
        if self._folded is None or self._folded[0] != title:
            self._folded = (title, f"{title}\n{self.text}".casefold())
        return self._folded[1]


# folder -> (stamp of its transcript files, reviewed text)
TextCache = dict[Path, tuple[tuple[int, ...], str]]


def _stamp(folder: Path) -> tuple[int, ...]:
    out: list[int] = []
    for name in ("asr.json", "corrections.json", "diarization.json"):
        try:
            st = (folder / name).stat()
            out += [st.st_mtime_ns, st.st_size]
        except OSError:
            out += [0, 0]
    return tuple(out)


def load_entries(root: Path, cache: TextCache | None = None) -> list[Entry]:
    """All sessions with their reviewed text (plain Python; may run on any thread).

    With `cache`, a session whose transcript files did not change since the last
    call is not read again (the library reloads after every import and rename)."""
    out: list[Entry] = []
    for session in list_sessions(root):
        stamp = _stamp(session.folder)
        hit = cache.get(session.folder) if cache is not None else None
        if hit is not None and hit[0] == stamp:
            out.append(Entry(session, hit[1]))
            continue
        text = ""
        try:
            transcript = session.load_transcript()
            if transcript is not None:
                texts = apply_corrections(transcript, session.load_corrections())
                text = "\n".join(texts.values())
        except (SessionError, OSError, KeyError, ValueError) as exc:
            logger.warning("cannot read the transcript of %s: %s", session.folder.name, exc)
        if cache is not None:
            cache[session.folder] = (stamp, text)
        out.append(Entry(session, text))
    return out


def format_duration(seconds: float) -> str:
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def format_created(created: str) -> str:
    try:
        return datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created


class LibraryModel(QAbstractTableModel):
    """Sessions as rows: Title (editable = rename), Date, Duration, Language."""

    HEADERS = ("Title", "Date", "Duration", "Language")

    def __init__(self, root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.entries: list[Entry] = []
        self._texts: TextCache = {}

    def reload(self, root: Path | None = None) -> None:
        self.beginResetModel()
        self.root = root or self.root
        self.entries = load_entries(self.root, self._texts)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        meta = entry.session.meta
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (
                meta.title, format_created(meta.created), format_duration(meta.duration),
                meta.language or "—",
            )[col]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(entry.session.folder)
        if role == Role.Session:
            return entry.session
        if role == Role.Folder:
            return str(entry.session.folder)
        if role == Role.SearchText:
            return entry.search_text
        if role == Role.SortKey:
            return (meta.title.casefold(), meta.created, meta.duration, meta.language or "")[col]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return False
        return self.rename(index.row(), str(value))

    def rename(self, row: int, title: str) -> bool:
        title = " ".join(title.split())
        if not title:
            return False
        session = self.entries[row].session
        session.update_meta(lambda m: setattr(m, "title", title))
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    def delete(self, row: int) -> None:
        """Remove the session folder (audio, transcript, corrections)."""
        session = self.entries[row].session
        self.beginRemoveRows(QModelIndex(), row, row)
        shutil.rmtree(session.folder, ignore_errors=True)
        del self.entries[row]
        self.endRemoveRows()

    def row_of(self, folder: Path) -> int:
        for i, entry in enumerate(self.entries):
            if entry.session.folder == folder:
                return i
        return -1


class LibraryFilter(QSortFilterProxyModel):
    """Full-text search over titles and transcripts; sorts by the real values."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.needle = ""
        self.setSortRole(Role.SortKey)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self.needle = text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self.needle:
            return True
        index = self.sourceModel().index(row, 0, parent)
        return self.needle in str(index.data(Role.SearchText))
