"""Benchmark (b): what the glossary and guided re-decoding do to real ASR output.

Evaluation sets, from ../shared/data/speech (read by path, never copied):
- the Pansori TEDxKR clips whose references contain English terms (Korean);
- the Deeply `latin_token_review` clips (Korean movie reviews with CG, OST, DVD, VOD);
- the AMI ES2004 excerpt (English meeting, "L_C_D_" = LCD);
- clips with none of the terms (Pansori and Deeply), for false changes.

Glossaries: the bare terms the clips contain (no variants typed), then the same
plus 500 and plus 5,000 generated unrelated terms (product names, acronyms,
Korean words), which must not cause false changes.

Modes, each on the same first pass (batched, no hints, as `minutes transcribe`):
- `glossary`: the deterministic matcher only (before guided decoding existed);
- `guided`: guided re-decoding (minutes.guided), then the matcher.

Reported: CER raw / corrected, term recall per set and per term, terms inserted
where the reference has none, words changed on clips without terms, and the
guided pass's time as a ratio of the first pass in the same run.

    python -m bench.glossary_quality [--other 50] [--sizes 0,500,5000] [--per-term]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import (
    SPEECH,
    Clip,
    available,
    base_transcriber,
    cer,
    manifest_rows,
    normalise_korean,
    pansori_clips,
    pansori_latin_clips,
)

# The talks' own English terms (from the references), as a user would list them.
TALK_TERMS = (
    "ABCD",
    "CEO",
    "DID",
    "DNA",
    "DSLR",
    "G20",
    "GDP",
    "KBS",
    "OECD",
    "OST",
    "PPT",
    "TED",
    "TV",
    "USB",
    "UST",
    "UX",
    "mp3",
)
# The Deeply review clips' terms (the MANIFEST names them) and the AMI excerpt's.
REVIEW_TERMS = ("CG", "DVD", "OST", "VOD")
MEETING_TERMS = ("LCD",)


@dataclass
class Tally:
    clips: int = 0
    ref_chars: int = 0
    err_raw: float = 0.0
    err_fixed: float = 0.0
    terms_in_ref: int = 0
    terms_raw: int = 0
    terms_fixed: int = 0
    inserted: int = 0
    words: int = 0
    words_changed: int = 0
    guided_accepted: int = 0
    guided_right: int = 0
    auto: int = 0  # accepted changes of either kind
    auto_right: int = 0  # ... whose term the reference contains
    first_pass_s: float = 0.0
    guided_s: float = 0.0
    per_term: dict[str, list[int]] = field(default_factory=dict)  # term -> [ref, raw, fixed]

    def cer_raw(self) -> float:
        return self.err_raw / self.ref_chars if self.ref_chars else 0.0

    def cer_fixed(self) -> float:
        return self.err_fixed / self.ref_chars if self.ref_chars else 0.0


def count_terms(text: str, terms: tuple[str, ...] = TALK_TERMS) -> dict[str, int]:
    out: dict[str, int] = {}
    upper = text.upper().replace("L_C_D_", "LCD")
    for term in terms:
        n = len(re.findall(rf"(?<![A-Z0-9]){re.escape(term.upper())}(?![A-Z0-9])", upper))
        if n:
            out[term] = n
    return out


def deeply_review_clips() -> list[Clip]:
    return _deeply(lambda note: note.startswith("latin_token_review"))


def deeply_plain_clips() -> list[Clip]:
    return _deeply(lambda note: note.startswith("dialogue"))


def _deeply(keep: Any) -> list[Clip]:
    out = []
    for row in manifest_rows():
        if row["path"].startswith("deeply_korean_read/utterances/") and keep(row["note"]):
            path = SPEECH / row["path"]
            ref = path.with_suffix(".txt")
            if ref.is_file():
                text = ref.read_text(encoding="utf-8").strip()
                out.append(Clip(path, text, row["note"], float(row["duration_s"])))
    return out


def ami_clip() -> Clip:
    path = SPEECH / "ami_pyannote" / "ami_ES2004_excerpt_mixture.wav"
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    return Clip(path, text, "AMI ES2004 excerpt", 60.0)


def unrelated_terms(n: int, avoid: set[str], seed: int = 7) -> list[str]:
    """`n` generated terms (a third each: product names, acronyms, Korean words).

    Generated, never taken from the evaluation texts; any that happen to occur in
    the references (`avoid`, upper-cased text) are skipped.
    """
    rng = random.Random(seed)
    onsets = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "qu"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "io"]
    syllables = [chr(0xAC00 + rng.randrange(11172)) for _ in range(3000)]
    out: set[str] = set()
    while len(out) < n:
        kind = len(out) % 3
        if kind == 0:
            parts = rng.randint(2, 3)
            word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(parts))
            term = word.capitalize() + rng.choice(["", "DB", "Hub", "ly", "X", "io"])
        elif kind == 1:
            term = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXZ") for _ in range(rng.randint(3, 4)))
        else:
            term = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if term.upper() not in avoid and not any(term.upper() in a for a in avoid):
            out.add(term)
    return sorted(out)


def first_pass(
    transcriber: Any, clip: Clip, language: str, cache: Path | None = None
) -> tuple[Any, float]:
    """The batched first pass of a clip and its time (from `cache` when given and filled)."""
    import json

    from minutes.asr import AsrOptions
    from minutes.types import Transcript

    stored = cache / f"{clip.path.stem}.{language}.json" if cache else None
    if stored is not None and stored.is_file():
        data = json.loads(stored.read_text(encoding="utf-8"))
        return Transcript.from_dict(data["transcript"]), float(data["seconds"])
    t0 = time.perf_counter()
    segs = tuple(transcriber.transcribe_file(clip.path, AsrOptions(language=language)))
    transcript, seconds = Transcript(language, clip.duration, segs), time.perf_counter() - t0
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        payload = {"transcript": transcript.to_dict(), "seconds": seconds}
        stored.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return transcript, seconds


def windows_of(clip: Clip) -> list[Any]:
    from minutes.audio import Window, iter_windows, normalise_loudness

    return [
        Window(w.offset, normalise_loudness(w.samples, -18.0))
        for w in iter_windows(clip.path, 240.0)
    ]


def evaluate(
    clips: list[tuple[Clip, Any, float]],
    terms: tuple[str, ...],
    glossary: Any,
    guided: bool,
    transcriber: Any,
    index: Any = None,
    options: Any = None,
) -> Tally:
    from minutes.correct import glossary_corrections
    from minutes.guided import GuidedOptions, guided_corrections
    from minutes.types import apply_corrections

    tally = Tally()
    for clip, transcript, asr_s in clips:
        corrections = []
        if guided:
            t0 = time.perf_counter()
            corrections = guided_corrections(
                transcript, windows_of(clip), glossary, transcriber, options or GuidedOptions(),
                index=index,
            )
            tally.guided_s += time.perf_counter() - t0
            tally.guided_accepted += len(corrections)
            tally.guided_right += sum(
                bool(c.term) and c.term in count_terms(clip.text, (c.term,))
                for c in corrections
            )
        corrections += glossary_corrections(transcript, glossary)
        for c in corrections:
            if c.status.value == "accepted":
                tally.auto += 1
                tally.auto_right += bool(c.term) and c.term in count_terms(clip.text, (c.term,))
        raw = " ".join(s.text for s in transcript.segments)
        fixed = " ".join(apply_corrections(transcript, corrections).values())
        tally.clips += 1
        tally.first_pass_s += asr_s
        n = len(normalise_korean(clip.text))
        tally.ref_chars += n
        tally.err_raw += cer(clip.text, raw) * n
        tally.err_fixed += cer(clip.text, fixed) * n
        ref_terms = count_terms(clip.text, terms)
        raw_terms, fixed_terms = count_terms(raw, terms), count_terms(fixed, terms)
        tally.terms_in_ref += sum(ref_terms.values())
        for term, k in ref_terms.items():
            row = tally.per_term.setdefault(term, [0, 0, 0])
            row[0] += k
            row[1] += min(k, raw_terms.get(term, 0))
            row[2] += min(k, fixed_terms.get(term, 0))
        tally.terms_raw += sum(min(k, raw_terms.get(t, 0)) for t, k in ref_terms.items())
        tally.terms_fixed += sum(min(k, fixed_terms.get(t, 0)) for t, k in ref_terms.items())
        tally.inserted += sum(
            max(0, k - max(ref_terms.get(t, 0), raw_terms.get(t, 0)))
            for t, k in fixed_terms.items()
        )
        tally.words += len(raw.split())
        tally.words_changed += changed_words(raw, fixed)
    return tally


def changed_words(raw: str, fixed: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(raw.split(), fixed.split()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=int, default=50, help="clips without terms to check")
    parser.add_argument("--sizes", default="0,500,5000", help="unrelated terms added")
    parser.add_argument("--modes", default="glossary,guided")
    parser.add_argument("--per-term", action="store_true")
    parser.add_argument("--beam", type=int, default=5, help="beam of the hinted decoding")
    parser.add_argument(
        "--cache", type=Path, default=None,
        help="folder for first-pass transcripts, reused by later runs (outside the project)",
    )
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found")
    from glossary.plausible import PlausibleTerms
    from glossary.terms import Glossary, Term
    from minutes.guided import GuidedOptions

    transcriber = base_transcriber()
    all_terms = tuple(sorted(set(TALK_TERMS + REVIEW_TERMS + MEETING_TERMS)))
    other = [c for c in pansori_clips() if not count_terms(c.text, all_terms)]
    plain = deeply_plain_clips()
    others = other[: args.other // 2] + plain[: args.other - args.other // 2]
    sets: list[tuple[str, str, list[Clip], tuple[str, ...]]] = [
        ("Pansori, English terms", "ko", pansori_latin_clips(), TALK_TERMS),
        ("Deeply reviews", "ko", deeply_review_clips(), REVIEW_TERMS),
        ("AMI excerpt (en)", "en", [ami_clip()], MEETING_TERMS),
        ("clips without terms", "ko", others, all_terms),
    ]
    print("first pass…", file=sys.stderr, flush=True)
    decoded = {
        label: [(c, *first_pass(transcriber, c, lang, args.cache)) for c in clips]
        for label, lang, clips, _ in sets
    }
    refs = {c.text.upper() for _, _, clips, _ in sets for c in clips}
    sizes = [int(s) for s in args.sizes.split(",")]
    extra_all = unrelated_terms(max(sizes), refs) if max(sizes) else []
    print(
        "| set | glossary | mode | CER raw | CER corrected | term recall raw | corrected "
        "| terms inserted | words changed | automatic changes (right) | guided of them (right) "
        "| guided time / first pass |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_term: dict[str, Counter[str]] = {}
    for size in sizes:
        extra = [Term(t) for t in extra_all[:size]]
        for label, _, _, terms in sets:
            own = all_terms if label == "clips without terms" else terms
            glossary = Glossary.from_terms([*(Term(t) for t in own), *extra])
            index = PlausibleTerms(glossary)
            for mode in args.modes.split(","):
                t = evaluate(decoded[label], terms, glossary, mode == "guided", transcriber, index,
                             GuidedOptions(beam_size=args.beam))
                recall = (
                    (f"{t.terms_raw}/{t.terms_in_ref}", f"{t.terms_fixed}/{t.terms_in_ref}")
                    if t.terms_in_ref else ("–", "–")
                )
                ratio = f"{t.guided_s / t.first_pass_s:.2f}" if mode == "guided" else "–"
                fixes = f"{t.guided_accepted} ({t.guided_right})" if mode == "guided" else "–"
                print(
                    f"| {label} ({t.clips}) | bare+{size} | {mode} | {t.cer_raw():.3f} "
                    f"| {t.cer_fixed():.3f} | {recall[0]} | {recall[1]} | {t.inserted} "
                    f"| {t.words_changed}/{t.words} "
                    f"({100 * t.words_changed / max(t.words, 1):.2f} %) "
                    f"| {t.auto} ({t.auto_right}) | {fixes} | {ratio} |",
                    flush=True,
                )
                if size == 0:
                    first_mode = mode == args.modes.split(",")[0]  # counts the references once
                    for term, (n, raw_hits, fixed_hits) in t.per_term.items():
                        c = per_term.setdefault(term, Counter())
                        c["ref"] += n if first_mode else 0
                        c["raw"] += raw_hits if first_mode else 0
                        c[mode] += fixed_hits
    if args.per_term:
        print("\n| term | in references | raw | glossary | guided + glossary |")
        print("|---|---:|---:|---:|---:|")
        for term in sorted(per_term):
            c = per_term[term]
            print(f"| {term} | {c['ref']} | {c['raw']} | {c['glossary']} | {c['guided']} |")


if __name__ == "__main__":
    main()

