"""Soak: import an N-hour meeting with `minutes transcribe` and watch its memory.

The meeting is built in a temporary folder: the public-domain jfk.flac (11 s) at the
start of every minute, low noise between (VAD skips it, so the ASR work stays small
while the decode, windowing, checkpoints and exports see the whole length). The real
CLI runs in a subprocess with its own data folder; its RSS (children included) is
sampled every second.

Reports: peak RSS, RSS at 10/25/50/75/90/100 % of the audio, the growth trend,
wall time, how many of the placed clips were found in the transcript, and whether
the segments reach the end of the recording.

    .venv/bin/python scripts/reliability/soak_import.py --hours 8 --model tiny.en
    .venv/bin/python scripts/reliability/soak_import.py --hours 8 --model tiny.en --diarize
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_common import (
    JFK_PHRASE,
    REPO,
    RssSampler,
    load_average,
    run_with_progress,
    write_meeting,
)

ASR_SPAN = (0.02, 0.92)  # minutes.pipeline.ASR_SPAN: the bar's share taken by ASR
DIARIZE_SHARE = 0.12  # minutes.pipeline.DIARIZE_SHARE, taken from ASR's part
_PERCENT = re.compile(r"(\d+)%\|")


def audio_fraction(line: str, diarize: bool = False) -> float | None:
    """The CLI's tqdm bar gives the overall percent; ASR fills 2..92 % of it (2..80 %
    with --diarize, whose stage then counts as 100 %)."""
    m = _PERCENT.search(line)
    if not m:
        return None
    overall = int(m.group(1)) / 100
    end = ASR_SPAN[1] - (DIARIZE_SHARE if diarize else 0.0)
    return min(max((overall - ASR_SPAN[0]) / (end - ASR_SPAN[0]), 0.0), 1.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=8.0)
    ap.add_argument("--every", type=float, default=60.0, help="seconds between jfk clips")
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--diarize", action="store_true")
    ap.add_argument("--format", default="flac", choices=("flac", "wav"))
    ap.add_argument("--workdir", type=Path, default=None, help="keep inputs/outputs here")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="minutes-soak-import-"))
    work.mkdir(parents=True, exist_ok=True)
    audio = work / f"meeting-{args.hours:g}h.{args.format}"
    t0 = time.monotonic()
    placed = write_meeting(audio, args.hours, args.every)
    print(f"built {audio} ({audio.stat().st_size / 2**20:.0f} MB, {len(placed)} clips) "
          f"in {time.monotonic() - t0:.0f} s", flush=True)

    env = dict(os.environ, MINUTES_DATA_DIR=str(work / "data"), OMP_NUM_THREADS="2")
    out = work / "out"
    cmd = [
        str(REPO / ".venv" / "bin" / "minutes"), "transcribe", str(audio), "--model", args.model,
        "--language", "en", "--out", str(out), "--formats", "json,txt", "--no-user-glossary",
        "--diarize" if args.diarize else "--no-diarize",
    ]  # fmt: skip
    print("load average before:", load_average(), flush=True)
    start = time.monotonic()
    proc, progress, tail = run_with_progress(
        cmd, env, lambda line: audio_fraction(line, args.diarize)
    )
    sampler = RssSampler(proc.pid, progress).start()
    last_report = start
    while proc.poll() is None:
        time.sleep(1)
        if time.monotonic() - last_report > 60:
            last_report = time.monotonic()
            rss = sampler.samples[-1][1] if sampler.samples else 0
            print(f"  {time.monotonic() - start:6.0f} s  audio {progress():5.1%}  "
                  f"RSS {rss:6.0f} MB  peak {sampler.peak:6.0f} MB  load {load_average()}",
                  flush=True)  # fmt: skip
    sampler.stop()
    wall = time.monotonic() - start
    if proc.returncode != 0:
        print("\n".join(tail), file=sys.stderr)
        print(f"minutes transcribe failed with exit code {proc.returncode}", file=sys.stderr)
        return 1

    doc = json.loads((out / f"{audio.stem}.json").read_text(encoding="utf-8"))
    segments = doc["segments"]
    text = " ".join(s.get("text_raw") or s.get("text") or "" for s in segments)
    found = len(JFK_PHRASE.findall(text))
    # A clip counts as covered when a recognised word starts within its 11 s (the batched
    # decoder may merge several clips into one segment, so words, not segments, are used).
    starts = sorted(float(w["start"]) for s in segments for w in s.get("words") or ())
    covered = sum(1 for p in placed if any(p - 1 <= s <= p + 11 for s in _near(starts, p)))
    last_end = max((float(s["end"]) for s in segments), default=0.0)
    figures = {
        "hours": args.hours, "model": args.model, "diarize": args.diarize,
        "wall_s": round(wall), "peak_rss_mb": round(sampler.peak),
        "rss_at": {f"{m:.0%}": (round(h[1]) if (h := sampler.at_progress(m)) else None)
                   for m in (0.1, 0.5, 0.9)},
        "growth_mb_per_run_10_90": round(sampler.growth_mb_per_hour(), 1),
        "clips_placed": len(placed), "phrase_found": found, "clips_with_a_segment": covered,
        "segments": len(segments), "last_segment_end_s": round(last_end, 1),
        "last_clip_start_s": placed[-1] if placed else None,
        "load_average_after": load_average(),
    }  # fmt: skip
    print(sampler.table())
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps({**figures, "samples": sampler.samples}), "utf-8")
    ok = covered == len(placed) and last_end >= (placed[-1] if placed else 0)
    return 0 if ok else 2


def _near(starts: list[float], t: float) -> list[float]:
    import bisect

    i = bisect.bisect_left(starts, t - 1)
    return starts[i : i + 1]


if __name__ == "__main__":
    raise SystemExit(main())
