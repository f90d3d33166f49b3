"""Review view: side by side, decide changes, edit inline, learn, undo/redo, autosave."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from minutes.session import Session
from minutes.types import CorrectionSource, CorrectionStatus
from tests.ui.helpers import GLOSSARY, make_session
from ui.models.review import Col, Role
from ui.widgets.segment_editor import SegmentEditor


def _open(window: Any, qtbot: Any) -> Session:
    session = make_session(window.engine.sessions_root)
    window.engine.glossary_store.save(GLOSSARY)
    window.library.reload()
    window.open_review(session)
    qtbot.waitUntil(lambda: window.review.model.rowCount() == 5)
    window.review.table.setFocus()
    return session


def _commit(review: Any, editor: QWidget) -> None:
    """What Return does in the editor: the delegate writes the text into the model."""
    from PySide6.QtCore import QCoreApplication, QEvent

    review.table.commitData(editor)
    review.table.closeEditor(editor, review.delegate.EndEditHint.NoHint)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _saved(session: Session) -> dict[str, Any]:
    return {c.id: c for c in Session.open(session.folder).load_corrections()}


def test_side_by_side_with_highlights(window: Any, qtbot: Any) -> None:
    _open(window, qtbot)
    model = window.review.model
    assert window.stack.currentWidget() is window.review
    assert model.index(0, Col.Raw).data() == "쿠버네티스 클러스터를 깃허브에 올렸어요"
    assert model.index(0, Col.Corrected).data() == "Kubernetes 클러스터를 GitHub에 올렸어요"
    assert model.index(0, Col.Speaker).data() == "SPEAKER_0"
    html = model.index(3, Col.Corrected).data(Role.Html)
    assert "#ffe08a" in html and "지지피" in html  # a proposal, shown but not applied
    assert "GDP" not in model.index(3, Col.Corrected).data()


def test_accept_reject_undo_redo_autosave(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    review = window.review
    model = review.model
    changes = model.changes()
    assert review.current().id == changes[0].id
    qtbot.keyClick(review.table, Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier)
    assert _saved(session)[changes[0].id].status is CorrectionStatus.REJECTED
    assert model.index(0, Col.Corrected).data().startswith("쿠버네티스 클러스터를 GitHub")
    # Navigate to the proposal (last change) and accept it with the keyboard.
    qtbot.keyClick(review.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert review.current().before == "지지피"
    qtbot.keyClick(review.table, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    assert model.index(3, Col.Corrected).data() == "좋습니다 GDP 수치는 다음에 보죠"
    saved = _saved(session)[review.current().id]
    assert saved.status is CorrectionStatus.ACCEPTED and saved.decided
    review.undo_action.trigger()
    assert _saved(session)[review.current().id].status is CorrectionStatus.PROPOSED
    review.undo_action.trigger()
    assert _saved(session)[changes[0].id].status is CorrectionStatus.ACCEPTED
    review.redo_action.trigger()
    assert _saved(session)[changes[0].id].status is CorrectionStatus.REJECTED


def test_reject_all_of_one_term(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    review = window.review
    assert review.current().term == "Kubernetes"
    qtbot.mouseClick(review.buttons["reject_term"], Qt.MouseButton.LeftButton)
    saved = _saved(session).values()
    kube = [c for c in saved if c.term == "Kubernetes"]
    assert len(kube) == 2 and all(c.status is CorrectionStatus.REJECTED for c in kube)
    assert all(c.status is CorrectionStatus.ACCEPTED for c in saved if c.term == "GitHub")


def test_inline_edit_becomes_user_correction_and_offers_learning(
    window: Any, qtbot: Any
) -> None:
    session = _open(window, qtbot)
    review = window.review
    index = review.model.index(1, Col.Corrected)
    review.table.setCurrentIndex(index)
    review.table.edit(index)
    editor = review.table.findChild(SegmentEditor)
    assert editor is not None and editor.text() == "이번 분기 GDP 성장률을 봅시다"
    editor.setPlainText("이번 분기 GDP 성장률을 봅시다 그리고 깃랩도")
    _commit(review, editor)
    expected = "이번 분기 GDP 성장률을 봅시다 그리고 깃랩도"
    assert review.model.index(1, Col.Corrected).data() == expected
    user = [c for c in _saved(session).values() if c.source is CorrectionSource.USER]
    assert len(user) == 1 and user[0].after.endswith("그리고 깃랩도")
    assert not review.offer_bar.isVisible()  # not a glossary term

    # Fix a mis-hearing to a known term: the app offers to learn the variant.
    index = review.model.index(4, Col.Corrected)
    review.table.edit(index)
    editor = review.table.findChild(SegmentEditor)
    editor.setPlainText("회의록은 Confluence에 올려주세요")
    _commit(review, editor)
    assert review.offer_bar.isVisible()
    assert "“콘플”" in review.offer_label.text() and "Confluence" in review.offer_label.text()
    qtbot.mouseClick(review.offer_add, Qt.MouseButton.LeftButton)
    assert not review.offer_bar.isVisible()
    term = window.engine.glossary().get("Confluence")
    assert term is not None and "콘플" in term.variants and term.uses == 1
    user = [c for c in _saved(session).values() if c.source is CorrectionSource.USER]
    assert {(c.before, c.after) for c in user} >= {("콘플", "Confluence")}


def test_glossary_change_recorrects_and_keeps_decisions(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    review = window.review
    first = review.current()
    review.reject_current()
    window.glossary.reload()
    window.nav.setCurrentRow(3)
    window.glossary.new_term.setText("Cluster")
    window.glossary.add_term()
    index = window.glossary.proxy.mapFromSource(window.glossary.model.index(
        next(i for i, t in enumerate(window.glossary.model.glossary) if t.canonical == "Cluster"), 1
    ))  # fmt: skip
    assert window.glossary.proxy.setData(index, "클러스터")  # as the user edits the Variants cell

    def corrected() -> bool:
        return any(c.after == "Cluster" for c in review.model.corrections)

    qtbot.waitUntil(corrected, timeout=10_000)
    saved = _saved(session)
    assert saved[first.id].status is CorrectionStatus.REJECTED  # the user's decision stays
    assert any(c.after == "Cluster" for c in saved.values())


def test_hover_shows_source_and_score_and_click_plays(window: Any, qtbot: Any) -> None:
    _open(window, qtbot)
    review = window.review
    window.resize(1200, 700)
    qtbot.wait(50)
    rect = review.table.visualRect(review.model.index(0, Col.Corrected))
    from PySide6.QtWidgets import QToolTip

    pos = rect.topLeft() + QPoint(12, rect.height() // 2)
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent

    event = QHelpEvent(QEvent.Type.ToolTip, pos, review.table.viewport().mapToGlobal(pos))
    review.table.viewportEvent(event)
    assert "source: glossary" in QToolTip.text() and "score: 1.00" in QToolTip.text()
    qtbot.mouseClick(review.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert review.model.playing == 0


def test_a_guided_change_says_where_it_came_from(window: Any, qtbot: Any) -> None:
    """A confirmed re-decoding is listed with its own label, the hints offered, and (on
    hover) what the first pass heard."""
    from minutes.types import Correction, CorrectionSource
    from ui.models.edits import tooltip

    session = make_session(window.engine.sessions_root)
    transcript = session.load_transcript()
    seg = transcript.segments[0]
    guided = Correction(
        seg.id, 0, len(seg.text), seg.text, "GDP 1조 달러", CorrectionSource.GUIDED, term="GDP",
        score=0.7, status=CorrectionStatus.ACCEPTED, rule="guided-redecode",
        detail={"first_pass": seg.text, "hinted": "GDP 1조 달러", "terms_offered": ["GDP", "TV"],
                "logprob_first": -12.0, "logprob_changed": -13.5},
    )
    session.save_corrections([guided], session.corrections_key())
    window.open_review(Session.open(session.folder))
    review = window.review
    review.model.set_current(guided.id)
    review._update_detail()
    assert "confirmed by re-decoding (hints: GDP, TV)" in review.detail.text()
    assert "1 changes" in review.title.text()
    tip = tooltip(guided)
    assert "first pass: " + seg.text in tip and "audio score change: -1.50 nats" in tip


def test_change_line_hover_and_undo_in_korean_show_no_english_state(
    window: Any, qtbot: Any, qapp: Any
) -> None:
    """A Korean user read "… · 점수 0.91 · accepted": the state, the source and the undo
    text are in the UI language, never an enum's English value."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    from minutes.types import Correction
    from ui import i18n
    from ui.models.edits import tooltip

    i18n.install(qapp, "ko")
    try:
        _open(window, qtbot)
        review = window.review
        window.resize(1200, 700)
        qtbot.wait(50)
        review._update_detail()
        line = review.detail.text()
        assert "용어집" in line and "점수 1.00" in line and line.endswith("· 적용됨"), line
        review.reject_current()
        assert review.detail.text().endswith("· 거부됨")
        words = {"accepted", "proposed", "rejected", "glossary", "guided", "llm", "user"}
        assert not any(f"· {w}" in review.detail.text() for w in words)
        # Every state and source has its own Korean label.
        c = review.current()
        for status in CorrectionStatus:
            label = review._status_label(c.decide(status))
            assert label != status.value and not label.isascii(), label
        for source in CorrectionSource:
            fake = Correction(c.segment_id, c.start_char, c.end_char, c.before, c.after, source)
            label = review._source_label(fake)
            assert label != source.value and not label.isascii(), label
            assert not tooltip(fake, review.delegate.tr).split("\n")[1].isascii()
        # The hover over a change, as the delegate shows it.
        rect = review.table.visualRect(review.model.index(0, Col.Corrected))
        pos = rect.topLeft() + QPoint(12, rect.height() // 2)
        event = QHelpEvent(QEvent.Type.ToolTip, pos, review.table.viewport().mapToGlobal(pos))
        review.table.viewportEvent(event)
        tip = QToolTip.text()
        assert "출처: 용어집" in tip and "점수: 1.00" in tip and "거부됨" in tip, tip
        assert "source" not in tip and "rejected" not in tip
        # The Edit menu's undo text after deciding a whole term.
        review.decide_term(CorrectionStatus.ACCEPTED)
        undo = review.undo_stack.undoText()
        assert undo.startswith("이 용어 모두 적용") and "accepted" not in undo, undo
    finally:
        i18n.install(qapp, "en")


LONG = ("이번 분기 쿠버네티스 업그레이드 일정은 다음 주 월요일부터 시작해서 금요일까지 "
        "마무리하고 깃허브 저장소의 배포 스크립트도 같이 정리한 다음에 팀 전체에 공유하겠습니다 "
        "그리고 비용 보고서는 따로 말씀드리겠습니다")  # fmt: skip


def _open_long(window: Any, qtbot: Any) -> Session:
    """A meeting whose second segment is much longer than the Reviewed column is wide."""
    from minutes.session import stage_key
    from minutes.types import Segment, Transcript

    session = Session.create(window.engine.sessions_root, "긴 회의")
    texts = ["짧은 구간입니다", LONG, "마지막 구간입니다"]
    segments = tuple(Segment(i, i * 10.0, i * 10.0 + 9.0, t, ()) for i, t in enumerate(texts))
    session.save_asr(Transcript("ko", 30.0, segments, model="base"), "test", {})
    session.save_corrections([], stage_key(transcript=texts, glossary=GLOSSARY.fingerprint()))
    window.engine.glossary_store.save(GLOSSARY)
    window.resize(1000, 700)
    window.open_review(Session.open(session.folder))
    qtbot.waitUntil(lambda: window.review.model.rowCount() == 3)
    return session


def _edit(review: Any, qtbot: Any, row: int) -> SegmentEditor:
    index = review.model.index(row, Col.Corrected)
    review.table.setCurrentIndex(index)
    review.table.edit(index)
    editor = review.table.findChild(SegmentEditor)
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    return editor


def test_a_long_segment_is_edited_whole_on_several_lines(window: Any, qtbot: Any) -> None:
    session = _open_long(window, qtbot)
    review = window.review
    editor = _edit(review, qtbot, 1)
    assert editor.text() == LONG
    cell = review.table.visualRect(review.model.index(1, Col.Corrected))
    assert editor.geometry().left() == cell.left() and editor.width() == cell.width()
    line = editor.fontMetrics().lineSpacing()
    assert editor.height() >= 3 * line  # a sensible minimum, whatever the row's height
    # Wrapped on several lines, and all of it shown: from its first to its last character.
    assert editor.document().firstBlock().layout().lineCount() > 1
    assert editor.verticalScrollBar().maximum() == 0
    start = editor.textCursor()
    start.setPosition(0)
    assert editor.cursorRect(start).top() >= 0
    assert editor.cursorRect().bottom() <= editor.viewport().height()  # the cursor is at the end

    # Enter commits (one undoable, saved edit), even with Shift: a segment has no newline.
    qtbot.keyClicks(editor, " OK")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: review.table.findChild(SegmentEditor) is None)
    assert review.model.index(1, Col.Corrected).data() == LONG + " OK"
    user = [c for c in _saved(session).values() if c.source is CorrectionSource.USER]
    assert len(user) == 1 and user[0].after.endswith("OK")
    review.undo_action.trigger()
    assert review.model.index(1, Col.Corrected).data() == LONG and not _saved(session)

    # Escape cancels; pasted line breaks become spaces.
    editor = _edit(review, qtbot, 0)
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setText(" 하나\n둘")
    editor.insertFromMimeData(mime)
    assert editor.toPlainText() == "짧은 구간입니다 하나 둘"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: review.table.findChild(SegmentEditor) is None)
    assert review.model.index(0, Col.Corrected).data() == "짧은 구간입니다" and not _saved(session)
    editor = _edit(review, qtbot, 0)
    editor.insertFromMimeData(mime)
    qtbot.keyClick(editor, Qt.Key.Key_Enter)
    assert review.model.index(0, Col.Corrected).data() == "짧은 구간입니다 하나 둘"


def test_the_editor_grows_while_typing_and_stays_in_the_table(window: Any, qtbot: Any) -> None:
    _open_long(window, qtbot)
    review = window.review
    editor = _edit(review, qtbot, 2)  # the last row: no room below it, the editor grows upwards
    before = editor.height()
    editor.setPlainText(LONG * 2)
    assert editor.height() > before
    assert editor.geometry().bottom() < review.table.viewport().height()
    assert editor.verticalScrollBar().maximum() == 0


def _menu(window: Any, title: str) -> Any:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def test_review_commands_are_in_a_menu_and_work_whatever_has_the_focus(
    window: Any, qtbot: Any
) -> None:
    session = _open(window, qtbot)
    review = window.review
    menu = _menu(window, "Re&view")
    listed = {a.text(): a.shortcut().toString() for a in menu.actions() if not a.isSeparator()}
    assert listed == {
        "Previous change": "Alt+Up", "Next change": "Alt+Down", "Accept change": "Alt+Return",
        "Reject change": "Alt+Backspace", "Accept all of term": "Alt+Shift+Return",
        "Reject all of term": "Alt+Shift+Backspace", "Play segment": "Ctrl+Space",
        "Export…": "Ctrl+E",
    }  # fmt: skip
    edit = {a.text(): a.shortcut().toString() for a in _menu(window, "&Edit").actions()}
    keys = QKeySequence.StandardKey
    assert edit == {"Undo": QKeySequence(keys.Undo).toString(),
                    "Redo": QKeySequence(keys.Redo).toString()}  # fmt: skip
    # The keys work with the focus outside the table (here in the page list).
    window.nav.setFocus()
    first = review.current()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert review.current().id != first.id and window.stack.currentWidget() is review
    qtbot.keyClick(window.nav, Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier)
    rejected = review.current()
    assert _saved(session)[rejected.id].status is CorrectionStatus.REJECTED
    assert review.undo_action.text() == f"Undo Reject {rejected.after}"
    qtbot.keyClick(window.nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _saved(session)[rejected.id].status is not CorrectionStatus.REJECTED
    qtbot.keyClick(window.nav, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert window.speakers_dialog is not None and window.speakers_dialog.isVisible()
    speakers = {a.text(): a.shortcut().toString() for a in _menu(window, "&Speakers").actions()}
    ai = {a.text(): a.shortcut().toString() for a in _menu(window, "&AI").actions()}
    assert speakers["Speakers of this meeting…"] == review.buttons["speakers"].toolTip()[-13:-1]
    assert ai["Ask the LLM for fixes"] == "Ctrl+Shift+L"
    window.speakers_dialog.close()
    window.activateWindow()
    qtbot.waitActive(window)

    # On another page the Review commands are disabled, and their keys do nothing there.
    window.nav.setCurrentRow(3)
    assert not any(review.commands[n].isEnabled() for n in ("next", "accept", "reject"))
    assert not review.redo_action.isEnabled()
    window.glossary.setFocus()
    current = review.current()
    qtbot.keyClick(window.glossary, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    assert _saved(session)[current.id].status is current.status
    window.nav.setCurrentRow(2)
    assert review.commands["accept"].isEnabled() and review.redo_action.isEnabled()


def test_review_buttons_wait_for_a_meeting(window: Any, qtbot: Any) -> None:
    """Before a meeting is open, Review's buttons (and its menu) would do nothing."""
    review = window.review
    window.nav.setCurrentRow(2)
    assert not review.buttons["next"].isEnabled() and not review.buttons["export"].isEnabled()
    assert not review.commands["next"].isEnabled()
    _open(window, qtbot)
    assert review.buttons["next"].isEnabled() and review.commands["next"].isEnabled()
    assert review.commands["accept"].isEnabled()


def test_settings_and_quit_have_a_key_on_every_platform(window: Any) -> None:
    """Cmd+, on macOS; Linux and Windows have no standard key, so Ctrl+, (as most apps);
    likewise Ctrl+Q where the platform has no Quit key (Windows)."""
    for action, key, fallback in (
        (window.settings_action, QKeySequence.StandardKey.Preferences, "Ctrl+,"),
        (window.quit_action, QKeySequence.StandardKey.Quit, "Ctrl+Q"),
    ):
        platform = QKeySequence.keyBindings(key)
        keys = action.shortcut()
        assert not keys.isEmpty() and keys == (platform[0] if platform else QKeySequence(fallback))
    shown = _menu(window, "&File").actions()
    assert window.settings_action in shown and window.export_action in shown
    assert window.export_action.shortcut().toString() == "Ctrl+E"  # as Review's button says
