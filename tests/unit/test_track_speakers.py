"""The user's turns from the microphone track: speech, echo of the loudspeakers, double
talk (on loudness envelopes; the real-server test is in
tests/integration/test_capture_tracks.py)."""

from __future__ import annotations

import numpy as np

from minutes.track_speakers import FRAME_S, USER_SPEAKER, echo, user_turns

rng = np.random.default_rng(3)


def _speech(n: int, level: float) -> np.ndarray:
    """A syllable-like loudness envelope: bursts of 100-300 ms with short gaps."""
    env = np.zeros(n)
    i = 0
    while i < n:
        length = int(rng.integers(1, 4))
        env[i : i + length] = level * rng.uniform(0.5, 1.0)
        i += length + int(rng.integers(0, 2))
    return env


def _timeline() -> tuple[np.ndarray, np.ndarray]:
    n = 300  # 30 s
    noise = 1e-3
    mic, system = np.full(n, noise), np.full(n, noise)
    mic[10:60] += _speech(50, 0.2)  # 1-6 s: the user alone
    other = _speech(80, 0.3)  # 8-16 s: the others, heard back through the loudspeakers
    system[80:160] += other
    mic[81:161] += 0.15 * other  # 100 ms later, quieter
    system[200:280] += _speech(80, 0.3)  # 20-28 s: both talk (double talk)
    mic[200:280] += _speech(80, 0.25) + 0.05 * system[199:279]
    return mic, system


def test_the_user_alone_and_in_double_talk_is_found_the_echo_is_not() -> None:
    mic, system = _timeline()
    turns = user_turns(mic, system)
    assert {t.speaker for t in turns} == {USER_SPEAKER}

    def covered(a: float, b: float) -> float:
        return sum(max(0.0, min(t.end, b) - max(t.start, a)) for t in turns) / (b - a)

    assert covered(1.0, 6.0) > 0.8
    assert covered(8.5, 15.5) < 0.1  # the loudspeakers' echo is not the user
    assert covered(20.5, 27.5) > 0.6  # the user talking over the others is


def test_echo_is_the_microphone_following_the_system_track() -> None:
    mic, system = _timeline()
    found = echo(mic, system)
    assert found[int(9 / FRAME_S) : int(15 / FRAME_S)].mean() > 0.8
    assert found[int(21 / FRAME_S) : int(27 / FRAME_S)].mean() < 0.4


def test_a_live_stretch_that_is_the_loudspeakers_echo_is_recognised() -> None:
    from minutes.audio import load_audio
    from minutes.track_speakers import is_echo
    from tests.conftest import SAMPLE

    them = load_audio(SAMPLE)[: 5 * 16_000]
    noise = np.random.default_rng(4).normal(0, 1e-3, len(them)).astype(np.float32)
    heard = np.concatenate([np.zeros(1920, np.float32), them[:-1920]]) * 0.18 + noise  # 120 ms
    assert is_echo(heard, them)
    me = load_audio(SAMPLE)[::-1][: len(them)].copy() * 0.8 + heard  # the user talks over them
    assert not is_echo(me, them)
    assert not is_echo(me, np.zeros_like(them))  # nothing played: whatever the mic hears is ours


def test_the_echo_in_a_live_chunk_is_silenced_and_the_users_answer_kept() -> None:
    """One chunk holds the tail of the others' words (echo) and then the user's answer:
    the echo stretch is silenced, the answer is left as it was."""
    from minutes.audio import load_audio
    from minutes.track_speakers import without_echo
    from tests.conftest import SAMPLE

    sr = 16_000
    words = load_audio(SAMPLE)
    them = np.concatenate([words[: 5 * sr], np.zeros(4 * sr, np.float32)])
    echo_ = np.concatenate([np.zeros(1920, np.float32), them[:-1920]]) * 0.18  # 120 ms later
    answer = np.concatenate([np.zeros(5 * sr, np.float32), words[::-1][: 4 * sr] * 0.8])
    noise = np.random.default_rng(4).normal(0, 1e-3, len(them)).astype(np.float32)
    mic = (echo_ + answer + noise).astype(np.float32)
    out = without_echo(mic, them)
    assert out is not None
    echo_part = slice(sr // 2, int(4.5 * sr))
    assert (out[echo_part] == 0).mean() > 0.8
    answer_part = slice(int(5.3 * sr), 9 * sr)
    assert (out[answer_part] == mic[answer_part]).mean() > 0.95
    assert np.array_equal(without_echo(mic, np.zeros_like(them)), mic)  # nothing played
