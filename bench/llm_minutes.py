"""Benchmark: minutes with the embedded models - time, and action-item precision/recall.

1. Action items on the labelled set (``bench/data/action_items.json``): the
   Deeply Korean dialogues (10 dialogues, 47 turns) and the AMI ES2004
   excerpt (English). A predicted item is a hit when it cites the gold
   turn (+-1 segment) or shares most of its words; "soft" gold items
   (advice, intentions) are neither required nor counted as false alarms.
2. Time for the minutes of a 10- and a 60-minute Korean meeting built from
   real reference texts (Pansori TEDxKR + Deeply), reading everything, and
   with a transcript budget (`SummariseOptions.max_transcript_tokens`).

    python -m bench.llm_minutes [--models 0.5b,1.5b] [--lengths 10,60] [--budget 6000]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from bench.llm_data import labelled_meetings, long_korean_meeting
from minutes.llm.minutes_types import ActionItem


def _words(text: str) -> set[str]:
    from minutes.llm.evidence import words

    return words(text)


def _near(p: ActionItem, g: dict[str, Any]) -> bool:
    close = any(abs(i - g["segment"]) <= 1 for i in p.segment_ids)
    gw, pw = _words(g["task"]), _words(p.text)
    overlap = len(gw & pw) / max(1, min(len(gw), len(pw)))
    return close or overlap >= 0.5


def match(pred: list[ActionItem], gold: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(hits, firm gold, predictions that count, soft matches)."""
    firm = [g for g in gold if g["strength"] == "firm"]
    soft = [g for g in gold if g["strength"] != "firm"]
    used: set[int] = set()
    hits = soft_hits = 0
    for p in pred:
        found = next((k for k, g in enumerate(firm) if k not in used and _near(p, g)), None)
        if found is not None:
            used.add(found)
            hits += 1
        elif any(_near(p, g) for g in soft):
            soft_hits += 1
    return hits, len(firm), len(pred) - soft_hits, soft_hits


def _engine(spec: str) -> Any:
    from minutes.llm.engines.llamacpp import LlamaCppEngine
    from minutes.llm.modelstore import resolve_gguf

    r = resolve_gguf(spec)
    return LlamaCppEngine(r.path, model_id=r.name, family=r.family, context_size=8192)


def action_items(engine: Any) -> list[str]:
    from minutes.llm.summarise import summarise

    rows = []
    for meeting in labelled_meetings():
        started = time.perf_counter()
        minutes = summarise(meeting.document, engine)
        took = time.perf_counter() - started
        hits, n_firm, n_pred, n_soft = match(list(minutes.action_items), meeting.gold)
        precision = hits / n_pred if n_pred else float("nan")
        recall = hits / n_firm if n_firm else float("nan")
        rows.append(
            f"| {engine.info.model} | {meeting.id} | {len(minutes.action_items)} | "
            f"{n_firm} | {hits} | {n_soft} | {precision:.2f} | {recall:.2f} | {took:.0f} |"
        )
        for a in minutes.action_items:
            print(
                f"    - {a.text} | owner={a.owner} | due={a.due} | seg={a.segment_ids}", flush=True
            )
    return rows


def timing(engine: Any, length: float, budget: int | None) -> str:
    from minutes.llm.summarise import SummariseOptions, SummariseStats, summarise

    doc = long_korean_meeting(length)
    stats = SummariseStats()
    started = time.perf_counter()
    minutes = summarise(
        doc, engine, options=SummariseOptions(max_transcript_tokens=budget), stats=stats
    )
    took = time.perf_counter() - started
    mode = f"budget {budget}" if budget else "read all"
    return (
        f"| {engine.info.model} | {length:g} min | {mode} | {stats.parts} | "
        f"{stats.prompt_tokens} | {stats.completion_tokens} | {stats.first_token_s or 0:.1f} | "
        f"{took:.0f} | {len(minutes.topics)}/{len(minutes.decisions)}/"
        f"{len(minutes.action_items)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="0.5b,1.5b")
    parser.add_argument("--lengths", default="10,60")
    parser.add_argument("--budget", type=int, default=6000)
    parser.add_argument("--skip-labelled", action="store_true")
    args = parser.parse_args()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before: {load}; cores: {os.cpu_count()}\n", flush=True)
    ai_rows: list[str] = []
    time_rows: list[str] = []
    for spec in args.models.split(","):
        engine = _engine(spec.strip())
        if not args.skip_labelled:
            ai_rows += action_items(engine)
        for length in (float(x) for x in args.lengths.split(",") if x):
            for budget in (None, args.budget):
                time_rows.append(timing(engine, length, budget))
                print(time_rows[-1], flush=True)
        engine.close()
    if ai_rows:
        print(
            "\n| model | meeting | predicted | firm gold | hits | soft matches | precision | "
            "recall | time (s) |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        print("\n".join(ai_rows))
    print(
        "\n| model | meeting | transcript | parts | prompt tok | generated tok | first token (s) "
        "| total (s) | topics/decisions/actions |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(time_rows))
    print(f"\nload average after: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
