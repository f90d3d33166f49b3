"""Several widgets on one form row, the first one stretching."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget


def form_row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        layout.addWidget(w, 1 if i == 0 else 0)
    return box
