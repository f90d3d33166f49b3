"""Words said once but written twice when the microphone hears the loudspeakers.

    python -m bench.echo_duplicates [--turns 12] [--echo-db -15] [--delay-ms 120]

A two-track meeting is built from real Korean speech (read by path from
../shared/data/speech, never copied): the others' turns (Pansori TEDxKR clips)
on the system track, the user's answers (Deeply read utterances) on the
microphone track, taking turns. Without headphones the microphone also hears
the loudspeakers: the system track is added to it `--echo-db` quieter and
`--delay-ms` later, with room noise. Then, as the app does:

- **live**: each track is transcribed live (minutes.live, one model, in turn)
  with and without the microphone's echo filter (`echo_filter`); a "Me" line
  that repeats what "Others" said at that time, more than what the user said
  then, is a duplicate;
- **final**: the tracks are mixed on the common clock (minutes.capture_mix) and
  the mix transcribed as `minutes transcribe` does; a word the transcript
  inserts that repeats a neighbouring reference word is a duplicate.

Reported: duplicated words as a share of the reference's words (goal <= 1 %), and
the CER of the "Me" lines against the user's turns (the filter must not eat them).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bench.corpus import (
    available,
    base_transcriber,
    cer,
    normalise_korean,
    pansori_clips,
    read_flac,
)

SR = 16_000
GAP_S = 0.8


def build_meeting(
    turns: int, echo_db: float, delay_ms: float, folder: Path, echo: bool
) -> tuple[list[tuple[str, float, float, str]], Path, Path]:
    """([(who, start, end, reference text)], mic.wav, system.wav)."""
    import soundfile

    from bench.glossary_quality import deeply_plain_clips

    others = [c for c in pansori_clips() if 3.0 <= c.duration <= 9.0][:turns]
    mine = [c for c in deeply_plain_clips() if 2.0 <= c.duration <= 8.0][:turns]
    system: list[np.ndarray] = []
    mic: list[np.ndarray] = []
    script: list[tuple[str, float, float, str]] = []
    t = 0.5
    for a, b in zip(others, mine, strict=False):
        for who, clip in (("others", a), ("me", b)):
            x = read_flac(clip.path).astype(np.float32)
            start = int(t * SR)
            script.append((who, t, t + len(x) / SR, clip.text))
            (system if who == "others" else mic).append(_placed(x, start))
            t += len(x) / SR + GAP_S
    total = int((t + 1) * SR)
    sys_track, mic_track = _sum(system, total), _sum(mic, total)
    rng = np.random.default_rng(5)
    mic_track += rng.normal(0, 10 ** (-60 / 20), total).astype(np.float32)  # room noise
    if echo:
        lag = int(delay_ms / 1000 * SR)
        mic_track[lag:] += sys_track[: total - lag] * 10 ** (echo_db / 20)
    mic_path, sys_path = folder / "mic.wav", folder / "system.wav"
    soundfile.write(mic_path, np.clip(mic_track, -1, 1), SR, subtype="PCM_16")
    soundfile.write(sys_path, np.clip(sys_track, -1, 1), SR, subtype="PCM_16")
    return script, mic_path, sys_path


def _placed(x: np.ndarray, start: int) -> np.ndarray:
    return np.concatenate([np.zeros(start, np.float32), x])


def _sum(parts: list[np.ndarray], total: int) -> np.ndarray:
    out = np.zeros(total, np.float32)
    for p in parts:
        out[: len(p)] += p[:total]
    return out


class FileTail:
    """A finished track as a growing recording (minutes.live.AudioSource)."""

    def __init__(self, path: Path) -> None:
        from minutes.audio import load_audio

        self.samples = load_audio(path)

    def available(self) -> int:
        return len(self.samples)

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.samples[start:stop]


def live_lines(mic: Path, system: Path, transcriber: Any, filtered: bool) -> list[Any]:
    from minutes.live import (
        LiveTranscriber,
        echo_filter,
        follow_tracks,
        live_asr_options,
        whisper_transcribe,
    )

    decode = whisper_transcribe(transcriber, live_asr_options("ko"))
    lines: list[Any] = []
    sys_tail, mic_tail = FileTail(system), FileTail(mic)
    lives = [
        LiveTranscriber(sys_tail, decode, lines.append, track="system", max_behind_s=None),
        LiveTranscriber(mic_tail, decode, lines.append, track="mic", max_behind_s=None,
                        echo=echo_filter(mic_tail, sys_tail) if filtered else None),
    ]  # fmt: skip
    follow_tracks(lives, lambda: True)
    return lines


def live_duplicates(lines: list[Any], script: list[tuple[str, float, float, str]]) -> int:
    """Words of "Me" lines that repeat what "Others" said at the same time, rather than
    what the user said then (a short "아니요" is like many a sentence of theirs)."""
    from rapidfuzz import fuzz

    def near(line: Any, texts: list[tuple[float, float, str]]) -> str:
        return " ".join(t for start, end, t in texts
                        if start < line.end + 1 and end > line.start - 1)  # fmt: skip

    said = [(start, end, text) for who, start, end, text in script if who == "me"]
    heard = [(x.start, x.end, x.text) for x in lines if x.track == "system"]
    dup = 0
    for line in (x for x in lines if x.track == "mic"):
        text, theirs, own = normalise_korean(line.text), near(line, heard), near(line, said)
        like_theirs = fuzz.partial_ratio(text, normalise_korean(theirs)) if theirs else 0.0
        like_own = fuzz.partial_ratio(text, normalise_korean(own)) if own else 0.0
        if like_theirs > 60 and like_theirs > like_own:
            dup += len(line.text.split())
    return dup


def user_turns_heard(lines: list[Any], script: list[tuple[str, float, float, str]]) -> int:
    """The user's turns that have a "Me" line saying them (the filter must not drop these)."""
    from rapidfuzz import fuzz

    heard = 0
    for who, start, end, text in script:
        if who != "me":
            continue
        said = " ".join(x.text for x in lines if x.track == "mic"
                        and x.start < end + 1 and x.end > start - 1)  # fmt: skip
        heard += bool(said) and fuzz.partial_ratio(
            normalise_korean(text), normalise_korean(said)) > 60  # fmt: skip
    return heard


def user_cer(lines: list[Any], script: list[tuple[str, float, float, str]]) -> float:
    """CER of the "Me" lines against the user's turns: silencing the echo must not eat the
    user's own words (nor let the others' in)."""
    mine = " ".join(text for who, _, _, text in script if who == "me")
    return cer(mine, " ".join(x.text for x in lines if x.track == "mic"))


def final_duplicates(reference: str, hypothesis: str) -> int:
    """Inserted words that repeat a reference word within two words of where they land."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = reference.split(), hypothesis.split()
    dup = 0
    for op in Levenshtein.editops(ref, hyp):
        if op.tag != "insert":
            continue
        near = ref[max(0, op.src_pos - 2) : op.src_pos + 2]
        dup += normalise_korean(hyp[op.dest_pos]) in {normalise_korean(w) for w in near}
    return dup


def final_text(mic: Path, system: Path, transcriber: Any, folder: Path) -> str:
    from minutes.asr import AsrOptions
    from minutes.capture_disk import repair_wav
    from minutes.capture_mix import TrackClock, mix_tracks

    clocks = [TrackClock(p.stem, p, repair_wav(p), 0.0, 0.0) for p in (mic, system)]
    mix_tracks(clocks, folder / "audio.wav")
    segs = transcriber.transcribe_file(folder / "audio.wav", AsrOptions(language="ko"))
    return " ".join(s.text for s in segs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=12, help="turns of each side")
    parser.add_argument("--echo-db", type=float, default=-15.0)
    parser.add_argument("--delay-ms", type=float, default=120.0)
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found")
    transcriber = base_transcriber()
    print("| loudspeakers' echo in the microphone | transcript | duplicated words | of the "
          "reference's words | the user's turns written as Me | CER of the Me lines |\n"
          "|---|---|---:|---:|---:|---:|")
    for echo in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            script, mic, system = build_meeting(
                args.turns, args.echo_db, args.delay_ms, folder, echo
            )
            reference = " ".join(text for _, _, _, text in script)
            words = len(reference.split())
            label = (f"{args.echo_db:+.0f} dB, {args.delay_ms:.0f} ms" if echo else "none "
                     "(headphones)")  # fmt: skip
            mine = sum(who == "me" for who, *_ in script)
            for filtered in (False, True):
                lines = live_lines(mic, system, transcriber, filtered)
                dup = live_duplicates(lines, script)
                name = "live, echo filter " + ("on" if filtered else "off")
                kept = f"{user_turns_heard(lines, script)}/{mine}"
                print(f"| {label} | {name} | {dup} | {100 * dup / words:.2f} % | {kept} | "
                      f"{user_cer(lines, script):.3f} |", flush=True)
            dup = final_duplicates(reference, final_text(mic, system, transcriber, folder))
            print(f"| {label} | final (the mix) | {dup} | {100 * dup / words:.2f} % | - | - |",
                  flush=True)


if __name__ == "__main__":
    main()
