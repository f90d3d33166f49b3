"""Benchmark: how far the speakers found during a recording still hold after Stop.

The notes taken during a meeting (`minutes.during_notes`) name the speakers as the
voices heard so far cluster. At Stop the speakers are clustered once more over all
voices; a part's notes are read again after Stop only where each speaker they name maps
onto one final speaker for `minutes.llm.noted_parts.AGREEMENT` of the part's speech.
This measures that share on real speech: the meeting of `bench.during_recording`
(Pansori TEDxKR clips joined with pauses, many different voices) is collected window by
window as the recording grows (`minutes.during_speakers`), the voices so far are
clustered after each window, and each window's speakers are compared with the
clustering at Stop over every window and the rest of the recording after the last whole
one.

For each window: the share of its speech whose speaker then maps (many-to-one) onto the
final speaker who says most of it, with the clustering made right after that window
(when its notes are first asked) and one window later (when a part closed there is
asked again at the latest). Also how many windows reach `AGREEMENT`. Speaker labels
themselves (renumbered as new voices appear) are not compared: the notes translate them.

`--voices turns` measures a meeting of a few voices that speak throughout instead (a
real meeting's case): the six Pansori talks with the most clips and the two Deeply
readers (`deeply_korean_read`), eight voices taking turns of one to three clips in an
order drawn with a fixed seed, until `--minutes` or the clips run out.

    python -m bench.speakers_at_stop [--minutes 60] [--voices talks|turns]
"""

from __future__ import annotations

import argparse
import copy
import csv
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from minutes.diarize.types import SpeakerTurn

TURN_TAKERS = 6  # Pansori talks with the most clips, each one voice
TURN_PAUSE_S, CLIP_PAUSE_S = 0.8, 0.3


def turn_taking_meeting(path: Path, minutes: float) -> tuple[float, int]:
    """A meeting of a few voices that speak throughout, written to `path`: (its length in
    seconds, how many voices). Voices take turns of one to three of their clips, drawn
    with a fixed seed, until `minutes` or the clips run out (none is repeated)."""
    import numpy as np

    from bench.corpus import SPEECH, pansori_clips, read_flac, write_wav

    sr = 16_000
    by_talk: dict[str, list[Path]] = {}
    for clip in pansori_clips():
        by_talk.setdefault(clip.path.parent.name, []).append(clip.path)
    voices = sorted(by_talk.values(), key=len, reverse=True)[:TURN_TAKERS]
    root = SPEECH / "deeply_korean_read"
    with (root / "utterances.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "dialogue"]
    for reader in ("a", "b"):
        voices.append([root / "utterances" / f"{r['id']}.flac" for r in rows
                       if r["speaker"] == reader])  # fmt: skip
    rng = random.Random(15)
    parts: list[np.ndarray] = []
    total, limit, last = 0, int(minutes * 60 * sr), -1
    while total < limit and any(voices):
        left = [k for k, clips in enumerate(voices) if clips and k != last] or [last]
        last = rng.choices(left, weights=[len(voices[k]) for k in left])[0]
        for n in range(rng.randint(1, 3)):
            if not voices[last]:
                break
            audio = read_flac(voices[last].pop(0))
            pause = CLIP_PAUSE_S if n else TURN_PAUSE_S
            parts += [np.zeros(int(pause * sr), dtype=np.float32), audio]
            total += int(pause * sr) + len(audio)
    samples = np.concatenate(parts)[:limit]
    write_wav(path, samples)
    return len(samples) / sr, len(voices)


def agreement(then: list[SpeakerTurn], final: list[SpeakerTurn], lo: float, hi: float) -> float:
    """Share of the speech in [lo, hi] of `then` whose speaker maps onto the final speaker
    who says most of it (1.0 where the window holds no speech)."""
    shared: dict[tuple[str, str], float] = {}
    for a in then:
        start, end = max(a.start, lo), min(a.end, hi)
        for b in final:
            seconds = min(end, b.end) - max(start, b.start)
            if seconds > 0:
                shared[(a.speaker, b.speaker)] = shared.get((a.speaker, b.speaker), 0.0) + seconds
    total = sum(shared.values())
    best: dict[str, float] = {}
    for (who, _), seconds in shared.items():
        best[who] = max(best.get(who, 0.0), seconds)
    return sum(best.values()) / total if total else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--voices", choices=("talks", "turns"), default="talks",
                        help="talks: bench.during_recording's meeting (many voices, each "
                             "in one stretch); turns: a few voices speaking throughout")
    args = parser.parse_args()

    from bench.during_recording import _meeting
    from minutes.capture_disk import HEADER_BYTES, start_session
    from minutes.diarize import DiarizeOptions
    from minutes.diarize.embedder import VoiceEncoder
    from minutes.diarize.offline import collect_speech, diarize_collected
    from minutes.during_speakers import MIX, DiarizeWhileRecording
    from minutes.live import WavTail
    from minutes.llm.noted_parts import AGREEMENT

    work_dir = Path(tempfile.mkdtemp(prefix="minutes-speakers-"))
    try:
        audio = work_dir / "meeting.wav"
        if args.voices == "turns":
            seconds, voices_in = turn_taking_meeting(audio, args.minutes)
            kind = f"{voices_in} voices taking turns"
        else:
            seconds, kind = _meeting(audio, args.minutes), "Korean speech, many voices"
        total = (audio.stat().st_size - HEADER_BYTES) // 2
        session = start_session(work_dir / "sessions", "speakers")
        voices = DiarizeWhileRecording(session, WavTail(audio, lambda: total), MIX)
        snapshots = []
        while voices.step():
            snapshots.append((voices.done_seconds, copy.deepcopy(voices.so_far.speech)))
        # At Stop the rest after the last whole window is collected too, as the run after
        # Stop does, and everything is clustered once more.
        source = WavTail(audio, lambda: total)
        rest = source.read(voices.done, total)
        at_stop = copy.deepcopy(voices.so_far.speech)
        if rest.size:
            encoder = VoiceEncoder()
            at_stop.extend(collect_speech([(voices.done_seconds, rest)], encoder, voices.config))
        options = DiarizeOptions()

        def turns(speech: Any) -> list[SpeakerTurn]:
            return list(diarize_collected(speech, voices.config, options=options).turns)

        final = turns(at_stop)
        clustered = [turns(speech) for _, speech in snapshots]
        ends = [t for t, _ in snapshots]
        print(f"{seconds / 60:.1f} min ({kind}), {len(ends)} windows, "
              f"{len({t.speaker for t in final})} speakers at Stop\n")  # fmt: skip
        print("| window | seconds | speakers then | agreement right after | one window later |")
        print("|---:|---|---:|---:|---:|")
        right, later = [], []
        for k, end in enumerate(ends):
            start = ends[k - 1] if k else 0.0
            now = agreement(clustered[k], final, start, end)
            after = agreement(clustered[k + 1], final, start, end) if k + 1 < len(ends) else now
            right.append(now)
            later.append(after)
            print(f"| {k + 1} | {start:.0f}-{end:.0f} | "
                  f"{len({t.speaker for t in clustered[k]})} | {now:.2f} | {after:.2f} |")
        print(f"\nwindows at {AGREEMENT:.0%} or more: {sum(a >= AGREEMENT for a in right)} of "
              f"{len(right)} right after, {sum(a >= AGREEMENT for a in later)} of {len(later)} "
              f"one window later")  # fmt: skip
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
