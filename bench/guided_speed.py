"""What guided re-decoding costs: the whole `minutes transcribe` of a 5-minute Korean
recording with it off and on, in one run (ratio on / off; goal <= 1.15).

The recording is Pansori clips in corpus order (several talks, with and without
English terms), concatenated into a temporary WAV; the glossary is the talks'
bare terms, optionally plus generated unrelated terms.

    python -m bench.guided_speed [--seconds 300] [--extra 0] [--repeat 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import available, base_transcriber, concat_clips, pansori_clips
from bench.glossary_quality import TALK_TERMS, unrelated_terms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--extra", type=int, default=0, help="unrelated terms added")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found")
    from glossary.terms import Glossary, Term
    from minutes.pipeline import Pipeline, RunOptions
    from minutes.types import CorrectionSource

    clips, total = [], 0.0
    for clip in sorted(pansori_clips(), key=lambda c: str(c.path)):
        if total >= args.seconds:
            break
        clips.append(clip)
        total += clip.duration + 0.5
    avoid = {c.text.upper() for c in clips}
    glossary = Glossary.from_terms(
        [*(Term(t) for t in TALK_TERMS), *(Term(t) for t in unrelated_terms(args.extra, avoid))]
    )
    transcriber = base_transcriber()
    with tempfile.TemporaryDirectory() as tmp:
        audio, _ = concat_clips(clips, Path(tmp) / "korean.wav")
        times: dict[bool, list[float]] = {False: [], True: []}
        guided_fixes = 0
        for k in range(args.repeat):
            for guided in (False, True):
                pipeline = Pipeline(Path(tmp) / f"sessions-{k}-{guided}")
                pipeline._transcriber = transcriber  # loaded once: loading is not the stage
                meeting = pipeline.import_audio(audio)
                t0 = time.perf_counter()
                result = pipeline.run(meeting, RunOptions(language="ko", guided=guided), glossary)
                times[guided].append(time.perf_counter() - t0)
                if guided:
                    guided_fixes = sum(
                        c.source is CorrectionSource.GUIDED for c in result.corrections
                    )
        off, on = statistics.median(times[False]), statistics.median(times[True])
        print(f"| {total:.0f} s Korean | {len(glossary)} terms | {off:.1f} s | {on:.1f} s "
              f"| **{on / off:.2f}** | {guided_fixes} |")


if __name__ == "__main__":
    main()
