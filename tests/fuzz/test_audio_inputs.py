"""Malformed and unusual audio files: never a crash or a hang, always a clear AudioError.

Generated inputs cover all ten accepted formats (see `tests.fuzz.audio_cases`);
the explicit cases below pin the families a random search rarely reaches.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from minutes.audio import SUPPORTED_SUFFIXES, AudioError, iter_blocks, probe
from tests.conftest import SAMPLE
from tests.fuzz.audio_cases import (
    SUFFIXES,
    AudioCase,
    broken_files,
    encode,
    tone,
    valid_file,
    valid_variants,
    wav_header,
)
from tests.fuzz.families import check_audio

BROKEN_EXAMPLES = 300
VALID_EXAMPLES = 40


def test_the_corpus_covers_every_accepted_format() -> None:
    assert set(SUFFIXES) == set(SUPPORTED_SUFFIXES)


@settings(settings.get_profile("minutes-fuzz"), max_examples=BROKEN_EXAMPLES)
@given(case=broken_files())
def test_broken_audio_is_refused_clearly(case: AudioCase) -> None:
    verdict = check_audio(case)
    assert not verdict.failed, verdict.detail


@settings(settings.get_profile("minutes-fuzz"), max_examples=VALID_EXAMPLES)
@given(case=valid_variants())
def test_odd_rates_channels_and_silence_decode(case: AudioCase) -> None:
    verdict = check_audio(case)
    assert verdict.kind == "ok", verdict.detail


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_empty_and_garbage_files_name_the_file(tmp_path: Path, suffix: str) -> None:
    empty = tmp_path / f"empty{suffix}"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match=f"empty{suffix}.*empty"):
        probe(empty)
    junk = tmp_path / f"junk{suffix}"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(AudioError, match=f"junk{suffix}"):
        probe(junk)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_truncation_point_of_a_valid_file(tmp_path: Path, suffix: str) -> None:
    data = valid_file(suffix)
    path = tmp_path / f"cut{suffix}"
    for end in range(0, len(data), max(1, len(data) // 12)):
        path.write_bytes(data[:end])
        verdict = check_audio(AudioCase("truncate", suffix, data[:end]))
        assert not verdict.failed, (end, verdict.detail)


def test_truncated_and_corrupted_speech_sample(tmp_path: Path) -> None:
    """The real FLAC sample cut short and with a damaged middle still decodes what is there."""
    data = SAMPLE.read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[: len(data) // 3])
    assert 2.0 < sum(b.size for b in iter_blocks(cut)) / 16_000 < 5.0
    damaged = bytearray(data)
    damaged[len(data) // 2 : len(data) // 2 + 2000] = os.urandom(2000)
    hurt = tmp_path / "hurt.flac"
    hurt.write_bytes(bytes(damaged))
    assert sum(b.size for b in iter_blocks(hurt)) / 16_000 > 8.0


def test_sparse_4_gib_wav_probes_and_streams_without_reading_it_all(tmp_path: Path) -> None:
    """A header claiming 4 GiB over a sparse file: probe is instant, decode streams."""
    path = tmp_path / "huge.wav"
    with path.open("wb") as fh:
        fh.write(wav_header(0xFFFFFFF0))
        fh.truncate(0xFFFFFFF0 + 44)  # sparse: no disk space used
    info = probe(path)
    assert info.duration > 100_000  # about 37 hours of 16 kHz mono
    blocks = iter_blocks(path, block_seconds=1.0)
    first = next(blocks)
    blocks.close()  # the caller may stop at any time; nothing else is read
    assert first.size == 16_000 and not first.any()


def test_wav_header_claiming_more_data_than_present(tmp_path: Path) -> None:
    path = tmp_path / "short.wav"
    path.write_bytes(wav_header(0xFFFFFFFF) + (tone(0.5, 16_000) * 32767).astype("<i2").tobytes())
    assert probe(path).duration == pytest.approx(0.5, abs=0.05)  # FFmpeg trusts the file size
    assert abs(sum(b.size for b in iter_blocks(path)) - 8000) < 10


def test_silent_file_is_accepted_and_stays_silent(tmp_path: Path) -> None:
    path = encode(tmp_path / "silence.flac", np.zeros(16_000, dtype=np.float32), 16_000)
    assert not np.concatenate(list(iter_blocks(path))).any()


# -- regressions: what the generator found, fixed in minutes/audio.py ---------------


@pytest.mark.parametrize("suffix", [".mp3", ".aac"])
def test_concatenated_files_with_different_rates_decode(tmp_path: Path, suffix: str) -> None:
    """`cat a.mp3 b.mp3` with another rate/layout in b failed the whole file with
    "Frame does not match AudioResampler setup"; the resampler now follows the stream."""
    first = encode(tmp_path / f"a{suffix}", tone(1.0, 16_000), 16_000, 1).read_bytes()
    second = encode(tmp_path / f"b{suffix}", tone(1.0, 44_100), 44_100, 2).read_bytes()
    joined = tmp_path / f"joined{suffix}"
    joined.write_bytes(first + second)
    seconds = sum(b.size for b in iter_blocks(joined)) / 16_000
    assert 1.9 < seconds < 2.3


def test_corrupt_aac_packets_are_skipped_not_fatal(tmp_path: Path) -> None:
    """Four damaged bytes in an AAC stream made FFmpeg answer EPERM or change the frame
    layout, and the whole file failed ("Operation not permitted: avcodec_send_packet()",
    about 1 in 20 damaged copies). Corrupt packets are now skipped like other bad data."""
    import random

    path = tmp_path / "damaged.aac"
    for seed in range(60):
        rng = random.Random(seed)
        data = bytearray(valid_file(".aac"))
        for _ in range(4):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            seconds = sum(b.size for b in iter_blocks(path)) / 16_000
        except AudioError as exc:  # only when nothing at all is readable
            assert "damaged.aac" in str(exc) and "no readable audio" in str(exc), seed
        else:
            assert seconds > 0.1, seed


@pytest.mark.parametrize("rate", [1, 7, 999])
def test_implausible_sample_rate_is_refused(tmp_path: Path, rate: int) -> None:
    """A WAV header claiming 1 Hz turned 4 KiB into over an hour of "audio" for ASR."""
    path = tmp_path / "slow.wav"
    path.write_bytes(wav_header(4096, rate=rate) + bytes(4096))
    with pytest.raises(AudioError, match=f"slow.wav.*{rate} Hz"):
        probe(path)
    with pytest.raises(AudioError, match=f"slow.wav.*{rate} Hz"):
        list(iter_blocks(path))


def test_junk_with_a_flac_name_is_refused(tmp_path: Path) -> None:
    """FFmpeg opens any bytes named .flac as raw FLAC with no sample rate; that junk was
    accepted as an empty recording (an empty transcript, no message)."""
    path = tmp_path / "junk.flac"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(AudioError, match=r"junk\.flac.*not a readable audio file"):
        probe(path)
