"""Streaming diarization: a file is decoded and processed window by window.

Uses the real Silero VAD on real speech (the public-domain JFK sample in the
repo, repeated) and a stand-in voice encoder, so it checks memory behaviour,
not speaker accuracy (that is tests/integration/test_diarize_real.py).
"""

from __future__ import annotations

import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from minutes.audio import load_audio
from minutes.diarize import diarize_full
from minutes.diarize.offline import OfflineConfig, diarize_offline, diarize_offline_file

SR = 16000
JFK = Path(__file__).resolve().parents[2] / "resources" / "samples" / "jfk.flac"
WINDOW_S = 30.0  # small stream windows keep the test quick


class MeanMelEncoder:
    """Stand-in encoder: normalised mean mel power of each window (cheap, deterministic)."""

    def embed_mels(self, mels: np.ndarray) -> np.ndarray:
        v = np.pad(mels.mean(axis=1), ((0, 0), (0, 256 - mels.shape[2])))
        return (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def write_speech_file(path: Path, minutes: float) -> float:
    """JFK's 11 s speech repeated with 1 s pauses to `minutes`; returns the duration."""
    clip = load_audio(JFK)
    unit = np.concatenate([clip, np.zeros(SR, np.float32)])
    reps = int(np.ceil(minutes * 60 * SR / unit.size))
    pcm = (np.tile(unit, reps) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(SR)
        fh.writeframes(pcm.tobytes())
    return pcm.size / SR


def traced_peak(path: Path, config: OfflineConfig) -> tuple[int, float]:
    """Peak traced allocation (bytes) while diarizing `path`, and the last turn's end."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = diarize_offline_file(path, config=config, encoder=MeanMelEncoder())  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result.turns[-1].end


@pytest.mark.skipif(not JFK.is_file(), reason=f"{JFK} missing")
def test_memory_does_not_grow_with_duration(tmp_path: Path) -> None:
    short, long_ = tmp_path / "short.wav", tmp_path / "long.wav"
    short_s = write_speech_file(short, 1.0)
    long_s = write_speech_file(long_, 4.0)
    config = OfflineConfig(stream_window_s=WINDOW_S)
    traced_peak(short, config)  # one-time loading (Silero, caches) must not hide growth
    peak_short, end_short = traced_peak(short, config)
    peak_long, end_long = traced_peak(long_, config)
    # The whole file really was diarized (speech found up to its end) ...
    assert end_short > short_s - 3 and end_long > long_s - 3
    # ... but the audio is not held: 4x the audio (11.5 MB more float32 samples;
    # holding the file adds ~19 MB) adds only what grows with the number of speech
    # windows: embeddings (1 KB per 0.4 s of speech) and their float64 copies in
    # clustering, measured 3.6 MB here (~1.2 MB per minute of speech).
    grown_audio = (long_s - short_s) * SR * 4
    assert peak_long - peak_short < grown_audio / 2, (
        f"{peak_short / 1e6:.1f} -> {peak_long / 1e6:.1f} MB"
    )


@pytest.mark.skipif(not JFK.is_file(), reason=f"{JFK} missing")
def test_file_and_samples_give_the_same_turns(tmp_path: Path) -> None:
    """A file streamed window by window is diarized exactly like its decoded samples."""
    path = tmp_path / "speech.wav"
    write_speech_file(path, 1.5)
    config = OfflineConfig(stream_window_s=WINDOW_S)
    enc = MeanMelEncoder()
    from_file = diarize_offline_file(path, config=config, encoder=enc)  # type: ignore[arg-type]
    from_samples = diarize_offline(load_audio(path), config=config, encoder=enc)  # type: ignore[arg-type]
    assert from_file.turns == from_samples.turns
    assert len(from_file.turns) >= 5  # several stream windows' worth of speech
    seen: list[float] = []
    turns = diarize_full(str(JFK), progress=seen.append).turns  # public API, real encoder
    assert turns and turns[-1].end > 9.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_stream_window_must_cover_the_pause_search() -> None:
    with pytest.raises(ValueError):
        OfflineConfig(stream_window_s=10.0)
