"""Benchmark: our llama.cpp engine against llama.cpp's own `llama-bench`, in one run.

Same GGUF, same threads, same prompt and generation lengths. `llama-bench`
reads a prompt of `--prompt` tokens (pp) and generates `--gen` tokens (tg),
`--reps` times, and reports the mean rates. Our engine (`LlamaCppEngine`)
then reads a real Korean meeting text cut to the same length (a different
prefix each time, so nothing comes from its cache) and generates freely up to
`--gen` tokens. Reading rate, as pp: the prompt tokens read in batches (all but
the last, which generation evaluates with its first sampling step) / the time
from the call to the engine's report that they are read (`on_prompt_read`);
also shown: all prompt tokens / time to the first token of text, what a user
waits for, which holds one generation step and the chat template more than pp.
Writing rate = tokens after the first / the rest of the call. The ratio
ours / llama-bench of pp and of tg is the figure to keep at >= 0.95. The two alternate
(llama-bench, ours, llama-bench, ours, ...), and the figure is the median of each
pair's ratio, so a change in the machine's load falls on both. Both are warm:
llama-bench warms up by itself, ours gets one uncounted call first.

`llama-bench` must be built from the llama.cpp that llama-cpp-python vendors
(the same version): for llama-cpp-python 0.3.36,

    pip download --no-deps --no-binary :all: llama-cpp-python==0.3.36
    tar xzf llama_cpp_python-0.3.36.tar.gz
    cd llama_cpp_python-0.3.36/vendor/llama.cpp
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF
    cmake --build build --target llama-bench

(`-DGGML_NATIVE=OFF` as `make install` builds llama-cpp-python), then

    python -m bench.llama_bench_parity --llama-bench PATH/build/bin/llama-bench \
        [--model 1.5b] [--reps 7] [--also-unfused]

llama-bench uses flash attention by default (`-fa auto`), as our engine does since
2026-12-07 (llama-cpp-python's own default is off); `--also-unfused` adds our engine
without it to the same alternation.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def llama_bench(binary: Path, gguf: Path, threads: int, prompt: int, gen: int) -> dict[str, float]:
    """{"pp": tokens/s, "tg": tokens/s} of one llama-bench run (one repetition each)."""
    out = subprocess.run(
        [str(binary), "-m", str(gguf), "-t", str(threads), "-p", str(prompt), "-n", str(gen),
         "-r", "1", "-o", "json"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    rates: dict[str, float] = {}
    for row in json.loads(out):
        key = "pp" if row.get("n_prompt") else "tg"
        rates[key] = float(row["avg_ts"])
    return rates


def prompt_text(engine: Any, tokens: int, rep: int) -> str:
    """Real Korean meeting text of about `tokens` tokens, different at the start each time."""
    from bench.llm_data import long_korean_meeting
    from minutes.llm.summarise import transcript_lines

    doc = long_korean_meeting(10)
    lines = [line.text for line in transcript_lines(doc)]
    k = (rep * 7) % len(lines)
    text = "\n".join(lines[k:] + lines[:k])  # another opening line: no reuse of the cache
    while engine.count_tokens(text) > tokens:
        text = text[: int(len(text) * 0.97)]
    return text


def ours(engine: Any, prompt: int, gen: int, rep: int) -> dict[str, float]:
    from minutes.llm.engines.base import ChatMessage, GenerationOptions

    # The chat template adds its own tokens: leave room for them in the prompt length.
    overhead = engine.count_tokens("<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n") + 8
    text = prompt_text(engine, prompt - overhead, rep)
    messages = [ChatMessage("user", text + "\n위 회의를 자세히, 길게 요약해 주세요.")]
    read_at: list[float] = []  # when each step of the prompt was read (the engine says)
    started = time.perf_counter()
    out = engine.complete(messages, GenerationOptions(
        max_tokens=gen, on_prompt_read=lambda _: read_at.append(time.perf_counter())))
    first = out.first_token_s or out.elapsed_s
    read = out.prompt_tokens - out.cached_tokens
    return {
        # as llama-bench's pp: the prompt's batches alone (all but its last token, which
        # generation evaluates with the first sampling step)
        "pp": (read - 1) / (read_at[-1] - started),
        # what a user waits for: to the first token of text
        "ttft": read / first,
        "tg": max(out.completion_tokens - 1, 1) / max(out.elapsed_s - first, 1e-6),
        "prompt_tokens": out.prompt_tokens - out.cached_tokens,
        "gen_tokens": out.completion_tokens,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--llama-bench", type=Path, default=os.environ.get("LLAMA_BENCH"))
    parser.add_argument("--model", default="1.5b", help="embedded model name or a GGUF path")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt", type=int, default=512)
    parser.add_argument("--gen", type=int, default=128)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--also-unfused", action="store_true",
                        help="also our engine without flash attention (llama-cpp-python's "
                             "default; llama-bench's is on), in the same alternation")
    args = parser.parse_args()
    if args.llama_bench is None or not Path(args.llama_bench).is_file():
        sys.exit("needs --llama-bench PATH (see this file's docstring for how to build it)")
    import llama_cpp

    from minutes.llm.engines.llamacpp import LlamaCppEngine
    from minutes.llm.modelstore import resolve_gguf

    resolved = resolve_gguf(args.model)
    engines = {
        name: LlamaCppEngine(
            resolved.path, model_id=resolved.name, family=resolved.family,
            context_size=4096, threads=args.threads, flash_attention=fused,
        )
        for name, fused in (("our engine", True), ("ours, unfused attention", False))
        if fused or args.also_unfused
    }
    # llama-bench warms up before it measures (a first pass over the weights, which the
    # operating system is still paging in); ours gets the same one call, not counted.
    for engine in engines.values():
        ours(engine, args.prompt, 8, args.reps)
    theirs_runs: list[dict[str, float]] = []
    ours_runs: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
    for rep in range(args.reps):
        theirs_runs.append(
            llama_bench(args.llama_bench, resolved.path, args.threads, args.prompt, args.gen)
        )
        for name, engine in engines.items():
            ours_runs[name].append(ours(engine, args.prompt, args.gen, rep))
            mine = {k: round(v, 2) for k, v in ours_runs[name][-1].items()}
            print(f"rep {rep + 1}: llama-bench {theirs_runs[-1]}, {name} {mine}",
                  file=sys.stderr)  # fmt: skip
    for engine in engines.values():
        engine.close()
    try:
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    print(f"model {resolved.name}, llama-cpp-python {llama_cpp.__version__}, "
          f"{args.threads} threads, pp{args.prompt} / tg{args.gen}, {args.reps} runs each, "
          f"load after: {load}\n")  # fmt: skip
    print("| | llama-bench (tok/s) | ours (tok/s) | ours / llama-bench, per pair |")
    print("|---|---:|---:|---:|")
    rows = (("pp", "pp", "reading the prompt"),
            ("ttft", "pp", "reading, to the first token of text"), ("tg", "tg", "writing"))
    for name, runs in ours_runs.items():
        for key, their_key, label in rows:
            theirs = statistics.median(r[their_key] for r in theirs_runs)
            mine = statistics.median(r[key] for r in runs)
            # The ratio of each back-to-back pair, then their median: a change in the
            # machine's load between pairs falls on both sides of a ratio.
            ratios = [o[key] / t[their_key] for o, t in zip(runs, theirs_runs, strict=True)]
            spread = ", ".join(f"{r:.2f}" for r in ratios)
            print(f"| {name}: {label} | {theirs:.1f} | {mine:.1f} | "
                  f"**{statistics.median(ratios):.2f}** ({spread}) |")  # fmt: skip
    print()
    for name, runs in ours_runs.items():
        gen = statistics.median(r["gen_tokens"] for r in runs)
        read = statistics.median(r["prompt_tokens"] for r in runs)
        print(f"{name} read {read:.0f} prompt tokens and wrote {gen:.0f} tokens (medians).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
