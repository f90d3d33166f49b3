"""Evaluation data from ../shared/data/speech, built at run time.

The shared recordings are licensed CC BY-NC-ND (Korean sets): they are read by
path and concatenations are written only to temporary folders, never into the
project. Used by the integration tests and the benchmarks.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SPEECH = Path(
    os.environ.get(
        "MINUTES_SPEECH_DATA",
        Path(__file__).resolve().parents[1].parent / "shared" / "data" / "speech",
    )
)
SR = 16_000
SUNG_CLIPS = ("-0054", "-0067", "-0069", "-0073")  # band talk: lyrics over music


def available() -> bool:
    return (SPEECH / "MANIFEST.md").is_file()


@dataclass(frozen=True)
class Clip:
    path: Path
    text: str
    note: str
    duration: float


def manifest_rows() -> list[dict[str, str]]:
    with (SPEECH / "manifest_rows.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def pansori_clips() -> list[Clip]:
    """All Pansori TEDxKR clips with reference text, minus the sung ones."""
    out: list[Clip] = []
    for row in manifest_rows():
        if not row["path"].startswith("pansori_tedxkr/"):
            continue
        path = SPEECH / row["path"]
        if any(path.stem.endswith(s) for s in SUNG_CLIPS):
            continue
        ref = path.with_suffix(".txt")
        if ref.is_file():
            out.append(
                Clip(
                    path,
                    ref.read_text(encoding="utf-8").strip(),
                    row["note"],
                    float(row["duration_s"]),
                )
            )
    return out


def pansori_latin_clips() -> list[Clip]:
    return [c for c in pansori_clips() if "Latin/English token" in c.note]


def read_flac(path: Path) -> np.ndarray:
    from minutes.audio import load_audio

    return load_audio(path)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    import wave

    pcm = np.clip(samples, -1, 1)
    data = (pcm * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(data)
    return path


def concat_clips(clips: list[Clip], out: Path, gap: float = 0.5) -> tuple[Path, str]:
    """Concatenate clips with silence gaps into a WAV; return it and the joined reference."""
    silence = np.zeros(int(gap * SR), dtype=np.float32)
    parts: list[np.ndarray] = []
    for c in clips:
        parts += [read_flac(c.path), silence]
    write_wav(out, np.concatenate(parts) if parts else silence)
    return out, " ".join(c.text for c in clips)


# Endings that finish a Korean sentence in the reference texts (-다, -죠, -요, -까).
SENTENCE_FINAL = ("다", "죠", "요", "까")


def sentence_end_times(clips: list[Clip], gap: float) -> list[float]:
    """Times in `concat_clips(clips, gap=gap)` where a clip ending a sentence is followed
    by the next one (other clip cuts fall mid-sentence)."""
    times, at = [], 0.0
    for clip in clips[:-1]:
        at += len(read_flac(clip.path)) / SR + gap
        if clip.text.rstrip(" .?!")[-1:] in SENTENCE_FINAL:
            times.append(at)
    return times


def base_transcriber() -> Any:
    """The embedded Whisper base (assembled into a throw-away data folder unless one is set)."""
    import tempfile

    os.environ.setdefault("MINUTES_DATA_DIR", tempfile.mkdtemp())
    from minutes.asr import WhisperTranscriber
    from minutes.modelstore import assemble_embedded

    return WhisperTranscriber(str(assemble_embedded("base")), name="base")


def pansori_longform(
    out_dir: Path, talk_prefix: str | None = None, max_seconds: float = 120.0
) -> tuple[Path, str]:
    """A Korean long-form file from the clips of one talk, in order (about `max_seconds`)."""
    clips = pansori_clips()
    if talk_prefix is None:
        # The talk with the most clip time gives the most natural long form.
        totals: dict[str, float] = {}
        for c in clips:
            totals[c.path.parent.name] = totals.get(c.path.parent.name, 0.0) + c.duration
        talk_prefix = max(totals, key=lambda k: totals[k])
    chosen: list[Clip] = []
    total = 0.0
    for c in sorted(
        (c for c in clips if c.path.parent.name == talk_prefix), key=lambda c: c.path.name
    ):
        if total >= max_seconds:
            break
        chosen.append(c)
        total += c.duration + 0.5
    return concat_clips(chosen, out_dir / f"pansori_{talk_prefix[:8]}_{int(max_seconds)}s.wav")


_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def normalise_korean(text: str) -> str:
    """Normalise for CER: NFKC, lower case, no punctuation, no spaces.

    Spaces are dropped because Korean spacing is inconsistent between
    subtitlers and Whisper; digits are kept as written (references mix
    "6천조" and "13000km") after removing thousands separators.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = _PUNCT.sub(" ", text)
    return re.sub(r"\s+", "", text)


def normalise_english(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _PUNCT.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate after Korean normalisation."""
    from rapidfuzz.distance import Levenshtein

    ref = normalise_korean(reference)
    hyp = normalise_korean(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


def wer(reference: str, hypothesis: str) -> float:
    from rapidfuzz.distance import Levenshtein

    ref = normalise_english(reference).split()
    hyp = normalise_english(hypothesis).split()
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)
