"""Run every benchmark and collect their Markdown tables in bench/out/report.md.

    python -m bench.run_all [--quick]

Each benchmark is its own process (so one's model does not sit in another's
memory); the tables are copied by hand into docs/BENCHMARKS.md with a note on
the machine they came from.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCHES: list[tuple[str, list[str], list[str]]] = [
    # (title, full args, quick args)
    (
        "(a) minutes transcribe vs plain faster-whisper",
        ["-m", "bench.asr_speed"],
        ["-m", "bench.asr_speed", "--repeat", "1", "--seconds", "120"],
    ),
    ("Batched vs sequential CER", ["-m", "bench.batched_vs_sequential"], []),
    (
        "(b) Glossary on real Korean ASR",
        ["-m", "bench.glossary_quality"],
        ["-m", "bench.glossary_quality", "--other", "20"],
    ),
    ("(c) Matcher throughput", ["bench/matcher_throughput.py"], ["bench/matcher_throughput.py"]),
    ("Quiet audio", ["-m", "bench.quiet_audio"], []),
    ("Diarization DER", ["bench/diarization_der.py"], ["bench/diarization_der.py"]),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller runs, skip the slowest")
    args = parser.parse_args()
    out = Path("bench/out")
    out.mkdir(parents=True, exist_ok=True)
    parts = []
    for title, full, quick in BENCHES:
        cmd = quick if args.quick else full
        if not cmd:
            continue
        print(f"== {title}: python {' '.join(cmd)}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, *cmd], capture_output=True, text=True)
        took = time.perf_counter() - t0
        body = (
            res.stdout
            if res.returncode == 0
            else f"FAILED ({res.returncode}):\n{res.stderr[-2000:]}"
        )
        parts.append(f"## {title}\n\n`python {' '.join(cmd)}` ({took:.0f} s)\n\n{body}\n")
    report = out / "report.md"
    report.write_text("\n".join(parts), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
