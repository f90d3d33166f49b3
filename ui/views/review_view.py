"""Review: raw text left, reviewed text right; decide changes, edit, listen, undo."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from glossary.errors import GlossaryError
from glossary.terms import Glossary
from minutes.session import Session, SessionError, merge_glossary_corrections
from minutes.types import Correction, CorrectionSource, CorrectionStatus, Document
from ui.models import edits
from ui.models.review import Col, ReviewModel
from ui.pending_saves import PendingSaves
from ui.widgets.rich_delegate import RichTextDelegate
from ui.workers import Engine

logger = logging.getLogger(__name__)


class _SetCorrections(QUndoCommand):
    def __init__(self, view: ReviewView, old: list[Correction], new: list[Correction], text: str):
        super().__init__(text)
        self.view, self.old, self.new = view, old, new

    def redo(self) -> None:
        self.view._apply(self.new)

    def undo(self) -> None:
        self.view._apply(self.old)


class _SetSpeakerNames(QUndoCommand):
    def __init__(self, view: ReviewView, old: dict[str, str], new: dict[str, str], text: str):
        super().__init__(text)
        self.view, self.old, self.new = view, old, new

    def redo(self) -> None:
        self.view._apply_names(self.new)

    def undo(self) -> None:
        self.view._apply_names(self.old)


MENU_OWNED = frozenset({"speakers", "llm", "export"})  # keys owned by the main window's menus


class _CommandButton(QPushButton):
    """A Review button whose enabled state (set by the view) its menu command follows."""

    def __init__(self, text: str, on_enabled: Callable[[], None]) -> None:
        super().__init__(text)
        self._on_enabled = on_enabled

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._on_enabled()


class ReviewView(QWidget):
    """Shows one session; every decision is saved at once (atomically) and undoable."""

    exportRequested = Signal(object)  # Document
    errorOccurred = Signal(str)
    speakersRequested = Signal()  # the "Speakers…" panel
    sessionOpened = Signal(object)  # Session
    speakerNamesChanged = Signal(dict)  # speaker id -> name, after a rename, undo or redo
    repairRequested = Signal()  # "Ask the LLM for fixes"

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.session: Session | None = None
        self.saves = PendingSaves(self)  # a failed save (disk full) is kept and retried
        self.saves.failed.connect(self.errorOccurred)
        self._key: str | None = None
        self._play_end = 0.0
        self._player: object | None = None
        self._offer: tuple[str, str] | None = None
        self._glossary_cache: tuple[tuple[int, int] | None, Glossary] | None = None
        self.undo_stack = QUndoStack(self)
        self.model = ReviewModel(self)
        self.model.edit_handler = self.edit_segment
        self.model.rename_handler = self.rename_speaker
        self._build()

    def _build(self) -> None:
        self.title = QLabel(self.tr("No meeting open. Pick one in the library."))
        self.title.setObjectName("reviewTitle")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.delegate = RichTextDelegate(self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = self.table.horizontalHeader()
        # Time and Speaker are sized from their few distinct values (`_fit_columns`), not
        # ResizeToContents, which measures every row again after each change.
        header.setSectionResizeMode(Col.Time, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Col.Speaker, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Col.Raw, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Col.Corrected, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the wrapped text, but only rows on screen are measured: Qt's
        # ResizeToContents lays out every row's HTML on each change (seconds per click on a
        # 3-hour meeting). The table scrolls per item, so sizing rows later never moves
        # what the user is looking at.
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        rows.hide()
        self._sized: set[int] = set()
        self._sizing = False
        self._size_timer = QTimer(self)
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(0)
        self._size_timer.timeout.connect(self._size_visible_rows)
        self.table.verticalScrollBar().valueChanged.connect(self._size_visible_rows)
        header.sectionResized.connect(self._resize_all_rows)
        self.model.modelReset.connect(self._resize_all_rows)
        self.model.dataChanged.connect(self._rows_changed)
        self.table.viewport().installEventFilter(self)
        self.table.clicked.connect(self._row_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.delegate.wordClicked.connect(self._word_clicked)

        self.buttons: dict[str, QPushButton] = {}
        # The page's commands are QActions, listed in the main window's Review menu (with
        # their keys) and enabled only while Review is the current page (`set_active`), so
        # a key works whatever has the focus in the window, and never on another page.
        # Speakers…, Ask the LLM and Export… are also in the Speakers, AI and File menus,
        # which own those keys (they work from every page): no second shortcut here, which
        # would make the keys ambiguous (and then neither would work).
        self.commands: dict[str, QAction] = {}
        self._active = False
        self.bar = QWidget()  # disabled until a meeting is open: its buttons would do nothing
        self.bar.setEnabled(False)
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        specs = [
            ("prev", self.tr("◀ Previous"), "Alt+Up", self.previous_change),
            ("next", self.tr("Next ▶"), "Alt+Down", self.next_change),
            ("accept", self.tr("Accept"), "Alt+Return", self.accept_current),
            ("reject", self.tr("Reject"), "Alt+Backspace", self.reject_current),
            ("accept_term", self.tr("Accept all of term"), "Alt+Shift+Return",
             lambda: self.decide_term(CorrectionStatus.ACCEPTED)),
            ("reject_term", self.tr("Reject all of term"), "Alt+Shift+Backspace",
             lambda: self.decide_term(CorrectionStatus.REJECTED)),
            ("play", self.tr("Play"), "Ctrl+Space", self.play_selected),
            ("speakers", self.tr("Speakers…"), "Ctrl+Shift+K", self.request_speakers),
            ("llm", self.tr("Ask the LLM for fixes"), "Ctrl+Shift+L", self.request_repair),
            ("export", self.tr("Export…"), "Ctrl+E", self._export),
        ]  # fmt: skip
        menu_texts = {"prev": self.tr("Previous change"), "next": self.tr("Next change"),
                      "accept": self.tr("Accept change"), "reject": self.tr("Reject change"),
                      "play": self.tr("Play segment")}  # fmt: skip
        for name, label, keys, slot in specs:
            button = _CommandButton(label, self._sync_commands)
            button.setToolTip(f"{label} ({QKeySequence(keys).toString()})")
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
            if name in MENU_OWNED:
                continue
            action = QAction(menu_texts.get(name, label), self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)
            self.commands[name] = action
        bar.addStretch(1)
        # Undo/Redo follow both the stack and the page (Qt's own undo actions would
        # enable themselves on another page when the glossary re-checks this meeting).
        self.undo_action = QAction(self.tr("Undo"), self)
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)  # every binding
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.redo_action = QAction(self.tr("Redo"), self)
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(self.undo_stack.redo)
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
        for signal in (self.undo_stack.canUndoChanged, self.undo_stack.canRedoChanged,
                       self.undo_stack.undoTextChanged, self.undo_stack.redoTextChanged):
            signal.connect(self._sync_commands)  # fmt: skip
        self._sync_commands()

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.offer_label = QLabel()
        self.offer_add = QPushButton(self.tr("Add to glossary"))
        self.offer_add.clicked.connect(self.accept_offer)
        self.offer_dismiss = QPushButton(self.tr("Dismiss"))
        self.offer_dismiss.clicked.connect(lambda: self._show_offer(None))
        self.offer_bar = QWidget()
        offer = QHBoxLayout(self.offer_bar)
        offer.setContentsMargins(0, 0, 0, 0)
        offer.addWidget(self.offer_label, 1)
        offer.addWidget(self.offer_add)
        offer.addWidget(self.offer_dismiss)
        self.offer_bar.hide()
        self.teach = QPushButton(self.tr("Teach glossary this change"))
        self.teach.clicked.connect(self._teach_current)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)
        details = QHBoxLayout()
        details.addWidget(self.detail, 1)
        details.addWidget(self.teach)
        layout.addLayout(details)
        layout.addWidget(self.offer_bar)
        self._update_detail()

    # -- commands (menus, keys) --------------------------------------------
    def set_active(self, active: bool) -> None:
        """Review is (or is no longer) the page shown: its menu commands and keys follow."""
        self._active = active
        self._sync_commands()

    def _sync_commands(self, *_: object) -> None:
        """Each command is enabled while the page is shown and its button is enabled."""
        if not hasattr(self, "undo_action"):
            return  # still building
        for name, action in self.commands.items():
            action.setEnabled(self._active and self.buttons[name].isEnabled())
        stack = self.undo_stack
        self.undo_action.setEnabled(self._active and stack.canUndo())
        self.redo_action.setEnabled(self._active and stack.canRedo())
        undo, redo = stack.undoText(), stack.redoText()
        self.undo_action.setText(self.tr("Undo {action}").format(action=undo) if undo
                                 else self.tr("Undo"))  # fmt: skip
        self.redo_action.setText(self.tr("Redo {action}").format(action=redo) if redo
                                 else self.tr("Redo"))  # fmt: skip

    # -- row heights ------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._size_timer.start()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Width of Time and Speaker from the longest label they can show."""
        metrics = self.table.fontMetrics()
        pad = 24
        header = self.table.horizontalHeader()
        labels = [self.model.speaker_label(s) for s in self.model.speakers()]
        for col, texts in ((Col.Time, ["0:00:00"]), (Col.Speaker, labels)):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal,
                                              Qt.ItemDataRole.DisplayRole))  # fmt: skip
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            header.resizeSection(col, max(widest, metrics.horizontalAdvance(title)) + pad)

    def _resize_all_rows(self) -> None:
        """Column widths or the whole model changed: every height is stale."""
        self._sized.clear()
        self._size_timer.start()

    def _rows_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        self._sized.difference_update(range(top.row(), bottom.row() + 1))
        self._size_timer.start()

    def _size_visible_rows(self) -> None:
        """Fit the rows on screen to their text (sized rows are remembered)."""
        if self._sizing or not self.model.rowCount():
            return
        self._sizing = True
        try:
            bottom = self.table.viewport().height() - 1
            for _ in range(8):  # sized rows change what fits; settle in a few passes
                first, last = self.table.rowAt(0), self.table.rowAt(bottom)
                if first < 0:
                    return
                last = self.model.rowCount() - 1 if last < 0 else last
                todo = [r for r in range(first, last + 1) if r not in self._sized]
                if not todo:
                    return
                for row in todo:
                    self.table.resizeRowToContents(row)
                    self._sized.add(row)
        finally:
            self._sizing = False

    # -- session ----------------------------------------------------------
    def open_session(self, session: Session) -> None:
        """Show a session (its raw transcript and corrections)."""
        # A 3-hour meeting takes about a second to read: show that something happens.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            transcript = session.load_transcript()
            corrections = session.load_corrections()
        except SessionError as exc:
            self.errorOccurred.emit(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.session = session
        self.bar.setEnabled(True)
        self._key = session.corrections_key()
        self.undo_stack.clear()
        self.model.load(transcript, corrections, session.meta.speaker_names)
        self._fit_columns()
        self._refresh_title()
        self._show_offer(None)
        changes = self.model.changes()
        self.model.set_current(changes[0].id if changes else None)
        self._update_detail()
        self.sessionOpened.emit(session)

    def document(self) -> Document | None:
        if self.session is None or self.model.transcript is None:
            return None
        return self.session.document(self.model.transcript, self.model.corrections)

    def finish_editing(self) -> None:
        """Write an open cell editor's text into the meeting (before the window goes)."""
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:
            self.table.commitData(editor)
            self.table.closeEditor(editor, self.delegate.EndEditHint.NoHint)

    def view_state(self) -> dict[str, object]:
        """Where the user is in the meeting: the focused change, selected and top rows."""
        rows = self.table.selectionModel().selectedRows()
        return {"current": self.model.current, "row": rows[0].row() if rows else -1,
                "top": self.table.rowAt(0)}  # fmt: skip

    def restore_view_state(self, state: dict[str, object]) -> None:
        """Show the same place again (after the window was rebuilt in another language)."""
        current, row, top = state.get("current"), state.get("row"), state.get("top")
        if isinstance(current, str) and self.model.correction(current) is not None:
            self.model.set_current(current)
        count = self.model.rowCount()
        if isinstance(row, int) and 0 <= row < count:
            self.table.selectRow(row)
        if isinstance(top, int) and 0 <= top < count:  # after selecting, which may scroll
            self.table.scrollTo(self.model.index(top, Col.Corrected),
                                QAbstractItemView.ScrollHint.PositionAtTop)  # fmt: skip
        self._update_detail()

    # -- speakers ---------------------------------------------------------
    def rename_speaker(self, speaker: str, name: str) -> None:
        """Name a speaker everywhere in this meeting (undoable); an empty name removes it."""
        names = dict(self.model.speaker_names)
        name = " ".join(name.split())
        if name:
            names[speaker] = name
        else:
            names.pop(speaker, None)
        if names == self.model.speaker_names:
            return
        text = (self.tr("Name {speaker} “{name}”").format(speaker=speaker, name=name) if name
                else self.tr("Remove the name of {speaker}").format(speaker=speaker))  # fmt: skip
        self.undo_stack.push(_SetSpeakerNames(self, dict(self.model.speaker_names), names, text))

    def _apply_names(self, names: dict[str, str]) -> None:
        """Show and save (atomic write of session.json) the speaker names."""
        self.model.set_speaker_names(names)
        self._fit_columns()
        session = self.session
        if session is not None:
            self.saves.run(
                f"names:{session.folder}",
                lambda: session.update_meta(lambda m: setattr(m, "speaker_names", dict(names))),
                lambda e: self.tr("Cannot save the speaker names: {e}. They stay in the window "
                                  "and are saved as soon as that works again.").format(e=e),
            )  # fmt: skip
        self.speakerNamesChanged.emit(dict(names))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        menu = QMenu(self)
        if index.isValid() and self.model.speaker_at(index.row()):
            speaker_index = self.model.index(index.row(), Col.Speaker)
            menu.addAction(self.tr("Rename speaker…"), lambda: self.table.edit(speaker_index))
        menu.addAction(self.tr("Speakers…"), self.request_speakers)
        if index.isValid():
            seg = self.model.segment(index.row())
            menu.addAction(self.tr("Play"), lambda: self.play_range(seg.start, seg.end))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def request_speakers(self) -> None:
        if self.session is not None:
            self.speakersRequested.emit()

    # -- LLM proposals ----------------------------------------------------
    def request_repair(self) -> None:
        if self.session is not None and self.model.transcript is not None:
            self.repairRequested.emit()

    def set_repair_busy(self, busy: bool) -> None:
        self.buttons["llm"].setEnabled(not busy)

    def merge_llm(self, session: Session, proposals: list[Correction]) -> int:
        """Add LLM proposals to the open meeting (undoable, saved); returns how many were added."""
        if self.session is None or session.folder != self.session.folder:
            return 0
        merged = edits.merge_llm_proposals(self.model.corrections, proposals)
        added = len(merged) - len(self.model.corrections)
        if added:
            self._push(merged, self.tr("LLM proposals"))
            first = next(c for c in self.model.changes() if c in proposals and c in merged)
            self.model.set_current(first.id)
            self._move(0)
        return added

    def show_segment(self, segment_id: int) -> None:
        """Select and scroll to a segment (a link from the minutes)."""
        row = self.model.row_of_segment(segment_id)
        if row < 0:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, Col.Corrected))
        changes = sorted(self.model.segment_corrections(segment_id), key=lambda c: c.start_char)
        if changes:
            self.model.set_current(changes[0].id)
        self._update_detail()
        self.table.setFocus()

    def _refresh_title(self) -> None:
        """The header: the meeting's title, segments and its current number of changes."""
        session, transcript = self.session, self.model.transcript
        if session is None:
            return
        self.title.setText(
            self.tr("{title} — {n} segments, {c} changes").format(
                title=session.meta.title, n=len(transcript.segments),
                c=len(self.model.corrections),
            )
            if transcript is not None
            else self.tr("{title} — not transcribed yet").format(title=session.meta.title)
        )  # fmt: skip

    def _apply(self, corrections: list[Correction]) -> None:
        """Show and save (atomic write) a new list of corrections."""
        self.model.set_corrections(corrections)
        self._refresh_title()
        session, key = self.session, self._key
        if session is not None:
            self.saves.run(
                f"review:{session.folder}",
                lambda: session.save_corrections(corrections, key),
                lambda e: self.tr("Cannot save the review: {e}. Your changes stay in the window "
                                  "and are saved as soon as that works again.").format(e=e),
            )  # fmt: skip
        self._update_detail()

    def _push(self, new: list[Correction], text: str) -> None:
        if new != self.model.corrections:
            self.undo_stack.push(_SetCorrections(self, list(self.model.corrections), new, text))

    # -- decisions --------------------------------------------------------
    def current(self) -> Correction | None:
        return self.model.correction(self.model.current) if self.model.current else None

    def _move(self, step: int) -> None:
        changes = self.model.changes()
        if not changes:
            return
        ids = [c.id for c in changes]
        i = ids.index(self.model.current) + step if self.model.current in ids else 0
        target = changes[i % len(changes)]
        self.model.set_current(target.id)
        row = self.model.row_of_segment(target.segment_id)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, Col.Corrected))
        self._update_detail()

    def next_change(self) -> None:
        self._move(1)

    def previous_change(self) -> None:
        self._move(-1)

    def accept_current(self) -> None:
        self._decide_current(CorrectionStatus.ACCEPTED)

    def reject_current(self) -> None:
        self._decide_current(CorrectionStatus.REJECTED)

    def _decide_current(self, status: CorrectionStatus) -> None:
        c = self.current()
        if c is not None:
            label = self.tr("Accept") if status is CorrectionStatus.ACCEPTED else self.tr("Reject")
            self._push(edits.decide(self.model.corrections, {c.id}, status), f"{label} {c.after}")

    def decide_term(self, status: CorrectionStatus) -> None:
        """Accept or reject every change to the current change's term."""
        c = self.current()
        if c is None:
            return
        term = c.term or c.after
        ids = {x.id for x in self.model.corrections if (x.term or x.after) == term}
        label = (self.tr("Accept all of term") if status is CorrectionStatus.ACCEPTED
                 else self.tr("Reject all of term"))  # fmt: skip
        # The undo text shows in the Edit menu: the user's words, not the enum's value.
        self._push(edits.decide(self.model.corrections, ids, status), f"{label} {term}")

    def edit_segment(self, segment_id: int, text: str) -> None:
        """An inline edit of the reviewed text: becomes USER corrections (undoable)."""
        raw = self.model.transcript.segment(segment_id).text if self.model.transcript else ""
        mine = self.model.segment_corrections(segment_id)
        updated = edits.user_edit(segment_id, raw, mine, text)
        rest = [c for c in self.model.corrections if c.segment_id != segment_id]
        new = sorted(
            rest + updated,
            key=lambda c: (self.model.row_of_segment(c.segment_id), c.start_char),
        )
        self._push(new, self.tr("Edit segment"))
        fresh = [c for c in updated if c.source is CorrectionSource.USER and c.before.strip()]
        self._offer_learning(fresh)

    # -- learning ---------------------------------------------------------
    def _user_glossary(self) -> Glossary:
        """The user's glossary, parsed again only when its file changed (a 20,000-term
        glossary takes seconds to read, and this runs after every edit)."""
        path = self.engine.glossary_store.path
        try:
            st = path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        cached = self._glossary_cache
        if cached is None or cached[0] != stamp or stamp is None:
            self._glossary_cache = cached = (stamp, self.engine.glossary())
        return cached[1]

    def _offer_learning(self, user_changes: list[Correction]) -> None:
        try:
            glossary = self._user_glossary()
        except GlossaryError:
            return
        for c in user_changes:
            term = glossary.get(c.after.strip())
            if term is not None:
                self._show_offer((c.before.strip(), term.canonical))
                return
        self._show_offer(None)

    def _show_offer(self, offer: tuple[str, str] | None) -> None:
        self._offer = offer
        if offer:
            self.offer_label.setText(
                self.tr("Add “{before}” as a variant of the glossary term “{after}”?").format(
                    before=offer[0], after=offer[1]
                )
            )
        self.offer_bar.setVisible(offer is not None)

    def accept_offer(self) -> None:
        if self._offer is None:
            return
        before, after = self._offer
        try:
            self.engine.glossary_store.learn(before, after)
        except GlossaryError as exc:
            self.errorOccurred.emit(str(exc))
            return
        self._show_offer(None)

    def _teach_current(self) -> None:
        c = self.current()
        if c is not None and c.before.strip() and c.after.strip():
            self._show_offer((c.before.strip(), c.after.strip()))
            self.accept_offer()

    # -- glossary changed ------------------------------------------------
    def merge_fresh(self, session: Session, fresh: list[Correction], key: str) -> None:
        """New glossary corrections computed in the background; user decisions are kept."""
        if self.session is None or session.folder != self.session.folder:
            return
        from minutes.recheck import AUTOMATIC

        self._key = key
        merged = merge_glossary_corrections(self.model.corrections, fresh, AUTOMATIC)
        if merged == self.model.corrections:
            self._apply(merged)  # nothing new: save the new key, so it is not checked again
        else:
            self._push(merged, self.tr("Glossary update"))

    # -- playback ---------------------------------------------------------
    def player(self) -> object:
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            player = QMediaPlayer(self)
            output = QAudioOutput(player)
            player.setAudioOutput(output)
            player.positionChanged.connect(self._position)
            player.errorOccurred.connect(lambda _e, msg: logger.warning("playback: %s", msg))
            self._player = player
        return self._player

    def play_range(self, start: float, end: float) -> None:
        if self.session is None or self.session.audio_path is None:
            return
        from PySide6.QtMultimedia import QMediaPlayer

        player = self.player()
        assert isinstance(player, QMediaPlayer)
        url = QUrl.fromLocalFile(str(self.session.audio_path))
        if player.source() != url:
            player.setSource(url)
        self._play_end = end
        player.setPosition(int(start * 1000))
        player.play()
        self.model.set_playing(self.model.segment_at(start + 0.01))

    def _position(self, ms: int) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        seconds = ms / 1000
        self.model.set_playing(self.model.segment_at(seconds))
        player = self._player
        if isinstance(player, QMediaPlayer) and seconds >= self._play_end:
            player.pause()
            self.model.set_playing(None)

    def play_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        if self.model.rowCount():
            seg = self.model.segment(row)
            self.play_range(seg.start, seg.end)

    def _row_clicked(self, index: QModelIndex) -> None:
        if index.column() == Col.Time:
            seg = self.model.segment(index.row())
            self.play_range(seg.start, seg.end)
        seg = self.model.segment(index.row())
        changes = sorted(self.model.segment_corrections(seg.id), key=lambda c: c.start_char)
        if changes:
            self.model.set_current(changes[0].id)
            self._update_detail()

    def _word_clicked(self, row: int, char: int) -> None:
        """A click in a text cell: focus a change there, play from the word."""
        seg = self.model.segment(row)
        hit = [c for c in self.model.segment_corrections(seg.id)
               if c.start_char <= char <= c.end_char]  # fmt: skip
        if hit:
            self.model.set_current(hit[0].id)
            self._update_detail()
        start = seg.start
        pos = 0
        for word in seg.words:
            pos += len(word.text)
            if pos > char:
                start = word.start
                break
        self.play_range(start, seg.end)

    def _update_detail(self) -> None:
        c = self.current()
        has = c is not None
        for name in ("accept", "reject", "accept_term", "reject_term"):
            self.buttons[name].setEnabled(has)
        self.teach.setEnabled(has and c is not None and c.source is CorrectionSource.USER)
        if c is None:
            self.detail.setText(self.tr("No changes in this meeting."))
            return
        n = self.model.change_position(c.id) + 1
        self.detail.setText(
            self.tr("Change {n} of {total}: “{before}” → “{after}” · {source} · "
                    "score {score} · {status}")
            .format(n=n, total=len(self.model.corrections), before=c.before, after=c.after,
                    source=self._source_label(c), score=f"{c.score:.2f}",
                    status=self._status_label(c))
        )  # fmt: skip

    def _status_label(self, c: Correction) -> str:
        """A change's review state in the UI language (the enum's value is English)."""
        labels = {
            CorrectionStatus.PROPOSED: self.tr("proposed"),
            CorrectionStatus.ACCEPTED: self.tr("accepted"),
            CorrectionStatus.REJECTED: self.tr("rejected"),
        }
        return labels[c.status]

    def _source_label(self, c: Correction) -> str:
        """Who proposed a change, in the user's words (a guided one says what was heard)."""
        labels = {
            CorrectionSource.GLOSSARY: self.tr("glossary"),
            CorrectionSource.GUIDED: self.tr("confirmed by re-decoding"),
            CorrectionSource.LLM: self.tr("language model"),
            CorrectionSource.USER: self.tr("your edit"),
        }
        label = labels.get(c.source, c.source.value)
        if c.source is CorrectionSource.GUIDED and c.detail:
            offered = ", ".join(c.detail.get("terms_offered", []))
            label += " " + self.tr("(hints: {terms})").format(terms=offered)
        return label

    def _export(self) -> None:
        doc = self.document()
        if doc is not None:
            self.exportRequested.emit(doc)
