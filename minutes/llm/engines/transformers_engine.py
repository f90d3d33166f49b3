"""Optional engine: Hugging Face transformers, for users with HF-format models.

Install the ``llm-transformers`` extra (``torch`` CPU build, ``transformers``,
``gguf``). Loads only local files (``local_files_only``): a model folder, or
a GGUF file that transformers de-quantises to float32 on load (slow and
about 4 bytes per parameter in RAM; llama.cpp is the better engine for GGUF).

There is no grammar here: the reply is asked for as JSON in the prompt and
validated by the caller like every other engine's.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Sequence
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
from minutes.llm.errors import EngineUnavailable
from minutes.llm.prompts import chat_template, render_chat
from minutes.progress import Cancelled, CancelToken

logger = logging.getLogger(__name__)

_FAMILIES = {
    "qwen2": "chatml",
    "qwen3": "chatml",
    "llama": "llama3",
    "gemma2": "gemma",
    "gemma3": "gemma",
    "mistral": "mistral",
}


class TransformersEngine(Engine):
    """A causal LM loaded with transformers on the CPU.

    Args:
        model: A model folder, or a .gguf file (its folder is used with ``gguf_file``).
        gguf_file: GGUF file name inside `model` when `model` is a folder.
        threads: torch intra-op threads (0 = torch's default).
        context_size: Largest prompt + reply accepted.

    Raises:
        EngineUnavailable: torch/transformers missing or the model cannot be loaded.
    """

    def __init__(
        self,
        model: str,
        *,
        gguf_file: str | None = None,
        threads: int = 0,
        context_size: int = 8192,
    ) -> None:
        try:
            # Typed as Any: this module must check the same with or without the libraries.
            torch: Any = importlib.import_module("torch")
            transformers: Any = importlib.import_module("transformers")
        except ImportError as exc:
            raise EngineUnavailable(
                "the transformers engine needs "
                "`pip install torch==2.13.0 transformers accelerate gguf`"
            ) from exc
        path = Path(model).expanduser()
        if path.is_file() and path.suffix == ".gguf":
            folder, gguf_file = str(path.parent), path.name
        else:
            folder = str(path)
        if threads:
            torch.set_num_threads(threads)
        started = time.perf_counter()
        kwargs: dict[str, Any] = {"local_files_only": True}
        if gguf_file:
            kwargs["gguf_file"] = gguf_file
        try:
            self._tok: Any = transformers.AutoTokenizer.from_pretrained(folder, **kwargs)
            self._model: Any = transformers.AutoModelForCausalLM.from_pretrained(
                folder, dtype=torch.float32, **kwargs
            )
        except (OSError, ValueError, ImportError, RuntimeError) as exc:
            raise EngineUnavailable(f"transformers could not load {model}: {exc}") from exc
        self._model.eval()
        self._torch = torch
        self._transformers = transformers
        model_type = str(getattr(self._model.config, "model_type", ""))
        family = _FAMILIES.get(model_type, "chatml")
        self._stop = chat_template(family).stop
        self._lock = threading.Lock()
        self.info = EngineInfo(
            kind="transformers",
            model=Path(gguf_file or folder).stem,
            family=family,
            context_size=context_size,
            local=True,
            load_s=time.perf_counter() - started,
            details={"path": str(path), "model_type": model_type},
        )

    def count_tokens(self, text: str) -> int:
        return len(self._tok(text, add_special_tokens=False)["input_ids"])

    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        prompt = render_chat(messages, self.info.family)
        with self._lock:
            return self._generate(prompt, options, on_token, cancel)

    def _generate(
        self,
        prompt: str,
        options: GenerationOptions,
        on_token: TokenCallback | None,
        cancel: CancelToken | None,
    ) -> Completion:
        torch, transformers = self._torch, self._transformers
        started = time.perf_counter()
        inputs = self._tok(prompt, return_tensors="pt", add_special_tokens=False)
        n_prompt = int(inputs["input_ids"].shape[1])
        state: dict[str, Any] = {"first": None, "pieces": [], "cancelled": False}
        stop_texts = (*self._stop, *options.stop)

        class _Streamer(transformers.TextStreamer):  # type: ignore[misc, name-defined]
            def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
                if text:
                    if state["first"] is None:
                        state["first"] = time.perf_counter() - started
                    state["pieces"].append(text)
                    if on_token is not None:
                        on_token(text)

        class _Stop(transformers.StoppingCriteria):  # type: ignore[misc, name-defined]
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                if cancel is not None and cancel.cancelled:
                    state["cancelled"] = True
                    return True
                tail = "".join(state["pieces"])[-40:]
                return any(s in tail for s in stop_texts)

        gen_kwargs: dict[str, Any] = {
            "max_new_tokens": options.max_tokens,
            "streamer": _Streamer(self._tok, skip_prompt=True, skip_special_tokens=False),
            "stopping_criteria": transformers.StoppingCriteriaList([_Stop()]),
            "pad_token_id": self._tok.eos_token_id,
        }
        if options.temperature > 0:
            gen_kwargs.update(do_sample=True, temperature=options.temperature)
        else:
            gen_kwargs.update(do_sample=False)
        with torch.inference_mode():
            output = self._model.generate(**inputs, **gen_kwargs)
        if state["cancelled"]:
            raise Cancelled()
        text = "".join(state["pieces"])
        for s in stop_texts:
            cut = text.find(s)
            if cut != -1:
                text = text[:cut]
        n_new = int(output.shape[1]) - n_prompt
        return Completion(
            text=text,
            prompt_tokens=n_prompt,
            completion_tokens=n_new,
            first_token_s=state["first"],
            elapsed_s=time.perf_counter() - started,
            finish_reason="length" if n_new >= options.max_tokens else "stop",
            engine=self.info.kind,
            model=self.info.model,
        )

    def close(self) -> None:
        self._model = None
        self._tok = None
