"""Long recordings, the fast versions of scripts/reliability/soak_record.py.

A recording fed faster than real time must land on disk complete, and a live
transcript that cannot keep up must skip ahead (bounded work, bounded lag) instead
of queueing the whole meeting, so that after Stop the model is free for the final
pass at once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from minutes.capture import Recorder
from minutes.live import LiveTranscriber, PauseChunker
from minutes.types import Segment
from scripts.reliability.soak_common import meeting_blocks
from tests.fake_sounddevice import FakeSoundDevice

SR = 16_000


class _Growing:
    """A recording whose samples all arrive at once (a stalled transcriber's view)."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples

    def available(self) -> int:
        return int(self.samples.size)

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.samples[start:stop]


def _meeting(minutes: float) -> np.ndarray:
    blocks = [b for b, _ in meeting_blocks(minutes / 60, every_s=60.0)]
    return np.concatenate(blocks).astype(np.float32) / 32768


def test_live_transcript_far_behind_skips_to_the_newest_audio() -> None:
    samples = _meeting(20)  # 20 minutes already recorded, nothing transcribed yet
    seen: list[tuple[float, float]] = []

    def asr(chunk: np.ndarray, offset: float) -> list[Segment]:
        seen.append((offset, offset + chunk.size / SR))
        return [Segment(0, offset, offset + chunk.size / SR, "ask not")]

    out: list[object] = []
    live = LiveTranscriber(
        _Growing(samples), asr, out.append, max_behind_s=90.0, resume_behind_s=65.0
    )
    live.run(lambda: True, poll_s=0.0)
    assert live.position == samples.size
    # Only the last 65 s were transcribed (the clip at 19:00); the rest was skipped, not queued.
    assert live.skipped_seconds == 20 * 60 - 65
    assert seen and all(19 * 60 - 1 <= start <= 19 * 60 + 11 for start, _ in seen)
    assert len(out) == live.segments_emitted == len(seen)


def test_live_transcript_a_little_behind_skips_nothing() -> None:
    samples = _meeting(3)
    seen: list[float] = []

    def asr(chunk: np.ndarray, offset: float) -> list[Segment]:
        seen.append(offset)
        return [Segment(0, offset, offset + chunk.size / SR, "x")]

    live = LiveTranscriber(_Growing(samples), asr, lambda s: None, max_behind_s=600.0)
    live.run(lambda: True, poll_s=0.0)
    assert live.skipped_seconds == 0.0
    for clip in (0, 60, 120):  # one jfk clip per minute, each transcribed
        assert any(clip - 1 <= start <= clip + 11 for start in seen)


def test_chunker_skip_to_continues_at_the_new_position() -> None:
    samples = _meeting(2)
    chunker = PauseChunker()
    chunker.feed(samples[: 5 * SR])  # inside the first clip: a chunk is open
    chunker.skip_to(60 * SR)
    chunks = chunker.feed(samples[60 * SR :]) + chunker.flush()
    assert chunks and all(c.start >= 60 * SR for c in chunks)


def test_recording_fed_faster_than_real_time_is_complete(tmp_path: Path) -> None:
    fed = np.concatenate([b for b, _ in meeting_blocks(10 / 60, every_s=60.0)])  # 10 minutes
    sd = FakeSoundDevice(fed, realtime=False)
    rec = Recorder(tmp_path, sd=sd, max_seconds=fed.size / SR, flush_interval=0.2)
    rec.start()
    deadline = time.monotonic() + 60
    while not rec.finished_by_itself and time.monotonic() < deadline:
        time.sleep(0.05)
    rec.stop()
    saved, rate = sf.read(tmp_path / "audio.wav", dtype="int16")
    assert rate == SR and rec.error is None
    assert np.array_equal(saved, fed)  # every sample, in order, nothing more


def test_live_transcriber_does_not_keep_the_whole_meeting() -> None:
    """Live text is the caller's to keep: the transcriber holds no growing list."""
    samples = _meeting(5)
    live = LiveTranscriber(
        _Growing(samples), lambda c, o: [Segment(0, o, o + 1, "x")], lambda s: None,
        max_behind_s=None,
    )
    done = threading.Event()
    done.set()
    live.run(done.is_set, poll_s=0.0)
    assert live.segments_emitted >= 5  # at least one chunk per clip
    grown = [k for k, v in vars(live).items() if isinstance(v, list | dict | tuple) and len(v) >= 5]
    assert not grown
