"""A scripted engine for the LLM unit tests (no model), and tests of the fake itself."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from minutes.llm.engines.base import (
    ChatMessage,
    Completion,
    Engine,
    EngineInfo,
    GenerationOptions,
    TokenCallback,
    estimate_tokens,
)
from minutes.progress import CancelToken

Reply = str | dict[str, Any] | Callable[[Sequence[ChatMessage], GenerationOptions], Any]


class FakeEngine(Engine):
    """Returns scripted replies in order (the last one repeats) and records every call."""

    def __init__(self, replies: Sequence[Reply], *, context_size: int = 8192) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[list[ChatMessage], GenerationOptions]] = []
        self.info = EngineInfo("fake", "fake-model", "chatml", context_size, True)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        self.calls.append((list(messages), options))
        reply = self.replies[min(len(self.calls) - 1, len(self.replies) - 1)]
        if callable(reply):
            reply = reply(messages, options)
        text = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
        for i in range(0, len(text), 8):
            if cancel is not None:
                cancel.raise_if_cancelled()
            if on_token is not None:
                on_token(text[i : i + 8])
        return Completion(
            text=text,
            prompt_tokens=estimate_tokens("".join(m.content for m in messages)),
            completion_tokens=estimate_tokens(text),
            first_token_s=0.01,
            elapsed_s=0.02,
            finish_reason="stop",
            engine="fake",
            model="fake-model",
        )


def test_fake_engine_streams_and_records() -> None:
    engine = FakeEngine([{"a": 1}, "plain"])
    pieces: list[str] = []
    first = engine.complete(
        [ChatMessage("user", "hi")], GenerationOptions(), on_token=pieces.append
    )
    assert first.json() == {"a": 1}
    assert "".join(pieces) == first.text
    assert engine.complete([ChatMessage("user", "again")], GenerationOptions()).text == "plain"
    assert engine.complete([ChatMessage("user", "more")], GenerationOptions()).text == "plain"
    assert len(engine.calls) == 3
