"""Audio family: valid files of every accepted format, then broken ones.

Valid small files are synthesised at run time (PyAV encoders), so nothing
binary is stored in the repository. The entry points are the ones the
pipeline calls before ASR: `probe`, `Session.for_audio`, the streaming
decode (`iter_windows` over `iter_blocks`) and `normalise_loudness`.
"""

from __future__ import annotations

import functools
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from tests.fuzz.harness import mutate_bytes

SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".webm", ".mp4", ".aac", ".mkv")
_CODECS = {
    ".wav": "pcm_s16le", ".flac": "flac", ".mp3": "libmp3lame", ".m4a": "aac",
    ".ogg": "libopus", ".opus": "libopus", ".webm": "libopus", ".mp4": "aac",
    ".aac": "aac", ".mkv": "aac",
}
_LAYOUTS = {1: "mono", 2: "stereo", 3: "2.1", 4: "quad", 5: "5.0", 6: "5.1", 7: "6.1", 8: "7.1"}
RATES = (8_000, 11_025, 16_000, 44_100, 48_000, 96_000)
# Rates and channel counts each encoder takes (Opus runs at 48 kHz, MP3 has no 96 kHz).
_VALID_RATES = {
    "pcm_s16le": RATES, "flac": RATES, "aac": RATES,
    "libmp3lame": (8_000, 11_025, 16_000, 44_100, 48_000), "libopus": (48_000,),
}
_MAX_CHANNELS = {"pcm_s16le": 8, "flac": 8, "aac": 8, "libmp3lame": 2, "libopus": 2}


def tone(seconds: float, rate: int, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * 220 * t) * (t % 0.5 < 0.3)).astype(np.float32)


def encode(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    """Write mono `samples` copied to `channels` channels in the format of `path`'s suffix."""
    import av

    codec = _CODECS[path.suffix]
    layout = _LAYOUTS[channels]
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        fmt = stream.codec_context.format.name if stream.codec_context.format else "s16"
        frame_size = stream.codec_context.frame_size or 1024
        resampler = av.AudioResampler(format=fmt, layout=layout, rate=rate)
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
        for i in range(0, max(pcm.size, 1), frame_size):
            chunk = pcm[i : i + frame_size]
            if chunk.size == 0:
                break
            interleaved = np.repeat(chunk, channels).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(interleaved, format="s16", layout=layout)
            frame.sample_rate = rate
            for f in resampler.resample(frame):
                for packet in stream.encode(f):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


@functools.cache
def valid_file(suffix: str) -> bytes:
    """A 0.6 s tone in `suffix`'s format, made once per process."""
    rate = 48_000 if _CODECS[suffix] == "libopus" else 16_000
    with tempfile.TemporaryDirectory() as tmp:
        path = encode(Path(tmp) / f"valid{suffix}", tone(0.6, rate), rate)
        return path.read_bytes()


def wav_header(data_bytes: int, rate: int = 16_000, channels: int = 1) -> bytes:
    """A canonical PCM WAV header; the sizes may lie (RIFF caps them at 4 GiB - 1)."""
    riff = min(36 + data_bytes, 0xFFFFFFFF)
    return (b"RIFF" + struct.pack("<I", riff) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, channels, rate, (rate * channels * 2) & 0xFFFFFFFF,
                          (channels * 2) & 0xFFFF, 16)
            + b"data" + struct.pack("<I", min(data_bytes, 0xFFFFFFFF)))


@dataclass(frozen=True)
class AudioCase:
    label: str
    suffix: str
    data: bytes | None = None  # None: synthesise from the fields below
    rate: int = 16_000
    channels: int = 1
    silent: bool = False

    @property
    def must_decode(self) -> bool:
        """A well-formed file that has to be accepted, not merely refused cleanly."""
        return self.data is None


@st.composite
def valid_variants(draw: st.DrawFn) -> AudioCase:
    """Well-formed files at unusual sample rates and channel counts, or silent."""
    suffix = draw(st.sampled_from(SUFFIXES))
    codec = _CODECS[suffix]
    rate = draw(st.sampled_from(_VALID_RATES[codec]))
    channels = draw(st.integers(1, _MAX_CHANNELS[codec]))
    silent = draw(st.booleans())
    return AudioCase("valid", suffix, rate=rate, channels=channels, silent=silent)


@st.composite
def broken_files(draw: st.DrawFn) -> AudioCase:
    """A valid file mutated at the byte level, random junk, or a lying WAV header."""
    suffix = draw(st.sampled_from(SUFFIXES))
    family = draw(st.sampled_from(["mutated", "mutated", "mutated", "lying_wav", "garbage"]))
    if family == "garbage":
        return AudioCase("garbage", suffix, draw(st.binary(max_size=2048)))
    if family == "lying_wav":
        rate = draw(st.sampled_from([0, 1, 7, 8_000, 16_000, 96_000, 384_000, 0xFFFFFFFF]))
        channels = draw(st.sampled_from([0, 1, 2, 8, 255, 0xFFFF]))
        claimed = draw(st.sampled_from([0, 1, 4096, 0x7FFFFFFF, 0xFFFFFFFF]))
        body = draw(st.binary(max_size=4096))
        return AudioCase("lying_wav", ".wav", wav_header(claimed, rate, channels) + body)
    label, data = mutate_bytes(valid_file(suffix), draw)
    return AudioCase(label, suffix, data)


def materialise(case: AudioCase, folder: Path) -> Path:
    path = folder / f"input{case.suffix}"
    if case.data is not None:
        path.write_bytes(case.data)
        return path
    samples = tone(0.4, case.rate, level=0.0 if case.silent else 0.3)
    return encode(path, samples, case.rate, case.channels)


def before_asr(path: Path, sessions: Path) -> None:
    """What the pipeline does with an audio file before the ASR model sees it.

    Raises AssertionError when decoded audio breaks the decoder's contract.
    """
    from minutes.audio import SAMPLE_RATE, iter_windows, normalise_loudness, probe
    from minutes.session import Session

    info = probe(path)
    session = Session.for_audio(sessions, path)
    audio = session.audio_path
    assert audio is not None
    total = 0
    for window in iter_windows(audio, window_seconds=1.0, search_seconds=0.25):
        samples = window.samples
        assert samples.dtype == np.float32 and samples.ndim == 1, "not mono float32"
        assert np.isfinite(samples).all(), "decoded samples are not finite"
        louder = normalise_loudness(samples)
        assert np.isfinite(louder).all() and np.abs(louder).max(initial=0) <= 1.0
        assert round(window.offset * SAMPLE_RATE) == total, "window offsets do not add up"
        total += samples.size
    assert info.duration >= 0 and info.sample_rate >= 0 and info.channels >= 0


def decode_only(path: Path) -> None:
    """The streaming decode on its own (the app also decodes files it did not probe)."""
    from minutes.audio import iter_blocks

    for block in iter_blocks(path, block_seconds=1.0):
        assert np.isfinite(block).all()


def check_valid_decode(case: AudioCase, path: Path) -> None:
    """A well-formed file decodes to about its real length at 16 kHz."""
    from minutes.audio import SAMPLE_RATE, load_audio, probe

    info = probe(path)
    assert info.channels == case.channels, (info, case)
    samples = load_audio(path)
    seconds = samples.size / SAMPLE_RATE
    padding = 2 * 1152 / case.rate  # encoder priming and last-frame padding (AAC, MP3)
    assert 0.35 < seconds < 0.45 + padding, (seconds, case)
    if case.silent:
        assert float(np.abs(samples).max(initial=0)) < 0.01
