"""Long imports, the fast versions of scripts/reliability/soak_import.py.

The 8-hour soak is too slow for the default run; these check the properties that
keep it flat: decoding holds a bounded amount of audio whatever the length, the
windows cover the file exactly, the ASR checkpoint writes each segment once (not
the whole transcript per window), and a real run finds every placed clip up to
the end of the file.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from minutes.audio import SAMPLE_RATE, iter_windows
from minutes.session import ASR_PARTIAL, AsrCheckpoint, Session
from minutes.types import Segment, Word
from scripts.reliability.soak_common import JFK_PHRASE, write_meeting


def _segment(i: int) -> Segment:
    """A realistic segment: 20 words with timestamps (about 2 KB of JSON)."""
    start = i * 10.0
    words = tuple(Word(start + k * 0.5, start + k * 0.5 + 0.4, f" word{k}", 0.9) for k in range(20))
    return Segment(i, start, start + 10.0, "".join(w.text for w in words).strip(), words)


def _bytes_written() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar in /proc/self/io")


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc/self/io")
def test_checkpoint_writes_each_segment_once(tmp_path: Path) -> None:
    session = Session.create(tmp_path, "long")
    segments: list[Segment] = []
    before = _bytes_written()
    for window in range(120):  # 8 hours of 240 s windows
        segments.extend(_segment(len(segments) + k) for k in range(25))
        session.save_asr_checkpoint(AsrCheckpoint("k", (window + 1) * 240.0, tuple(segments), "en"))
    written = _bytes_written() - before
    size = (session.folder / ASR_PARTIAL).stat().st_size
    # Rewriting the whole transcript per window would write about 60x the final size.
    assert written < 2 * size
    loaded = Session.open(session.folder).load_asr_checkpoint("k")
    assert loaded is not None
    assert loaded.segments == tuple(segments) and loaded.done_until == 120 * 240.0


def test_checkpoint_torn_by_a_crash_resumes_after_the_last_whole_window(tmp_path: Path) -> None:
    session = Session.create(tmp_path, "crash")
    segments = [_segment(0), _segment(1)]
    session.save_asr_checkpoint(AsrCheckpoint("k", 240.0, tuple(segments), "ko"))
    segments.append(_segment(2))
    session.save_asr_checkpoint(AsrCheckpoint("k", 480.0, tuple(segments), "ko"))
    path = session.folder / ASR_PARTIAL
    with path.open("a", encoding="utf-8") as fh:  # a third window cut off mid-line
        fh.write(json.dumps({"done_until": 720.0, "segments": [_segment(3).to_dict()]})[:50])
    resumed = Session.open(session.folder)
    cp = resumed.load_asr_checkpoint("k")
    assert cp is not None and cp.done_until == 480.0 and cp.segments == tuple(segments)
    assert cp.language == "ko"
    assert resumed.load_asr_checkpoint("other key") is None
    # The resumed run rewrites the file from what it holds (the torn line goes away).
    more = (*cp.segments, _segment(3))
    resumed.save_asr_checkpoint(AsrCheckpoint("k", 720.0, more, "ko"))
    again = Session.open(session.folder).load_asr_checkpoint("k")
    assert again is not None and again.segments == more and again.done_until == 720.0


def test_windows_of_a_long_file_hold_bounded_memory(tmp_path: Path) -> None:
    audio = tmp_path / "long.flac"
    write_meeting(audio, hours=0.5, every_s=60.0)
    total = int(0.5 * 3600 * SAMPLE_RATE)
    tracemalloc.start()
    try:
        expected_offset, n = 0, 0
        for window in iter_windows(audio, window_seconds=60.0):
            assert round(window.offset * SAMPLE_RATE) == expected_offset  # no gap, no overlap
            expected_offset += window.samples.size
            n += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert expected_offset == total and n >= 29
    window_bytes = 60 * SAMPLE_RATE * np.dtype(np.float32).itemsize  # 3.8 MB
    whole_file = total * np.dtype(np.float32).itemsize  # 115 MB
    assert peak < 8 * window_bytes < whole_file / 3  # a few windows at most, never the file


@pytest.mark.slow
def test_real_import_finds_every_clip_to_the_end(tmp_path: Path) -> None:
    from minutes import modelstore
    from minutes.pipeline import Pipeline, RunOptions

    try:
        modelstore.resolve("tiny.en")
    except modelstore.ModelError as exc:
        pytest.skip(f"embedded tiny.en model not installed: {exc}")
    audio = tmp_path / "meeting.flac"
    placed = write_meeting(audio, hours=6 / 60, every_s=60.0)  # 6 min: two 240 s windows
    pipeline = Pipeline(tmp_path / "sessions")
    result = pipeline.run(
        pipeline.import_audio(audio), RunOptions(model="tiny.en", language="en", formats=())
    )
    words = [w.start for s in result.transcript.segments for w in s.words]
    text = " ".join(s.text for s in result.transcript.segments)
    assert len(placed) == 6
    assert all(any(p - 1 <= w <= p + 11 for w in words) for p in placed)
    assert len(JFK_PHRASE.findall(text)) >= len(placed) - 1  # tiny.en may drop one phrase
    assert max(words) > placed[-1]
    assert not (result.session.folder / ASR_PARTIAL).exists()
