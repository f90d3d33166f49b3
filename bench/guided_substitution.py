"""Tried and not shipped: substituting a plausible term without the hinted decoding.

Guided re-decoding (minutes.guided) keeps a term only where Whisper, decoding
the stretch with the term as its prompt, writes it. For the terms it still
misses (docs/BENCHMARKS.md (b)), this asks whether scoring the first pass with
the term put in its place would find them: each plausible (stretch, term) of a
candidate segment is scored teacher-forced, with the offered terms as prompt
and without, against the first pass. A substitution counts as accepted when
the prompted score beats the first pass and the unprompted one is within the
guided bias (at least the first pass's when it replaces a term already
written), i.e. the same confirmation as guided changes.

    python -m bench.guided_substitution [--sizes 0,5000] [--cache DIR]

The table says how many accepted substitutions name a term the reference has
(right) and how many do not (wrong), per set and glossary size.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.corpus import available, base_transcriber, pansori_clips, pansori_latin_clips
from bench.glossary_quality import (
    MEETING_TERMS,
    REVIEW_TERMS,
    TALK_TERMS,
    count_terms,
    deeply_plain_clips,
    deeply_review_clips,
    first_pass,
    unrelated_terms,
    windows_of,
)


def prompted_logprobs(
    transcriber: Any, samples: Any, language: str, texts: Sequence[str], prompt: str
) -> list[float]:
    """log P(text | clip, prompt), teacher-forced, as WhisperTranscriber.text_logprobs."""
    model, tokenizer, encoded, frames = transcriber._encode_clip(samples, language)
    tokens = tokenizer.encode(" " + prompt.strip())[: model.max_length // 2 - 1]
    start = model.get_prompt(tokenizer, tokens, without_timestamps=True)
    out: list[float] = []
    for text in texts:
        ids = [*tokenizer.encode(" " + text.strip()), tokenizer.eot]
        probs = np.asarray(model.model.align(encoded, start, [ids], frames)[0].text_token_probs)
        out.append(float(np.log(np.maximum(probs, 1e-12)).sum()))
    return out


def substitutions(
    transcriber: Any, clip: Any, transcript: Any, index: Any, options: Any
) -> list[tuple[str, bool, float, float]]:
    """(term, accepted, prompted gain, unprompted gain) of every substitution scored."""
    from minutes.guided import _clip, _plan

    out: list[tuple[str, bool, float, float]] = []
    windows = windows_of(clip)
    for seg in transcript.segments:
        plan = _plan(seg, index, options)
        if plan is None:
            continue
        window = next(w for w in windows if w.offset <= seg.start < w.offset + w.duration)
        samples = _clip(window, plan, options)
        if samples is None:
            continue
        first = plan.text
        subs: list[tuple[str, str, str]] = []
        for p in index.find(seg.text, min_score=options.min_plausibility):
            if p.present or p.term not in plan.terms or p.start < plan.c0 or p.end > plan.c1:
                continue
            a, b = p.start - plan.c0, p.end - plan.c0
            subs.append((p.term, first[a:b], first[:a] + p.term + first[b:]))
        if not subs:
            continue
        texts = [first] + [s[2] for s in subs]
        plain = transcriber.text_logprobs(samples, transcript.language, texts)
        hinted = prompted_logprobs(
            transcriber, samples, transcript.language, texts, ", ".join(plan.terms)
        )
        for k, (term, before, _) in enumerate(subs, start=1):
            replaces_term = any(t.casefold() == before.strip().casefold() for t in plan.present)
            floor = 0.0 if replaces_term else -options.bias_nats
            gain_p, gain_u = hinted[k] - hinted[0], plain[k] - plain[0]
            out.append((term, gain_p > 0 and gain_u >= floor, gain_p, gain_u))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0,5000", help="unrelated terms added")
    parser.add_argument("--cache", type=Path, default=None, help="first-pass cache folder")
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found")
    from glossary.plausible import PlausibleTerms
    from glossary.terms import Glossary, Term
    from minutes.guided import GuidedOptions

    transcriber = base_transcriber()
    all_terms = tuple(sorted(set(TALK_TERMS + REVIEW_TERMS + MEETING_TERMS)))
    others = [c for c in pansori_clips() if not count_terms(c.text, all_terms)][:25]
    sets = [
        ("Pansori, English terms", pansori_latin_clips(), TALK_TERMS),
        ("Deeply reviews", deeply_review_clips(), REVIEW_TERMS),
        ("clips without terms", others + deeply_plain_clips()[:25], all_terms),
    ]
    refs = {c.text.upper() for _, clips, _ in sets for c in clips}
    sizes = [int(s) for s in args.sizes.split(",")]
    extra_all = unrelated_terms(max(sizes), refs) if max(sizes) else []
    print("| set | glossary | substitutions scored | accepted, right | accepted, wrong |")
    print("|---|---|---:|---:|---:|")
    for size in sizes:
        for label, clips, terms in sets:
            glossary = Glossary.from_terms(Term(t) for t in [*terms, *extra_all[:size]])
            index, options = PlausibleTerms(glossary), GuidedOptions()
            scored = right = wrong = 0
            for clip in clips:
                transcript, _ = first_pass(transcriber, clip, "ko", args.cache)
                said = count_terms(clip.text, (*terms, *extra_all[:size]))
                for term, accepted, _, _ in substitutions(
                    transcriber, clip, transcript, index, options
                ):
                    scored += 1
                    right += accepted and term in said
                    wrong += accepted and term not in said
            print(f"| {label} ({len(clips)}) | bare+{size} | {scored} | {right} | {wrong} |",
                  flush=True)


if __name__ == "__main__":
    main()
