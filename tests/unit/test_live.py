"""Live transcript: pause-cut chunks, catching up from disk, glossary on live text."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from glossary.terms import Glossary
from minutes.capture import Recorder
from minutes.live import (
    LiveSegment,
    LiveTranscriber,
    PauseChunker,
    WavTail,
    glossary_corrector,
    lag_seconds,
)
from minutes.types import Segment
from tests.audio_factory import tone_bursts
from tests.fake_sounddevice import FakeSoundDevice

SR = 16_000
PATTERN = [(0.5, 0), (2.0, 1), (1.0, 0), (1.5, 1), (1.0, 0), (3.0, 1), (0.8, 0)]


def _bursts() -> np.ndarray:
    noise = np.random.default_rng(0).standard_normal(int(9.8 * SR)).astype(np.float32) * 0.002
    return tone_bursts(PATTERN) + noise


def _chunks(samples: np.ndarray, step: int = 1600, **kwargs: float) -> list[tuple[float, float]]:
    chunker = PauseChunker(**kwargs)
    out = []
    for i in range(0, samples.size, step):
        out += chunker.feed(samples[i : i + step])
    out += chunker.flush()
    return [(c.start / SR, c.end / SR) for c in out]


def test_chunks_are_cut_at_pauses() -> None:
    chunks = _chunks(_bursts())
    assert len(chunks) == 3
    for (start, end), (lo, hi) in zip(chunks, [(0.5, 2.5), (3.5, 5.0), (6.0, 9.0)], strict=True):
        assert lo - 0.25 <= start <= lo + 0.05
        assert hi - 0.05 <= end <= hi + 0.3


def test_block_size_does_not_change_the_cuts() -> None:
    samples = _bursts()
    assert _chunks(samples, 160) == _chunks(samples, 48_000)


def test_long_speech_is_cut_at_max_length() -> None:
    words = [(0.4, 1.0), (0.1, 0.0)] * 60  # 30 s of talk with short gaps between words
    samples = tone_bursts([(0.2, 0), *words, (1.0, 0)])
    chunks = _chunks(samples, max_chunk_s=8.0)
    assert len(chunks) >= 4
    assert all(end - start <= 8.01 for start, end in chunks)
    assert chunks[0][1] == chunks[1][0]  # no audio between pieces is lost


def test_silence_gives_no_chunks() -> None:
    assert _chunks(np.zeros(SR * 5, dtype=np.float32)) == []


class _ArraySource:
    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.n = 0

    def available(self) -> int:
        return self.n

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.samples[start:min(stop, self.n)]


def test_slow_asr_catches_up_without_skipping() -> None:
    samples = np.concatenate([_bursts()] * 3)
    source = _ArraySource(samples)
    seen: list[tuple[float, float]] = []

    def slow_transcribe(chunk: np.ndarray, offset: float) -> list[Segment]:
        time.sleep(0.3)  # slower than the audio arrives
        end = offset + chunk.size / SR
        seen.append((offset, end))
        return [Segment(0, offset, end, f"piece at {offset:.1f}")]

    out: list[LiveSegment] = []
    live = LiveTranscriber(source, slow_transcribe, out.append)
    done = threading.Event()

    def feed() -> None:
        for i in range(0, samples.size, SR // 2):
            source.n = min(i + SR // 2, samples.size)
            time.sleep(0.01)
        done.set()

    threading.Thread(target=feed).start()
    live.run(done.is_set, poll_s=0.01)
    assert len(out) == 9 and live.position == samples.size
    starts = [s for s, _ in seen]
    assert starts == sorted(starts)


def test_glossary_correction_of_live_text() -> None:
    glossary = Glossary().add_term("Kubernetes", variants=["쿠버네티스"])
    correct = glossary_corrector(glossary, "ko")
    assert correct is not None
    text, corrections = correct(Segment(0, 0.0, 1.0, "쿠버네티스를 올렸어요"))
    assert text == "Kubernetes를 올렸어요"
    assert corrections[0].term == "Kubernetes"
    assert glossary_corrector(Glossary()) is None


def test_follows_a_real_recording(tmp_path: Path) -> None:
    samples = (_bursts() * 32767).astype(np.int16)
    sd = FakeSoundDevice(samples, realtime=True)
    rec = Recorder(tmp_path, sd=sd, flush_interval=0.2)
    out: list[LiveSegment] = []

    def fake_asr(chunk: np.ndarray, offset: float) -> list[Segment]:
        return [Segment(0, offset, offset + chunk.size / SR, "x")]

    live = LiveTranscriber(WavTail(rec.path, lambda: rec.samples_written), fake_asr, out.append)
    rec.start()
    started = sd.started_at
    worker = threading.Thread(target=live.run, args=(lambda: rec.state == "stopped",))
    worker.start()
    while sd.fed < samples.size:
        time.sleep(0.05)
    stopped_at = time.monotonic()
    rec.stop()
    worker.join(10)
    assert len(out) == 3
    # Live means while recording: the utterances followed by a pause appear
    # before Stop, not in a batch afterwards (the lag itself is benchmarked).
    assert sum(s.emitted_at < stopped_at for s in out) >= 2
    assert all(lag_seconds(s, started) > -0.5 for s in out)


def test_guided_redecoding_of_live_text_only_while_keeping_up() -> None:
    """A live segment gets the guide's confirmed change while the live pass keeps up,
    and none when it is behind (the decoding would cost more lag)."""
    from minutes.types import Correction, CorrectionSource, CorrectionStatus

    samples = _bursts()
    calls: list[float] = []

    def transcribe(chunk: np.ndarray, offset: float) -> list[Segment]:
        return [Segment(0, offset, offset + chunk.size / SR, "현재 뒤집이 1조 달러")]

    def guide(seg: Segment, chunk: np.ndarray, offset: float) -> list[Correction]:
        calls.append(offset)
        return [Correction(seg.id, 3, 6, "뒤집이", "GDP", CorrectionSource.GUIDED,
                           term="GDP", status=CorrectionStatus.ACCEPTED)]

    source = _ArraySource(samples)
    source.n = samples.size
    out: list[LiveSegment] = []
    LiveTranscriber(source, transcribe, out.append, guide=guide).finish()
    assert calls and all(s.text == "현재 GDP 1조 달러" for s in out)
    assert all(s.text_raw == "현재 뒤집이 1조 달러" for s in out)

    calls.clear()
    behind: list[LiveSegment] = []
    far = LiveTranscriber(source, transcribe, behind.append, guide=guide, guide_max_behind_s=-1)
    far.finish()
    assert calls == [] and all(s.text == s.text_raw for s in behind)


def test_a_chunk_that_begins_with_the_others_tail_is_heard_without_it() -> None:
    """The others' last words (echo) open the microphone's chunk and the user answers
    in the same chunk: the tail is silenced, judged with the seconds before the chunk,
    and the user's answer is passed on as it was."""
    from minutes.audio import load_audio
    from minutes.live import echo_filter
    from tests.conftest import SAMPLE

    words = load_audio(SAMPLE)
    them = np.concatenate([words[: 6 * SR], np.zeros(4 * SR, np.float32)])
    lag = SR // 8
    echo = np.concatenate([np.zeros(lag, np.float32), them[:-lag]]) * 0.18
    answer = np.concatenate([np.zeros(int(6.5 * SR), np.float32), words[::-1][: int(3.5 * SR)]])
    mic = (echo + answer * 0.8).astype(np.float32)
    mic += np.random.default_rng(2).normal(0, 1e-3, mic.size).astype(np.float32)
    system_source, mic_source = _ArraySource(them), _ArraySource(mic)
    system_source.n = mic_source.n = mic.size
    start = 5 * SR  # the chunk: the last second of their words, then the answer
    heard = echo_filter(mic_source, system_source)(start, mic.size, mic[start:])
    assert heard is not None and heard.size == mic.size - start
    assert (heard[: int(0.9 * SR)] == 0).mean() > 0.8
    answer_part = slice(int(1.7 * SR), None)
    assert (heard[answer_part] == mic[start:][answer_part]).mean() > 0.95


def test_microphone_chunks_that_echo_the_system_track_are_not_transcribed() -> None:
    """Without headphones the mic hears the loudspeakers: those chunks are skipped, the
    user's own chunks (the system track silent there) are transcribed."""
    from minutes.live import echo_filter

    them = _bursts()
    silent = np.zeros_like(them)
    system = np.concatenate([them, silent])
    delay = SR // 10  # the room and the sound cards: 100 ms
    echo = np.concatenate([np.zeros(delay, np.float32), them[:-delay]]) * 0.2
    mine = _bursts()[::-1].copy()  # the user, after the others
    mic = np.concatenate([echo, mine]).astype(np.float32)
    mic += np.random.default_rng(1).normal(0, 1e-3, mic.size).astype(np.float32)
    system_source, mic_source = _ArraySource(system), _ArraySource(mic)
    system_source.n = mic_source.n = mic.size
    heard: list[float] = []

    def transcribe(chunk: np.ndarray, offset: float) -> list[Segment]:
        heard.append(offset)
        return [Segment(0, offset, offset + chunk.size / SR, "x")]

    live = LiveTranscriber(mic_source, transcribe, lambda s: None,
                           echo=echo_filter(mic_source, system_source))  # fmt: skip
    live.run(lambda: True, poll_s=0.01)
    half = them.size / SR
    assert live.skipped_chunks >= 2
    assert heard and all(offset >= half - 0.5 for offset in heard)  # only the user's half
