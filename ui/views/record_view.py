"""Record: device picker, level meter, elapsed time, pause/resume/stop, live transcript."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from minutes.live import LiveSegment
from ui.models.library import format_duration
from ui.recording import RecordingController
from ui.widgets.level_meter import LevelMeter

LIVE_LINES = 2000  # newest live lines kept on screen


class RecordView(QWidget):
    """Thin view over a `RecordingController` (which owns all the work)."""

    importRequested = Signal()

    def __init__(self, controller: RecordingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Meeting title (optional)"))
        self.device = QComboBox()
        self.device.setMinimumWidth(260)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh_devices)
        self.record = QPushButton(self.tr("● Record"))
        self.record.setObjectName("recordButton")
        self.record.clicked.connect(self._record)
        self.pause = QPushButton(self.tr("Pause"))
        self.pause.clicked.connect(self._pause)
        self.stop = QPushButton(self.tr("■ Stop"))
        self.stop.clicked.connect(controller.stop)
        self.meter = LevelMeter()
        self.elapsed = QLabel("0:00")
        font = QFont(self.elapsed.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.elapsed.setFont(font)
        self.status = QLabel(self.tr("Ready. Press Record or Ctrl+R."))
        self.status.setWordWrap(True)
        self.live = QPlainTextEdit()
        self.live.setReadOnly(True)
        # The live view is a preview (the full transcript is made from the file after
        # Stop): keep the newest lines only, so an 8-hour recording does not grow it.
        self.live.setMaximumBlockCount(LIVE_LINES)
        self.live.setPlaceholderText(self.tr("The live transcript appears here while you record."))

        row1 = QHBoxLayout()
        row1.addWidget(QLabel(self.tr("Title")))
        row1.addWidget(self.title_edit, 1)
        row1.addWidget(QLabel(self.tr("Input")))
        row1.addWidget(self.device)
        row1.addWidget(refresh)
        row2 = QHBoxLayout()
        for w in (self.record, self.pause, self.stop):
            row2.addWidget(w)
        row2.addWidget(self.meter, 1)
        row2.addWidget(self.elapsed)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("Live transcript")))
        layout.addWidget(self.live, 1)

        self._error = False
        controller.stateChanged.connect(self._state)
        controller.levelChanged.connect(self.meter.set_level)
        controller.elapsedChanged.connect(lambda s: self.elapsed.setText(format_duration(s)))
        controller.liveSegment.connect(self.add_live)
        controller.errorOccurred.connect(self.show_error)
        controller.liveNotice.connect(self.show_notice)
        self._state("idle")

    def refresh_devices(self) -> None:
        wanted = self.controller.engine.config.extra.get("input_device")
        self.device.clear()
        devices = self.controller.devices()
        self.device.addItem(self.tr("System default"), None)
        for d in devices:
            label = f"{d.name} ({d.channels} ch, {int(d.default_rate)} Hz)"
            if d.kind == "system":
                label = self.tr("System audio (what this computer plays): {name}").format(
                    name=d.name
                )
            self.device.addItem(label, d.choice)
            if d.choice == wanted:
                self.device.setCurrentIndex(self.device.count() - 1)
        if not devices:
            self.status.setText(self.tr("No input device found. Connect a microphone."))

    def _record(self) -> None:
        if self.controller.start(self.device.currentData(), self.title_edit.text()):
            self.live.clear()

    def _pause(self) -> None:
        if self.controller.state == "paused":
            self.controller.resume()
        else:
            self.controller.pause()

    def add_live(self, segment: LiveSegment) -> None:
        self.live.appendPlainText(f"[{format_duration(segment.start)}] {segment.text}")

    def show_notice(self, message: str) -> None:
        """Something the user should know that is not an error (an error stays on top)."""
        if self._error:
            return
        self.status.setText(message)
        self.status.setStyleSheet("color:#92400e;")

    def show_error(self, message: str) -> None:
        """Stays visible until the next recording starts."""
        self._error = True
        self.status.setText(message)
        self.status.setStyleSheet("color:#b91c1c;")

    def _state(self, state: str) -> None:
        active = state in ("recording", "paused")
        self.record.setEnabled(state == "idle")
        self.pause.setEnabled(active)
        self.stop.setEnabled(active)
        self.device.setEnabled(state == "idle")
        self.pause.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        if state == "recording":
            self._error = False
        if not self._error:
            self.status.setStyleSheet("")
            self.status.setText({
                "idle": self.tr("Ready. Press Record or Ctrl+R."),
                "recording": self.tr("Recording… audio is saved to disk as it is captured."),
                "paused": self.tr("Paused."),
                "finishing": self.tr("Finishing…"),
            }[state])  # fmt: skip
