"""Silero VAD in bounded memory gives what faster-whisper's VAD gives on the whole input."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from minutes.audio import load_audio
from minutes.diarize.vad import (
    VadConfig,
    regions_from_probabilities,
    speech_probabilities,
    speech_regions,
)

ROOT = Path(__file__).resolve().parents[2]
JFK = ROOT / "resources" / "samples" / "jfk.flac"
SPEECH = Path(os.environ.get("MINUTES_SPEECH_DATA", ROOT.parent / "shared" / "data" / "speech"))
AMI = SPEECH / "ami_pyannote" / "ami_pyannote_test_dev00.wav"


def real_speech() -> list[np.ndarray]:
    clips = []
    if JFK.is_file():
        jfk = load_audio(JFK)
        # Pauses of several lengths (regions end and start inside model batches);
        # a length that is a multiple of 512 exercises faster-whisper's full-window pad.
        gaps = [np.zeros(n, np.float32) for n in (3000, 9000, 20000)]
        joined = np.concatenate([jfk, gaps[0], jfk, gaps[1], jfk[:50000], gaps[2], jfk])
        clips += [jfk, joined[: joined.size // 512 * 512]]
    if AMI.is_file():
        clips.append(load_audio(AMI))  # far-field meeting audio, overlapping talk
    if not clips:
        pytest.skip(f"no real speech found ({JFK}, {AMI})")
    return clips


def test_probabilities_match_faster_whisper_in_small_batches() -> None:
    from faster_whisper.vad import get_vad_model

    for audio in real_speech():
        padded = np.pad(audio, (0, 512 - audio.size % 512))
        theirs = np.asarray(get_vad_model()(padded)).reshape(-1)
        mine = speech_probabilities(audio, batch_windows=100)  # many batches: state carried
        assert mine.shape == theirs.shape
        assert np.abs(mine - theirs).max() < 1e-4
        assert (mine > 0.5).mean() > 0.3  # it is speech


@pytest.mark.parametrize("threshold", [0.35, 0.5, 0.1])
def test_regions_match_get_speech_timestamps(threshold: float) -> None:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    cfg = VadConfig(threshold=threshold)
    opts = VadOptions(
        threshold=cfg.threshold,
        min_silence_duration_ms=cfg.min_silence_ms,
        speech_pad_ms=cfg.speech_pad_ms,
        min_speech_duration_ms=cfg.min_speech_ms,
    )
    for audio in real_speech():
        theirs = [(t["start"], t["end"]) for t in get_speech_timestamps(audio, opts)]
        mine = regions_from_probabilities(speech_probabilities(audio), audio.size, cfg)
        assert mine == theirs
        assert mine  # speech found
        seconds = speech_regions(audio, config=cfg)
        assert [(round(a * 16000), round(b * 16000)) for a, b in seconds] == theirs
