"""EstimatedProgress: the bar keeps rising between a backend's reports, never past the
work in flight and never backwards."""

from __future__ import annotations

from minutes.progress import EstimatedProgress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_rises_towards_the_piece_in_flight_and_real_reports_win() -> None:
    clock, shown = Clock(), []
    bar = EstimatedProgress(
        lambda f, m: shown.append((round(f, 4), m)), "transcribing", prior_speed=0.1, clock=clock
    )
    bar(0.0)
    bar.expect(0.5)  # the first window ends halfway
    values = []
    for _ in range(40):
        clock.now += 1.0
        bar.tick()
        values.append(shown[-1][0])
    assert values == sorted(values) and values[0] > 0.0
    assert values[-1] < 0.5  # never claims the window is done
    assert values[-1] > 0.4  # but gets close when it takes long

    bar(0.5, "window 1 done")  # the real report
    assert shown[-1] == (0.5, "window 1 done")
    bar.expect(1.0)
    clock.now += 1.0
    bar.tick()
    assert 0.5 < shown[-1][0] < 1.0
    ahead = shown[-1][0]
    bar(0.51)  # a real report behind the estimate: the bar stays where it is
    assert shown[-1][0] == ahead
    bar(1.0)
    assert shown[-1][0] == 1.0


def test_speed_is_measured_from_where_a_resumed_stage_starts() -> None:
    clock, shown = Clock(), []
    bar = EstimatedProgress(lambda f, m: shown.append(f), "x", prior_speed=0.01, clock=clock)
    bar(0.8)  # resuming: 80 % was done by an earlier run
    clock.now += 10.0
    bar(0.9)  # 0.1 in 10 s
    bar.expect(1.0)
    clock.now += 10.0  # the expected time of the rest: 1 - exp(-1) of the way
    bar.tick()
    assert abs(shown[-1] - (0.9 + 0.9 * 0.1 * 0.632)) < 0.01


def test_the_timer_thread_stops_with_the_stage() -> None:
    shown: list[float] = []
    with EstimatedProgress(lambda f, m: shown.append(f), "x", tick_s=0.01) as bar:
        bar(0.0)
        bar.expect(1.0)
        import time

        time.sleep(0.1)
    count = len(shown)
    assert count > 2
    time.sleep(0.05)
    assert len(shown) == count
