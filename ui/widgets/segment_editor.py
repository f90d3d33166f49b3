"""The editor of a segment's text in Review: the whole text, wrapped, on as many lines as it needs.

A segment is one line of speech (exports write it as one subtitle or paragraph), so
the editor keeps it one line: Enter commits (any Enter: there is no newline to
insert), Escape cancels (the delegate's default), and newlines pasted in become
spaces.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QMimeData, QRect, Qt
from PySide6.QtGui import QTextDocument, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

MIN_LINES = 3  # room to see the words around the cursor, even in a short segment


def one_line(text: str) -> str:
    """The text with its line breaks as spaces (segments have none)."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


class SegmentEditor(QPlainTextEdit):
    """A wrapped plain-text editor that grows below its cell to show all of its text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("segment-editor")
        self.setTabChangesFocus(True)  # Tab moves to the next cell, as in the rest of the table
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.Box)
        self.cell = QRect()  # the edited cell, in the viewport's coordinates
        self.textChanged.connect(self.fit)

    def text(self) -> str:
        return one_line(self.toPlainText())

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.End)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(one_line(source.text()))

    def height_for(self, width: int) -> int:
        """Pixels the whole text needs at this width (at least `MIN_LINES` lines)."""
        frame = 2 * self.frameWidth()
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(self.document().documentMargin())
        option = doc.defaultTextOption()
        option.setWrapMode(self.wordWrapMode())
        doc.setDefaultTextOption(option)
        doc.setPlainText(self.toPlainText())
        doc.setTextWidth(max(width - frame, 40))
        margin = 2 * doc.documentMargin()
        least = MIN_LINES * self.fontMetrics().lineSpacing() + margin
        return math.ceil(max(doc.size().height(), least)) + frame + 2

    def fit(self) -> None:
        """Cover the cell, as tall as the text needs, within the table's viewport."""
        if self.cell.isNull():
            return
        area = self.parentWidget()
        bottom = area.height() if area is not None else self.cell.bottom() + 1
        height = min(max(self.height_for(self.cell.width()), self.cell.height()), bottom)
        top = max(0, min(self.cell.top(), bottom - height))  # near the bottom: grow upwards
        self.setGeometry(self.cell.left(), top, self.cell.width(), height)
