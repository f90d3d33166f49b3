"""Saved llama.cpp KV state of fixed prompt prefixes, so a new process skips re-reading them.

Every minutes run starts with the action-item prompt's ~430-token instructions;
on 2 CPU cores the 1.5B model needs about 7 s to read them before its first
word. The KV state of that prefix depends only on the model and the prefix
tokens, so it is saved once (a few MB) and loaded by later runs in
milliseconds: the first call then reads only its own line.

Only turns before the last message are ever saved (system instructions, with
the glossary for repair), never the transcript. A missing, stale or damaged
file costs nothing but the normal evaluation: every failure falls back to it.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minutes.atomic import atomic_write_bytes

logger = logging.getLogger(__name__)

MIN_PREFIX_TOKENS = 64  # shorter prefixes are read faster than a file is found
KEEP_FILES = 24  # newest kept; older states (old prompt versions) are deleted
_MAGIC = b"minutes-kv1\n"


class PrefixCache:
    """KV states of prompt prefixes for one model file, in `folder`.

    Args:
        folder: Where the state files go (created on first save).
        model_path: The GGUF file; its path, size and mtime are part of the key.
        flash_attention: Whether the context uses it: its KV state is laid out otherwise
            (llama.cpp refuses a state saved with the other), so it is part of the key.
    """

    def __init__(self, folder: Path, model_path: Path, flash_attention: bool = True) -> None:
        self.folder = folder
        stat = Path(model_path).stat()
        llama_version = getattr(importlib.import_module("llama_cpp"), "__version__", "?")
        self._model_key = f"{Path(model_path).resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
        self._model_key += f"{llama_version}|fa={int(flash_attention)}"

    def path_for(self, prefix: Sequence[int]) -> Path:
        digest = hashlib.sha256(self._model_key.encode("utf-8"))
        digest.update(",".join(map(str, prefix)).encode("ascii"))
        return self.folder / f"{digest.hexdigest()[:32]}.kv"

    def restore(self, llm: Any, prefix: Sequence[int]) -> bool:
        """Load the saved state of `prefix` into `llm` (a `llama_cpp.Llama`); False if none."""
        path = self.path_for(prefix)
        try:
            blob = path.read_bytes()
        except OSError:
            return False
        if not blob.startswith(_MAGIC):
            logger.warning("ignoring damaged prompt cache file %s", path)
            return False
        if not load_state(llm, blob[len(_MAGIC) :], prefix):
            logger.warning("prompt cache %s not usable; reading the prompt", path)
            return False
        path.touch()  # recently used: kept by the clean-up
        return True

    def evaluate_and_save(self, llm: Any, prefix: Sequence[int]) -> None:
        """Read `prefix` from scratch into `llm` and save its state (best effort)."""
        llm.reset()
        llm.eval(list(prefix))
        try:
            state = saved_state(llm)
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path_for(prefix), _MAGIC + state)
            self._clean_up()
        except (AttributeError, ValueError, OSError, ctypes.ArgumentError) as exc:
            logger.warning("could not save the prompt cache in %s: %s", self.folder, exc)

    def _clean_up(self) -> None:
        files = sorted(self.folder.glob("*.kv"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            old.unlink(missing_ok=True)


def saved_state(llm: Any) -> bytes:
    """The KV state of what `llm` has evaluated (sequence 0), as bytes.

    Raises:
        ValueError, AttributeError, ctypes.ArgumentError: llama.cpp could not write it.
    """
    llama_cpp: Any = importlib.import_module("llama_cpp")
    size = int(llama_cpp.llama_state_seq_get_size(llm._ctx.ctx, 0))
    buf = (ctypes.c_uint8 * size)()
    written = int(llama_cpp.llama_state_seq_get_data(llm._ctx.ctx, buf, size, 0))
    if written <= 0:
        raise ValueError("llama.cpp wrote no state")
    return bytes(buf)[:written]


def load_state(llm: Any, data: bytes, tokens: Sequence[int]) -> bool:
    """Put a `saved_state` of `tokens` back into `llm`; False (and `llm` empty) if refused."""
    llama_cpp: Any = importlib.import_module("llama_cpp")
    try:
        _clear(llm, llama_cpp)
        buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        read = llama_cpp.llama_state_seq_set_data(llm._ctx.ctx, buf, len(data), 0)
        if read != len(data):
            raise ValueError(f"llama.cpp read {read} of {len(data)} bytes")
    except (AttributeError, ValueError, OSError, ctypes.ArgumentError) as exc:
        logger.debug("KV state refused: %s", exc)
        _clear(llm, llama_cpp)
        return False
    llm.input_ids[: len(tokens)] = tokens
    llm.n_tokens = len(tokens)
    llm._requires_eval = True  # no logits yet: the rest of the prompt comes first
    return True


def _clear(llm: Any, llama_cpp: Any) -> None:
    """Empty the model's KV memory and its record of evaluated tokens."""
    llm.reset()
    memory = llama_cpp.llama_get_memory(llm._ctx.ctx)
    if memory is not None:
        llama_cpp.llama_memory_clear(memory, True)
