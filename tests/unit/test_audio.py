from pathlib import Path

import numpy as np
import pytest

from minutes.audio import (
    SAMPLE_RATE,
    AudioError,
    dbfs,
    iter_blocks,
    iter_windows,
    load_audio,
    normalise_loudness,
    probe,
    quietest_cut,
)
from tests.audio_factory import tone_bursts, write_audio


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".mp3", ".ogg", ".m4a", ".webm", ".mp4"])
def test_every_supported_format_decodes_to_16k_mono(tmp_path: Path, suffix: str) -> None:
    sig = tone_bursts([(1.0, 1), (0.5, 0), (1.0, 1)])
    path = write_audio(tmp_path / f"x{suffix}", sig, channels=2 if suffix == ".m4a" else 1)
    info = probe(path)
    assert info.duration == pytest.approx(2.5, abs=0.15)
    out = load_audio(path)
    assert out.dtype == np.float32
    assert abs(out.size / SAMPLE_RATE - 2.5) < 0.15
    assert dbfs(out) == pytest.approx(dbfs(sig), abs=1.5)


def test_other_sample_rates_are_resampled(tmp_path: Path) -> None:
    sig = tone_bursts([(2.0, 1)], sr=44_100)
    path = write_audio(tmp_path / "cd.wav", sig, sr=44_100)
    assert abs(load_audio(path).size / SAMPLE_RATE - 2.0) < 0.02


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"RIFF\x00\x00junkjunkjunk" * 10, "not a readable audio file")],
)
def test_bad_files_give_clear_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message):
        probe(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not found"):
        probe(tmp_path / "nope.wav")
    with pytest.raises(AudioError, match="folder"):
        probe(tmp_path)


def test_truncated_file_decodes_what_is_there(tmp_path: Path) -> None:
    path = write_audio(tmp_path / "t.flac", tone_bursts([(3.0, 1)]))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    out = np.concatenate(list(iter_blocks(path)))
    assert 0.5 < out.size / SAMPLE_RATE < 3.0


def test_windows_cut_at_pauses_and_cover_everything(tmp_path: Path) -> None:
    # 10 s of "speech" then 1 s pauses; windows of ~12 s must end inside a pause.
    pattern = [(10.0, 1), (1.0, 0)] * 6
    sig = tone_bursts(pattern)
    path = write_audio(tmp_path / "long.wav", sig)
    windows = list(iter_windows(path, window_seconds=12.0, search_seconds=4.0))
    assert len(windows) > 3
    total = sum(w.samples.size for w in windows)
    assert total == pytest.approx(sig.size, abs=SAMPLE_RATE // 100)
    for w in windows[:-1]:
        end = w.offset + w.duration
        assert (end % 11.0) > 9.9 or (end % 11.0) < 0.05, f"cut at {end:.2f}s is not in a pause"
    offsets = [w.offset for w in windows]
    assert offsets == sorted(offsets) and offsets[0] == 0.0


def test_quietest_cut_finds_silence() -> None:
    sig = tone_bursts([(2.0, 1), (0.3, 0), (2.0, 1)])
    cut = quietest_cut(sig, 0, sig.size)
    assert 2.0 * SAMPLE_RATE <= cut <= 2.3 * SAMPLE_RATE


def test_normalise_raises_quiet_speech_only() -> None:
    quiet = tone_bursts([(1.0, 1), (2.0, 0), (1.0, 1)], level=0.01)
    loud = tone_bursts([(1.0, 1)], level=0.5)
    raised = normalise_loudness(quiet)
    assert dbfs(raised) == pytest.approx(-18.0, abs=1.0)
    assert normalise_loudness(loud) is loud
    assert np.max(np.abs(raised)) < 1.0
    silence = np.zeros(16_000, dtype=np.float32)
    assert normalise_loudness(silence) is silence


@pytest.mark.slow
def test_memory_stays_bounded_on_a_long_file(tmp_path: Path) -> None:
    """A 1-hour file is read window by window: peak memory is a few windows, not the file."""
    import tracemalloc
    import wave

    path = tmp_path / "one_hour.wav"
    minute = (tone_bursts([(9.0, 1), (1.0, 0)] * 6) * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        for _ in range(60):
            w.writeframes(minute)
    whole_file_as_float = 60 * 60 * SAMPLE_RATE * 4  # 230 MB
    tracemalloc.start()
    total = 0
    for window in iter_windows(path, window_seconds=240.0):
        total += window.samples.size
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == 60 * 60 * SAMPLE_RATE
    assert peak < 80 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert peak < whole_file_as_float / 3


def test_pyav_without_metadata_errors_still_decodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyAV 19 refuses the ``metadata_errors`` argument; files must still open."""
    import av

    real_open = av.open

    def open_like_pyav19(*args: object, **kwargs: object) -> object:
        if "metadata_errors" in kwargs:
            raise TypeError("open() got an unexpected keyword argument 'metadata_errors'")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(av, "open", open_like_pyav19)
    path = write_audio(tmp_path / "a.flac", tone_bursts([(2.0, 1)]))
    assert probe(path).duration == pytest.approx(2.0, abs=0.05)
    assert load_audio(path).size == pytest.approx(2.0 * SAMPLE_RATE, abs=800)


@pytest.mark.parametrize("window_s", [10.0, 12.0, 30.0, 60.0, 240.0])
def test_short_windows_are_cut_at_pauses_without_slivers(window_s: float) -> None:
    """Speech with a pause every 3 s: each window ends at a pause and is at least half its
    length long (a search reaching back to the window's start found the pause it began
    in, and cut windows of a fraction of a second one after another)."""
    from minutes.audio import window_cut

    sr = 16_000
    rng = np.random.default_rng(0)
    speech = (0.3 * rng.standard_normal(int(2.2 * sr))).astype(np.float32)
    pause = np.zeros(int(0.8 * sr), dtype=np.float32)
    x = np.concatenate([np.concatenate([speech, pause])] * int(window_s * 3 / 3 + 40))
    start, sizes = 0, []
    while (cut := window_cut(x[start:], window_s)) is not None:
        assert np.abs(x[start + cut - 400 : start + cut + 400]).max() == 0, "cut in a pause"
        sizes.append(cut / sr)
        start += cut
    assert len(sizes) >= 2 and min(sizes) >= window_s / 2
