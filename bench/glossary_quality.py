"""Benchmark (b): what the glossary does to real Korean ASR output.

For the Pansori TEDxKR clips whose references contain English terms, with the
talks' own terms as the glossary:
- CER of the raw ASR text vs the text after accepted (auto) glossary fixes;
- term recall: reference term occurrences present in raw vs corrected text;
- proposals: how many proposals a reviewer would accept (their term is in the
  reference) vs reject;
and on clips without any of those terms: false changes (auto corrections made
where there was nothing to fix). Each with glossary hints (Whisper hotwords)
off and on, to choose the default.

    python -m bench.glossary_quality [--other 60]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from bench.corpus import (
    Clip,
    available,
    base_transcriber,
    cer,
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


@dataclass
class Tally:
    clips: int = 0
    ref_chars_err_raw: float = 0.0
    ref_chars_err_fixed: float = 0.0
    ref_chars: int = 0
    terms_in_ref: int = 0
    terms_raw: int = 0
    terms_fixed: int = 0
    auto: int = 0
    auto_right: int = 0
    proposed: int = 0
    proposed_right: int = 0

    def add_cer(self, ref: str, raw: str, fixed: str) -> None:
        from bench.corpus import normalise_korean

        n = len(normalise_korean(ref))
        self.ref_chars += n
        self.ref_chars_err_raw += cer(ref, raw) * n
        self.ref_chars_err_fixed += cer(ref, fixed) * n


def count_terms(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    upper = text.upper()
    for term in TALK_TERMS:
        n = len(re.findall(rf"(?<![A-Z0-9]){re.escape(term.upper())}(?![A-Z0-9])", upper))
        if n:
            out[term] = n
    return out


def evaluate(clips: list[Clip], hints: bool, transcriber: object, glossary: object) -> Tally:
    from glossary.hints import select_hotwords, token_counter_from_file
    from minutes.asr import AsrOptions, WhisperTranscriber
    from minutes.correct import glossary_corrections
    from minutes.types import CorrectionStatus, Transcript, apply_corrections

    assert isinstance(transcriber, WhisperTranscriber)
    tok = transcriber.tokenizer_json()
    hot = select_hotwords(glossary, token_counter_from_file(tok)) if hints and tok else None  # type: ignore[arg-type]
    tally = Tally()
    for clip in clips:
        segs = tuple(
            transcriber.transcribe_file(clip.path, AsrOptions(language="ko", hotwords=hot))
        )
        transcript = Transcript("ko", clip.duration, segs)
        corrections = glossary_corrections(transcript, glossary)  # type: ignore[arg-type]
        raw = " ".join(s.text for s in segs)
        fixed = " ".join(apply_corrections(transcript, corrections).values())
        tally.clips += 1
        tally.add_cer(clip.text, raw, fixed)
        ref_terms = count_terms(clip.text)
        tally.terms_in_ref += sum(ref_terms.values())
        for counts, attr in ((count_terms(raw), "terms_raw"), (count_terms(fixed), "terms_fixed")):
            hit = sum(min(n, counts.get(t, 0)) for t, n in ref_terms.items())
            setattr(tally, attr, getattr(tally, attr) + hit)
        for c in corrections:
            right = c.after.upper() in clip.text.upper()
            if c.status is CorrectionStatus.ACCEPTED:
                tally.auto += 1
                tally.auto_right += right
            else:
                tally.proposed += 1
                tally.proposed_right += right
    return tally


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=int, default=60, help="clips without terms to check")
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found")
    from glossary.terms import Glossary, Term

    transcriber = base_transcriber()
    glossary = Glossary.from_terms(Term(t) for t in TALK_TERMS)
    latin = pansori_latin_clips()
    other = [c for c in pansori_clips() if not count_terms(c.text)][: args.other]
    print(
        "| clips | hints | CER raw | CER corrected | term recall raw | corrected "
        "| auto fixes (right) | proposals (right) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, clips in (
        (f"{len(latin)} clips with English terms", latin),
        (f"{len(other)} clips without them", other),
    ):
        for hints in (False, True):
            t = evaluate(clips, hints, transcriber, glossary)
            recall = (
                (f"{t.terms_raw}/{t.terms_in_ref}", f"{t.terms_fixed}/{t.terms_in_ref}")
                if t.terms_in_ref
                else ("–", "–")
            )
            print(
                f"| {label} | {'on' if hints else 'off'} | {t.ref_chars_err_raw / t.ref_chars:.3f} "
                f"| {t.ref_chars_err_fixed / t.ref_chars:.3f} | {recall[0]} | {recall[1]} "
                f"| {t.auto} ({t.auto_right}) | {t.proposed} ({t.proposed_right}) |",
                flush=True,
            )


if __name__ == "__main__":
    main()
