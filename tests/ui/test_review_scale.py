"""Review and Glossary with a long meeting and a large glossary: behaviour that keeps them
interactive (timings are in scripts/reliability/soak_review.py, not here).

- One decision or one move to the next change repaints only the rows concerned.
- Only rows on screen are measured for their height.
- Painting thousands of cells does not eat the interpreter's references to None
  (PySide6 6.12 on Python 3.11 aborted the app after a few thousand cells).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from minutes.correct import glossary_corrections
from minutes.types import CorrectionStatus
from scripts.reliability.soak_common import (
    synthetic_glossary,
    synthetic_session,
    synthetic_transcript,
)
from ui.views.review_view import ReviewView
from ui.workers import Engine

SEGMENTS = 1_500


@pytest.fixture(scope="module")
def long_meeting() -> tuple[Any, Any, list[Any]]:
    glossary = synthetic_glossary(2_000)
    transcript = synthetic_transcript(glossary, hours=1.5, n_segments=SEGMENTS)
    return glossary, transcript, glossary_corrections(transcript, glossary)


@pytest.fixture
def review(qtbot: Any, long_meeting: tuple[Any, Any, list[Any]]) -> ReviewView:
    _, transcript, corrections = long_meeting
    engine = Engine()
    session = synthetic_session(engine.sessions_root, transcript, corrections)
    view = ReviewView(engine)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.open_session(session)
    qtbot.wait(50)
    return view


def _rows_changed(view: ReviewView, action: Any) -> set[int]:
    rows: set[int] = set()

    def record(top: Any, bottom: Any, roles: Any = ()) -> None:
        rows.update(range(top.row(), bottom.row() + 1))

    view.model.dataChanged.connect(record)
    try:
        action()
    finally:
        view.model.dataChanged.disconnect(record)
    return rows


def test_a_decision_repaints_only_its_row(review: ReviewView) -> None:
    assert review.model.rowCount() == SEGMENTS
    review.next_change()
    current = review.current()
    assert current is not None
    row = review.model.row_of_segment(current.segment_id)
    assert _rows_changed(review, review.accept_current) == {row}
    saved = {c.id: c for c in review.session.load_corrections()}  # type: ignore[union-attr]
    assert saved[current.id].status is CorrectionStatus.ACCEPTED
    assert _rows_changed(review, review.undo_stack.undo) == {row}


def test_moving_to_the_next_change_repaints_two_rows_at_most(review: ReviewView) -> None:
    before = review.current()
    assert before is not None
    changed = _rows_changed(review, review.next_change)
    after = review.current()
    assert after is not None and after.id != before.id
    expected = {review.model.row_of_segment(c.segment_id) for c in (before, after)}
    assert changed == expected


def test_editing_one_segment_repaints_that_row(review: ReviewView) -> None:
    row = SEGMENTS // 2
    seg = review.model.segment(row)
    text = review.model.reviewed_text(row) + " 추가"
    assert _rows_changed(review, lambda: review.edit_segment(seg.id, text)) == {row}
    assert review.model.reviewed_text(row) == text


def test_only_rows_on_screen_are_measured(review: ReviewView, qtbot: Any) -> None:
    sized = set(review._sized)
    assert sized and len(sized) < 100  # a screenful, not 1,500 rows
    assert min(sized) == 0
    bar = review.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    assert max(review._sized) == SEGMENTS - 1
    assert len(review._sized) < 200
    # A sized row fits its wrapped text.
    last = SEGMENTS - 1
    assert review.table.rowHeight(last) >= review.table.sizeHintForRow(last)


def test_painting_a_long_meeting_cannot_free_none(review: ReviewView, qtbot: Any) -> None:
    bar = review.table.verticalScrollBar()
    before = sys.getrefcount(None)
    for value in range(0, bar.maximum(), max(bar.maximum() // 40, 1)):
        bar.setValue(value)
        review.table.viewport().repaint()
    # PySide6 6.12 on Python 3.11 takes a reference from None on every void call (this
    # test makes thousands; None had about 5,000 at start-up, then the process
    # aborted). We pin 6.11.3, which does not; should another version leak,
    # ui.refcount_guard gives None the practically endless count of Python 3.12+.
    after = sys.getrefcount(None)
    assert after > 10**9 or after >= before - 100


def test_glossary_editor_with_20000_terms(qtbot: Any, tmp_path: Path) -> None:
    from ui.views.glossary_view import GlossaryView

    engine = Engine()
    engine.glossary_store.save(synthetic_glossary(20_000))
    view = GlossaryView(engine)
    qtbot.addWidget(view)
    view.show()
    assert view.model.rowCount() == 20_000
    view.search.setText("kuber")
    shown = view.proxy.rowCount()
    assert 0 < shown < 20_000
    assert all("kuber" in view.proxy.index(r, 0).data().lower() for r in range(shown))
    view.search.setText("")
    # Editing one cell announces one row, not a reset of the whole table.
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    rows: set[int] = set()
    view.model.dataChanged.connect(lambda a, b, r=(): rows.update(range(a.row(), b.row() + 1)))
    assert view.model.setData(view.model.index(123, 3), "checked")
    assert rows == {123} and not resets
    assert engine.glossary().terms[123].note == "checked"


def test_library_reload_reads_only_changed_transcripts(
    long_meeting: tuple[Any, Any, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from minutes.session import Session
    from ui.models.library import LibraryModel

    _, transcript, corrections = long_meeting
    engine = Engine()
    first = synthetic_session(engine.sessions_root, transcript, corrections)
    synthetic_session(engine.sessions_root, transcript, corrections[:10])
    reads: list[Path] = []
    original = Session.load_transcript

    def counting(self: Session) -> Any:
        reads.append(self.folder)
        return original(self)

    monkeypatch.setattr(Session, "load_transcript", counting)
    library = LibraryModel(engine.sessions_root)
    library.reload()
    assert len(reads) == 2 and library.rowCount() == 2
    reads.clear()
    library.reload()  # after an import or a rename: nothing to read again
    assert reads == []
    first.save_corrections(corrections[:5], "edited")
    library.reload()
    assert reads == [first.folder]
    entry = next(e for e in library.entries if e.session.folder == first.folder)
    assert entry.text.count("\n") == SEGMENTS - 1
