"""Benchmark: minutes with the embedded models - time, and action-item precision/recall.

1. Action items on the labelled set (``bench/data/action_items.json``): the
   Deeply Korean dialogues (10 dialogues, 47 turns; and the other 11, 46
   turns, labelled later as a held-out set without firm tasks) and the AMI
   ES2004 excerpt (English). Only the action-item pass runs here
   (`find_action_items`, the same code `summarise` uses). A predicted item
   is a hit when it cites the gold turn (+-1 segment) or shares most of its
   words; "soft" gold items (advice, intentions) are neither required nor
   counted as false alarms.
2. Time for the minutes of a 10- and a 60-minute Korean meeting built from
   real reference texts (Pansori TEDxKR + Deeply), reading everything, and
   with the local transcript budget (`minutes.llm.summarise.transcript_budget`).
   The machine is shared, so each row has the load average, and the time
   the same tokens would take at the quiet rates measured for the model
   (`--quiet-rates`, prompt/generation tok/s; 1.5B: 95/27 on 2 threads):
   evaluated prompt tokens / prompt rate + generated tokens / generation rate.
   Evaluated = prompt tokens minus those llama.cpp reused from its cache.

    python -m bench.llm_minutes [--models 0.5b,1.5b] [--lengths 10,60] [--budget 4000]
                                [--modes all,budget] [--skip-labelled] [--only-labelled]
                                [--repeat N] [--cold] [--show]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench.llm_data import labelled_meetings, long_korean_meeting
from minutes.llm.summarise import LOCAL_TRANSCRIPT_TOKENS
from minutes.meeting import ActionItem


def _words(text: str) -> set[str]:
    from minutes.llm.evidence import words

    return words(text)


def _overlap(p: ActionItem, g: dict[str, Any]) -> float:
    gw, pw = _words(g["task"]), _words(p.text)
    return len(gw & pw) / max(1, min(len(gw), len(pw)))


def _same_turn(p: ActionItem, g: dict[str, Any]) -> bool:
    return g["segment"] in p.segment_ids


def _next_turn(p: ActionItem, g: dict[str, Any]) -> bool:
    return any(abs(i - g["segment"]) <= 1 for i in p.segment_ids) and _overlap(p, g) >= 0.25


def _same_words(p: ActionItem, g: dict[str, Any]) -> bool:
    return _overlap(p, g) >= 0.5


# How a prediction may match a gold item, strictest first.
LEVELS = (_same_turn, _next_turn, _same_words)


def match(
    pred: list[ActionItem], gold: list[dict[str, Any]], names: dict[str, str] | None = None
) -> tuple[int, int, int, int, int]:
    """(hits, firm gold, predictions that count, soft matches, hits with the right owner).

    Predictions are matched level by level (`LEVELS`), so a prediction on the
    gold turn itself is never beaten to it by a looser one elsewhere. A firm
    item is matched once; a prediction matching only a soft item is neither a
    hit nor a false alarm.
    """
    firm = [g for g in gold if g["strength"] == "firm"]
    soft = [g for g in gold if g["strength"] != "firm"]
    used: set[int] = set()
    done: set[int] = set()
    hits = soft_hits = owners = 0
    for level in LEVELS:
        for n, p in enumerate(pred):
            if n in done:
                continue
            found = next((k for k, g in enumerate(firm) if k not in used and level(p, g)), None)
            if found is not None:
                used.add(found)
                done.add(n)
                hits += 1
                want = (names or {}).get(firm[found].get("owner") or "", None)
                owners += (p.owner or None) == want
            elif any(level(p, g) for g in soft):
                done.add(n)
                soft_hits += 1
    return hits, len(firm), len(pred) - soft_hits, soft_hits, owners


PREFIX_CACHE = Path(__file__).resolve().parent / "out" / "prefix-cache"


def _engine(spec: str, prefix_cache: bool = False) -> Any:
    """The engine the app would open; with `prefix_cache`, with its saved instructions
    (`bench/out/prefix-cache`, as the app's data folder: `--cold` empties it first)."""
    from minutes.llm.engines.llamacpp import LlamaCppEngine
    from minutes.llm.modelstore import resolve_gguf

    r = resolve_gguf(spec)
    return LlamaCppEngine(
        r.path, model_id=r.name, family=r.family, context_size=8192,
        prefix_cache_dir=PREFIX_CACHE if prefix_cache else None,
    )  # fmt: skip


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def action_items(engine: Any) -> list[str]:
    from minutes.llm.summarise import find_action_items

    rows = []
    total = [0, 0, 0, 0, 0, 0]
    for meeting in labelled_meetings():
        started = time.perf_counter()
        items = find_action_items(meeting.document, engine)
        took = time.perf_counter() - started
        hits, n_firm, n_pred, n_soft, owners = match(items, meeting.gold, meeting.speakers)
        precision = hits / n_pred if n_pred else float("nan")
        recall = hits / n_firm if n_firm else float("nan")
        rows.append(
            f"| {engine.info.model} | {meeting.id} | {len(items)} | "
            f"{n_firm} | {hits} | {n_soft} | {precision:.2f} | {recall:.2f} | {owners}/{hits} | "
            f"{took:.0f} | {_load()} |"
        )
        counts = [len(items), n_firm, hits, n_soft, n_pred, owners]
        total = [a + b for a, b in zip(total, counts, strict=True)]
        print(rows[-1], flush=True)
        for a in items:
            print(
                f"    - {a.text} | owner={a.owner} | due={a.due} | seg={a.segment_ids}", flush=True
            )
    n_items, n_firm, hits, n_soft, n_pred, owners = total
    rows.append(
        f"| {engine.info.model} | **all** | {n_items} | {n_firm} | {hits} | {n_soft} | "
        f"{hits / n_pred if n_pred else float('nan'):.2f} | "
        f"{hits / n_firm if n_firm else float('nan'):.2f} | {owners}/{hits} | | |"
    )
    return rows


def timing(
    engine: Any, length: float, budget: int | None, rates: tuple[float, float], show: bool = False
) -> str:
    from minutes.llm.summarise import SummariseOptions, SummariseStats, summarise

    doc = long_korean_meeting(length)
    stats = SummariseStats()
    shown: list[float] = []
    load_before = _load()
    started = time.perf_counter()

    def first_output(_text: str) -> None:
        if not shown:
            shown.append(time.perf_counter() - started)

    minutes = summarise(
        doc,
        engine,
        options=SummariseOptions(max_transcript_tokens=budget),
        stats=stats,
        on_token=first_output,
    )
    took = time.perf_counter() - started
    mode = f"budget {budget}" if budget else "read all"
    evaluated = stats.prompt_tokens - stats.cached_tokens
    quiet = evaluated / rates[0] + stats.completion_tokens / rates[1]
    by_kind: dict[str, list[float]] = {}
    for c, kind in zip(stats.completions, stats.stages, strict=True):
        entry = by_kind.setdefault(kind, [0, 0, 0, 0.0])
        entry[0] += 1
        entry[1] += c.prompt_tokens - c.cached_tokens
        entry[2] += c.completion_tokens
        entry[3] += c.elapsed_s
    for kind, (n, p, g, s) in by_kind.items():
        print(
            f"    {kind}: {n:.0f} calls, {p:.0f} evaluated prompt tok, {g:.0f} generated, {s:.0f} s"
        )
    if show:
        print(f"    title: {minutes.title}\n    summary: {minutes.summary}")
        for topic in minutes.topics:
            print(f"    topic: {topic.title}: " + "; ".join(topic.points))
        for note in minutes.decisions:
            print(f"    decision: {note.text}")
        for item in minutes.action_items:
            print(f"    action: {item.text} | {item.owner or ''} | {item.due or ''}")
    restored = "yes" if stats.completions and stats.completions[0].cached_tokens else "no"
    return (
        f"| {engine.info.model} | {length:g} min | {mode} | {restored} | {stats.parts} | "
        f"{stats.calls} | "
        f"{stats.prompt_tokens} ({evaluated}) | {stats.completion_tokens} | "
        f"{shown[0] if shown else 0:.2f} | {stats.first_token_s or 0:.1f} | "
        f"**{took:.0f}** | {quiet:.0f} | {len(minutes.topics)}/{len(minutes.decisions)}/"
        f"{len(minutes.action_items)} | {load_before} → {_load()} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="0.5b,1.5b")
    parser.add_argument("--lengths", default="10,60")
    parser.add_argument("--budget", type=int, default=LOCAL_TRANSCRIPT_TOKENS)
    parser.add_argument("--modes", default="all,budget", help="all, budget or both")
    parser.add_argument("--skip-labelled", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each run's minutes")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each minutes timing")
    parser.add_argument(
        "--cold", action="store_true", help="forget the saved instructions (prefix cache) first"
    )
    parser.add_argument("--only-labelled", action="store_true")
    parser.add_argument(
        "--quiet-rates",
        default="1.5b:95/27,0.5b:115/24",
        help="prompt/generation tok/s of each model on a quiet machine",
    )
    args = parser.parse_args()
    rates = {
        k: tuple(float(x) for x in v.split("/"))
        for k, v in (item.split(":") for item in args.quiet_rates.split(","))
    }
    print(f"load average before: {_load()}; cores: {os.cpu_count()}\n", flush=True)
    ai_rows: list[str] = []
    time_rows: list[str] = []
    modes = [m.strip() for m in args.modes.split(",")]
    if args.cold:
        shutil.rmtree(PREFIX_CACHE, ignore_errors=True)
    for spec in args.models.split(","):
        if not args.skip_labelled:
            engine = _engine(spec.strip())
            ai_rows += action_items(engine)
            engine.close()
        lengths = [] if args.only_labelled else [float(x) for x in args.lengths.split(",") if x]
        rate = rates.get(spec.strip(), (95.0, 27.0))
        for length in lengths:
            for budget in [None] * ("all" in modes) + [args.budget] * ("budget" in modes):
                for _ in range(args.repeat):
                    # A new engine per run, like a new start of the app (load not timed).
                    engine = _engine(spec.strip(), prefix_cache=True)
                    time_rows.append(timing(engine, length, budget, (rate[0], rate[1]), args.show))
                    engine.close()
                    print(time_rows[-1], flush=True)
    if ai_rows:
        print(
            "\n| model | meeting | predicted | firm gold | hits | soft matches | precision | "
            "recall | right owner | time (s) | load |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        print("\n".join(ai_rows))
    print(
        "\n| model | meeting | transcript | instructions restored | parts | calls "
        "| prompt tok (evaluated) | generated tok "
        "| first visible output (s) | first model token (s) | total, measured (s) "
        "| total at quiet rates (s) | topics/decisions/actions | load before → after |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    print("\n".join(time_rows))
    print(f"\nload average after: {_load()}")


if __name__ == "__main__":
    main()
