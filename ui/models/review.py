"""Side-by-side review model: one row per segment, raw text left, reviewed text right.

Scales to multi-hour meetings: a decision, an edit or a move to the next change
repaints only the rows whose corrections or highlight changed (`dataChanged` per
row, never the whole table), and lookups by id, segment or time are indexed.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from minutes.types import Correction, Segment, Transcript, corrected_text
from ui.models import edits
from ui.models.library import format_duration

Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    Time = 0
    Speaker = 1
    Raw = 2
    Corrected = 3


class Role(IntEnum):
    Html = Qt.ItemDataRole.UserRole + 1  # rich text of the Raw/Corrected cell
    SegmentId = Qt.ItemDataRole.UserRole + 2
    Start = Qt.ItemDataRole.UserRole + 3
    End = Qt.ItemDataRole.UserRole + 4
    Changes = Qt.ItemDataRole.UserRole + 5  # corrections of the segment
    Playing = Qt.ItemDataRole.UserRole + 6
    Words = Qt.ItemDataRole.UserRole + 7


class ReviewModel(QAbstractTableModel):
    HEADERS = ("Time", "Speaker", "Recognised (raw)", "Reviewed")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.transcript: Transcript | None = None
        self.corrections: list[Correction] = []
        self.speaker_names: dict[str, str] = {}
        self.current: str | None = None  # id of the focused change
        self.playing: int | None = None  # segment id
        self.edit_handler: Callable[[int, str], None] | None = None
        self.rename_handler: Callable[[str, str], None] | None = None  # (speaker id, name)
        self._by_segment: dict[int, list[Correction]] = {}
        self._by_id: dict[str, Correction] = {}
        self._order: list[Correction] | None = None  # reading order, built on demand
        self._rows: dict[int, int] = {}
        self._starts: list[float] = []

    # -- loading ---------------------------------------------------------
    def load(
        self,
        transcript: Transcript | None,
        corrections: list[Correction],
        speaker_names: dict[str, str] | None = None,
    ) -> None:
        self.beginResetModel()
        self.transcript = transcript
        self.speaker_names = dict(speaker_names or {})
        self._rows = {s.id: i for i, s in enumerate(transcript.segments)} if transcript else {}
        self._starts = [s.start for s in transcript.segments] if transcript else []
        self._set(corrections)
        self.current = None
        self.playing = None
        self.endResetModel()

    def _set(self, corrections: list[Correction]) -> None:
        self.corrections = list(corrections)
        self._by_segment = {}
        for c in self.corrections:
            self._by_segment.setdefault(c.segment_id, []).append(c)
        self._by_id = {c.id: c for c in self.corrections}
        self._order = None

    def set_corrections(self, corrections: list[Correction]) -> None:
        """Replace all corrections (decisions, edits, undo); repaint the rows that changed."""
        old = self._by_segment
        self._set(corrections)
        new = self._by_segment
        changed = [s for s in old.keys() | new.keys() if old.get(s) != new.get(s)]
        self._changed_segments(changed)

    def _changed_segments(self, segment_ids: Iterable[int | None]) -> None:
        rows = {self._rows.get(s, -1) for s in segment_ids if s is not None}
        for row in sorted(rows - {-1}):
            self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    def set_speaker_names(self, names: dict[str, str]) -> None:
        """New speaker names (a rename, undo) and repaint the Speaker column."""
        self.speaker_names = dict(names)
        if self.rowCount():
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, Col.Speaker), self.index(last, Col.Speaker))

    def set_current(self, correction_id: str | None) -> None:
        """Focus a change; only its row and the previously focused one repaint."""
        if correction_id == self.current:
            return
        focus = (self.current, correction_id)
        segments = [self._by_id[c].segment_id for c in focus if c in self._by_id]
        self.current = correction_id
        self._changed_segments(segments)

    def set_playing(self, segment_id: int | None) -> None:
        if segment_id == self.playing:
            return
        rows = [self._rows.get(s) for s in (self.playing, segment_id) if s is not None]
        self.playing = segment_id
        for row in rows:
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    # -- queries ----------------------------------------------------------
    def segment(self, row: int) -> Segment:
        assert self.transcript is not None
        return self.transcript.segments[row]

    def row_of_segment(self, segment_id: int) -> int:
        return self._rows.get(segment_id, -1)

    def changes(self) -> list[Correction]:
        """All corrections in reading order (the order of next/previous change)."""
        if self._order is None:
            self._order = sorted(
                self.corrections, key=lambda c: (self._rows.get(c.segment_id, 0), c.start_char)
            )
        return list(self._order)

    def change_position(self, correction_id: str | None) -> int:
        """Index of a change in `changes()`, -1 if absent."""
        order = self.changes() if self._order is None else self._order
        for i, c in enumerate(order):
            if c.id == correction_id:
                return i
        return -1

    def correction(self, correction_id: str) -> Correction | None:
        return self._by_id.get(correction_id)

    def segment_corrections(self, segment_id: int) -> list[Correction]:
        return list(self._by_segment.get(segment_id, ()))

    def reviewed_text(self, row: int) -> str:
        seg = self.segment(row)
        return corrected_text(seg.text, self._by_segment.get(seg.id, ()))

    def speakers(self) -> list[str]:
        """Speaker ids of the transcript, in order of first appearance."""
        if self.transcript is None:
            return []
        return list(dict.fromkeys(s.speaker for s in self.transcript.segments if s.speaker))

    def speaker_at(self, row: int) -> str | None:
        """The speaker id of a row (None when the meeting is not diarized)."""
        if self.transcript is None or not 0 <= row < len(self.transcript.segments):
            return None
        return self.transcript.segments[row].speaker

    def speaker_label(self, speaker: str | None) -> str:
        return self.speaker_names.get(speaker or "", speaker or "")

    def segment_at(self, seconds: float) -> int | None:
        """The segment playing at `seconds` (segments are in time order)."""
        if self.transcript is None:
            return None
        i = bisect.bisect_right(self._starts, seconds) - 1
        segments = self.transcript.segments
        # Overlapping segments (speaker splits) are rare: look back a little.
        for seg in segments[max(i - 3, 0) : i + 1]:
            if seg.start <= seconds < seg.end:
                return seg.id
        return None

    # -- Qt model ---------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.transcript is None else len(self.transcript.segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.column() == Col.Corrected:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == Col.Speaker and self.speaker_at(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable  # renames the speaker everywhere
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.transcript is None:
            return None
        seg = self.transcript.segments[index.row()]
        col = index.column()
        changes = self._by_segment.get(seg.id, [])
        if role == Qt.ItemDataRole.DisplayRole:
            if col == Col.Time:
                return format_duration(seg.start)
            if col == Col.Speaker:
                return self.speaker_label(seg.speaker)
            return seg.text if col == Col.Raw else corrected_text(seg.text, changes)
        if role == Qt.ItemDataRole.EditRole and col == Col.Corrected:
            return corrected_text(seg.text, changes)
        if role == Qt.ItemDataRole.EditRole and col == Col.Speaker:
            return self.speaker_names.get(seg.speaker or "", "")
        if role == Qt.ItemDataRole.ToolTipRole and col == Col.Speaker and seg.speaker:
            return seg.speaker
        if role == Role.Html and col in (Col.Raw, Col.Corrected):
            render = edits.raw_html if col == Col.Raw else edits.corrected_html
            return render(seg.text, changes, self.current)
        if role == Qt.ItemDataRole.BackgroundRole and seg.id == self.playing:
            return QColor("#dbeafe")
        if role == Qt.ItemDataRole.ToolTipRole and col == Col.Time:
            return f"{seg.start:.2f}–{seg.end:.2f} s"
        if role == Role.SegmentId:
            return seg.id
        if role == Role.Start:
            return seg.start
        if role == Role.End:
            return seg.end
        if role == Role.Changes:
            return changes
        if role == Role.Playing:
            return seg.id == self.playing
        if role == Role.Words:
            return seg.words
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() == Col.Speaker:
            speaker = self.speaker_at(index.row())
            name = " ".join(str(value).split())
            if not speaker or self.rename_handler is None:
                return False
            if name == self.speaker_names.get(speaker, ""):
                return False
            self.rename_handler(speaker, name)
            return True
        if index.column() != Col.Corrected:
            return False
        text = str(value)
        if text == self.reviewed_text(index.row()) or self.edit_handler is None:
            return False
        self.edit_handler(self.segment(index.row()).id, text)
        return True
