#!/usr/bin/env python
"""Export Resemblyzer's voice encoder to ONNX for the embedded diarizer.

The run-time diarizer (`minutes.diarize`) needs only NumPy and onnxruntime; this
script is the one place that needs PyTorch. It reads the weights that ship in
the `resemblyzer` wheel (`resemblyzer/pretrained.pt`, Apache-2.0, Copyright
2019 Resemble.AI), rebuilds the network (3-layer LSTM 40->256, linear 256->256,
ReLU, L2 norm: the `VoiceEncoder.forward` of resemblyzer 0.1.4) and writes
`resources/models/resemblyzer_voice_encoder.onnx` with dynamic batch and time
axes. Then it checks, and refuses to finish if a check fails:

* ONNX output == PyTorch output (max abs diff < 1e-4) on random mel input;
* `minutes.diarize.features.mel_spectrogram` == librosa's mel (if librosa is
  importable), which is what Resemblyzer feeds the encoder;
* (if `resemblyzer` itself imports) embeddings equal `VoiceEncoder.embed_utterance`.

Environment used for the shipped file (a throwaway venv, not the app's):
    pip install torch==2.13.0 onnx==1.23.2 onnxruntime==1.31.1 numpy
    pip install --no-deps resemblyzer==0.1.4
    # optional, for the feature check: pip install librosa==0.11.0
    # optional, for the end-to-end check: pip install webrtcvad 'setuptools<81'
Usage:
    python scripts/export_resemblyzer_onnx.py [--out PATH.onnx]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from minutes.diarize.features import (  # noqa: E402
    N_FFT,
    N_MELS,
    SAMPLE_RATE,
    mel_spectrogram,
)

DEFAULT_OUT = REPO / "resources" / "models" / "resemblyzer_voice_encoder.onnx"
OPSET = 17


def resemblyzer_weights() -> Path:
    """Path of `pretrained.pt` inside the installed resemblyzer wheel (without importing it:
    its `__init__` pulls in librosa and webrtcvad, which the export does not need)."""
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("resemblyzer is not installed: pip install --no-deps resemblyzer==0.1.4")
    path = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    if not path.exists():
        raise SystemExit(f"no pretrained.pt at {path}")
    return path


def build_encoder(weights: Path):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    class Encoder(nn.Module):  # type: ignore[misc]  # torch is untyped without stubs here
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(N_MELS, 256, 3, batch_first=True)
            self.linear = nn.Linear(256, 256)
            self.relu = nn.ReLU()

        def forward(self, mels: torch.Tensor) -> torch.Tensor:
            _, (hidden, _) = self.lstm(mels)
            raw = self.relu(self.linear(hidden[-1]))
            # Same L2 norm as Resemblyzer; the epsilon only guards an all-zero ReLU output.
            return raw / (torch.norm(raw, dim=1, keepdim=True) + 1e-12)

    ckpt = torch.load(weights, map_location="cpu", weights_only=False)
    state = {k: v for k, v in ckpt["model_state"].items() if not k.startswith("similarity_")}
    model = Encoder()
    model.load_state_dict(state, strict=True)
    model.eval()
    return model


def export(out: Path) -> None:
    import onnx
    import onnxruntime as ort
    import torch

    torch.manual_seed(0)
    model = build_encoder(resemblyzer_weights())
    dummy = torch.rand(2, 160, N_MELS)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model,
        (dummy,),
        str(out),
        input_names=["mels"],
        output_names=["embeddings"],
        dynamic_axes={"mels": {0: "batch", 1: "frames"}, "embeddings": {0: "batch"}},
        opset_version=OPSET,
        dynamo=False,
    )
    proto = onnx.load(str(out))
    onnx.checker.check_model(proto)
    proto.doc_string = (
        "Resemblyzer 0.1.4 voice encoder (GE2E d-vector), exported by "
        "scripts/export_resemblyzer_onnx.py. Weights: Copyright 2019 Resemble.AI, "
        "Apache License 2.0. Input: power mel (batch, frames, 40), 16 kHz, 25 ms/10 ms."
    )
    onnx.save(proto, str(out))

    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    worst = 0.0
    for batch, frames in ((1, 160), (7, 160), (3, 57)):
        # Mel power of speech spans decades; random log-uniform input exercises that range.
        x = np.exp(np.random.default_rng(batch).uniform(-12, 3, (batch, frames, N_MELS)))
        x = x.astype(np.float32)
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        got = sess.run(None, {"mels": x})[0]
        worst = max(worst, float(np.abs(ref - got).max()))
    print(f"onnx vs torch: max abs diff {worst:.2e}")
    if worst > 1e-4:
        raise SystemExit("ONNX output differs from PyTorch")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) sha256 {digest}")


def check_features() -> None:
    try:
        import librosa
    except ImportError:
        print("librosa not installed: feature check skipped")
        return
    rng = np.random.default_rng(0)
    wav = (rng.standard_normal(SAMPLE_RATE * 3) * 0.1).astype(np.float32)
    ref = librosa.feature.melspectrogram(
        y=wav, sr=SAMPLE_RATE, n_fft=N_FFT, hop_length=160, n_mels=N_MELS
    ).T.astype(np.float32)
    got = mel_spectrogram(wav)
    rel = float(np.abs(ref - got).max() / np.abs(ref).max())
    print(f"numpy mel vs librosa {librosa.__version__}: shape {got.shape} max rel diff {rel:.2e}")
    if ref.shape != got.shape or rel > 1e-4:
        raise SystemExit("numpy mel spectrogram differs from librosa's")


def check_end_to_end(out: Path) -> None:
    try:
        from resemblyzer import VoiceEncoder
        from resemblyzer.audio import wav_to_mel_spectrogram
    except Exception as exc:  # webrtcvad/librosa missing: only this optional check is lost
        print(f"resemblyzer not importable ({exc}): end-to-end check skipped")
        return
    import onnxruntime as ort

    rng = np.random.default_rng(1)
    wav = (rng.standard_normal(SAMPLE_RATE * 4) * 0.05).astype(np.float32)
    enc = VoiceEncoder("cpu", verbose=False)
    _, partials, slices = enc.embed_utterance(wav, return_partials=True)
    mel = wav_to_mel_spectrogram(np.pad(wav, (0, max(0, slices[-1].stop - wav.size))))
    mels = np.stack([mel[s.start // 160 : s.start // 160 + 160] for s in slices])
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"mels": mels.astype(np.float32)})[0]
    diff = float(np.abs(got - partials).max())
    print(f"onnx vs resemblyzer.VoiceEncoder partial embeddings: max abs diff {diff:.2e}")
    if diff > 1e-4:
        raise SystemExit("ONNX encoder differs from resemblyzer's VoiceEncoder")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    check_features()
    export(args.out)
    check_end_to_end(args.out)


if __name__ == "__main__":
    main()
