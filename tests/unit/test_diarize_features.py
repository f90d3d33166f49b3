"""NumPy mel features (librosa parity without librosa) and the bundled ONNX encoder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from minutes.diarize.features import (
    mel_filterbank,
    mel_spectrogram,
    num_frames,
    volume_gain,
)

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "resources" / "models" / "resemblyzer_voice_encoder.onnx"
MODEL_SHA256 = "cc96f16f5d2cc6b6572f35327695789751b5d7fd77ad1fc1f5e573cb49f6aa81"


def chirp() -> np.ndarray:
    t = np.arange(16000) / 16000
    return (0.5 * np.sin(2 * np.pi * (200 + 1800 * t) * t)).astype(np.float32)


def test_filterbank_matches_librosa_reference_values() -> None:
    # Values printed by librosa 0.11 `filters.mel(sr=16000, n_fft=400, n_mels=40)`.
    fb = mel_filterbank()
    assert fb.shape == (40, 201)
    assert fb[0, :4] == pytest.approx([0.0, 0.0073902095, 0.0124045210, 0.0050143115], rel=1e-5)
    assert fb.argmax(axis=1)[[0, 10, 20, 30, 39]].tolist() == [2, 20, 44, 94, 185]
    assert fb.sum(axis=1)[[0, 20, 39]] == pytest.approx(
        [0.024809040, 0.025219752, 0.024978757], rel=1e-5
    )


def test_mel_spectrogram_matches_librosa_reference_values() -> None:
    # librosa.feature.melspectrogram(y=chirp, sr=16000, n_fft=400, hop_length=160, n_mels=40)
    mel = mel_spectrogram(chirp())
    assert mel.shape == (101, 40) and mel.dtype == np.float32
    assert float(mel.sum()) == pytest.approx(2963.0413, rel=1e-4)
    assert mel.argmax(axis=1)[[10, 50, 90]].tolist() == [7, 22, 29]


def test_pure_tone_lands_in_its_band_and_power_scales_with_gain() -> None:
    t = np.arange(16000) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    mel = mel_spectrogram(tone)
    assert int(mel[50].argmax()) == 13  # librosa: band 13 holds 1 kHz
    assert mel_spectrogram(tone * 2) == pytest.approx(mel * 4, rel=1e-4)


def test_frames_and_chunking_are_consistent() -> None:
    x = np.random.default_rng(0).normal(0, 0.1, 12345).astype(np.float32)
    assert mel_spectrogram(x).shape[0] == num_frames(x.size) == 1 + 12345 // 160
    assert np.allclose(mel_spectrogram(x, chunk_frames=7), mel_spectrogram(x), rtol=1e-5)
    assert mel_spectrogram(np.zeros(0, np.float32)).shape == (1, 40)


def test_volume_gain_raises_quiet_audio_only() -> None:
    quiet = np.full(1000, 0.001, np.float32)
    g = volume_gain(quiet)
    assert 20 * np.log10(0.001 * g) == pytest.approx(-30.0, abs=0.01)
    assert volume_gain(np.full(1000, 0.5, np.float32)) == 1.0
    assert volume_gain(np.zeros(10, np.float32)) == 1.0
    assert volume_gain(np.full(10, 1e-9, np.float32)) == 1000.0  # capped, not 10^7


def test_bundled_model_is_the_exported_file() -> None:
    assert MODEL.is_file(), "resources/models/resemblyzer_voice_encoder.onnx is missing"
    head = MODEL.read_bytes()[:200]
    assert b"git-lfs" not in head, "model is an LFS pointer, not the file"
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() == MODEL_SHA256
    licence = (MODEL.parent / "LICENSE-resemblyzer.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Resemble.AI" in licence


def test_encoder_outputs_unit_embeddings_for_any_batch_and_length() -> None:
    pytest.importorskip("onnxruntime")
    from minutes.diarize.embedder import VoiceEncoder

    enc = VoiceEncoder(MODEL, threads=1)
    mel = mel_spectrogram(chirp())
    out = enc.embed_mels(np.stack([mel[:100], mel[1:101]]))
    assert out.shape == (2, 256) and out.dtype == np.float32
    assert np.linalg.norm(out, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    assert (out >= 0).all()  # ReLU before the norm
    windows = [(0, 60), (10, 70), (0, 100)]
    got = enc.embed_windows(mel, windows, batch_size=1)
    assert got[2] == pytest.approx(out[0], abs=1e-5)
    assert enc.embed_mels(np.zeros((0, 160, 40), np.float32)).shape == (0, 256)


def test_model_lookup_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from minutes.diarize.embedder import MODEL_ENV, default_model_path

    fake = tmp_path / "m.onnx"
    fake.write_bytes(b"x")
    monkeypatch.setenv(MODEL_ENV, str(fake))
    assert default_model_path() == fake
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "missing.onnx"))
    assert default_model_path() == MODEL  # falls through to the source tree
