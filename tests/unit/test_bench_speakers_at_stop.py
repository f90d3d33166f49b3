"""bench.speakers_at_stop: the agreement it reports and the turn-taking meeting it builds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.speakers_at_stop import agreement, turn_taking_meeting
from minutes.audio import load_audio
from minutes.diarize.types import SpeakerTurn


def test_renumbered_speakers_agree_fully() -> None:
    then = [SpeakerTurn(0, 10, "SPEAKER_0"), SpeakerTurn(10, 20, "SPEAKER_1")]
    final = [SpeakerTurn(0, 10, "SPEAKER_3"), SpeakerTurn(10, 20, "SPEAKER_0")]
    assert agreement(then, final, 0, 20) == pytest.approx(1.0)


def test_two_voices_then_that_are_one_now_agree_one_voice_split_does_not() -> None:
    final = [SpeakerTurn(0, 20, "SPEAKER_0")]
    merged = [SpeakerTurn(0, 10, "SPEAKER_0"), SpeakerTurn(10, 20, "SPEAKER_1")]
    assert agreement(merged, final, 0, 20) == pytest.approx(1.0)  # many-to-one maps
    split = [SpeakerTurn(0, 20, "SPEAKER_0")]
    now = [SpeakerTurn(0, 15, "SPEAKER_0"), SpeakerTurn(15, 20, "SPEAKER_1")]
    assert agreement(split, now, 0, 20) == pytest.approx(0.75)


def test_only_the_window_counts_and_an_empty_one_agrees() -> None:
    then = [SpeakerTurn(0, 30, "A")]
    final = [SpeakerTurn(0, 10, "X"), SpeakerTurn(10, 30, "Y")]
    assert agreement(then, final, 10, 30) == pytest.approx(1.0)
    assert agreement(then, final, 40, 50) == 1.0


def test_turn_taking_meeting_has_its_voices_throughout(speech_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "meeting.wav"
    seconds, voices = turn_taking_meeting(path, 3.0)
    audio = load_audio(path)
    assert voices == 8
    assert seconds == pytest.approx(180.0, abs=0.01) and len(audio) == 180 * 16_000
    assert float(np.abs(audio).max()) > 0.05  # speech, not the pauses alone
    again = tmp_path / "again.wav"
    turn_taking_meeting(again, 3.0)
    assert np.array_equal(load_audio(again), audio)  # the same meeting every run
