#!/usr/bin/env python
"""Diarization benchmark: DER and speed of the offline diarizer on real recordings.

Data (read from ../shared/data/speech, or $MINUTES_SPEECH_DATA):
* AMI excerpts shipped with pyannote-audio (`ami_pyannote/*.wav` + RTTM);
* the pyannote sample (`pyannote_sample/`);
* two Korean two-speaker dialogues built at run time into a temporary folder
  from `deeply_korean_read/utterances` (CC BY-NC-ND: never written into the
  project): the dialogue turns concatenated in `utterances.tsv` order, 0.3 s
  between turns, 1.0 s between dialogues, dialogues aa-ak in the first file
  and al-au in the second; the reference RTTM comes from the offsets, each
  utterance trimmed of its leading/trailing silence by an energy threshold.

Prints a Markdown table: file, duration, reference speakers, found speakers,
DER (overlap scored; collar +-0.25 s around reference boundaries as md-eval/dscore
count it, = pyannote.metrics `collar=0.5`; also +-0.125 s = pyannote `collar=0.25`,
and no collar), time and
time/duration. DER is computed by `minutes.diarize.metrics` and, when
pyannote.metrics is installed, cross-checked against it.

With `--profiles` it instead measures voice-profile similarities: one
embedding per (recording, speaker) from the reference turns, then cosine
similarity of the same voice across recordings (Korean speakers a/b across the
two dialogue files; each Pansori talk split into two halves) against different
voices (all other pairs, incl. AMI and pyannote speakers), and prints the
threshold that separates them (used for `profiles.MATCH_THRESHOLD`).

With `--memory-minutes N` it builds an N-minute recording from the Korean
dialogues and TEDx talks (tiled, in a temporary folder) and reports the peak
RSS of diarizing it in a fresh process, streamed from the file (`file`, what the
pipeline does) and from fully decoded samples (`samples`, the pipeline before
streaming); run it with MINUTES_CODE_ROOT=<older checkout> for the old code.

Usage:
    python bench/diarization_der.py [--only SUBSTRING] [--num-speakers-oracle]
    python bench/diarization_der.py --profiles
    python bench/diarization_der.py --memory-minutes 60 [--memory-modes file,samples]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# MINUTES_CODE_ROOT runs another checkout's `minutes` (e.g. `git archive` of an older
# commit) for before/after memory comparisons.
CODE_ROOT = os.environ.get("MINUTES_CODE_ROOT", str(ROOT))
if CODE_ROOT not in sys.path:
    sys.path.insert(0, CODE_ROOT)

from minutes.diarize.metrics import DERComponents  # noqa: E402
from minutes.diarize.options import DiarizeOptions  # noqa: E402
from minutes.diarize.types import SpeakerTurn  # noqa: E402

SPEECH = Path(os.environ.get("MINUTES_SPEECH_DATA", ROOT.parent / "shared" / "data" / "speech"))
SR = 16000
TURN_GAP_S = 0.3
DIALOGUE_GAP_S = 1.0
# Dialogue codes are two letters + turn number (aa0, aa1, ...); split the set in two files.
KOREAN_SPLIT = {"ko_dialogues_1": "abcdefghijk", "ko_dialogues_2": "lmnopqrstu"}


@dataclass(frozen=True)
class Item:
    name: str
    wav: Path
    reference: list[SpeakerTurn]


@dataclass(frozen=True)
class Row:
    name: str
    duration: float
    ref_speakers: int
    found_speakers: int
    der: DERComponents
    der_125: DERComponents
    der_0: DERComponents
    seconds: float
    cpu_seconds: float


def data_available() -> bool:
    return (SPEECH / "ami_pyannote").is_dir() and (SPEECH / "deeply_korean_read").is_dir()


def load_audio(path: Path) -> np.ndarray:
    from faster_whisper import decode_audio

    return np.asarray(decode_audio(str(path), sampling_rate=SR), dtype=np.float32)


def energy_trim(samples: np.ndarray, rel_db: float = -35.0, frame: int = 320) -> tuple[int, int]:
    """First/last sample of the part louder than `rel_db` below the loudest 20 ms frame."""
    n = samples.size // frame
    if n == 0:
        return 0, samples.size
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) > rel_db)
    return int(loud[0] * frame), int(min((loud[-1] + 1) * frame, samples.size))


def write_wav(path: Path, samples: np.ndarray) -> None:
    """16-bit mono WAV at 16 kHz (stdlib only)."""
    import wave

    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(SR)
        fh.writeframes(pcm.tobytes())


def build_korean_dialogues(out_dir: Path) -> list[Item]:
    """Concatenate the Deeply dialogue turns into two files + RTTM under `out_dir`."""
    from minutes.diarize.rttm import write_rttm

    root = SPEECH / "deeply_korean_read"
    with (root / "utterances.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "dialogue"]
    items: list[Item] = []
    for name, letters in KOREAN_SPLIT.items():
        chosen = [r for r in rows if r["text_code"][1] in letters]
        pieces: list[np.ndarray] = []
        turns: list[SpeakerTurn] = []
        t = 0.0
        prev_dialogue: str | None = None
        for r in chosen:
            dialogue = r["text_code"][:2]
            if prev_dialogue is not None:
                gap = TURN_GAP_S if dialogue == prev_dialogue else DIALOGUE_GAP_S
                pieces.append(np.zeros(round(gap * SR), dtype=np.float32))
                t += gap
            wav = load_audio(root / "utterances" / f"{r['id']}.flac")
            a, b = energy_trim(wav)
            turns.append(SpeakerTurn(round(t + a / SR, 3), round(t + b / SR, 3), r["speaker"]))
            pieces.append(wav)
            t += wav.size / SR
            prev_dialogue = dialogue
        audio = np.concatenate(pieces)
        wav_path = out_dir / f"{name}.wav"
        write_wav(wav_path, audio)
        write_rttm(out_dir / f"{name}.rttm", turns, name)
        items.append(Item(name, wav_path, turns))
    return items


SUNG_CLIPS = ("-0054", "-0067", "-0069", "-0073")  # band lyrics, not speech
TEDX_GAP_S = 0.5
TEDX_MIN_CLIPS = 25  # the 6 talks with many clips (2-5.5 min each)


def build_tedx_talks(out_dir: Path) -> list[Item]:
    """One file per single-speaker Pansori TEDx talk (clips in order, 0.5 s apart) + RTTM."""
    from minutes.diarize.rttm import write_rttm

    items: list[Item] = []
    for folder in sorted(p for p in (SPEECH / "pansori_tedxkr").iterdir() if p.is_dir()):
        clips = [f for f in sorted(folder.glob("*.flac")) if not f.stem.endswith(SUNG_CLIPS)]
        if len(clips) < TEDX_MIN_CLIPS:
            continue
        pieces: list[np.ndarray] = []
        turns: list[SpeakerTurn] = []
        t = 0.0
        for f in clips:
            wav = load_audio(f)
            a, b = energy_trim(wav)
            turns.append(SpeakerTurn(round(t + a / SR, 3), round(t + b / SR, 3), "talker"))
            pieces += [wav, np.zeros(round(TEDX_GAP_S * SR), dtype=np.float32)]
            t += wav.size / SR + TEDX_GAP_S
        name = f"tedx_{folder.name[:8]}"
        wav_path = out_dir / f"{name}.wav"
        write_wav(wav_path, np.concatenate(pieces))
        write_rttm(out_dir / f"{name}.rttm", turns, name)
        items.append(Item(name, wav_path, turns))
    return items


def english_items() -> list[Item]:
    from minutes.diarize.rttm import read_rttm

    items = []
    for wav in [
        *sorted((SPEECH / "ami_pyannote").glob("*.wav")),
        SPEECH / "pyannote_sample" / "pyannote_sample.wav",
    ]:
        rttm = wav.with_suffix(".rttm")
        if wav.is_file() and rttm.is_file():
            items.append(Item(wav.stem, wav, read_rttm(rttm)))
    return items


def profile_threshold_report() -> int:
    """Print same-voice vs different-voice similarity statistics and a threshold."""
    from collections import defaultdict

    from minutes.diarize.embedder import VoiceEncoder
    from minutes.diarize.profiles import embed_speakers

    encoder = VoiceEncoder()
    voices: list[tuple[str, str, np.ndarray, float]] = []  # (person, recording, emb, seconds)
    with tempfile.TemporaryDirectory(prefix="minutes-prof-") as tmp:
        for item in english_items() + build_korean_dialogues(Path(tmp)):
            audio = load_audio(item.wav)
            for spk, (emb, secs) in embed_speakers(audio, item.reference, encoder=encoder).items():
                if secs >= 3.0:
                    person = f"ko:{spk}" if item.name.startswith("ko_") else f"{item.name}:{spk}"
                    voices.append((person, item.name, emb, secs))
    talks: dict[str, list[Path]] = defaultdict(list)
    for p in sorted((SPEECH / "pansori_tedxkr").glob("*/*.flac")):
        if not p.stem.endswith(SUNG_CLIPS):
            talks[p.parent.name].append(p)
    for talk, files in talks.items():
        halves = (
            [files[: len(files) // 2], files[len(files) // 2 :]] if len(files) >= 6 else [files]
        )
        for h, part in enumerate(halves):
            if not part:
                continue
            pieces, turns, t = [], [], 0.0
            for f in part:
                wav = load_audio(f)
                turns.append(SpeakerTurn(t, t + wav.size / SR, "s"))
                pieces += [wav, np.zeros(SR // 2, dtype=np.float32)]
                t += wav.size / SR + 0.5
            got = embed_speakers(np.concatenate(pieces), turns, encoder=encoder).get("s")
            if got is not None and got[1] >= 3.0:
                voices.append((f"pansori:{talk}", f"{talk}#{h}", got[0], got[1]))

    same, diff = [], []
    for i in range(len(voices)):
        for j in range(i + 1, len(voices)):
            (p1, r1, e1, _), (p2, r2, e2, _) = voices[i], voices[j]
            if r1 == r2 and p1 == p2:
                continue
            sim = float(e1 @ e2)
            if p1 == p2:
                same.append((sim, r1, r2, p1))
            else:
                diff.append((sim, p1, p2, ""))
    same.sort()
    diff.sort()
    print(f"voices: {len(voices)} (recording, speaker) embeddings")
    print(
        f"same voice, other recording: n={len(same)} min={same[0][0]:.3f} "
        f"median={np.median([s[0] for s in same]):.3f} max={same[-1][0]:.3f}"
    )
    print(
        f"different voices:            n={len(diff)} min={diff[0][0]:.3f} "
        f"median={np.median([d[0] for d in diff]):.3f} max={diff[-1][0]:.3f}"
    )
    print("closest different pairs:", ", ".join(f"{d[0]:.3f} {d[1]}~{d[2]}" for d in diff[-3:]))
    print("least similar same pairs:", ", ".join(f"{s[0]:.3f} {s[3]}" for s in same[:3]))
    for thr in (0.85, 0.88, 0.90, 0.92, 0.94):
        far = sum(d[0] >= thr for d in diff) / len(diff)
        frr = sum(s[0] < thr for s in same) / len(same)
        print(f"threshold {thr:.2f}: false accept {far:.1%}, false reject {frr:.1%}")
    return 0


def memory_child(mode: str, path: str) -> int:
    """Diarize `path` in this (fresh) process and print peak RSS; run via --memory-child."""
    import re

    from minutes.diarize import diarize_full

    t0 = time.perf_counter()
    if mode == "file":
        result = diarize_full(path)
    else:
        from minutes.audio import load_audio as decode

        result = diarize_full(decode(path))
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the
    # parent at fork/exec, so it would report the parent's memory.
    status = Path("/proc/self/status").read_text()
    peak_mb = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    print(
        f"{mode}: peak RSS {peak_mb:.0f} MB, {len(result.turns)} turns, "
        f"{len(result.speakers)} speakers, {time.perf_counter() - t0:.0f} s"
    )
    return 0


def memory_report(minutes: float, modes: list[str]) -> int:
    """Build an N-minute recording from real speech and measure each mode in a subprocess."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="minutes-mem-") as tmp:
        folder = Path(tmp)
        items = build_korean_dialogues(folder) + build_tedx_talks(folder)
        unit = np.concatenate([load_audio(i.wav) for i in items])
        reps = int(np.ceil(minutes * 60 * SR / unit.size))
        audio = np.tile(unit, reps)[: int(minutes * 60 * SR)]
        path = folder / f"speech_{minutes:g}min.wav"
        write_wav(path, audio)
        del audio, unit
        print(f"{path.name}: {minutes:g} min; load average {load_average()}")
        for mode in modes:
            out = subprocess.run(
                [sys.executable, __file__, "--memory-child", mode, str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            print(out.stdout.strip() or out.stderr.strip()[-2000:])
        print(f"load average after: {load_average()}")
    return 0


def load_average() -> str:
    try:
        return ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description="DER/speed of the offline diarizer")
    parser.add_argument(
        "--only", default="", help="run files whose name contains this (comma-separated: any)"
    )
    parser.add_argument(
        "--num-speakers-oracle", action="store_true", help="pass the reference speaker count"
    )
    parser.add_argument(
        "--profiles", action="store_true", help="measure the voice-profile match threshold"
    )
    parser.add_argument(
        "--memory-minutes", type=float, default=0.0, help="peak RSS on an N-minute recording"
    )
    parser.add_argument("--memory-modes", default="file,samples", help="file and/or samples")
    parser.add_argument("--memory-child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(*args.memory_child)
    if not data_available():
        print(f"speech data not found under {SPEECH}", file=sys.stderr)
        return 2
    if args.profiles:
        return profile_threshold_report()
    if args.memory_minutes > 0:
        return memory_report(args.memory_minutes, args.memory_modes.split(","))

    from minutes.diarize.embedder import VoiceEncoder
    from minutes.diarize.metrics import diarization_error, pyannote_der
    from minutes.diarize.offline import diarize_offline, diarize_offline_file

    encoder = VoiceEncoder()
    t0 = time.perf_counter()
    # Load the encoder and Silero once, outside the timed runs (a session loads them once).
    noise = np.random.default_rng(0).normal(0, 0.05, SR * 3).astype(np.float32)
    diarize_offline(noise, SR, encoder=encoder)
    encoder.embed_mels(np.zeros((64, 160, 40), dtype=np.float32))  # a full batch
    load_s = time.perf_counter() - t0

    load_before = load_average()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="minutes-diar-") as tmp:
        folder = Path(tmp)
        items = english_items() + build_korean_dialogues(folder) + build_tedx_talks(folder)
        for item in items:
            if args.only and not any(o in item.name for o in args.only.split(",")):
                continue
            audio = load_audio(item.wav)
            ref_speakers = len({t.speaker for t in item.reference})
            t0 = time.perf_counter()
            c0 = time.process_time()
            # From the file, as the pipeline does: decoded as a stream, window by window.
            result = diarize_offline_file(
                item.wav,
                encoder=encoder,
                options=DiarizeOptions(
                    speakers=ref_speakers if args.num_speakers_oracle else None
                ),
            )
            elapsed = time.perf_counter() - t0
            cpu = time.process_time() - c0
            hyp = list(result.turns)
            row = Row(
                name=item.name,
                duration=audio.size / SR,
                ref_speakers=ref_speakers,
                found_speakers=len(result.speakers),
                der=diarization_error(item.reference, hyp, collar=0.25),
                der_125=diarization_error(item.reference, hyp, collar=0.125),
                der_0=diarization_error(item.reference, hyp, collar=0.0),
                seconds=elapsed,
                cpu_seconds=cpu,
            )
            try:
                check = pyannote_der(item.reference, hyp, collar=0.25)
                if abs(check - row.der.der) > 0.005:
                    print(
                        f"warning: {item.name}: pyannote.metrics DER {check:.4f}", file=sys.stderr
                    )
            except ImportError:
                pass
            rows.append(row)

    print(
        "| file | duration (s) | ref spk | found spk | DER ±0.25 s (miss/FA/conf) "
        "| DER ±0.125 s | DER no collar | time (s) | time/duration | CPU time (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        d = r.der
        parts = f"{d.miss / d.total:.1%}/{d.false_alarm / d.total:.1%}/{d.confusion / d.total:.1%}"
        print(
            f"| {r.name} | {r.duration:.1f} | {r.ref_speakers} | {r.found_speakers} | "
            f"{d.der:.1%} ({parts}) | {r.der_125.der:.1%} | {r.der_0.der:.1%} | "
            f"{r.seconds:.2f} | {r.seconds / r.duration:.2%} | {r.cpu_seconds:.2f} |"
        )
    print()
    for label, prefix in (
        ("AMI", "ami"),
        ("pyannote sample", "pyannote"),
        ("Korean", "ko_"),
        ("TEDx single-speaker", "tedx_"),
    ):
        sub = [r for r in rows if r.name.startswith(prefix)]
        if sub:
            total = sum(r.der.total for r in sub)
            err = sum(r.der.miss + r.der.false_alarm + r.der.confusion for r in sub)
            right = sum(r.found_speakers == r.ref_speakers for r in sub)
            print(
                f"{label}: pooled DER (±0.25 s) {err / total:.1%} over {len(sub)} files; "
                f"speaker count right in {right}/{len(sub)}"
            )
    total_dur = sum(r.duration for r in rows)
    total_time = sum(r.seconds for r in rows)
    print(
        f"all: {total_time:.2f} s for {total_dur:.0f} s of audio "
        f"({total_time / max(total_dur, 1e-9):.2%});"
        f" models load + warm-up {load_s:.2f} s (once, not counted); cores: {os.cpu_count()};"
        f" load average {load_before} before, {load_average()} after"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
