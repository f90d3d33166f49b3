"""The kill loop, a few cheap kills per stage (the long run: scripts/reliability/kill_loop.py).

Each kill is a real SIGKILL of a child process doing the real work; after it
the files must load, nothing saved may be lost, the work must resume, and the
real main window must start on the data folder. The minutes stage is left to
the script: one summarize with the embedded 0.5B model takes tens of seconds
on two cores, and a kill needs a reference run, the killed run and a re-run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.reliability.kill_loop import JFK, RunResult, run_loop

pytest.importorskip("PySide6.QtWidgets", reason="the app check needs PySide6")


def _assert_clean(results: list[RunResult]) -> None:
    for r in results:
        detail = f"{r.stage} #{r.run}: {r}"
        assert "error" not in r.notes, detail
        assert r.kills == 1, detail  # killed while still working, not after it finished
        assert r.corrupt == [], detail
        assert r.lost == [], detail
        assert r.app_ok, detail


def test_killed_recording_keeps_every_flushed_block(tmp_path: Path) -> None:
    results, _ = run_loop(["recording"], runs=2, seed=3, work=tmp_path, audio=JFK, log=print)
    _assert_clean(results)
    for r in results:
        assert r.resumed, r  # the app recovered it: duration and fingerprint set
        assert r.notes["recovered_samples"] >= r.notes["written"] > 0


def test_killed_saves_leave_the_old_or_the_new_edit(tmp_path: Path) -> None:
    results, ctx = run_loop(["save"], runs=3, seed=5, work=tmp_path, audio=JFK, log=print)
    _assert_clean(results)
    assert ctx.refs["save_committed"] > 0  # edits were saved, and survived each kill


def test_killed_asr_resumes_from_its_checkpoint(tmp_path: Path) -> None:
    # jfk.flac (11 s) in 3 s windows: killed as the 3rd window starts, the re-run
    # must transcribe only the windows after the checkpoint and give the same text.
    results, ctx = run_loop(
        ["asr"], runs=1, seed=0, work=tmp_path, audio=JFK, window=3.0, asr_kill_window=3, log=print
    )
    _assert_clean(results)
    [r] = results
    ref_windows = len(ctx.refs["pipeline"]["windows"])
    assert r.notes["checkpoint_until"] and r.notes["checkpoint_until"] > 0
    assert 0 < r.notes["windows_rerun"] < ref_windows  # resumed, did not start over
    assert r.resumed
    assert r.same_as_uninterrupted
