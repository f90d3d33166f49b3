"""Speakers of the open meeting: talk time, a name for each, "remember this voice".

Names go through the review view (one undoable step each, saved atomically in
session.json, shown at once in the review table and used by exports). Saving a
voice profile loads the audio and embeds the speaker's turns: a background job,
never on the GUI thread.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from minutes.diarize.profiles import VoiceProfile
from minutes.diarize.types import SpeakerTurn
from minutes.errors import USER_ERRORS
from minutes.session import Session, SessionError
from ui.models.library import format_duration
from ui.views.review_view import ReviewView
from ui.workers import JobRunner, remember_voice_job

logger = logging.getLogger(__name__)
SAMPLE_MIN_S, SAMPLE_MAX_S = 1.5, 6.0  # a speaker's sample to play: first turn this long


@dataclass
class SpeakerRow:
    speaker: str
    seconds: float
    name: QLineEdit
    play: QPushButton
    remember: QPushButton
    status: QLabel


def speaker_turns(session: Session, review: ReviewView) -> list[SpeakerTurn]:
    """The meeting's speaker turns: its diarization, else the reviewed segments' speakers."""
    try:
        diarization = session.load_diarization()
    except SessionError as exc:
        logger.warning("unreadable diarization of %s: %s", session.folder, exc)
        diarization = None
    if diarization is not None and diarization.turns:
        return list(diarization.turns)
    transcript = review.model.transcript
    segments = transcript.segments if transcript is not None else ()
    return [SpeakerTurn(s.start, s.end, s.speaker) for s in segments if s.speaker]


class SpeakersDialog(QDialog):
    """Non-modal panel; `load()` shows the review's current meeting."""

    findRequested = Signal()  # diarize the open meeting (it has no speakers yet)
    voicesRequested = Signal()  # open the saved voices
    voiceSaved = Signal(object)  # VoiceProfile

    def __init__(self, review: ReviewView, runner: JobRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Speakers"))
        self.review = review
        self.runner = runner
        self.session: Session | None = None
        self.turns: list[SpeakerTurn] = []
        self.rows: dict[str, SpeakerRow] = {}
        self.heading = QLabel()
        self.heading.setObjectName("speakersHeading")
        self.heading.setWordWrap(True)
        self.hint = QLabel(
            self.tr("Name each speaker: the names show in the review and in every export. "
                    "“Remember voice” saves the voice on this computer, so later meetings "
                    "name this person automatically.")
        )  # fmt: skip
        self.hint.setWordWrap(True)
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_box)
        self.empty = QLabel(
            self.tr("This meeting has no speakers yet. Find speakers tells who spoke when "
                    "(it reuses the transcript).")
        )  # fmt: skip
        self.empty.setWordWrap(True)
        self.find_button = QPushButton(self.tr("Find speakers"))
        self.find_button.clicked.connect(self._find)
        voices = QPushButton(self.tr("Saved voices…"))
        voices.clicked.connect(self.voicesRequested)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for button in (self.find_button, voices, close):
            button.setAutoDefault(False)  # Return in a name field only applies the name
        buttons = QHBoxLayout()
        buttons.addWidget(self.find_button)
        buttons.addWidget(voices)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.resize(680, 360)
        review.speakerNamesChanged.connect(self._names_changed)
        review.sessionOpened.connect(self._session_opened)

    # -- content ----------------------------------------------------------
    def load(self) -> None:
        """(Re)build the rows for the meeting open in the review."""
        self.session = self.review.session
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = {}
        session = self.session
        self.turns = speaker_turns(session, self.review) if session is not None else []
        talk: dict[str, float] = {}
        for turn in self.turns:
            talk[turn.speaker] = talk.get(turn.speaker, 0.0) + turn.end - turn.start
        for speaker in self.review.model.speakers():
            talk.setdefault(speaker, 0.0)
        title = html.escape(session.meta.title) if session is not None else ""
        self.heading.setText(
            self.tr("<b>{title}</b> — {n} speakers").format(title=title, n=len(talk))
        )
        has_audio = bool(session and session.audio_path and session.audio_path.is_file())
        self.empty.setVisible(not talk)
        self.hint.setVisible(bool(talk))
        self.find_button.setVisible(not talk)
        self.find_button.setEnabled(has_audio)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        if talk:
            for col, text in enumerate((self.tr("Speaker"), self.tr("Talk time"),
                                        self.tr("Name"))):  # fmt: skip
                header = QLabel(f"<b>{text}</b>")
                self.grid.addWidget(header, 0, col)
        total = sum(talk.values()) or 1.0
        for i, (speaker, seconds) in enumerate(talk.items()):
            self._add_row(1 + 2 * i, speaker, seconds, seconds / total, has_audio)
        self.grid.setRowStretch(1 + 2 * len(talk), 1)

    def _add_row(self, r: int, speaker: str, seconds: float, share: float, audio: bool) -> None:
        """Grid row `r`: the speaker's widgets; row `r + 1`: their status line."""
        label = QLabel(speaker)
        talk = self.tr("{time} ({share}%)")
        time = QLabel(talk.format(time=format_duration(seconds), share=round(share * 100)))
        time.setToolTip(self.tr("Talk time"))
        name = QLineEdit(self.review.model.speaker_names.get(speaker, ""))
        name.setPlaceholderText(self.tr("Name, e.g. 김민수"))
        name.setAccessibleName(f"name-{speaker}")
        name.editingFinished.connect(lambda: self._rename(speaker))
        play = QPushButton("▶")
        play.setFixedWidth(play.fontMetrics().horizontalAdvance("▶") + 28)
        play.setToolTip(self.tr("Play a sample of this speaker"))
        play.setEnabled(audio and self._sample(speaker) is not None)
        play.clicked.connect(lambda: self.play_sample(speaker))
        remember = QPushButton(self.tr("Remember voice"))
        remember.setToolTip(
            self.tr("Save this voice under the name, so later meetings name it automatically")
        )
        remember.setEnabled(audio and seconds > 0)
        for button in (play, remember):
            button.setAutoDefault(False)
        remember.clicked.connect(lambda: self.remember(speaker))
        status = QLabel()
        status.setWordWrap(True)
        status.hide()
        for col, widget in enumerate((label, time, name, play, remember)):
            self.grid.addWidget(widget, r, col)
        self.grid.addWidget(status, r + 1, 2, 1, 3)
        self.rows[speaker] = SpeakerRow(speaker, seconds, name, play, remember, status)

    def _sample(self, speaker: str) -> tuple[float, float] | None:
        turns = [t for t in self.turns if t.speaker == speaker]
        if not turns:
            return None
        turn = next((t for t in turns if t.end - t.start >= SAMPLE_MIN_S), None)
        turn = turn or max(turns, key=lambda t: t.end - t.start)
        return turn.start, min(turn.end, turn.start + SAMPLE_MAX_S)

    # -- actions ----------------------------------------------------------
    def _current(self) -> bool:
        """Is the review still showing the meeting these rows belong to?"""
        return self.session is not None and self.review.session is self.session

    def _rename(self, speaker: str) -> None:
        row = self.rows.get(speaker)
        if row is not None and self._current():
            self.review.rename_speaker(speaker, row.name.text())

    def play_sample(self, speaker: str) -> None:
        sample = self._sample(speaker)
        if sample is not None and self._current():
            self.review.play_range(*sample)

    def remember(self, speaker: str) -> None:
        """Name the speaker and save their voice profile in the background."""
        row = self.rows.get(speaker)
        session = self.session
        if row is None or session is None or not self._current():
            return
        name = " ".join(row.name.text().split())
        if not name:
            self._status(row, self.tr("Type a name first."), error=True)
            row.name.setFocus()
            return
        self.review.rename_speaker(speaker, name)
        audio = session.audio_path or Path()
        job = remember_voice_job(audio, name, list(self.turns), speaker)
        folder = session.folder
        job.signals.succeeded.connect(lambda p: self._saved(folder, speaker, p))
        job.signals.failed.connect(lambda m: self._failed(folder, speaker, m))
        try:
            self.runner.start(job)
        except USER_ERRORS as exc:
            self._status(row, str(exc), error=True)
            return
        row.remember.setEnabled(False)
        self._status(row, self.tr("Saving the voice…"))

    def _row_for(self, folder: Path, speaker: str) -> SpeakerRow | None:
        if self.session is None or self.session.folder != folder:
            return None
        return self.rows.get(speaker)

    def _saved(self, folder: Path, speaker: str, profile: VoiceProfile) -> None:
        row = self._row_for(folder, speaker)
        if row is not None:
            row.remember.setEnabled(True)
            self._status(
                row, self.tr("Voice of {name} saved ({s} s of speech).")
                .format(name=profile.name, s=round(profile.seconds)),
            )  # fmt: skip
        self.voiceSaved.emit(profile)

    def _failed(self, folder: Path, speaker: str, message: str) -> None:
        row = self._row_for(folder, speaker)
        if row is not None:
            row.remember.setEnabled(True)
            self._status(row, self.tr("Not saved: {e}").format(e=message), error=True)

    @staticmethod
    def _status(row: SpeakerRow, text: str, error: bool = False) -> None:
        row.status.setStyleSheet("color: #b91c1c;" if error else "color: #15803d;")
        row.status.setText(text)
        row.status.setVisible(bool(text))

    def _find(self) -> None:
        self.findRequested.emit()
        self.accept()

    def _names_changed(self, names: dict[str, str]) -> None:
        if not self._current():
            return
        for speaker, row in self.rows.items():
            wanted = names.get(speaker, "")
            if row.name.text() != wanted:
                row.name.setText(wanted)

    def _session_opened(self, _session: object) -> None:
        if self.isVisible():
            self.load()
