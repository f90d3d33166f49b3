"""Review view: side by side, decide changes, edit inline, learn, undo/redo, autosave."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from minutes.session import Session
from minutes.types import CorrectionSource, CorrectionStatus
from tests.ui.helpers import GLOSSARY, make_session
from ui.models.review import Col, Role


def _open(window: Any, qtbot: Any) -> Session:
    session = make_session(window.engine.sessions_root)
    window.engine.glossary_store.save(GLOSSARY)
    window.library.reload()
    window.open_review(session)
    qtbot.waitUntil(lambda: window.review.model.rowCount() == 5)
    window.review.table.setFocus()
    return session


def _commit(review: Any, editor: QLineEdit) -> None:
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
    editor = review.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "이번 분기 GDP 성장률을 봅시다"
    editor.setText("이번 분기 GDP 성장률을 봅시다 그리고 깃랩도")
    _commit(review, editor)
    expected = "이번 분기 GDP 성장률을 봅시다 그리고 깃랩도"
    assert review.model.index(1, Col.Corrected).data() == expected
    user = [c for c in _saved(session).values() if c.source is CorrectionSource.USER]
    assert len(user) == 1 and user[0].after.endswith("그리고 깃랩도")
    assert not review.offer_bar.isVisible()  # not a glossary term

    # Fix a mis-hearing to a known term: the app offers to learn the variant.
    index = review.model.index(4, Col.Corrected)
    review.table.edit(index)
    editor = review.table.findChild(QLineEdit)
    editor.setText("회의록은 Confluence에 올려주세요")
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
