"""Synthesise small audio files in any container for tests (PyAV encoders)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SR = 16_000


def tone_bursts(pattern: list[tuple[float, float]], level: float = 0.3, sr: int = SR) -> np.ndarray:
    """(seconds, on 1 / off 0) pieces: a 220 Hz tone with harmonics, or silence."""
    parts = []
    for seconds, on in pattern:
        t = np.arange(int(seconds * sr)) / sr
        sig = (np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 660 * t)) * level / 1.5
        parts.append(sig.astype(np.float32) * on)
    return np.concatenate(parts).astype(np.float32)


def write_audio(path: Path, samples: np.ndarray, sr: int = SR, channels: int = 1) -> Path:
    import av

    codec = {
        ".wav": "pcm_s16le",
        ".flac": "flac",
        ".mp3": "libmp3lame",
        ".ogg": "libopus",
        ".m4a": "aac",
        ".webm": "libopus",
        ".mp4": "aac",
    }[path.suffix]
    layout = "mono" if channels == 1 else "stereo"
    rate = 48_000 if codec == "libopus" else sr  # opus only runs at 48 kHz
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        fmt = stream.codec_context.format.name if stream.codec_context.format else "s16"
        data = np.clip(samples, -1, 1)
        if rate != sr:
            idx = np.arange(int(data.size * rate / sr)) * sr / rate
            data = np.interp(idx, np.arange(data.size), data).astype(np.float32)
        frame_size = stream.codec_context.frame_size or 1024
        src = np.tile(data[None, :], (channels, 1))
        resampler = av.AudioResampler(format=fmt, layout=layout, rate=rate)
        for i in range(0, data.size, frame_size):
            chunk = src[:, i : i + frame_size]
            frame = av.AudioFrame.from_ndarray(
                (chunk * 32767).astype(np.int16).reshape(1, -1)
                if channels == 1
                else (chunk.T * 32767).astype(np.int16).reshape(1, -1),
                format="s16",
                layout=layout,
            )
            frame.sample_rate = rate
            for f in resampler.resample(frame):
                for packet in stream.encode(f):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
