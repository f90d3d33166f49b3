"""Mel spectrogram in plain NumPy, matching Resemblyzer's preprocessing.

Resemblyzer's encoder was trained on `librosa.feature.melspectrogram` output
(power mel, *not* log-mel) with a 25 ms Hann window, 10 ms hop and 40 Slaney
mel bands, on audio normalised to -30 dBFS (gain only ever raised). This
module reproduces that without librosa so the run time needs only NumPy; the
export script checks it against librosa to within float32 round-off.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16000
N_FFT = 400  # 25 ms window
HOP = 160  # 10 ms hop: one mel frame per 10 ms of audio
N_MELS = 40
PARTIAL_FRAMES = 160  # the encoder's training window: 1.6 s
NORM_TARGET_DBFS = -30.0
_INT16_MAX = 2**15 - 1

FloatArray = npt.NDArray[np.float32]


def _hz_to_mel(freqs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # Slaney's auditory-toolbox scale: linear below 1 kHz, logarithmic above.
    f_sp = 200.0 / 3.0
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    mels = freqs / f_sp
    above = freqs >= min_log_hz
    mels[above] = min_log_mel + np.log(freqs[above] / min_log_hz) / logstep
    return mels


def _mel_to_hz(mels: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    f_sp = 200.0 / 3.0
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    freqs = f_sp * mels
    above = mels >= min_log_mel
    freqs[above] = min_log_hz * np.exp(logstep * (mels[above] - min_log_mel))
    return freqs


@functools.cache
def mel_filterbank(
    sr: int = SAMPLE_RATE, n_fft: int = N_FFT, n_mels: int = N_MELS
) -> npt.NDArray[np.float32]:
    """Slaney-normalised triangular mel filters, as `librosa.filters.mel` makes them.

    Args:
        sr: Sample rate in Hz.
        n_fft: FFT size.
        n_mels: Number of mel bands.

    Returns:
        Array of shape (n_mels, n_fft // 2 + 1).
    """
    fftfreqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    lo, hi = _hz_to_mel(np.array([0.0, sr / 2.0]))
    mel_f = _mel_to_hz(np.linspace(lo, hi, n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    weights = np.zeros((n_mels, fftfreqs.size))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0.0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, None]
    return weights.astype(np.float32)


@functools.cache
def _hann(n: int) -> npt.NDArray[np.float32]:
    # Periodic Hann (scipy.signal.get_window("hann", n, fftbins=True)), librosa's default.
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)


def num_frames(n_samples: int) -> int:
    """Number of mel frames a centred STFT gives for `n_samples` samples."""
    return 1 + n_samples // HOP


def mel_spectrogram(wav: npt.NDArray[np.floating], *, chunk_frames: int = 1000) -> FloatArray:
    """Power mel spectrogram of a 16 kHz waveform, shape (frames, 40).

    Frame `t` is centred on sample `t * 160` (zero padding at both ends, like
    librosa >= 0.10). Computed in chunks so memory stays bounded on long input.

    Args:
        wav: Mono float waveform at 16 kHz.
        chunk_frames: Frames per FFT batch (bounds the temporary complex array).

    Returns:
        float32 array of shape (1 + len(wav) // 160, 40).
    """
    x = np.asarray(wav, dtype=np.float32).reshape(-1)
    pad = N_FFT // 2
    padded = np.pad(x, (pad, pad))
    n = num_frames(x.size)
    window = _hann(N_FFT)
    fb = mel_filterbank()
    out = np.empty((n, N_MELS), dtype=np.float32)
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    for start in range(0, n, chunk_frames):
        block = frames[start : start + chunk_frames] * window
        spec = np.fft.rfft(block, axis=1)
        power = (spec.real**2 + spec.imag**2).astype(np.float32)
        out[start : start + block.shape[0]] = power @ fb.T
    return out


def volume_gain(wav: npt.NDArray[np.floating], target_dbfs: float = NORM_TARGET_DBFS) -> float:
    """Gain that brings `wav` to `target_dbfs` RMS, never below 1 (Resemblyzer: increase only).

    Args:
        wav: Waveform in [-1, 1] (typically the speech parts only).
        target_dbfs: Target RMS level.

    Returns:
        A multiplicative gain >= 1.
    """
    x = np.asarray(wav, dtype=np.float64)
    if x.size == 0:
        return 1.0
    rms = float(np.sqrt(np.mean((x * _INT16_MAX) ** 2)))
    if rms <= 0.0:
        return 1.0
    change_db = target_dbfs - 20.0 * np.log10(rms / _INT16_MAX)
    # Cap the gain: near-silent input would otherwise be blown up into noise.
    return float(min(max(1.0, 10.0 ** (change_db / 20.0)), 1000.0))
