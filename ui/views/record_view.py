"""Record: device picker, level meter, elapsed time, pause/resume/stop, live transcript."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
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
        # Online meetings: the other participants come out of this computer's speakers.
        self.with_system = QCheckBox(
            self.tr("Also record what this computer plays (the other side of an online meeting)")
        )
        self.with_system.setToolTip(self.tr(
            "The microphone and the system audio are recorded as two tracks and mixed for the "
            "transcript; the microphone's speech is labelled as yours."))  # fmt: skip
        self.with_system.toggled.connect(self._remember_with_system)
        self.meter = LevelMeter()
        self.mic_label = QLabel(self.tr("Mic"))
        self.system_meter = LevelMeter()
        self.system_meter.setAccessibleName("system audio level")
        self.system_label = QLabel(self.tr("System"))
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
        meters = QVBoxLayout()
        width = max(self.mic_label.sizeHint().width(), self.system_label.sizeHint().width())
        for label, meter in ((self.mic_label, self.meter), (self.system_label, self.system_meter)):
            label.setMinimumWidth(width)  # the two meters start at the same place
            line = QHBoxLayout()
            line.addWidget(label)
            line.addWidget(meter, 1)
            meters.addLayout(line)
        row2.addLayout(meters, 1)
        row2.addWidget(self.elapsed)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addWidget(self.with_system)
        layout.addLayout(row2)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("Live transcript")))
        layout.addWidget(self.live, 1)

        self._error = False
        self._has_system = False
        controller.stateChanged.connect(self._state)
        controller.levelChanged.connect(self.meter.set_level)
        controller.systemLevelChanged.connect(self.system_meter.set_level)
        self.device.currentIndexChanged.connect(self._sources_changed)
        self.with_system.toggled.connect(self._sources_changed)
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
        self._has_system = any(d.kind == "system" for d in devices)
        self.with_system.setVisible(self._has_system)
        self.with_system.setChecked(
            bool(self.controller.engine.config.extra.get("record_system", True))
        )
        self._sources_changed()

    def two_tracks(self) -> bool:
        """Record the microphone and the system audio (a microphone chosen, the box on)."""
        choice = self.device.currentData()
        is_system = isinstance(choice, str) and choice.startswith("system:")
        return self._has_system and self.with_system.isChecked() and not is_system

    def _sources_changed(self, *_: object) -> None:
        both = self.two_tracks()
        self.with_system.setEnabled(self._has_system and not self._system_chosen())
        for w in (self.system_meter, self.system_label, self.mic_label):
            w.setVisible(both)

    def _system_chosen(self) -> bool:
        choice = self.device.currentData()
        return isinstance(choice, str) and choice.startswith("system:")

    def _remember_with_system(self, on: bool) -> None:
        config = self.controller.engine.config
        if config.extra.get("record_system", True) != on:
            config.extra["record_system"] = on
            config.save()

    def _record(self) -> None:
        if self.controller.start(
            self.device.currentData(), self.title_edit.text(), with_system=self.two_tracks()
        ):
            self.live.clear()

    def _pause(self) -> None:
        if self.controller.state == "paused":
            self.controller.resume()
        else:
            self.controller.pause()

    def add_live(self, segment: LiveSegment) -> None:
        who = {"mic": self.tr("Me"), "system": self.tr("Others")}.get(segment.track)
        speaker = f"{who}: " if who else ""
        self.live.appendPlainText(f"[{format_duration(segment.start)}] {speaker}{segment.text}")

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
        self.with_system.setEnabled(state == "idle" and self._has_system
                                    and not self._system_chosen())  # fmt: skip
        if state == "idle":  # the meters do not stay at the last level heard
            self.meter.reset()
            self.system_meter.reset()
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
