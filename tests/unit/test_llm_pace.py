"""How long the minutes will still take: rates from completions, the plan of calls, the
estimate while `summarise` runs, and the book of this machine's speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes.llm.engines.base import Completion
from minutes.llm.pace import (
    Pace,
    PlannedCall,
    Rates,
    SpeedBook,
    machine_pace,
    measured_rates,
    remember_pace,
    time_left_text,
)
from minutes.llm.summarise import SummariseOptions, SummariseStats, summarise
from minutes.progress import Progress
from tests.unit.test_llm_fake_engine import FakeEngine
from tests.unit.test_llm_summarise import _doc, _map_reply


def _done(read: int, wrote: int, first_s: float, total_s: float, cached: int = 0) -> Completion:
    return Completion("{}", read + cached, wrote, first_s, total_s, "stop", "llama.cpp", "m",
                      cached_tokens=cached)  # fmt: skip


def test_rates_count_only_the_tokens_read_and_the_time_to_the_first_token() -> None:
    calls = [_done(400, 41, 10.0, 20.0, cached=300), _done(200, 21, 5.0, 10.0)]
    rates = measured_rates(calls, ["actions", "notes"])
    assert rates is not None
    assert rates.read_tps == pytest.approx(600 / 15)  # the 300 cached tokens cost nothing
    assert rates.write_tps == pytest.approx((40 + 20) / 15)
    assert rates.reply_tokens == {"actions": 41, "notes": 21}


def test_too_little_work_or_a_cancelled_call_tells_nothing() -> None:
    assert measured_rates([_done(20, 3, 0.5, 0.6)]) is None
    assert measured_rates([]) is None
    cancelled = Completion("", 900, 50, 10.0, 12.0, "cancelled", "llama.cpp", "m")
    assert measured_rates([cancelled]) is None


def test_seconds_left_from_the_prior_then_from_this_run() -> None:
    pace = Pace()
    pace.plan = [PlannedCall("actions", 100, 64), PlannedCall("notes", 1000, 500)]
    assert pace.seconds_left([]) is None  # this machine's speed is not known yet
    pace.prior = Rates(read_tps=50.0, write_tps=5.0, reply_tokens={"actions": 20})
    # 100/50 + 20/5  +  1000/50 + (half of 500)/5
    assert pace.seconds_left([]) == pytest.approx(2 + 4 + 20 + 50)
    # Half of the current call's prompt read: its reading is half done.
    assert pace.seconds_left([], reading=0.5) == pytest.approx(1 + 4 + 20 + 50)
    # The first call done, twice as fast as the prior said: this run's rates count.
    first = _done(100, 11, 1.0, 2.0)
    assert pace.seconds_left([first], ["actions"]) == pytest.approx(1000 / 100 + 250 / 10)
    assert pace.seconds_left([first, _done(1000, 200, 10.0, 30.0)], ["actions", "notes"]) == 0


def test_a_reply_is_expected_within_its_budget() -> None:
    pace = Pace(Rates(100.0, 10.0, {"notes": 900}))
    pace.plan = [PlannedCall("notes", 0, 300)]
    assert pace.seconds_left([]) == pytest.approx(30)


def test_the_book_keeps_each_models_rates(tmp_path: Path) -> None:
    book = SpeedBook(tmp_path / "llm_speed.json")
    assert machine_pace("llama.cpp", "a", book).prior is None
    remember_pace("llama.cpp", "a", [_done(400, 41, 10.0, 20.0)], ["notes"], book)
    remember_pace("llama.cpp", "b", [_done(20, 2, 1.0, 1.5)], ["notes"], book)  # too short
    prior = machine_pace("llama.cpp", "a", book).prior
    assert prior is not None and prior.read_tps == pytest.approx(40)
    assert prior.reply_tokens == {"notes": 41}
    assert machine_pace("llama.cpp", "b", book).prior is None
    assert machine_pace("openai", "a", book).prior is None  # another engine, another speed
    assert set(json.loads(book.path.read_text())) == {"llama.cpp:a"}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"llama.cpp:a": {"read_tps": 0}}'])
def test_a_broken_book_only_costs_the_estimate(tmp_path: Path, content: str) -> None:
    path = tmp_path / "llm_speed.json"
    path.write_text(content)
    book = SpeedBook(path)
    assert book.rates("llama.cpp:a") is None
    remember_pace("llama.cpp", "a", [_done(400, 41, 10.0, 20.0)], ["notes"], book)
    assert book.rates("llama.cpp:a") is not None  # rewritten whole


def test_an_unwritable_book_is_no_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    book = SpeedBook(blocker / "llm_speed.json")  # its folder is a file
    remember_pace("llama.cpp", "a", [_done(400, 41, 10.0, 20.0)], ["notes"], book)
    assert "cannot keep" in caplog.text


def test_time_left_text() -> None:
    assert time_left_text(12) == "under a minute left"
    assert time_left_text(150) == "about 2 min left"


def test_summarise_plans_every_call_it_makes_and_reports_the_time_left() -> None:
    engine = FakeEngine([_map_reply])
    stats = SummariseStats()
    pace = Pace(Rates(read_tps=100.0, write_tps=10.0))
    seen: list[Progress] = []
    summarise(
        _doc(), engine, options=SummariseOptions(part_tokens=60), stats=stats,
        progress=seen.append, pace=pace,
    )  # fmt: skip
    assert [c.stage for c in pace.plan] == stats.stages  # one planned call per call, in order
    assert len(pace.plan) == len(engine.calls) > 3
    # The first call reads all of its prompt; the next action-item call only what differs.
    first, second = engine.calls[0][0], engine.calls[1][0]
    assert pace.plan[0].read_tokens == engine.count_tokens("".join(m.content for m in first))
    assert pace.plan[1].read_tokens < engine.count_tokens("".join(m.content for m in second))
    etas = [p.eta_s for p in seen if p.fraction < 1.0]
    assert etas and all(e is not None for e in etas)
    assert etas[0] > etas[-1] >= 0
    assert seen[-1].fraction == 1.0 and seen[-1].eta_s is None


def test_without_a_known_speed_the_estimate_starts_after_the_first_calls() -> None:
    engine = FakeEngine([_map_reply])
    stats = SummariseStats()
    seen: list[Progress] = []
    summarise(_doc(), engine, stats=stats, progress=seen.append)
    assert seen[0].eta_s is None  # nothing measured on this machine yet
    assert any(p.eta_s is not None for p in seen)  # then this run's own rates
