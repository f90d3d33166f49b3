"""Which read-ahead states are kept (`minutes.llm.engines.kept_prompts`): a prompt that
grew replaces its own earlier reading, other prompts make room by age, and a restore
takes the state sharing the most tokens, only when it beats the cache's own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from minutes.llm.engines import kept_prompts
from minutes.llm.engines.kept_prompts import KeptPrompts


class FakeLlm:
    def __init__(self) -> None:
        self.tokens: list[int] = []
        self.n_tokens = 0


@pytest.fixture(autouse=True)
def states_as_token_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    def saved(llm: Any) -> bytes:
        return bytes(llm.tokens[: llm.n_tokens])

    def load(llm: Any, data: bytes, tokens: Sequence[int]) -> bool:
        if data == b"refused":
            return False
        llm.tokens, llm.n_tokens = list(data), len(tokens)
        return True

    monkeypatch.setattr(kept_prompts, "saved_state", saved)
    monkeypatch.setattr(kept_prompts, "load_state", load)


def _read(kept: KeptPrompts, tokens: list[int]) -> None:
    llm = FakeLlm()
    llm.tokens, llm.n_tokens = tokens, len(tokens)
    kept.save(llm, tokens)


NOTES = [1] * 100 + list(range(2, 102))  # a part's prompt: instructions, then its transcript
MERGE = [7] * 150


def test_a_growing_prompt_replaces_its_reading_and_others_are_kept_by_age() -> None:
    kept = KeptPrompts(keep=2)
    _read(kept, NOTES[:150])
    _read(kept, MERGE)
    _read(kept, NOTES)  # grew: replaces its first reading, the merge stays
    assert len(kept) == 2
    assert kept.best([*NOTES, 5])[1] == len(NOTES)
    assert kept.best([*MERGE, 5])[1] == len(MERGE)
    _read(kept, [9] * 120)  # a third prompt: the oldest (the merge) makes room
    assert kept.best(MERGE)[1] == 0 and kept.best(NOTES)[1] == len(NOTES)


def test_restore_only_when_it_beats_the_cache_and_forgets_a_refused_state() -> None:
    kept = KeptPrompts()
    _read(kept, NOTES)
    llm = FakeLlm()
    asked = NOTES[:180] + [0] * 10
    assert kept.restore(llm, asked, held=170) == 170, "the cache held nearly as much"
    assert llm.n_tokens == 0
    assert kept.restore(llm, asked, held=20) == 180
    assert llm.n_tokens == 180 and llm.tokens[:180] == NOTES[:180]

    kept = KeptPrompts()
    kept._states = [kept_prompts.KeptState(tuple(NOTES), b"refused")]
    assert kept.restore(FakeLlm(), NOTES, held=0) == 0
    assert len(kept) == 0
