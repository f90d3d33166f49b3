"""Saved voice profiles (the data folder's `voices/`): list them, delete one."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minutes.config import voices_dir
from minutes.diarize.profiles import VoiceProfile, VoiceProfileStore
from ui import dialogs
from ui.models.library import format_duration

logger = logging.getLogger(__name__)


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class VoicesDialog(QDialog):
    """Non-modal; `reload()` re-reads the folder (after a voice is saved elsewhere)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Saved voices"))
        self.profiles: list[VoiceProfile] = []
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Speech"), self.tr("Meetings"), self.tr("Last saved")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        shortcut = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.delete_selected)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(560, 320)
        self.reload()

    def store(self) -> VoiceProfileStore:
        return VoiceProfileStore(voices_dir())

    def reload(self) -> None:
        self.profiles = self.store().profiles()
        self.table.setRowCount(len(self.profiles))
        for row, p in enumerate(self.profiles):
            cells = (p.name, format_duration(p.seconds), str(p.meetings), _local_time(p.updated))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.info.setText(
            self.tr("{n} saved voices. A meeting's speaker whose voice matches one is named "
                    "automatically; unknown voices stay numbered.").format(n=len(self.profiles))
            if self.profiles
            else self.tr("No saved voices yet. In a meeting's Speakers panel, name a speaker "
                         "and press “Remember voice”.")
        )  # fmt: skip
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.delete_button.setEnabled(self.selected() is not None)

    def selected(self) -> VoiceProfile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.profiles[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        for row, p in enumerate(self.profiles):
            if p.name == name:
                self.table.selectRow(row)

    def delete_selected(self) -> None:
        profile = self.selected()
        if profile is None:
            return
        if not dialogs.ask(self, self.tr("Delete voice"),
                           self.tr("Delete the saved voice of “{name}”? Later meetings will no "
                                   "longer name this person automatically; names already given "
                                   "stay.").format(name=profile.name)):  # fmt: skip
            return
        try:
            self.store().delete(profile.name)
        except OSError as exc:
            dialogs.error(self, self.tr("Saved voices"), str(exc))
        self.reload()
