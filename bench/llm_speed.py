"""Benchmark: LLM engine speed on this machine (load, prompt/generation tok/s, first token).

For each embedded model (and optionally a GGUF path): load time, then a
repair-sized call (about 450 prompt tokens, JSON grammar) and a
minutes-part-sized call (about 2,000 prompt tokens of Korean meeting text).
Prints a Markdown table. The first token time of the minutes pass is the
time to first token of its first part.

``--engines llama.cpp,transformers`` also runs the same calls through the
transformers engine on the same GGUF weights (de-quantised, CPU float32, or a
GPU where torch sees one), with its speed as a ratio of llama.cpp's in the same run.

    python -m bench.llm_speed [--models 0.5b,1.5b] [--threads 0] [--engines llama.cpp]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from bench.llm_data import long_korean_meeting


def _load_avg() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


_RATIOS = ("prompt_tok_s", "gen_tok_s", "repair_window_s")


def _open(spec: str, kind: str, threads: int) -> Any:
    from minutes.llm.modelstore import resolve_gguf

    resolved = resolve_gguf(spec)
    if kind == "transformers":
        from minutes.llm.engines.transformers_engine import TransformersEngine

        return TransformersEngine(str(resolved.path), threads=threads, context_size=8192)
    from minutes.llm.engines.llamacpp import LlamaCppEngine

    return LlamaCppEngine(
        resolved.path,
        model_id=resolved.name,
        family=resolved.family,
        context_size=8192,
        threads=threads,
    )


def measure(spec: str, threads: int, kind: str = "llama.cpp") -> dict[str, float | str]:
    from minutes.llm.engines.base import ChatMessage, GenerationOptions
    from minutes.llm.repair import repair_transcript
    from minutes.llm.summarise import transcript_lines

    engine = _open(spec, kind, threads)
    where = engine.info.details.get("device", "cpu")
    row: dict[str, float | str] = {
        "model": f"{spec} {kind}" + (f" ({where})" if kind == "transformers" else ""),
        "load_s": engine.info.load_s,
    }
    # A plain long prompt and a long free generation: raw throughput.
    doc = long_korean_meeting(10)
    text = "\n".join(line.text for line in transcript_lines(doc))
    text = text[: len(text) * 2000 // max(1, engine.count_tokens(text))]
    messages = [
        ChatMessage("system", "Summarise the meeting in Korean."),
        ChatMessage("user", text),
    ]
    out = engine.complete(messages, GenerationOptions(max_tokens=128))
    first = out.first_token_s or out.elapsed_s
    row["prompt_tokens"] = out.prompt_tokens
    row["prompt_tok_s"] = out.prompt_tokens / first
    row["gen_tok_s"] = max(out.completion_tokens - 1, 1) / max(out.elapsed_s - first, 1e-6)
    # The repair pass's first token: a real repair window with the JSON grammar.
    from minutes.types import Segment, Transcript

    segs = tuple(Segment(i, i, i + 1, s.text) for i, s in enumerate(doc.segments[:6]))
    engine.complete([ChatMessage("user", "warm-up")], GenerationOptions(max_tokens=1))
    started = time.perf_counter()
    result = repair_transcript(Transcript("ko", 6, segs), engine)
    row["repair_window_s"] = time.perf_counter() - started
    row["repair_prompt_tokens"] = result.stats.prompt_tokens
    ttft = engine.complete(
        [ChatMessage("system", "x" * 10), ChatMessage("user", "다음 회의 안건을 정리해 주세요.")],
        GenerationOptions(max_tokens=8),
    )
    row["ttft_short_s"] = ttft.first_token_s or 0.0
    engine.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="0.5b,1.5b")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--engines", default="llama.cpp", help="llama.cpp,transformers")
    args = parser.parse_args()
    print(
        f"load average before: {_load_avg()}; cores: {os.cpu_count()}; "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(engine default PASSIVE)')}\n"
    )
    print(
        "| model | load (s) | prompt tok/s (~2k tok) | generation tok/s | first token, short "
        "prompt (s) | repair window: prompt tok, total (s) |"
    )
    print("|---|---|---|---|---|---|")
    ratios: list[str] = []  # printed under the table
    for spec in args.models.split(","):
        by_engine: dict[str, dict[str, float | str]] = {}
        for kind in args.engines.split(","):
            r = by_engine[kind.strip()] = measure(spec.strip(), args.threads, kind.strip())
            print(
                f"| {r['model']} | {r['load_s']:.1f} | {r['prompt_tok_s']:.0f} | "
                f"{r['gen_tok_s']:.1f} | {r['ttft_short_s']:.2f} | "
                f"{r['repair_prompt_tokens']:.0f}, {r['repair_window_s']:.1f} |",
                flush=True,
            )
        base = by_engine.get("llama.cpp")
        for kind, other in by_engine.items():
            if base is not None and kind != "llama.cpp":
                ratio = {k: float(other[k]) / float(base[k]) for k in _RATIOS}
                ratios.append(
                    f"\n{other['model']} / {base['model']}: prompt {ratio['prompt_tok_s']:.2f}x, "
                    f"generation {ratio['gen_tok_s']:.2f}x the speed; repair window "
                    f"{ratio['repair_window_s']:.2f}x the time"
                )
    for line in ratios:
        print(line)
    print(f"\nload average after: {_load_avg()}")


if __name__ == "__main__":
    main()
