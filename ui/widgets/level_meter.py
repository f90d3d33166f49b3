"""A horizontal input level meter (peak, 0..1, drawn on a dB scale)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("input level")

    def sizeHint(self) -> QSize:
        return QSize(240, 14)

    def set_level(self, peak: float) -> None:
        """Peak amplitude 0..1; shown from -60 dBFS to 0."""
        db = 20 * math.log10(peak) if peak > 1e-6 else -60.0
        value = min(max((db + 60) / 60, 0.0), 1.0)
        # Fall back slowly so short peaks stay visible.
        self.level = value if value > self.level else max(value, self.level - 0.05)
        self.update()

    def reset(self) -> None:
        """Empty at once (recording stopped: no slow fall from the last peak)."""
        self.level = 0.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QColor("#9ca3af"))
        painter.setBrush(QColor("#f3f4f6"))
        painter.drawRoundedRect(rect, 3, 3)
        fill = QRectF(rect.left(), rect.top(), rect.width() * self.level, rect.height())
        color = "#16a34a" if self.level < 0.8 else "#eab308" if self.level < 0.95 else "#dc2626"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
        painter.drawRoundedRect(fill, 3, 3)
