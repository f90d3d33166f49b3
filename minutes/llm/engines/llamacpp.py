"""Embedded engine: llama.cpp through llama-cpp-python, on a local GGUF file.

The prompt is rendered with the model family's chat template from
``resources/prompts/chat`` and sent as a raw completion, so the exact text the
model reads is ours (and versioned). A JSON schema becomes a llama.cpp
grammar: the sampler can only produce text that parses against it.

llama.cpp keeps the KV cache of the previous call and reuses the longest
common prefix, so consecutive calls that share a system prompt (minutes
chunks, repair windows) do not pay for it again. With a `prefix_cache_dir`,
the state of those fixed instructions is also saved to disk, so the first call
of a later run does not read them again either (`prefix_cache`).
"""

from __future__ import annotations

import ctypes
import importlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from minutes.llm.engines.base import (
    ChatMessage,
    Completion,
    Engine,
    EngineInfo,
    GenerationOptions,
    TokenCallback,
)
from minutes.llm.engines.kept_prompts import KeptPrompts, common_prefix
from minutes.llm.engines.prefix_cache import MIN_PREFIX_TOKENS, PrefixCache
from minutes.llm.errors import EngineUnavailable, LlmError
from minutes.llm.prompts import chat_template, family_from_metadata, render_chat
from minutes.progress import Cancelled, CancelToken

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "llama-cpp-python is not installed; install it with "
    "`CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install 'llama-cpp-python==0.3.36'` (compiles, ~5 min)."
)


_GRAMMAR_CACHE = 32
# Greedy decoding without a repetition penalty sends small models into loops
# ("지은이가 지은이가 ..."). With a grammar the penalty cannot break the JSON:
# where the syntax allows a single token, that token is still taken.
REPEAT_PENALTY = 1.1
# Prompt tokens read between two looks at the cancel token: about 2 s on the 1.5B
# on 2 cores, and no slower than whole 512-token batches (56-62 tok/s measured).
PROMPT_STEP = 128


def property_order(schema: Any) -> list[str]:
    """A global key order that keeps every object's declared order where possible.

    llama.cpp's converter takes one name -> rank map for the whole schema. Each
    name is ranked by the earliest position it has inside any object, then by
    first appearance, so "text" precedes "segments" in a decision even though
    "segments" was first seen in a topic.
    """
    best: dict[str, tuple[int, int]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for pos, (name, sub) in enumerate((node.get("properties") or {}).items()):
                seen = best.get(name)
                first = seen[1] if seen else len(best)
                best[name] = (min(pos, seen[0]) if seen else pos, first)
                visit(sub)
            for key in ("items", "additionalProperties"):
                visit(node.get(key))
            for key in ("anyOf", "oneOf", "allOf"):
                for sub in node.get(key) or ():
                    visit(sub)

    visit(schema)
    return sorted(best, key=lambda name: best[name])


def default_threads() -> int:
    """Physical-core-ish thread count: more threads than cores slows llama.cpp down."""
    return max(1, min(os.cpu_count() or 1, 8))


class LlamaCppEngine(Engine):
    """A GGUF model in this process.

    Args:
        model_path: The .gguf file.
        model_id: Name recorded on results (default: the file stem).
        family: Chat template family (default: read from the GGUF metadata).
        context_size: Context window in tokens.
        threads: CPU threads (0 = `default_threads()`).
        batch_size: Prompt tokens evaluated per batch.
        flash_attention: llama.cpp's fused attention (as its own tools use by default):
            on 2 cores it read a 2,048-token prompt 10-15 % faster and wrote 5-8 %
            faster (docs/BENCHMARKS.md); off gives the unfused path.
        prefix_cache_dir: Save and reuse the KV state of fixed instructions here
            (None: only within this engine's life).

    Raises:
        EngineUnavailable: llama-cpp-python is missing or the file cannot be loaded.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        model_id: str | None = None,
        family: str | None = None,
        context_size: int = 8192,
        threads: int = 0,
        batch_size: int = 512,
        flash_attention: bool = True,
        prefix_cache_dir: Path | None = None,
    ) -> None:
        # OpenMP threads that spin while waiting collapse throughput when the
        # cores are shared (the app, audio capture, other programs): measured
        # 15 -> 53 prompt tok/s on a loaded 2-core machine. Must be set before
        # llama.cpp's OpenMP runtime starts; a user's own setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            # Typed as Any: this module must check the same with or without the library.
            llama_cpp: Any = importlib.import_module("llama_cpp")
        except ImportError as exc:
            raise EngineUnavailable(INSTALL_HINT) from exc
        n_threads = threads or default_threads()
        started = time.perf_counter()
        try:
            self._llm: Any = llama_cpp.Llama(
                model_path=str(model_path),
                n_ctx=context_size,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=batch_size,
                flash_attn=flash_attention,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise EngineUnavailable(f"llama.cpp could not load {model_path}: {exc}") from exc
        load_s = time.perf_counter() - started
        metadata: Mapping[str, str] = getattr(self._llm, "metadata", {}) or {}
        resolved_family = family or family_from_metadata(metadata)
        self._template = chat_template(resolved_family)
        self._lock = threading.Lock()
        self._grammars: dict[str, Any] = {}
        self._prefix_cache = (
            PrefixCache(prefix_cache_dir, model_path, flash_attention)
            if prefix_cache_dir is not None
            else None
        )
        self._kept = KeptPrompts()
        self.info = EngineInfo(
            kind="llama.cpp",
            model=model_id or Path(model_path).stem,
            family=resolved_family,
            context_size=self._llm.n_ctx(),
            local=True,
            load_s=load_s,
            details={"path": str(model_path), "threads": n_threads,
                     "flash_attention": flash_attention},
        )
        logger.info("loaded %s in %.1f s (%d threads)", model_path, load_s, n_threads)

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _grammar(self, schema: Mapping[str, Any]) -> Any:
        grammars: Any = importlib.import_module("llama_cpp.llama_grammar")

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            if len(self._grammars) >= _GRAMMAR_CACHE:
                self._grammars.pop(next(iter(self._grammars)))
            # Keep the schema's property order: by default llama.cpp sorts keys
            # alphabetically, and a model that must write "right" before
            # "wrong" (or the title after the action items) does worse.
            gbnf = grammars.json_schema_to_gbnf(
                json.dumps(schema), prop_order=property_order(schema)
            )
            self._grammars[key] = grammars.LlamaGrammar.from_string(gbnf, verbose=False)
        return self._grammars[key]

    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        prompt = render_chat(messages, self.info.family, include_bos=False)
        with self._lock:
            started = time.perf_counter()
            tokens = self._llm.tokenize(prompt.encode("utf-8"), special=True)
            cached = self._held(tokens)
            prefix = self._fixed_prefix(messages, tokens)
            if self._prefix_cache is not None and len(prefix) > cached:
                if self._prefix_cache.restore(self._llm, prefix):
                    cached = len(prefix)
                else:
                    self._prefix_cache.evaluate_and_save(self._llm, prefix)
            self._read_prompt(tokens, cancel, options.on_prompt_read)
            return self._complete(prompt, tokens, cached, started, options, on_token, cancel)

    def prefill(
        self, messages: Sequence[ChatMessage], *, cancel: CancelToken | None = None
    ) -> int:
        prompt = render_chat(messages, self.info.family, include_bos=False)
        with self._lock:
            tokens = self._llm.tokenize(prompt.encode("utf-8"), special=True)
            held = self._held(tokens)
            try:
                self._read_prompt(tokens, cancel)
            finally:  # cancelled (Stop): what was read before it still counts after it
                read = common_prefix(self._llm.input_ids[: self._llm.n_tokens].tolist(), tokens)
                self._keep(tokens[:read])
            return max(0, len(tokens) - 1 - held)

    def _keep(self, tokens: list[int]) -> None:
        """Keep the KV state of `tokens`, which the model has just evaluated."""
        if len(tokens) < MIN_PREFIX_TOKENS:
            return
        try:
            self._kept.save(self._llm, tokens)
        except (AttributeError, ValueError, ctypes.ArgumentError) as exc:
            logger.warning("could not keep the prompt read ahead: %s", exc)

    def held_tokens(self, messages: Sequence[ChatMessage]) -> int:
        prompt = render_chat(messages, self.info.family, include_bos=False)
        tokens = self._llm.tokenize(prompt.encode("utf-8"), special=True)
        return self._kept.best(tokens)[1]

    def _held(self, tokens: list[int]) -> int:
        """How many leading `tokens` the KV cache holds, after restoring the kept prompt
        read ahead (`prefill`) that holds the most of them."""
        held = common_prefix(self._llm.input_ids[: self._llm.n_tokens].tolist(), tokens)
        return self._kept.restore(self._llm, tokens, held)

    def _read_prompt(
        self,
        tokens: list[int],
        cancel: CancelToken | None,
        on_read: Callable[[float], None] | None = None,
    ) -> None:
        """Evaluate all but the prompt's last token, checking `cancel` between small steps.

        llama.cpp reads a prompt in one call: cancelling minutes whose 3,500-token
        transcript takes ~55 s to read waited for all of it. `create_completion`
        then finds these tokens in the KV cache and reads only the last one.
        """
        llm = self._llm
        done = common_prefix(llm.input_ids[: llm.n_tokens].tolist(), tokens)
        end = len(tokens) - 1  # generation needs the last token's fresh logits
        if done >= end:
            return
        llm.n_tokens = done  # eval drops the KV cells after this point
        while done < end:
            if cancel is not None:
                cancel.raise_if_cancelled()
            step = tokens[done : min(end, done + PROMPT_STEP)]
            llm.eval(step)
            done += len(step)
            if on_read is not None:
                on_read(done / len(tokens))

    def _fixed_prefix(self, messages: Sequence[ChatMessage], tokens: list[int]) -> list[int]:
        """The prompt's leading tokens that do not depend on the last message (instructions)."""
        if self._prefix_cache is None or len(messages) < 2:
            return []
        if any(m.role != "system" for m in messages[:-1]):
            return []  # earlier turns may hold meeting text: never saved
        last = messages[-1]
        without = render_chat(
            [*messages[:-1], ChatMessage(last.role, "")], self.info.family, include_bos=False
        )
        other = self._llm.tokenize(without.encode("utf-8"), special=True)
        n = common_prefix(other, tokens)
        return tokens[:n] if n >= MIN_PREFIX_TOKENS else []

    def _complete(
        self,
        prompt: str,
        tokens: list[int],
        cached: int,
        started: float,
        options: GenerationOptions,
        on_token: TokenCallback | None,
        cancel: CancelToken | None,
    ) -> Completion:
        prompt_tokens = len(tokens)
        if prompt_tokens + options.max_tokens > self.info.context_size:
            raise LlmError(
                f"prompt of {prompt_tokens} tokens + {options.max_tokens} to generate exceeds "
                f"the {self.info.context_size}-token context of {self.info.model}"
            )
        grammar = self._grammar(options.json_schema) if options.json_schema else None
        stream = self._llm.create_completion(
            prompt,
            max_tokens=options.max_tokens,
            temperature=options.temperature,
            top_k=1 if options.temperature == 0 else 40,
            repeat_penalty=REPEAT_PENALTY,
            stop=[*self._template.stop, *options.stop],
            grammar=grammar,
            seed=options.seed,
            stream=True,
        )
        pieces: list[str] = []
        first: float | None = None
        finish = "stop"
        n_generated = 0
        for chunk in stream:
            if cancel is not None and cancel.cancelled:
                getattr(stream, "close", lambda: None)()  # stop llama.cpp's generator
                raise Cancelled()
            choice = chunk["choices"][0]
            text = choice.get("text") or ""
            n_generated += 1
            if text:
                if first is None:
                    first = time.perf_counter() - started
                pieces.append(text)
                if on_token is not None:
                    on_token(text)
            if choice.get("finish_reason"):
                finish = str(choice["finish_reason"])
        out = "".join(pieces)
        completion_tokens = self.count_tokens(out) if out else 0
        return Completion(
            text=out,
            prompt_tokens=prompt_tokens,
            completion_tokens=max(completion_tokens, n_generated - 1, 0),
            first_token_s=first,
            elapsed_s=time.perf_counter() - started,
            finish_reason=finish,
            engine=self.info.kind,
            model=self.info.model,
            cached_tokens=max(0, min(cached, prompt_tokens - 1)),
        )

    def close(self) -> None:
        llm = getattr(self, "_llm", None)
        if llm is not None:
            llm.close()
            self._llm = None
