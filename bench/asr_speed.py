"""Benchmark (a): `minutes transcribe` vs plain sequential faster-whisper.

Both sides run as whole processes on the same files, in the same run, with the
same embedded base model (int8, beam 5, VAD). Ours adds everything a user
gets: session bookkeeping, glossary correction and JSON export. The figure is
the time ratio ours / baseline (goal <= 0.6) with CER no worse.

    python -m bench.asr_speed [--repeat 2] [--seconds 120 300]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import (
    SPEECH,
    available,
    cer,
    concat_clips,
    pansori_clips,
    pansori_latin_clips,
    pansori_longform,
    wer,
)

BASELINE = r"""
import sys, json
from faster_whisper import WhisperModel
m = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", cpu_threads=0)
segs, info = m.transcribe(sys.argv[2], language=sys.argv[3] if sys.argv[3] != "auto" else None,
                          beam_size=5, vad_filter=True)
print(json.dumps(" ".join(s.text.strip() for s in segs), ensure_ascii=False))
"""


def _glossary_csv(folder: Path) -> Path:
    """The talks' own English terms as a glossary (what a user would keep)."""
    from glossary.io import save_glossary
    from glossary.terms import Glossary, Term

    terms = [
        "GDP",
        "OECD",
        "DNA",
        "USB",
        "UX",
        "DSLR",
        "CEO",
        "OST",
        "PPT",
        "G20",
        "KBS",
        "TED",
        "DID",
    ]
    path = folder / "glossary.csv"
    save_glossary(Glossary.from_terms(Term(t) for t in terms), path)
    return path


def run_ours(
    audio: Path, language: str, glossary: Path, data_dir: Path, out: Path
) -> tuple[float, str]:
    shutil.rmtree(data_dir / "sessions", ignore_errors=True)
    env = dict(os.environ, MINUTES_DATA_DIR=str(data_dir))
    cmd = [
        sys.executable,
        "-m",
        "minutes.cli",
        "-q",
        "transcribe",
        str(audio),
        "--model",
        "base",
        "--language",
        language,
        "--glossary",
        str(glossary),
        "--no-user-glossary",
        "--out",
        str(out),
        "--formats",
        "json",
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    elapsed = time.perf_counter() - t0
    data = json.loads((out / f"{audio.stem}.json").read_text(encoding="utf-8"))
    return elapsed, " ".join(s["text"] for s in data["segments"])


def run_baseline(audio: Path, language: str, model_dir: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-c", BASELINE, str(model_dir), str(audio), language],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - t0, json.loads(res.stdout.strip().splitlines()[-1])


def files(tmp: Path, seconds: list[int]) -> list[tuple[str, Path, str, str]]:
    """(label, path, language, reference) for each benchmark file."""
    out: list[tuple[str, Path, str, str]] = []
    for s in seconds:
        if s <= 150:
            path, ref = pansori_longform(tmp, max_seconds=s)
            out.append((f"Pansori talk, {s} s (ko)", path, "ko", ref))
        else:  # several talks in a row: a long, varied Korean recording
            clips = sorted(pansori_clips(), key=lambda c: c.path.name)
            chosen, total = [], 0.0
            for c in clips:
                if total >= s:
                    break
                chosen.append(c)
                total += c.duration + 0.5
            path, ref = concat_clips(chosen, tmp / f"pansori_mix_{s}s.wav")
            out.append((f"Pansori talks, {s} s (ko)", path, "ko", ref))
    latin, ref = concat_clips(pansori_latin_clips(), tmp / "pansori_latin.wav")
    out.append(("Pansori clips with English terms (ko)", latin, "ko", ref))
    jfk = Path(__file__).resolve().parents[1] / "resources" / "samples" / "jfk.flac"
    out.append(
        (
            "JFK sample (en)",
            jfk,
            "en",
            "And so my fellow Americans ask not what your country "
            "can do for you ask what you can do for your country",
        )
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seconds", type=int, nargs="*", default=[120, 300])
    args = parser.parse_args()
    if not available():
        sys.exit(f"speech data not found at {SPEECH}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data_dir = tmp / "data"
        env_before = os.environ.get("MINUTES_DATA_DIR")
        os.environ["MINUTES_DATA_DIR"] = str(data_dir)
        from minutes.modelstore import assemble_embedded

        model_dir = Path(assemble_embedded("base"))
        if env_before is not None:
            os.environ["MINUTES_DATA_DIR"] = env_before
        glossary = _glossary_csv(tmp)
        rows = []
        for label, path, lang, ref in files(tmp, args.seconds):
            ours_t, base_t = [], []
            ours_txt = base_txt = ""
            for _ in range(args.repeat):
                t, base_txt = run_baseline(path, lang, model_dir)
                base_t.append(t)
                t, ours_txt = run_ours(path, lang, glossary, data_dir, tmp / "out")
                ours_t.append(t)
            metric = cer if lang == "ko" else wer
            from minutes.audio import probe

            dur = probe(path).duration
            o, b = statistics.median(ours_t), statistics.median(base_t)
            rows.append(
                (label, dur, b, o, o / b, metric(ref, base_txt), metric(ref, ours_txt), lang)
            )
            print(rows[-1], file=sys.stderr)
    print("| file | audio (s) | baseline (s) | ours (s) | ratio | baseline error | ours |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, dur, b, o, r, eb, eo, lang in rows:
        kind = "CER" if lang == "ko" else "WER"
        errors = f"{kind} {eb:.3f} | {kind} {eo:.3f}"
        print(f"| {label} | {dur:.0f} | {b:.1f} | {o:.1f} | **{r:.2f}** | {errors} |")


if __name__ == "__main__":
    main()
