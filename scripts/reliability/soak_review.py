"""Load test of the GUI: a 3-hour transcript in Review, a 20,000-term glossary in Glossary.

Offscreen Qt (no display needed). Every figure is the wall time of one user action
including the repaint it causes (the action, then the event loop drained), so it is
what the user waits for. Also measures the Qt event-loop gaps (a 50 ms QTimer) while
the review is opened and used.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/reliability/soak_review.py
    ... --segments 3500 --terms 20000 --hours 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from soak_common import (
    load_average,
    synthetic_glossary,
    synthetic_session,
    synthetic_transcript,
)


class LoopWatch:
    """Gaps between ticks of a 50 ms timer: how long the event loop was blocked."""

    def __init__(self, interval_ms: int = 50) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.gaps: list[float] = []
        self.worst_at = 0.0  # monotonic time the longest gap ended
        self._last = time.monotonic()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.monotonic()
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        gap = now - self._last
        if not self.gaps or gap > max(self.gaps):
            self.worst_at = now
        self.gaps.append(gap)
        self._last = now

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        gaps = sorted(self.gaps) or [0.0]
        return {
            "ticks": len(gaps),
            "max_ms": round(gaps[-1] * 1000, 1),
            "p99_ms": round(gaps[min(len(gaps) - 1, round(0.99 * (len(gaps) - 1)))] * 1000, 1),
        }


def drain(app: object, ms: float = 0.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + ms / 1000
    while True:
        QApplication.processEvents()
        if time.monotonic() >= end:
            return
        time.sleep(0.005)


def timed(app: object, action: Callable[[], object], repeat: int = 1) -> dict[str, float]:
    """ms per run of `action` plus the events (repaint) it caused."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        action()
        drain(app)
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=3_500)
    ap.add_argument("--terms", type=int, default=20_000)
    ap.add_argument("--hours", type=float, default=3.0)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    data = Path(tempfile.mkdtemp(prefix="minutes-soak-review-"))
    os.environ["MINUTES_DATA_DIR"] = str(data)
    from PySide6.QtWidgets import QApplication

    from minutes.correct import glossary_corrections
    from minutes.types import CorrectionStatus
    from ui.app import configure_app
    from ui.views.glossary_view import GlossaryView
    from ui.views.review_view import ReviewView
    from ui.workers import Engine

    app = QApplication(["soak-review"])
    configure_app(app)
    out: dict[str, object] = {"segments": args.segments, "terms": args.terms,
                              "load_average_before": load_average()}  # fmt: skip

    t = time.perf_counter()
    glossary = synthetic_glossary(args.terms)
    transcript = synthetic_transcript(glossary, args.hours, args.segments)
    out["generate_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    corrections = glossary_corrections(transcript, glossary)
    out["glossary_correction_s"] = round(time.perf_counter() - t, 1)
    out["corrections"] = len(corrections)
    engine = Engine()
    engine.glossary_store.save(glossary)
    session = synthetic_session(engine.sessions_root, transcript, corrections)

    # -- review -----------------------------------------------------------------
    review = ReviewView(engine)
    review.resize(1400, 900)
    review.show()
    drain(app, 100)
    watch = LoopWatch()
    watch.start()
    drain(app, 200)
    t = time.perf_counter()
    review.open_session(session)
    drain(app)
    out["review_open_ms"] = round((time.perf_counter() - t) * 1000)
    drain(app, 300)
    out["review_open_loop"] = watch.stop()

    watch = LoopWatch()
    watch.start()
    actions: dict[str, dict[str, float]] = {}
    actions["next_change"] = timed(app, review.next_change, 20)
    actions["previous_change"] = timed(app, review.previous_change, 10)
    actions["accept"] = timed(app, lambda: (review.accept_current(), review.next_change()), 20)
    actions["reject"] = timed(app, lambda: (review.reject_current(), review.next_change()), 20)
    actions["undo"] = timed(app, review.undo_stack.undo, 10)
    actions["redo"] = timed(app, review.undo_stack.redo, 10)
    actions["accept_all_of_term"] = timed(
        app, lambda: review.decide_term(CorrectionStatus.ACCEPTED), 5
    )
    rows = [int(r) for r in range(0, args.segments, max(args.segments // 20, 1))]
    it = iter(rows * 3)

    def edit() -> None:
        row = next(it)
        seg = review.model.segment(row)
        review.edit_segment(seg.id, review.model.reviewed_text(row) + " 수정")

    actions["edit_segment"] = timed(app, edit, 10)
    bar = review.table.verticalScrollBar()
    positions = iter([int(bar.maximum() * f / 20) for f in range(21)] * 2)
    actions["scroll_page"] = timed(app, lambda: bar.setValue(next(positions)), 20)
    select = iter(rows * 3)
    actions["select_row"] = timed(app, lambda: review.show_segment(next(select)), 20)
    out["review_actions"] = actions
    out["review_actions_loop"] = watch.stop()

    # -- glossary editor ------------------------------------------------------------
    t = time.perf_counter()
    view = GlossaryView(engine)
    view.resize(1200, 800)
    view.show()
    drain(app)
    out["glossary_open_ms"] = round((time.perf_counter() - t) * 1000)
    g: dict[str, dict[str, float]] = {}
    typed = iter(["k", "ku", "kub", "kube", "kuber", "", "쿠", "쿠버", ""] * 2)
    g["search_keystroke"] = timed(app, lambda: view.search.setText(next(typed)), 9)
    g["sort_by_category"] = timed(app, lambda: view.table.sortByColumn(2, view.table.horizontalHeader().sortIndicatorOrder()), 2)  # noqa: E501
    cells = iter(range(0, args.terms, max(args.terms // 10, 1)))

    def edit_note() -> None:
        row = next(cells)
        view.model.setData(view.model.index(row, 3), f"note {row}")

    g["edit_cell_and_save"] = timed(app, edit_note, 5)
    names = iter([f"Newterm{i}" for i in range(5)])

    def add() -> None:
        view.new_term.setText(next(names))
        view.add_term()

    g["add_term_and_save"] = timed(app, add, 3)
    out["glossary_actions"] = g
    out["load_average_after"] = load_average()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
