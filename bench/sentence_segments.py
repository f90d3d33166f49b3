"""Benchmark: how long transcript segments are, and what cutting them costs.

faster-whisper's batched decoder returns one segment per VAD chunk (up to
30 s). Three ways to get sentence-sized segments are compared on the same
audio and model:

* chunks: the batched decoder's segments as they come;
* sentence cuts (ours): the same segments cut at sentence ends with the word
  times (`minutes.segmenting`), so the words and CER are those of "chunks";
* timestamp tokens: the batched decoder with ``without_timestamps=False``,
  which lets Whisper end segments itself, at the price of a different decode.

Reported per corpus: segments, median / 90th percentile / longest segment,
CER, and (Pansori) how many utterance ends that finish a sentence in the
reference (-다, -죠, -요, -까) have a segment boundary within 1.5 s.

    python -m bench.sentence_segments [--talks 18]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.corpus import (
    SPEECH,
    available,
    base_transcriber,
    cer,
    concat_clips,
    normalise_korean,
    pansori_clips,
    sentence_end_times,
)


def _timestamp_token_segments(t: Any, path: Path, options: Any) -> list[Any]:
    """The batched decoder ending segments itself (timestamp tokens on)."""
    from minutes.asr.whisper import _to_segment
    from minutes.audio import load_audio, normalise_loudness

    t._load()  # builds the batched pipeline
    samples = normalise_loudness(load_audio(path), options.normalise_to_dbfs)
    raw, _ = t._batched.transcribe(
        samples,
        language=options.language,
        batch_size=options.batch_size,
        beam_size=options.beam_size,
        word_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=True,
        without_timestamps=False,
    )
    return [s for s in (_to_segment(r, 0.0) for r in raw) if s is not None]


def _stats(segments: list[Any]) -> tuple[float, float, float]:
    lengths = sorted(s.end - s.start for s in segments)
    if not lengths:
        return 0.0, 0.0, 0.0
    return lengths[len(lengths) // 2], lengths[int(0.9 * (len(lengths) - 1))], lengths[-1]


def _found(edges: list[float], segments: list[Any]) -> int:
    starts = [s.start for s in segments]
    return sum(1 for e in edges if any(abs(e - st) < 1.5 for st in starts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=18, help="Pansori talks to use (max 18)")
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found (../shared/data/speech)")
    from minutes.asr import AsrOptions
    from minutes.segmenting import split_all

    t = base_transcriber()
    talks: dict[str, list[Any]] = {}
    for c in pansori_clips():
        talks.setdefault(c.path.parent.name, []).append(c)
    tmp = Path(tempfile.mkdtemp())
    modes = ("chunks", "sentence cuts (ours)", "timestamp tokens")
    rows: dict[str, dict[str, Any]] = {
        m: {"segments": [], "errors": 0.0, "found": 0} for m in modes
    }
    chars = edges_total = 0
    for name, clips in sorted(talks.items())[: args.talks]:
        clips = sorted(clips, key=lambda c: c.path.name)
        path, ref = concat_clips(clips, tmp / f"{name}.wav", gap=0.6)
        edges = sentence_end_times(clips, gap=0.6)
        n = len(normalise_korean(ref))
        chars += n
        edges_total += len(edges)
        options = AsrOptions(language="ko", sentence_segments=False)
        chunks = list(t.transcribe_file(path, options))
        per_mode = {
            "chunks": chunks,
            "sentence cuts (ours)": split_all(chunks),
            "timestamp tokens": _timestamp_token_segments(t, path, options),
        }
        for mode, segments in per_mode.items():
            rows[mode]["segments"] += segments
            rows[mode]["errors"] += cer(ref, " ".join(s.text for s in segments)) * n
            rows[mode]["found"] += _found(edges, segments)
        print(name, {m: len(s) for m, s in per_mode.items()}, file=sys.stderr, flush=True)

    ami = sorted((SPEECH / "ami_pyannote").glob("*.wav"))
    ami_rows: dict[str, list[Any]] = {m: [] for m in modes}
    for wav in ami:
        options = AsrOptions(language="en", sentence_segments=False)
        chunks = list(t.transcribe_file(wav, options))
        ami_rows["chunks"] += chunks
        ami_rows["sentence cuts (ours)"] += split_all(chunks)
        ami_rows["timestamp tokens"] += _timestamp_token_segments(t, wav, options)

    n_talks = min(args.talks, len(talks))
    print(f"Pansori TEDxKR, {n_talks} talks ({chars} reference characters), Korean:\n")
    print(
        "| segments from | segments | median (s) | 90th pct (s) | longest (s) | CER "
        f"| sentence ends found (of {edges_total}) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for mode in modes:
        row = rows[mode]
        med, p90, top = _stats(row["segments"])
        print(
            f"| {mode} | {len(row['segments'])} | {med:.1f} | {p90:.1f} | {top:.1f} "
            f"| {row['errors'] / max(chars, 1):.3f} | {row['found']} |"
        )
    if ami:
        print(f"\nAMI meeting excerpts ({len(ami)} files), English:\n")
        print("| segments from | segments | median (s) | 90th pct (s) | longest (s) |")
        print("|---|---:|---:|---:|---:|")
        for mode in modes:
            med, p90, top = _stats(ami_rows[mode])
            print(f"| {mode} | {len(ami_rows[mode])} | {med:.1f} | {p90:.1f} | {top:.1f} |")
    print(f"\noptions: {asdict(AsrOptions())}", file=sys.stderr)


if __name__ == "__main__":
    main()
