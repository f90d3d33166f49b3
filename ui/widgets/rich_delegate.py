"""Draws rich-text cells; a change shows its tooltip on hover; a click on a word reports it;
a text cell is edited in a wrapped, multi-line editor (`SegmentEditor`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from ui.models import edits
from ui.models.review import Role
from ui.widgets.segment_editor import SegmentEditor

Index = QModelIndex | QPersistentModelIndex
PAD = 4


def _role(index: Index, role: int) -> Any:
    """`index.data(role)` without its bug: PySide6 6.12 on Python 3.11 drops a reference to
    None each time `QModelIndex.data` returns None, and the app aborted ("deallocating
    None") after a few thousand cells of a long transcript. The model's own Python
    `data` returns None safely."""
    model = index.model()
    return model.data(index, role) if model is not None else None


class RichTextDelegate(QStyledItemDelegate):
    """Cells whose `Role.Html` is set are drawn as HTML, wrapped to the column width."""

    wordClicked = Signal(int, int)  # row, character index in the cell's plain text

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument | None:
        html = _role(index, Role.Html)
        if html is None:
            return None
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(PAD)
        doc.setHtml(html)
        doc.setTextWidth(max(option.rect.width(), 80))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        doc = self._document(option, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.translate(QPointF(option.rect.topLeft()))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, index)
        if doc is None:
            return super().sizeHint(option, index)
        view = option.widget
        if isinstance(view, QAbstractItemView):
            doc.setTextWidth(max(view.columnWidth(index.column()) if hasattr(view, "columnWidth")
                                 else option.rect.width(), 80))  # fmt: skip
        return QSize(int(doc.idealWidth()), int(doc.size().height()))

    def _hit(self, option: QStyleOptionViewItem, index: Index, pos: QPointF) -> tuple[int, str]:
        doc = self._document(option, index)
        if doc is None:
            return -1, ""
        local = pos - QPointF(option.rect.topLeft())
        layout = doc.documentLayout()
        return layout.hitTest(local, Qt.HitTestAccuracy.FuzzyHit), layout.anchorAt(local)

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and _role(index, Role.Html) is not None:
            _, anchor = self._hit(option, index, QPointF(event.pos()))
            change = next(
                (c for c in _role(index, Role.Changes) or () if f"c:{c.id}" == anchor), None
            )
            if change is not None:
                QToolTip.showText(event.globalPos(), edits.tooltip(change, self.tr), view)
                return True
        return super().helpEvent(event, view, option, index)

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem,
                    index: Index) -> bool:  # fmt: skip
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and _role(index, Role.Html) is not None
        ):
            char, _ = self._hit(option, index, event.position())
            self.wordClicked.emit(index.row(), char)
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]

    # -- editing: a text cell gets a wrapped, multi-line editor; others the default --
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        if _role(index, Role.Html) is None:
            editor = super().createEditor(parent, option, index)
            editor.setAccessibleName("cell-editor")
            return editor
        # A one-line editor showed only the end of a long segment; this one shows it all.
        text_editor = SegmentEditor(parent)
        text_editor.setFont(option.font)
        return text_editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, SegmentEditor):
            editor.set_text(str(_role(index, Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, SegmentEditor):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        if isinstance(editor, SegmentEditor):
            editor.cell = QRect(option.rect)
            editor.fit()
        else:
            super().updateEditorGeometry(editor, option, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Qt leaves Enter to a QPlainTextEdit (a newline); a segment has none, so Enter
        # commits, with or without Shift/Ctrl. Alt+Enter stays the "Accept" shortcut.
        if (
            isinstance(watched, SegmentEditor)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(watched, event)
