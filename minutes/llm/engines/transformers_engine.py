"""Optional engine: Hugging Face transformers, for users with HF-format models.

Install the ``transformers`` extra (``torch`` first, a CPU or CUDA build; ``transformers``,
``gguf``, ``accelerate``). Runs on a CUDA or Apple GPU when torch sees one, else on the
CPU. Loads only local files (``local_files_only``): a model folder, or a GGUF file that
transformers de-quantises on load (slow, and 4 bytes per parameter on the CPU; llama.cpp
is the better engine for GGUF).

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


DEVICES = ("auto", "cpu", "cuda", "mps")


def parse_device(requested: str) -> str:
    """`requested` normalised ("auto" when empty), checked for form only.

    Raises:
        EngineUnavailable: Not one of auto, cpu, cuda, cuda:N, mps.
    """
    want = (requested or "auto").strip().lower()
    kind, colon, index = want.partition(":")
    if kind not in DEVICES or (colon and not (kind == "cuda" and index.isdigit())):
        raise EngineUnavailable(
            f"unknown transformers device {requested!r}: use auto, cpu, cuda, cuda:N or mps"
        )
    return want


def pick_device(
    requested: str, *, cuda: bool, bf16: bool, mps: bool, torch_version: str = ""
) -> tuple[str, str]:
    """The torch device and dtype name for what the user asked.

    "auto" takes a CUDA GPU, then an Apple GPU, then the CPU. GPUs get half
    precision (bfloat16 where the card has it: same range as float32, so no
    overflow in long prompts); the CPU keeps float32, which its kernels are
    fastest at.

    Raises:
        EngineUnavailable: An unknown device, or a GPU this torch cannot use.
    """
    want = parse_device(requested)
    kind = want.split(":", 1)[0]
    if kind == "auto":
        want = kind = "cuda" if cuda else "mps" if mps else "cpu"
    if kind == "cuda" and not cuda:
        build = f"torch {torch_version} " if torch_version else "this torch "
        raise EngineUnavailable(
            f"{build}sees no CUDA GPU (a CPU-only build, or no driver): set the transformers "
            "device to cpu or auto, or install a CUDA build of torch"
        )
    if kind == "mps" and not mps:
        raise EngineUnavailable("this torch sees no Apple GPU (mps): use cpu or auto")
    if kind == "cpu":
        return want, "float32"
    return want, "bfloat16" if kind == "cuda" and bf16 else "float16"


class TransformersEngine(Engine):
    """A causal LM loaded with transformers, on a GPU when there is one.

    Args:
        model: A model folder, or a .gguf file (its folder is used with ``gguf_file``).
        gguf_file: GGUF file name inside `model` when `model` is a folder.
        device: "auto", "cpu", "cuda", "cuda:N" or "mps" (see `pick_device`).
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
        device: str = "auto",
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
        cuda = bool(torch.cuda.is_available())
        mps_backend = getattr(torch.backends, "mps", None)
        device, dtype_name = pick_device(
            device,
            cuda=cuda,
            bf16=cuda and bool(torch.cuda.is_bf16_supported()),
            mps=mps_backend is not None and bool(mps_backend.is_available()),
            torch_version=str(torch.__version__),
        )
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
                folder, dtype=getattr(torch, dtype_name), **kwargs
            ).to(device)
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
            details={
                "path": str(path),
                "model_type": model_type,
                "device": device,
                "dtype": dtype_name,
            },
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
        inputs = self._tok(prompt, return_tensors="pt", add_special_tokens=False).to(
            self._model.device
        )
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
