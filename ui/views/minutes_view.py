"""Minutes: generate them with the language model (streamed live), edit them, export them.

The meeting is the one open in Review. "Generate minutes" runs
`minutes.llm.summarise` in a background job; the model's output streams into
the preview pane as it is written. Where the notes of a recorded meeting were
taken during it, the minutes of all but its last stretch show within seconds of
Stop (`MinutesSoFar`), read-only, while the model reads the rest; the complete
minutes replace them, and Cancel or a failure brings back what was there before.
The result fills an editable form (title,
date, attendees, summary, discussion, decisions, open questions and the
action items table). Every edit is saved atomically to the session's
``minutes.json`` (text edits after a short pause, table edits at once), and
the minutes are loaded again whenever the meeting is opened.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from minutes.llm.errors import LlmError
from minutes.llm.live_text import ReadableStream
from minutes.llm.summarise import MinutesSoFar, minutes_language
from minutes.meeting import Minutes, load_minutes, save_minutes
from minutes.session import Session, SessionError
from minutes.types import Document
from ui import dialogs, i18n
from ui.models.library import format_duration
from ui.models.minutes_form import (
    ActionItemsModel,
    Col,
    attendees_to_text,
    notes_to_text,
    text_to_attendees,
    text_to_notes,
    text_to_topics,
    topics_to_text,
)
from ui.pending_saves import PendingSaves
from ui.workers import JOB_ERRORS, Engine, Job, JobRunner, minutes_job

logger = logging.getLogger(__name__)
SAVE_DELAY_MS = 600


class MinutesView(QWidget):
    """The minutes of the meeting open in Review."""

    errorOccurred = Signal(str)
    jumpRequested = Signal(int)  # segment id: show it in Review
    minutesSaved = Signal(object)  # Minutes, after every save

    def __init__(
        self,
        engine: Engine,
        runner: JobRunner,
        document_source: Callable[[], Document | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.runner = runner
        self.document_source = document_source
        self.export_dir = Path.home() / "Documents"
        self.session: Session | None = None
        self.minutes: Minutes | None = None
        self.so_far: MinutesSoFar | None = None  # shown while the model reads the rest
        self._before: Minutes | None = None  # what the minutes so far replaced
        self.job: Job | None = None
        self.last_export: QWidget | None = None
        self._job_folder: Path | None = None
        self._started = 0.0
        self._live = ReadableStream()  # the model's replies as labelled lines
        self._shown = ""  # what the preview shows of it
        self._stage = ""
        self._loading = False
        self._dirty = False
        self._names: dict[str, str] = {}  # the speaker names the minutes were shown with
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self.saves = PendingSaves(self)  # a failed save (disk full) is kept and retried
        self.saves.failed.connect(self.errorOccurred)
        self.actions_model = ActionItemsModel(self)
        self.actions_model.edited.connect(self._table_edited)
        self._build()
        self.reload_templates()
        self._show_state()

    # -- building ---------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("minutesTitle")
        self.heading.setStyleSheet("font-weight: bold;")
        self.template = QComboBox()
        self.template.setToolTip(self.tr("What the minutes cover and how they are laid out"))
        self.edit_template = QPushButton(self.tr("Edit template…"))
        self.edit_template.setToolTip(
            self.tr("Copy this template into your templates folder and open it for editing")
        )
        self.edit_template.clicked.connect(self.open_template)
        self.fast = QCheckBox(self.tr("Fast (read a sample)"))
        self.fast.setToolTip(
            self.tr(
                "A model on this computer reads only the parts of a long meeting richest in "
                "tasks and decisions (about nine minutes of speech), so that an hour's minutes "
                "take minutes, not half an hour. What is said elsewhere may be missing. A "
                "recorded meeting's notes are taken while it is recorded and read everything."
            )
        )
        self.generate_button = QPushButton(self.tr("Generate minutes"))
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.time_left = QLabel()  # "about 3 min left", from this machine's measured speed
        self._left_at: tuple[float, float] | None = None  # (seconds left, when told)
        self._left_timer = QTimer(self)
        self._left_timer.setInterval(1000)
        self._left_timer.timeout.connect(self._show_time_left)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.so_far_note = QLabel()  # over the minutes so far: what is still being read
        self.so_far_note.setObjectName("minutesSoFar")
        self.so_far_note.setWordWrap(True)
        self.so_far_note.setStyleSheet(
            "background:#fef3c7; color:#78350f; padding:4px 6px; border-radius:3px;"
        )
        self.so_far_note.hide()
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.export)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Template")))
        bar.addWidget(self.template)
        bar.addWidget(self.edit_template)
        bar.addWidget(self.fast)
        bar.addWidget(self.generate_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress)
        bar.addWidget(self.time_left)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.title = QLineEdit()
        self.date = QLineEdit()  # its placeholder is the meeting's date (`show_minutes`)
        self.date.setMaximumWidth(180)
        self.attendees = QLineEdit()
        self.attendees.setPlaceholderText(self.tr("Names, separated by commas"))
        self.summary = self._text_box(self.tr("What the meeting was about, in a few sentences"))
        self.discussion = self._text_box(
            self.tr("One topic per line, its points below it starting with “- ”")
        )
        self.decisions = self._text_box(self.tr("One decision per line"))
        self.questions = self._text_box(self.tr("One open question per line"))
        for line in (self.title, self.date, self.attendees):
            line.textEdited.connect(self._edited)

        self.actions_table = QTableView()
        self.actions_table.setModel(self.actions_model)
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.actions_table.verticalHeader().hide()
        self.actions_table.setWordWrap(True)
        header = self.actions_table.horizontalHeader()
        for col, mode in (
            (Col.Done, QHeaderView.ResizeMode.ResizeToContents),
            (Col.Task, QHeaderView.ResizeMode.Stretch),
            (Col.Owner, QHeaderView.ResizeMode.Interactive),
            (Col.Due, QHeaderView.ResizeMode.Interactive),
            (Col.Time, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(col, mode)
        header.resizeSection(Col.Owner, 110)
        header.resizeSection(Col.Due, 120)
        self.actions_table.doubleClicked.connect(self._action_double_clicked)
        self.add_action = QPushButton(self.tr("Add"))
        self.add_action.clicked.connect(self._add_action)
        self.remove_action = QPushButton(self.tr("Remove"))
        self.remove_action.clicked.connect(self._remove_actions)

        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setObjectName("minutesPreview")
        self.preview.setPlaceholderText(
            self.tr("The model's output appears here as it is written.")
        )
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        # Layout: a header form, the sections side by side, the action items below;
        # the live model output on the right.
        meta = QGridLayout()
        meta.setContentsMargins(0, 0, 0, 0)
        meta.addWidget(QLabel(self.tr("Title")), 0, 0)
        meta.addWidget(self.title, 0, 1)
        meta.addWidget(QLabel(self.tr("Date")), 0, 2)
        meta.addWidget(self.date, 0, 3)
        meta.addWidget(QLabel(self.tr("Attendees")), 1, 0)
        meta.addWidget(self.attendees, 1, 1, 1, 3)
        meta.setColumnStretch(1, 1)

        sections = QSplitter(Qt.Orientation.Horizontal)
        sections.setChildrenCollapsible(False)
        sections.addWidget(_group(self.tr("Summary"), self.summary))
        sections.addWidget(_group(self.tr("Discussion"), self.discussion))
        notes = QSplitter(Qt.Orientation.Vertical)
        notes.setChildrenCollapsible(False)
        notes.addWidget(_group(self.tr("Decisions"), self.decisions))
        notes.addWidget(_group(self.tr("Open questions"), self.questions))
        sections.addWidget(notes)
        sections.setSizes([220, 280, 220])

        actions = QGroupBox(self.tr("Action items"))
        actions_layout = QVBoxLayout(actions)
        actions_layout.setContentsMargins(6, 4, 6, 6)
        actions_layout.addWidget(self.actions_table, 1)
        buttons = QHBoxLayout()
        hint = QLabel(self.tr("Tick what is done; double-click to edit; double-click a time "
                              "to see it in Review."))  # fmt: skip
        hint.setStyleSheet("color: #555555;")
        hint.setWordWrap(True)
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.add_action)
        buttons.addWidget(self.remove_action)
        actions_layout.addLayout(buttons)

        body = QSplitter(Qt.Orientation.Vertical)
        body.setChildrenCollapsible(False)
        body.addWidget(sections)
        body.addWidget(actions)
        body.setSizes([260, 220])
        self.form = QWidget()
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(meta)
        form_layout.addWidget(body, 1)

        self.preview_box = _group(self.tr("Model output (live)"), self.preview)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.form)
        main.addWidget(self.preview_box)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 1)
        main.setSizes([720, 240])
        self.splitter = main

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.so_far_note)
        layout.addWidget(main, 1)

    def _text_box(self, placeholder: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setPlaceholderText(placeholder)
        box.setTabChangesFocus(True)
        box.textChanged.connect(self._edited)
        return box

    def reload_templates(self) -> None:
        """Fill the template list (shipped and user templates; a user copy wins)."""
        from minutes.llm.templates import list_templates, load_template

        current = self.template.currentData()
        self.template.clear()
        language = i18n.current()
        for name in list_templates():
            try:
                label = load_template(name).display_name(language)
            except LlmError as exc:
                logger.warning("skipping template %s: %s", name, exc)
                continue
            self.template.addItem(label, name)
        self._select_template(
            current or str(self.engine.config.extra.get("minutes_template") or "general")
        )

    def _select_template(self, name: str) -> None:
        i = self.template.findData(name)
        if i >= 0:
            self.template.setCurrentIndex(i)

    # -- session ----------------------------------------------------------
    def open_session(self, session: Session | None) -> None:
        """Show the minutes of a meeting (saving pending edits of the previous one)."""
        self.flush()
        self._leave_so_far()
        self.session = session
        minutes = None
        self._names = dict(session.meta.speaker_names) if session is not None else {}
        if session is not None:
            try:
                minutes = load_minutes(session.folder, self._names)
            except SessionError as exc:
                self.errorOccurred.emit(str(exc))
        self.show_minutes(minutes)
        if self.job is None:
            self._clear_live()
            self._say(
                self.tr("No minutes yet. Pick a template and press “Generate minutes”.")
                if session is not None and minutes is None
                else ""
            )

    def show_minutes(self, minutes: Minutes | None) -> None:
        """Fill the form (without saving anything)."""
        self._loading = True
        try:
            self.minutes = minutes
            m = minutes
            self.title.setText(m.title if m else "")
            self.date.setText(_date_text(m.date) if m else "")
            # An empty date stands for the meeting's own date (see `current_minutes`).
            self.date.setPlaceholderText(_date_text(self._meeting_date()))
            self.attendees.setText(attendees_to_text(m.attendees) if m else "")
            self.summary.setPlainText(m.summary if m else "")
            self.discussion.setPlainText(topics_to_text(m.topics) if m else "")
            self.decisions.setPlainText(notes_to_text(m.decisions) if m else "")
            self.questions.setPlainText(notes_to_text(m.open_questions) if m else "")
            self.actions_model.load(m.action_items if m else (), m.segment_starts if m else {})
            if m is not None:
                self._select_template(m.template)
        finally:
            self._loading = False
        self._dirty = False
        self._timer.stop()
        self._show_state()

    def _show_state(self) -> None:
        has_session = self.session is not None
        busy = self.job is not None
        if self.session is None:
            self.heading.setText(self.tr("No meeting open. Open one in the library or Review."))
        else:
            title = self.session.meta.title
            self.heading.setText(self.tr("Minutes of “{title}”").format(title=title))
        self.form.setEnabled(has_session)
        self.template.setEnabled(not busy)
        self.edit_template.setEnabled(not busy)
        self.generate_button.setEnabled(has_session and not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)
        self.time_left.setVisible(busy and self._left_at is not None)
        done = self.so_far is None  # the minutes so far are neither edited nor exported
        self.export_button.setEnabled(has_session and self.minutes is not None and done)
        self.add_action.setEnabled(done)
        self.remove_action.setEnabled(done and self.actions_model.rowCount() > 0)
        for line in (self.title, self.date, self.attendees):
            line.setReadOnly(not done)
        for box in (self.summary, self.discussion, self.decisions, self.questions):
            box.setReadOnly(not done)
        self.actions_model.read_only = not done
        self.so_far_note.setVisible(not done)

    # -- editing and saving ------------------------------------------------
    def rename_speakers(self, names: dict[str, str]) -> None:
        """A speaker named (or renamed) in Review: the attendees and owners follow."""
        old = self._names
        self._names = dict(names)
        current = self.current_minutes()
        if current is None:
            return
        mapping = dict(names)  # SPEAKER_1 -> 김과장, and a previous name -> the new one
        mapping.update({was: names.get(label, label) for label, was in old.items()
                        if was != names.get(label, label)})  # fmt: skip
        renamed = current.named(mapping)
        if renamed == current:
            return
        self.show_minutes(renamed)
        if self.so_far is not None:  # not saved: the complete minutes replace them
            return
        self._dirty = True
        self.save()

    def current_minutes(self) -> Minutes | None:
        """The minutes as the form shows them (None when there are none and nothing was typed)."""
        if self.session is None:
            return None
        base = self.minutes
        if base is None:
            if not self._dirty:
                return None
            meta = self.session.meta
            base = Minutes(
                title=meta.title, date=meta.created or None,
                language=meta.language or i18n.current(),
                template=str(self.template.currentData() or "general"),
                source_duration=meta.duration,
            )  # fmt: skip
        date = self.date.text().strip()
        return replace(
            base,
            title=" ".join(self.title.text().split()) or base.title,
            # Left empty, the date is the meeting's, as the field's placeholder shows.
            date=_date_value(date, base.date) or self._meeting_date(),
            attendees=text_to_attendees(self.attendees.text()),
            summary=self.summary.toPlainText().strip(),
            topics=text_to_topics(self.discussion.toPlainText(), base.topics),
            decisions=text_to_notes(self.decisions.toPlainText(), base.decisions),
            open_questions=text_to_notes(self.questions.toPlainText(), base.open_questions),
            action_items=tuple(self.actions_model.items),
        )

    def _meeting_date(self) -> str | None:
        """When the open meeting was recorded (ISO 8601), if known."""
        return (self.session.meta.created or None) if self.session is not None else None

    def _edited(self) -> None:
        if self._loading or self.session is None or self.so_far is not None:
            return
        self._dirty = True
        self._timer.start()

    def _table_edited(self) -> None:
        if self._loading or self.session is None or self.so_far is not None:
            return
        self._dirty = True
        self.save()

    def flush(self) -> None:
        """Save pending edits now."""
        if self._dirty:
            self.save()

    def save(self) -> None:
        """Write the form to ``minutes.json`` (atomically)."""
        self._timer.stop()
        minutes = self.current_minutes() if self._dirty else None
        self._dirty = False
        if minutes is None or self.session is None:
            return
        folder = self.session.folder
        if not self.saves.run(
            f"minutes:{folder}",
            lambda: save_minutes(folder, minutes),
            lambda e: self.tr("Cannot save the minutes: {e}. Your edits stay in the window and "
                              "are saved as soon as that works again.").format(e=e),
        ):  # fmt: skip
            return
        self.minutes = minutes
        self._show_state()
        self.minutesSaved.emit(minutes)

    def _add_action(self) -> None:
        if self.session is None:
            return
        row = self.actions_model.add(self.tr("New task"))
        index = self.actions_model.index(row, Col.Task)
        self.actions_table.setCurrentIndex(index)
        self.actions_table.edit(index)

    def _remove_actions(self) -> None:
        rows = [i.row() for i in self.actions_table.selectionModel().selectedRows()]
        if not rows and self.actions_table.currentIndex().isValid():
            rows = [self.actions_table.currentIndex().row()]
        if rows:
            self.actions_model.remove(rows)

    def _action_double_clicked(self, index: QModelIndex) -> None:
        if index.column() != Col.Time:
            return
        segment = self.actions_model.segment_id(index.row())
        if segment is not None:
            self.jumpRequested.emit(segment)

    # -- generating -------------------------------------------------------
    def generate(self) -> Job | None:
        """Write the minutes with the language model in the background."""
        session = self.session
        document = self.document_source() if session is not None else None
        if session is None or document is None:
            self.errorOccurred.emit(self.tr("Open a transcribed meeting in Review first."))
            return None
        if self.job is not None:
            return None
        self.flush()
        if self.minutes is not None and not dialogs.ask(
            self, self.tr("Generate minutes"),
            self.tr("Replace the minutes of this meeting, with your edits, by new ones?"),
        ):  # fmt: skip
            return None
        template = str(self.template.currentData() or "general")
        # The notes taken during the next meeting use the template chosen last.
        self.engine.config.extra["minutes_template"] = template
        job = minutes_job(
            self.engine,
            session.folder,
            document,
            template,
            fast=self.fast.isChecked(),
            model_title=session.meta.title_is_default(),
        )
        job.signals.item.connect(self._token)
        job.signals.partial.connect(self._show_so_far)
        job.signals.progress.connect(self._progress)
        job.signals.time_left.connect(self._time_left)
        job.signals.succeeded.connect(self._generated)
        job.signals.failed.connect(self._failed)
        job.signals.cancelled.connect(self._cancelled)
        job.signals.finished.connect(self._job_finished)
        job.cancel_in_view = True  # our Cancel, next to Generate, is the one to use
        try:
            self.runner.start(job)
        except JOB_ERRORS as exc:
            self.errorOccurred.emit(str(exc))
            return None
        self.job = job
        self._job_folder = session.folder
        self._started = time.monotonic()
        self._stage = ""
        self._left_at = None
        self._clear_live(minutes_language(document))
        self.progress.setValue(0)
        self._say(self.tr("Starting the language model…"))
        self._show_state()
        return job

    def _say(self, text: str, *, error: bool = False) -> None:
        """A line under the buttons (hidden when empty)."""
        self.status.setStyleSheet("color:#b91c1c;" if error else "")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel.cancel()
            self._say(self.tr("Cancelling…"))

    def _token(self, text: str) -> None:
        self._live.feed(text)
        self._show_live()

    def _clear_live(self, language: str = "en") -> None:
        self._live = ReadableStream(language)
        self._shown = ""
        self.preview.clear()

    def _show_live(self) -> None:
        """Rewrite only what changed: a reply's rendering changes as its JSON grows."""
        text = self._live.text
        same = len(os.path.commonprefix([self._shown, text]))  # noqa: RUF071 (strings, not paths)
        cursor = QTextCursor(self.preview.document())
        cursor.setPosition(_utf16_len(text[:same]))  # Qt counts UTF-16 units
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text[same:])
        self._shown = text
        self.preview.moveCursor(QTextCursor.MoveOperation.End)
        self.preview.ensureCursorVisible()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        label = self._stage_label(message)
        if label and label != self._stage:
            self._stage = label
            self._say(label)
            # The pane's heading follows the minutes' language, like the draft and the
            # labelled lines under it; the status line above stays in the UI language.
            self._live.stage(message)
            self._show_live()

    def _time_left(self, seconds: float) -> None:
        self._left_at = (seconds, time.monotonic())
        self._show_time_left()
        self._left_timer.start()

    def _show_time_left(self) -> None:
        """Count down between the job's reports (a long reply sends none while written)."""
        if self._left_at is None or self.job is None:
            self.time_left.hide()
            self._left_timer.stop()
            return
        seconds, told = self._left_at
        left = max(0.0, seconds - (time.monotonic() - told))
        if left < 60:
            text = self.tr("under a minute left")
        else:
            text = self.tr("about {n} min left").format(n=round(left / 60))
        self.time_left.setText(text)
        self.time_left.setToolTip(
            self.tr("Estimated from how fast this computer ran the model before.")
        )
        self.time_left.show()

    def _stage_label(self, message: str) -> str:
        """The core's progress message in the UI language."""
        words = message.split()
        if message == "loading the language model":
            return self.tr("Loading the language model…")
        if words[:1] == ["part"] and len(words) == 2:
            return self.tr("Notes, part {n}").format(n=words[1])
        if words[:2] == ["action", "items"] and len(words) == 3:
            return self.tr("Action items {n}").format(n=words[2])
        if message == "merging":
            return self.tr("Putting the minutes together…")
        if message == "done":
            return ""
        return message

    def _show_so_far(self, so_far: MinutesSoFar) -> None:
        """The minutes of what the model has read, read-only until the rest is read."""
        if self.session is None or self.session.folder != self._job_folder:
            return
        if self.so_far is None:
            self._before = self.minutes
        self.so_far = so_far
        if so_far.lines_before:
            reading = self.tr("The model is still reading the meeting from {t} on, and {n} "
                              "earlier task line(s).")  # fmt: skip
        else:
            reading = self.tr("The model is still reading the meeting from {t} on.")
        reading = reading.format(t=format_duration(so_far.unread_from_s), n=so_far.lines_before)
        self.so_far_note.setText(
            self.tr("Minutes so far. {reading} The complete minutes replace these when it is "
                    "done; then you can edit and export them.").format(reading=reading)
        )  # fmt: skip
        self.show_minutes(so_far.minutes)

    def _leave_so_far(self, *, restore: bool = False) -> None:
        """Back from the minutes so far (to those before them, when `restore`)."""
        if self.so_far is None:
            return
        self.so_far = None
        if restore:
            self.show_minutes(self._before)
        self._before = None
        self._show_state()

    def _generated(self, minutes: Minutes) -> None:
        seconds = time.monotonic() - self._started
        self._leave_so_far()
        if self.session is not None and self.session.folder == self._job_folder:
            self.show_minutes(minutes)
        self._say(
            self.tr("Written by {model} in {s} s. Check and edit them; changes are saved as "
                    "you type.").format(model=minutes.model or "?", s=f"{seconds:.0f}")
        )  # fmt: skip
        self.minutesSaved.emit(minutes)

    def _failed(self, message: str) -> None:
        self._leave_so_far(restore=True)
        self._say(self.tr("The minutes could not be written: {e}").format(e=message), error=True)
        self.errorOccurred.emit(message)

    def _cancelled(self) -> None:
        self._leave_so_far(restore=True)
        self._say(self.tr("Cancelled; the minutes were not changed."))

    def _job_finished(self) -> None:
        self._left_at = None
        self._left_timer.stop()
        self._live.close()
        self._show_live()
        self.job = None
        self._job_folder = None
        self._show_state()

    # -- templates and export ---------------------------------------------
    def open_template(self) -> Path | None:
        """Copy the chosen template into the user's folder and open it in the system editor."""
        from minutes.llm.templates import copy_for_editing

        name = str(self.template.currentData() or "general")
        try:
            path = copy_for_editing(name)
        except (LlmError, OSError) as exc:
            self.errorOccurred.emit(str(exc))
            return None
        self._say(
            self.tr("Editing {path}. Your copy is used from the next minutes you generate.")
            .format(path=path)
        )  # fmt: skip
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def export(self) -> QWidget | None:
        """Open the export dialog for these minutes."""
        from ui.views.minutes_export_dialog import MinutesExportDialog

        self.flush()
        minutes = self.current_minutes()
        if minutes is None:
            self.errorOccurred.emit(self.tr("There are no minutes to export yet."))
            return None
        dialog = MinutesExportDialog(
            minutes, self.document_source(), self.runner, self.export_dir, self
        )
        self.last_export = dialog
        dialog.show()
        return dialog


def _group(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 4, 6, 6)
    layout.addWidget(widget)
    return box


def _date_text(value: str | None) -> str:
    from minutes.export._shared import display_date

    return display_date(value) or ""


def _date_value(text: str, old: str | None) -> str | None:
    """The date as typed; an unchanged display of the stored date keeps the stored value."""
    if not text:
        return None
    if old and _date_text(old) == text:
        return old
    from datetime import datetime

    try:
        return datetime.fromisoformat(text).isoformat(timespec="minutes")
    except ValueError:
        return text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
