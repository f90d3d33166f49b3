"""Benchmark: LLM context repair on real Korean ASR output with English jargon.

The Pansori TEDxKR clips whose references contain Latin/English tokens
(manifest note "contains Latin/English token") are transcribed with the
embedded Whisper base (cached in bench/out/), each clip one segment; the
glossary is the talks' own terms. For each model:

- JSON-valid rate of the repair replies, with the llama.cpp grammar and
  with the schema only described in the prompt (no grammar);
- proposals that passed the guards, split into "right" (the replacement
  is in the reference and the replaced text is not) and "wrong";
- what the guards rejected, by reason;
- the same with the glossary pass run first (its accepted fixes are then
  off-limits), which is how the app runs it.

    python -m bench.llm_repair [--models 0.5b,1.5b]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.corpus import pansori_latin_clips
from bench.glossary_quality import TALK_TERMS
from glossary.terms import Glossary, Term
from minutes.types import Correction, Segment, Transcript

CACHE = Path(__file__).resolve().parent / "out" / "llm_repair_asr.json"


def asr_segments() -> list[tuple[str, str]]:
    """(reference, raw ASR text) of every jargon clip; Whisper base, cached."""
    if CACHE.is_file():
        return [tuple(x) for x in json.loads(CACHE.read_text(encoding="utf-8"))]  # type: ignore[misc]
    from minutes import modelstore
    from minutes.asr import AsrOptions, WhisperTranscriber

    model = WhisperTranscriber(str(modelstore.assemble_embedded("base")), name="base")
    out = []
    for clip in pansori_latin_clips():
        segs = model.transcribe_file(clip.path, AsrOptions(language="ko"))
        out.append((clip.text, " ".join(s.text.strip() for s in segs)))
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


class _NoGrammar:
    """Wraps an engine and drops the JSON schema: the prompt alone must get JSON out."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.info = engine.info

    def complete(self, messages: Any, options: Any, **kw: Any) -> Any:
        from dataclasses import replace

        return self._engine.complete(messages, replace(options, json_schema=None), **kw)

    def count_tokens(self, text: str) -> int:
        return int(self._engine.count_tokens(text))


def _has(text: str, part: str) -> bool:
    """`part` occurs in `text`, not inside a longer Latin word ("ABC" is not in "ABCD")."""
    import re

    return re.search(rf"(?<![A-Z0-9]){re.escape(part)}(?![A-Z0-9])", text) is not None


def judge(
    refs: Sequence[str], transcript: Transcript, corrections: Sequence[Correction]
) -> tuple[int, int, list[str]]:
    right = wrong = 0
    notes = []
    for c in corrections:
        ref = refs[c.segment_id].upper()
        ok = _has(ref, c.after.upper()) and not _has(ref, c.before.upper())
        right += ok
        wrong += not ok
        notes.append(f"{'OK ' if ok else 'BAD'} {c.before!r} -> {c.after!r}")
    return right, wrong, notes


def run(
    engine: Any,
    pairs: list[tuple[str, str]],
    glossary: Glossary,
    *,
    grammar: bool,
    glossary_first: bool,
    candidates_only: bool = True,
) -> str:
    from minutes.correct import glossary_corrections
    from minutes.llm.repair import RepairOptions, repair_transcript

    refs = [r for r, _ in pairs]
    transcript = Transcript(
        "ko",
        float(len(pairs)),
        tuple(Segment(i, i, i + 1, raw) for i, (_, raw) in enumerate(pairs)),
    )
    prior = glossary_corrections(transcript, glossary) if glossary_first else []
    started = time.perf_counter()
    result = repair_transcript(
        transcript, engine if grammar else _NoGrammar(engine), glossary=glossary, corrections=prior,
        options=RepairOptions(candidates_only=candidates_only),
    )
    took = time.perf_counter() - started
    st = result.stats
    right, wrong, notes = judge(refs, transcript, result.corrections)
    for n in notes:
        print("    " + n, flush=True)
    rejected = Counter(st.rejected).most_common(3)
    return (
        f"| {engine.info.model} | {'grammar' if grammar else 'prompt only'} | "
        f"{'candidates' if candidates_only else 'whole glossary'} | "
        f"{'yes' if glossary_first else 'no'} | {st.json_valid}/{st.windows} | {st.fixes} | "
        f"{right} | {wrong} | {sum(st.rejected.values())} ("
        + ", ".join(f"{k}: {v}" for k, v in rejected)
        + f") | {took:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="0.5b,1.5b")
    parser.add_argument(
        "--terms", default="both", choices=("both", "candidates", "whole"),
        help="glossary terms shown per window: plausible candidates, the whole glossary, or both",
    )
    parser.add_argument(
        "--app-only", action="store_true",
        help="only the app's way: with the grammar, after the glossary pass",
    )
    args = parser.parse_args()
    from minutes.llm.engines.llamacpp import LlamaCppEngine
    from minutes.llm.modelstore import resolve_gguf

    pairs = asr_segments()
    glossary = Glossary.from_terms(Term(t) for t in TALK_TERMS)
    print(f"{len(pairs)} clips; load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    rows = []
    for spec in args.models.split(","):
        r = resolve_gguf(spec.strip())
        engine = LlamaCppEngine(r.path, model_id=r.name, family=r.family, context_size=4096)
        pickers = {"both": (True, False), "candidates": (True,), "whole": (False,)}[args.terms]
        for candidates in pickers:
            configs = ((True, True),) if args.app_only else (
                (True, False), (False, False), (True, True)
            )
            for grammar, first in configs:
                rows.append(run(engine, pairs, glossary, grammar=grammar, glossary_first=first,
                                candidates_only=candidates))
                print(rows[-1], flush=True)
        engine.close()
    print(
        "\n| model | output constraint | terms shown | glossary pass first "
        "| JSON valid (windows) | fixes suggested | proposals right | proposals wrong "
        "| rejected by guards (top reasons) | time (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
