"""The main window: library, Record, Review, Glossary, Minutes; menus, status bar, jobs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from glossary.terms import Glossary
from minutes import capture
from minutes.audio import SUPPORTED_SUFFIXES
from minutes.errors import USER_ERRORS
from minutes.pipeline import RunResult
from minutes.recheck import RecheckReport
from minutes.session import Session
from minutes.types import Document
from ui import dialogs
from ui.recording import RecordingController
from ui.views.export_dialog import ExportDialog
from ui.views.glossary_view import GlossaryView
from ui.views.library_view import LibraryView
from ui.views.minutes_view import MinutesView
from ui.views.record_view import RecordView
from ui.views.review_view import ReviewView
from ui.views.settings_dialog import SettingsDialog
from ui.views.speakers_dialog import SpeakersDialog
from ui.views.voices_dialog import VoicesDialog
from ui.workers import (
    JOB_ERRORS,
    Engine,
    Job,
    JobRunner,
    correct_job,
    library_job,
    load_model_job,
    repair_job,
    status_bar_cancels,
    transcribe_job,
)

logger = logging.getLogger(__name__)
LIBRARY, RECORD, REVIEW, GLOSSARY, MINUTES = range(5)
STYLE = """
QListWidget#nav { font-size: 11pt; }
QListWidget#nav::item { padding: 8px 6px; }
QTableView::item:selected { background: #dbeafe; color: #111111; }
QPushButton#recordButton { color: #b91c1c; font-weight: bold; }
"""


def standard_keys(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's keys for a standard command, or `fallback` where it has none (no
    Settings key on Linux and Windows, no Quit key on Windows: most apps use Ctrl+, and
    Ctrl+Q there), so the menus show a key on every platform."""
    return QKeySequence.keyBindings(key) or [QKeySequence(fallback)]


class MainWindow(QMainWindow):
    def __init__(self, engine: Engine, sd: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._library_job: Job | None = None
        self.runner = JobRunner(self)
        self.recorder = RecordingController(engine, self.runner, sd=sd, parent=self)
        self.export_dir = Path.home() / "Documents"
        self.last_export: ExportDialog | None = None
        self.speakers_dialog: SpeakersDialog | None = None
        self.voices_dialog: VoicesDialog | None = None
        self.setWindowTitle("minutes")
        self.setAcceptDrops(True)

        self.library = LibraryView(engine.sessions_root)
        self.record = RecordView(self.recorder)
        self.review = ReviewView(engine)
        self.glossary = GlossaryView(engine)
        self.minutes = MinutesView(engine, self.runner, self.review.document)
        self.minutes.export_dir = self.export_dir
        self.repair: Job | None = None
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.setStyleSheet(STYLE)
        for label, view in (
            (self.tr("Library"), self.library), (self.tr("Record"), self.record),
            (self.tr("Review"), self.review), (self.tr("Glossary"), self.glossary),
            (self.tr("Minutes"), self.minutes),
        ):  # fmt: skip
            self.nav.addItem(label)
            self.stack.addWidget(view)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.stack.currentChanged.connect(
            lambda _i: self.review.set_active(self.stack.currentWidget() is self.review)
        )
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._status_bar()
        self._menus()
        self._connect()
        self.library.reload()
        self.nav.setCurrentRow(LIBRARY)
        self.record.refresh_devices()
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 700)

    # -- building ---------------------------------------------------------
    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.model_label = QLabel()
        self.job_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_jobs)
        bar.addWidget(self.model_label)
        bar.addPermanentWidget(self.job_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._show_idle()
        self.runner.jobStarted.connect(self._job_started)
        self.runner.jobFinished.connect(lambda _job: self._show_idle())

    def _menus(self) -> None:
        def action(menu: Any, text: str, slot: Any, *keys: Any) -> QAction:
            act = QAction(text, self)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])  # the first one is shown
                act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        keys = QKeySequence.StandardKey
        action(file_menu, self.tr("Import recording…"), self.import_dialog, keys.Open)
        # Ctrl+E is the key Review's Export… button shows; Ctrl+Shift+E is kept for habit.
        self.export_action = action(file_menu, self.tr("Export…"), self.export_current,
                                    "Ctrl+E", "Ctrl+Shift+E")  # fmt: skip
        self.settings_action = action(file_menu, self.tr("Settings…"), self.open_settings,
                                      *standard_keys(keys.Preferences, "Ctrl+,"))  # fmt: skip
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        self.quit_action = action(file_menu, self.tr("Quit"), self.close,
                                  *standard_keys(keys.Quit, "Ctrl+Q"))  # fmt: skip
        rec = self.menuBar().addMenu(self.tr("&Record"))
        self.record_action = action(
            rec, self.tr("Start/stop recording"), self.toggle_recording, "Ctrl+R"
        )
        action(rec, self.tr("Pause/resume"), self.record._pause, "Ctrl+Shift+R")
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        edit.addAction(self.review.undo_action)
        edit.addAction(self.review.redo_action)  # fmt: skip
        # Review's commands, with their keys; enabled while Review is the page shown
        # (`ReviewView.set_active`), whichever of its widgets has the focus.
        review = self.menuBar().addMenu(self.tr("Re&view"))
        commands = self.review.commands
        for group in (("prev", "next"), ("accept", "reject", "accept_term", "reject_term"),
                      ("play",)):  # fmt: skip
            review.addActions([commands[name] for name in group])
            review.addSeparator()
        review.addAction(self.export_action)
        speakers = self.menuBar().addMenu(self.tr("&Speakers"))
        # The keys Review's Speakers… and Ask the LLM buttons show; from any page, like
        # these menu items (they act on the meeting open in Review).
        action(speakers, self.tr("Speakers of this meeting…"), self.open_speakers,
               "Ctrl+Shift+K")  # fmt: skip
        action(speakers, self.tr("Find speakers in this meeting"), self.find_speakers)
        action(speakers, self.tr("Saved voices…"), self.open_voices)
        ai = self.menuBar().addMenu(self.tr("&AI"))
        action(ai, self.tr("Generate minutes"), self.generate_minutes)
        action(ai, self.tr("Ask the LLM for fixes"), self.ask_llm_fixes, "Ctrl+Shift+L")

    def _connect(self) -> None:
        self.library.openRequested.connect(self.open_review)
        self.library.importRequested.connect(self.import_dialog)
        self.recorder.recordingFinished.connect(self._recording_finished)
        self.review.exportRequested.connect(self.export_document)
        self.review.errorOccurred.connect(self.show_error)
        self.review.speakersRequested.connect(self.open_speakers)
        self.review.repairRequested.connect(self.ask_llm_fixes)
        self.review.sessionOpened.connect(self.minutes.open_session)
        self.review.speakerNamesChanged.connect(self.minutes.rename_speakers)
        self.review.sessionOpened.connect(self._recheck_opened)
        self.minutes.errorOccurred.connect(self.show_error)
        self.minutes.jumpRequested.connect(self.show_in_review)
        self.glossary.errorOccurred.connect(self.show_error)
        self.glossary.glossaryChanged.connect(self._glossary_changed)

    # -- status -----------------------------------------------------------
    def _show_idle(self) -> None:
        asr = self.engine.service.asr_settings()
        if asr.backend == "endpoint":
            host = urlsplit(asr.endpoint.base_url).netloc or asr.endpoint.base_url
            self.model_label.setText(
                self.tr("Server: {model} at {host}").format(model=asr.endpoint.model, host=host)
            )
        else:
            self.model_label.setText(
                self.tr("Model: {model}").format(model=self.engine.config.model)
            )
        running = [j for j in self.runner.jobs if not j.done.is_set()]
        if running:
            self._job_started(running[-1])
            return
        self.job_label.setText("")
        self.progress.hide()
        self.cancel_button.hide()

    def _job_started(self, job: Job) -> None:
        labels = {
            "Loading model": self.tr("Loading model"), "Transcribing": self.tr("Transcribing"),
            "Applying glossary": self.tr("Applying glossary"), "Exporting": self.tr("Exporting"),
            "Live transcript": self.tr("Live transcript"), "Saving voice": self.tr("Saving voice"),
            "Writing minutes": self.tr("Writing minutes"),
            "Asking the LLM for fixes": self.tr("Asking the LLM for fixes"),
            "Re-checking meetings with the glossary":
                self.tr("Re-checking meetings with the glossary"),
        }  # fmt: skip
        key = next((k for k in labels if job.name.startswith(k)), "")
        self.job_label.setText(labels[key] + job.name[len(key):] if key else job.name)
        self.progress.setValue(0)
        self.progress.show()
        # Only where it stops something: a view's own Cancel is not offered twice.
        self.cancel_button.setVisible(any(status_bar_cancels(j) for j in self.runner.jobs))
        job.signals.progress.connect(self._job_progress)

    def _job_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))

    def cancel_jobs(self) -> None:
        for job in self.runner.jobs:
            if status_bar_cancels(job):
                job.cancel.cancel()

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        dialogs.error(self, self.tr("minutes"), message)

    def preload_model(self) -> Job:
        """Load the speech model in the background now, so the first live text comes fast."""
        job = load_model_job(self.engine)
        job.signals.failed.connect(self.show_error)
        return self.runner.start(job)

    # -- navigation -------------------------------------------------------
    def open_review(self, session: Session) -> None:
        if session.load_asr() is None and session.audio_path and session.audio_path.is_file():
            if dialogs.ask(self, self.tr("Not transcribed"),
                           self.tr("“{t}” has no transcript yet. Transcribe it now?")
                           .format(t=session.meta.title)):  # fmt: skip
                self.transcribe(session)
            return
        self.review.open_session(session)
        self.nav.setCurrentRow(REVIEW)

    def show_in_review(self, segment_id: int) -> None:
        """A time link in the minutes: show that segment in Review."""
        if self.review.session is None:
            return
        self.nav.setCurrentRow(REVIEW)
        self.review.show_segment(segment_id)

    def toggle_recording(self) -> None:
        self.nav.setCurrentRow(RECORD)
        if self.recorder.state == "idle":
            self.record._record()
        else:
            self.recorder.stop()

    # -- jobs -------------------------------------------------------------
    def transcribe(
        self, source: Path | Session, title: str | None = None, *, diarize: bool | None = None
    ) -> Job | None:
        """Run the pipeline in the background on an imported file or a meeting of the
        library; open the review when done.

        `diarize` overrides the "find speakers" setting for this run.
        """
        job = transcribe_job(self.engine, source, title, diarize=diarize)
        job.signals.succeeded.connect(self._transcribed)
        job.signals.failed.connect(self.show_error)
        job.signals.cancelled.connect(
            lambda: self.statusBar().showMessage(self.tr("Cancelled; finished work is kept."), 8000)
        )
        try:
            return self.runner.start(job)
        except USER_ERRORS as exc:
            self.show_error(str(exc))
            return None

    def _transcribed(self, result: RunResult) -> None:
        if result.notes:  # e.g. the server failed and this computer transcribed instead
            self.statusBar().showMessage(" · ".join(result.notes), 15000)
        self.library.reload()
        self.library.select_folder(result.session.folder)
        self.review.open_session(result.session)
        self.nav.setCurrentRow(REVIEW)
        if self._minutes_at_stop(result.session):
            self.generate_minutes()  # the notes of the parts over were taken meanwhile

    def _minutes_at_stop(self, session: Session) -> bool:
        """A recording whose minutes' notes were taken during the meeting, that has no
        minutes yet: its minutes are written at once, not on request."""
        from minutes.meeting import MINUTES_FILE

        folder = session.folder.resolve()
        work = self.recorder.minutes_at_stop.pop(folder, None)
        if work is None or "notes" in work.errors:  # e.g. no language model could start
            return False
        return not (folder / MINUTES_FILE).exists()

    def _recording_finished(self, session: Session) -> None:
        self.library.reload()
        if self.recorder.last_error_kind == "disk_full":
            return  # transcribing needs disk space too; Review offers it later
        if session.audio_path and session.meta.duration > 0:
            self.transcribe(session)

    def import_files(self, paths: list[Path]) -> None:
        for path in paths:
            self.transcribe(path)

    def import_dialog(self) -> None:
        pattern = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import recording"), "", self.tr("Audio/video ({p})").format(p=pattern)
        )
        self.import_files([Path(n) for n in names])

    def _glossary_changed(self, glossary: Glossary) -> None:
        """Re-check the open meeting (merged into Review) and, in the background, every
        other meeting corrected with an older glossary; the user's decisions are kept."""
        session = self.review.session
        if session is not None and self.review.model.transcript is not None:
            self._correct_open(session, glossary)
        if self._library_job is not None:
            self._library_job.cancel.cancel()  # superseded by this newer glossary
        job = library_job(self.engine, glossary, skip=session.folder if session else None)
        job.signals.succeeded.connect(self._library_rechecked)
        job.signals.failed.connect(self.show_error)
        self._library_job = job
        self.runner.start(job)

    def _correct_open(self, session: Session, glossary: Glossary) -> None:
        job = correct_job(session, glossary, self.engine)
        job.signals.succeeded.connect(lambda r: self.review.merge_fresh(*r))
        job.signals.failed.connect(self.show_error)
        self.runner.start(job)

    def _recheck_opened(self, session: Session) -> None:
        """A meeting corrected with an older glossary (or made with the CLI) is brought up
        to date when it is opened."""
        from minutes.recheck import is_stale
        from minutes.session import SessionError

        glossary = self.engine.glossary()
        guided_by = self.engine.config.model if self.engine.config.guided_decoding else None
        try:
            stale = is_stale(session, glossary, guided_by)
        except (OSError, ValueError, SessionError) as exc:
            logger.warning("cannot tell whether %s is up to date: %s", session.folder, exc)
            return
        if stale and self.review.model.transcript is not None:
            self._correct_open(session, glossary)

    def _library_rechecked(self, report: RecheckReport) -> None:
        changed, checked = report.changed, len(report.checked)
        if checked:
            self.statusBar().showMessage(
                self.tr("Glossary applied to {n} other meeting(s); {c} got new changes.").format(
                    n=checked, c=changed
                ),
                8000,
            )


    def export_current(self) -> None:
        doc = self.review.document()
        if doc is None:
            self.show_error(self.tr("Open a transcribed meeting in Review first."))
            return
        self.export_document(doc)

    def export_document(self, document: Document) -> None:
        dialog = ExportDialog(document, self.runner, self.export_dir, self)
        self.last_export = dialog
        dialog.show()

    # -- LLM ----------------------------------------------------------------
    def generate_minutes(self) -> Job | None:
        self.nav.setCurrentRow(MINUTES)
        return self.minutes.generate()

    def ask_llm_fixes(self) -> Job | None:
        """LLM context repair of the meeting in Review; its proposals join the review."""
        session, transcript = self.review.session, self.review.model.transcript
        if session is None or transcript is None:
            self.show_error(self.tr("Open a transcribed meeting in Review first."))
            return None
        if self.repair is not None:
            return None
        job = repair_job(self.engine, session, transcript, self.review.model.corrections)
        job.signals.succeeded.connect(self._repaired)
        job.signals.failed.connect(self.show_error)
        job.signals.cancelled.connect(self._repair_cancelled)
        job.signals.finished.connect(self._repair_finished)
        try:
            self.runner.start(job)
        except JOB_ERRORS as exc:
            self.show_error(str(exc))
            return None
        self.repair = job
        self.review.set_repair_busy(True)
        self.statusBar().showMessage(self.tr("The LLM is reading the transcript…"))
        return job

    def _repaired(self, result: tuple[Session, Any]) -> None:
        from minutes.session import SessionError
        from ui.models.edits import merge_llm_proposals

        session, repair = result
        proposals = list(repair.corrections)
        if self.review.session is not None and self.review.session.folder == session.folder:
            added = self.review.merge_llm(session, proposals)
        else:  # another meeting is open now: add them to that meeting's file
            try:
                existing = session.load_corrections()
                merged = merge_llm_proposals(existing, proposals)
                session.save_corrections(merged, session.corrections_key())
            except (OSError, SessionError) as exc:
                self.show_error(str(exc))
                return
            added = len(merged) - len(existing)
        message = (
            self.tr("The LLM proposed {n} fix(es), highlighted in violet: accept or reject each.")
            .format(n=added) if added
            else self.tr("The LLM found nothing to fix.")
        )  # fmt: skip
        stats = getattr(repair, "stats", None)
        if not added and stats is not None and stats.json_invalid and not stats.json_valid:
            message = self.tr(
                "The LLM's answers could not be read (not the JSON asked for), so nothing was "
                "changed. Try again or choose another model."
            )
            self.show_error(message)
        self.statusBar().showMessage(message, 15_000)

    def _repair_cancelled(self) -> None:
        self.statusBar().showMessage(self.tr("Cancelled; the review was not changed."), 8000)

    def _repair_finished(self) -> None:
        self.repair = None
        self.review.set_repair_busy(False)

    # -- speakers ---------------------------------------------------------
    def open_speakers(self) -> SpeakersDialog | None:
        """The Speakers panel of the meeting open in Review."""
        if self.review.session is None or self.review.model.transcript is None:
            self.show_error(self.tr("Open a transcribed meeting in Review first."))
            return None
        if self.speakers_dialog is None:
            self.speakers_dialog = SpeakersDialog(self.review, self.runner, self)
            self.speakers_dialog.findRequested.connect(self.find_speakers)
            self.speakers_dialog.voicesRequested.connect(self.open_voices)
            self.speakers_dialog.voiceSaved.connect(self._voice_saved)
        self.speakers_dialog.load()
        self.speakers_dialog.show()
        self.speakers_dialog.raise_()
        return self.speakers_dialog

    def find_speakers(self) -> Job | None:
        """Diarize the meeting open in Review (its transcript is reused); reopen it when done."""
        session = self.review.session
        if session is None or session.audio_path is None or not session.audio_path.is_file():
            self.show_error(self.tr("Open a meeting with its audio in Review first."))
            return None
        return self.transcribe(session, diarize=True)

    def open_voices(self) -> VoicesDialog:
        if self.voices_dialog is None:
            self.voices_dialog = VoicesDialog(self)
        self.voices_dialog.reload()
        self.voices_dialog.show()
        self.voices_dialog.raise_()
        return self.voices_dialog

    def _voice_saved(self, profile: Any) -> None:
        self.statusBar().showMessage(
            self.tr("Saved the voice of {name}.").format(name=profile.name), 8000
        )
        if self.voices_dialog is not None:
            self.voices_dialog.reload()

    # -- settings ---------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.engine.config, self.recorder.devices(), self)
        dialog.accepted.connect(lambda: self.apply_settings(dialog))
        dialog.show()
        return dialog

    def apply_settings(self, dialog: SettingsDialog) -> None:
        old = self.engine.config
        new = dialog.result_config()
        try:
            self.engine.apply_config(new)
        except OSError as exc:
            self.show_error(str(exc))
            return
        if new.sessions_root() != old.sessions_root():
            self.library.reload(new.sessions_root())
        self.record.refresh_devices()
        self._show_idle()
        if (new.extra.get("ui_language") or "system") != (old.extra.get("ui_language") or "system"):
            from ui import app as app_module

            app_module.switch_language(new.extra.get("ui_language"))

    # -- recovery, drag and drop, closing --------------------------------
    def check_recovery(self) -> list[Session]:
        """Offer to recover recordings left unfinished by a crash; returns those recovered."""
        recovered = []
        for session in capture.unfinished_recordings(self.engine.sessions_root):
            if dialogs.ask(self, self.tr("Recover recording"),
                           self.tr("The recording “{t}” was not stopped properly (crash or power "
                                   "loss). Recover it and transcribe it?")
                           .format(t=session.meta.title)):  # fmt: skip
                try:
                    capture.recover(session)
                except (OSError, *USER_ERRORS) as exc:
                    self.show_error(str(exc))
                    continue
                recovered.append(session)
                self._recording_finished(session)
            else:
                capture.discard(session)
        self.library.reload()
        return recovered

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # -- a rebuild in another language ------------------------------------
    def save_all(self) -> bool:
        """Write every edit still waiting (open editors, the minutes form, failed saves);
        True when nothing is left unsaved."""
        self.review.finish_editing()
        self.minutes.flush()
        return all([v.saves.retry() for v in (self.review, self.minutes, self.glossary)])

    def busy(self) -> bool:
        """A job runs whose results this window would show or save (wait before rebuilding)."""
        return any(not job.done.is_set() for job in self.runner.jobs)

    def take_over(self, old: MainWindow) -> None:
        """Show what `old` showed: the same meeting, page and place (a language switch
        builds a new window; everything was saved first, see `save_all`)."""
        from minutes.session import SessionError

        self.setWindowState(old.windowState())
        self.export_dir = self.minutes.export_dir = old.export_dir
        session = old.review.session
        if session is not None:
            try:
                reopened = Session.open(session.folder)  # as saved, names and all
            except (OSError, SessionError) as exc:  # deleted meanwhile: nothing to show
                logger.warning("cannot reopen %s: %s", session.folder, exc)
            else:
                self.review.open_session(reopened)
                if self.review.session is not None:
                    self.review.restore_view_state(old.review.view_state())
                    self.library.select_folder(reopened.folder)
        page = old.nav.currentRow()
        if session is not None and self.review.session is None and page in (REVIEW, MINUTES):
            page = LIBRARY
        self.nav.setCurrentRow(page)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.review.finish_editing()
        self.minutes.flush()
        unsaved = [v for v in (self.review, self.minutes, self.glossary) if not v.saves.retry()]
        if unsaved and not dialogs.ask(
            self, self.tr("Not saved"),
            self.tr("Some changes could not be saved (is the disk full?). Quit anyway and "
                    "lose them?"),
        ):  # fmt: skip
            event.ignore()
            return
        if self.recorder.state in ("recording", "paused"):
            if not dialogs.ask(self, self.tr("Recording"),
                               self.tr("A recording is running. Stop it and quit?")):  # fmt: skip
                event.ignore()
                return
            self.recorder.stop()
        QSettings().setValue("window/geometry", self.saveGeometry())
        self.runner.cancel_all()
        self.runner.wait(10_000)
        super().closeEvent(event)
