"""Benchmark: CER of batched vs sequential decoding on all Pansori talks.

Each talk's clips are concatenated in order (about 25 minutes in all), then
decoded with our defaults in both modes. Speed is in bench.asr_speed; this
script is about accuracy, so it can run on a busy machine.

    python -m bench.batched_vs_sequential
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import (
    available,
    base_transcriber,
    cer,
    concat_clips,
    normalise_korean,
    pansori_clips,
)


def main() -> None:
    if not available():
        sys.exit("speech data not found")
    from minutes.asr import AsrOptions

    t = base_transcriber()
    talks: dict[str, list] = {}
    for c in pansori_clips():
        talks.setdefault(c.path.parent.name, []).append(c)
    tmp = Path(tempfile.mkdtemp())
    modes = {
        "sequential": AsrOptions(language="ko", batched=False),
        "batched, batch 8": AsrOptions(language="ko", batched=True, batch_size=8),
    }
    errors = {m: 0.0 for m in modes}
    seconds = {m: 0.0 for m in modes}
    chars = 0
    for name, clips in sorted(talks.items()):
        path, ref = concat_clips(sorted(clips, key=lambda c: c.path.name), tmp / f"{name}.wav")
        n = len(normalise_korean(ref))
        chars += n
        for mode, opts in modes.items():
            t0 = time.perf_counter()
            hyp = " ".join(s.text for s in t.transcribe_file(path, opts))
            seconds[mode] += time.perf_counter() - t0
            errors[mode] += cer(ref, hyp) * n
        print(name, {m: round(errors[m] / chars, 4) for m in modes}, file=sys.stderr, flush=True)
    print("| mode | talks | CER | decode time (s, busy machine) |")
    print("|---|---:|---:|---:|")
    for mode in modes:
        print(f"| {mode} | {len(talks)} | {errors[mode] / chars:.3f} | {seconds[mode]:.0f} |")


if __name__ == "__main__":
    main()
