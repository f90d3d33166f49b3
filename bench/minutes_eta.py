"""Benchmark: how right the minutes' "time left" is, on the labelled meetings.

Writes the minutes of some of `bench/data/meetings` with the embedded model, one after
another, starting from an empty speed book (so the first meeting has no estimate until
its own first calls are done, and the next ones start from what the earlier measured),
as the app does. At each progress report it keeps the estimate (`Progress.eta_s`) and,
once the run ends, the time that really was left. Reported per meeting: when the first
estimate came, and the estimate's error at a quarter and at half of the run, as a share
of the time really left.

    python -m bench.minutes_eta [--meetings ko_01,ko_02,ko_03,en_01] [--model 1.5b]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.minutes_eval import _engine, document, load_meetings


def _error_at(points: list[tuple[float, float]], total: float, share: float) -> str:
    """The estimate's error at `share` of the run: the last estimate given by then."""
    given = [(t, eta) for t, eta in points if t <= share * total]
    if not given:
        return "–"
    t, eta = given[-1]
    left = total - t
    return f"{100 * (eta - left) / left:+.0f} %"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", default="ko_01,ko_02,ko_03,en_01")
    parser.add_argument("--model", default="1.5b")
    args = parser.parse_args()
    from minutes.llm.pace import SpeedBook, machine_pace, remember_pace
    from minutes.llm.summarise import SummariseStats, summarise
    from minutes.progress import Progress

    meetings = load_meetings(args.meetings.split(","))
    engine = _engine(args.model)
    book = SpeedBook(Path(tempfile.mkdtemp(prefix="minutes-eta-")) / "llm_speed.json")
    print(f"model {engine.info.model}, 2 threads; the speed book starts empty\n")
    print("| meeting | speed known before | calls | total (s) | first estimate at (s) "
          "| error at 1/4 | error at 1/2 |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|")
    for meeting in meetings:
        pace = machine_pace(engine.info.kind, engine.info.model, book)
        known = pace.prior is not None
        points: list[tuple[float, float]] = []
        started = time.perf_counter()

        def seen(p: Progress, started: float = started, points: list = points) -> None:  # type: ignore[type-arg]
            if p.eta_s is not None:
                points.append((time.perf_counter() - started, p.eta_s))

        stats = SummariseStats()
        summarise(document(meeting), engine, stats=stats, pace=pace, progress=seen)
        total = time.perf_counter() - started
        remember_pace(engine.info.kind, engine.info.model, stats.completions, stats.stages, book)
        first = f"{points[0][0]:.1f}" if points else "–"
        print(
            f"| {meeting.id} | {'yes' if known else 'no'} | {stats.calls} | {total:.0f} "
            f"| {first} | {_error_at(points, total, 0.25)} | {_error_at(points, total, 0.5)} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
