"""Prompts read ahead of their call, kept in memory as llama.cpp KV states.

During a meeting the model has time to spare, but the call that ends it (the notes of
the last part, the merge of all parts) can only be made after Stop. Its prompt is
mostly known before: the part's transcript so far, the notes of the parts already
taken. `Engine.prefill` reads such a prompt while the meeting goes on and keeps its
state here; the call after Stop restores the state with the longest common prefix and
reads only what came after it. llama.cpp itself keeps only the last call's state, and
the calls in between (task lines, the live preview's) would overwrite it.

A few states are kept (each is about 28 KB a token on the 1.5B, about 60 MB for a
2,000-token part); a prompt that grows replaces its own older state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minutes.llm.engines.prefix_cache import MIN_PREFIX_TOKENS, load_state, saved_state

KEEP = 3  # the growing part, the merge, and one to spare


def common_prefix(previous: Sequence[int], tokens: Sequence[int]) -> int:
    """How many leading tokens two token lists share."""
    n = 0
    for a, b in zip(previous, tokens, strict=False):
        if a != b:
            break
        n += 1
    return n


@dataclass(frozen=True)
class KeptState:
    tokens: tuple[int, ...]
    state: bytes


class KeptPrompts:
    """The KV states of the last few prompts read ahead, newest last."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._states: list[KeptState] = []

    def __len__(self) -> int:
        return len(self._states)

    def best(self, tokens: Sequence[int]) -> tuple[KeptState | None, int]:
        """The kept state sharing the longest prefix with `tokens`, and that length."""
        found, length = None, 0
        for kept in self._states:
            n = common_prefix(kept.tokens, tokens)
            if n > length:
                found, length = kept, n
        return found, length

    def restore(self, llm: Any, tokens: Sequence[int], held: int) -> int:
        """Load into `llm` the kept state that covers more of `tokens` than the `held`
        tokens already in its KV cache; the tokens now held."""
        kept, n = self.best(tokens)
        if kept is None or n < held + MIN_PREFIX_TOKENS:
            return held
        # The state holds all its tokens; those after the shared prefix are dropped by
        # the next evaluation (llama.cpp removes KV cells past `n_tokens`).
        if not load_state(llm, kept.state, kept.tokens):
            self._states.remove(kept)
            return 0
        llm.n_tokens = n
        return n

    def save(self, llm: Any, tokens: Sequence[int]) -> None:
        """Keep the state of `llm`, which has just evaluated `tokens`."""
        kept = KeptState(tuple(tokens), saved_state(llm))
        # A prompt that grew replaces its earlier reading; others make room by age.
        others = [k for k in self._states if common_prefix(k.tokens, tokens) < len(k.tokens) // 2]
        self._states = [*others[len(others) - self.keep + 1 :], kept] if self.keep > 1 else [kept]
