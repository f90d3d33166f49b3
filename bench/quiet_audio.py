"""Benchmark: loudness normalisation before ASR on quiet Korean speech.

20 Pansori clips (>= 4 s) concatenated, then scaled down as if recorded far
from the microphone; CER with the default normalisation (-18 dBFS) vs none.

    python -m bench.quiet_audio
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.corpus import (
    available,
    base_transcriber,
    cer,
    concat_clips,
    pansori_clips,
    read_flac,
    write_wav,
)


def main() -> None:
    if not available():
        sys.exit("speech data not found")
    from minutes.asr import AsrOptions

    t = base_transcriber()
    clips = [c for c in pansori_clips() if c.duration >= 4.0][:20]
    tmp = Path(tempfile.mkdtemp())
    loud, ref = concat_clips(clips, tmp / "normal.wav", gap=0.6)
    print("| level | CER, normalised to -18 dBFS | CER, as recorded |")
    print("|---|---:|---:|")
    for scale, label in ((1.0, "as in the corpus"), (0.01, "-40 dB"), (0.003, "-50 dB")):
        path = write_wav(tmp / f"q{scale}.wav", read_flac(loud) * scale)
        scores = []
        for norm in (-18.0, None):
            opts = AsrOptions(language="ko", normalise_to_dbfs=norm)
            scores.append(cer(ref, " ".join(s.text for s in t.transcribe_file(path, opts))))
        print(f"| {label} | {scores[0]:.3f} | {scores[1]:.3f} |", flush=True)


if __name__ == "__main__":
    main()
