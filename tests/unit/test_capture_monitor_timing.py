"""The system-audio reader times each block by the read that carried it: a block that ends
inside a read was captured that read's remaining frames earlier (what the tracks' clocks,
and so the mix, rely on). A stand-in `parec` writes two and a half blocks in one write."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minutes.capture_clock import BlockTime
from minutes.capture_system import Monitor, MonitorStream

RATE, BLOCK = 16_000, 400  # 25 ms blocks of mono 16-bit: 2.5 blocks = 2,000 bytes, one write


def _fake_parec(folder: Path) -> None:
    script = folder / "parec"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, time\n"
        f"os.write(1, bytes(range(200)) * 10)  # {BLOCK * 2 * 5 // 2} bytes: under PIPE_BUF\n"
        "time.sleep(0.2)\n"
    )
    script.chmod(0o755)


def test_blocks_in_one_read_are_timed_back_from_its_arrival(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_parec(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    got: list[tuple[int, Any]] = []
    done = threading.Event()

    def callback(block: np.ndarray, frames: int, timing: Any, _status: Any) -> None:
        got.append((frames, timing))

    stream = MonitorStream(
        Monitor(0, "test.monitor", 1, RATE), samplerate=RATE, channels=1, blocksize=BLOCK,
        callback=callback, finished_callback=done.set,
    )  # fmt: skip
    stream.start()
    assert done.wait(10)
    stream.stop()

    timed = [t for frames, t in got if frames == BLOCK]
    assert len(timed) == 2 and all(isinstance(t, BlockTime) for t in timed)
    # Same read: the two ends lie one block apart, the second half a block before arrival.
    assert timed[1].captured_end - timed[0].captured_end == pytest.approx(BLOCK / RATE, abs=1e-9)
    assert [frames for frames, _ in got][-1] == BLOCK // 2  # the rest at the end, untimed
    assert got[-1][1] is None
