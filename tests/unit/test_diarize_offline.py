"""The offline pipeline's own logic (windows, clustering, turn boundaries, progress,
cancel) with a stand-in encoder and VAD, so it runs in milliseconds. The real
model on real speech is covered in tests/integration/test_diarize_real.py.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import minutes.diarize.offline as offline
from minutes.diarize import DiarizeOptions, SpeakerTurn, diarize_full
from minutes.diarize.offline import OfflineConfig, diarize_offline, prepare_audio
from minutes.progress import Cancelled, CancelToken

SR = 16000


class SpectrumEncoder:
    """Stand-in for the voice encoder: the normalised mean mel power of a window.

    Two tones in different mel bands then look like two voices (cosine ~0),
    and a window straddling a change looks like a mix, as with real voices.
    """

    def __init__(self) -> None:
        self.calls = 0

    def embed_mels(self, mels: np.ndarray) -> np.ndarray:
        self.calls += 1
        v = mels.mean(axis=1)
        v = np.pad(v, ((0, 0), (0, 256 - v.shape[1])))
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def tone(freq: float, seconds: float, seed: int) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    rng = np.random.default_rng(seed)
    return (0.3 * np.sin(2 * np.pi * freq * t) + rng.normal(0, 0.003, t.size)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), np.float32)


# A 0-4, pause, B 4.5-8, pause, A 8.5-10.5, pause, then A 11-13 / B 13-16 with no pause.
SCRIPT = [
    ("A", 4.0),
    (None, 0.5),
    ("B", 3.5),
    (None, 0.5),
    ("A", 2.0),
    (None, 0.5),
    ("A", 2.0),
    ("B", 3.0),
]
FREQ = {"A": 300.0, "B": 2500.0}


def build() -> tuple[np.ndarray, list[SpeakerTurn], list[tuple[float, float]]]:
    pieces, turns, t = [], [], 0.0
    for i, (spk, dur) in enumerate(SCRIPT):
        pieces.append(silence(dur) if spk is None else tone(FREQ[spk], dur, i))
        if spk is not None:
            turns.append(SpeakerTurn(t, t + dur, spk))
        t += dur
    regions = [(0.0, 4.0), (4.5, 8.0), (8.5, 10.5), (11.0, 16.0)]
    return np.concatenate(pieces), turns, regions


@pytest.fixture()
def fake_vad(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    _, _, regions = build()

    def speech_regions(audio: np.ndarray, sr: int, **kw: object) -> list[tuple[float, float]]:
        cb = kw.get("progress")
        if callable(cb):
            cb(1.0)
        return list(regions)

    monkeypatch.setattr(offline, "speech_regions", speech_regions)
    return regions


def test_two_voices_found_with_turn_boundaries(fake_vad: object) -> None:
    audio, _, _ = build()
    result = diarize_offline(audio, SR, encoder=SpectrumEncoder())  # type: ignore[arg-type]
    assert result.speakers == ["SPEAKER_1", "SPEAKER_2"]
    spk = [t.speaker for t in result.turns]
    assert spk == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_1", "SPEAKER_2"]
    # The change inside the last region (13.0 s) is placed between window steps.
    change = result.turns[2].end
    assert abs(change - 13.0) < 0.3 and result.turns[3].start == change
    # Same-speaker turns 1.0 s apart (8.5-10.5 and 11-13) are joined; edges follow the VAD.
    assert result.turns[2].start == 8.5 and result.turns[0].start == 0.0
    assert result.turns[-1].end == 16.0
    # Turns never overlap.
    assert all(a.end <= b.start for a, b in zip(result.turns, result.turns[1:], strict=False))
    assert set(result.embeddings) == {"SPEAKER_1", "SPEAKER_2"}
    assert all(
        np.linalg.norm(v) == pytest.approx(1.0, abs=1e-5) for v in result.embeddings.values()
    )


def test_speaker_count_options(fake_vad: object) -> None:
    audio, _, _ = build()
    enc = SpectrumEncoder()
    one = diarize_offline(audio, SR, DiarizeOptions(speakers=1), encoder=enc)  # type: ignore[arg-type]
    assert one.speakers == ["SPEAKER_1"]
    three = diarize_offline(audio, SR, DiarizeOptions(min_speakers=3), encoder=enc)  # type: ignore[arg-type]
    assert len(three.speakers) == 3
    two = diarize_offline(audio, SR, DiarizeOptions(max_speakers=2), encoder=enc)  # type: ignore[arg-type]
    assert len(two.speakers) == 2


def test_progress_rises_to_one_and_cancel_stops(fake_vad: object) -> None:
    audio, _, _ = build()
    seen: list[float] = []
    diarize_offline(audio, SR, progress=seen.append, encoder=SpectrumEncoder())  # type: ignore[arg-type]
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert seen.count(1.0) == 1

    token = CancelToken()
    enc = SpectrumEncoder()

    def cancel_on_first(_: float) -> None:
        token.cancel()

    with pytest.raises(Cancelled):
        diarize_offline(audio, SR, progress=cancel_on_first, cancel=token, encoder=enc)  # type: ignore[arg-type]
    assert enc.calls == 0  # stopped before any embedding batch


def test_no_speech_and_scraps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offline, "speech_regions", lambda *a, **k: [])
    assert diarize_offline(silence(3), SR, encoder=SpectrumEncoder()).turns == ()  # type: ignore[arg-type]
    monkeypatch.setattr(offline, "speech_regions", lambda *a, **k: [(0.5, 0.8), (2.0, 2.2)])
    res = diarize_offline(tone(300, 3, 0), SR, encoder=SpectrumEncoder())  # type: ignore[arg-type]
    assert [(t.start, t.end, t.speaker) for t in res.turns] == [
        (0.5, 0.8, "SPEAKER_1"),
        (2.0, 2.2, "SPEAKER_1"),
    ]


def test_short_region_takes_nearest_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    audio = np.concatenate(
        [tone(300, 3, 0), silence(0.4), tone(300, 0.3, 1), silence(0.6), tone(2500, 3, 2)]
    )
    regions = [(0.0, 3.0), (3.4, 3.7), (4.3, 7.3)]
    monkeypatch.setattr(offline, "speech_regions", lambda *a, **k: regions)
    res = diarize_offline(audio, SR, encoder=SpectrumEncoder())  # type: ignore[arg-type]
    assert [t.speaker for t in res.turns] == ["SPEAKER_1", "SPEAKER_2"]
    assert res.turns[0].end == pytest.approx(3.7)  # the 0.3 s scrap joined the nearer voice


def test_prepare_audio_downmixes_and_resamples() -> None:
    stereo = np.stack([tone(300, 1, 0), tone(300, 1, 0)], axis=1)
    assert prepare_audio(stereo, SR).shape == (SR,)
    assert prepare_audio(stereo.T, SR).shape == (SR,)
    x48 = np.sin(2 * np.pi * 440 * np.arange(48000) / 48000).astype(np.float32)
    y = prepare_audio(x48, 48000)
    assert y.shape == (16000,) and y.dtype == np.float32
    spec = np.abs(np.fft.rfft(y))
    assert abs(np.argmax(spec) - 440) <= 1  # 1 Hz bins: the tone survives resampling
    pcm = (tone(300, 1, 0) * 32767).astype(np.int16)
    assert np.abs(prepare_audio(pcm, SR)).max() == pytest.approx(0.3, abs=0.02)
    with pytest.raises(ValueError):
        prepare_audio(np.zeros((2, 2, 2)), SR)
    with pytest.raises(ValueError):
        prepare_audio(x48, 0)


def test_public_api_validates_arguments() -> None:
    with pytest.raises(ValueError, match="backend"):
        DiarizeOptions(backend="nope")
    with pytest.raises(ValueError, match="speakers must be"):
        DiarizeOptions(speakers=0)
    with pytest.raises(ValueError, match="max_speakers"):
        DiarizeOptions(min_speakers=3, max_speakers=2)
    assert diarize_full.__doc__


def test_default_config_is_the_measured_one() -> None:
    cfg = OfflineConfig()
    assert cfg.step_s == 0.4 and cfg.vad.threshold == 0.35 and cfg.cluster.merge_threshold == 0.90


def test_package_import_is_cheap() -> None:
    code = (
        "import sys, minutes.diarize, minutes.diarize.profiles, minutes.diarize.pyannote_backend;"
        "heavy = [m for m in ('onnxruntime', 'torch', 'pyannote.audio', 'faster_whisper', "
        "'ctranslate2', 'scipy') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
