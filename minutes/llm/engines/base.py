"""The one interface every LLM engine implements.

An engine turns chat messages into text. It may constrain the output to a
JSON schema (llama.cpp grammar, ``response_format`` on an endpoint); engines
that cannot are still usable because every caller parses and validates what
comes back.

Thread contract: an engine serves one call at a time (calls from several
threads are serialised by the engine); `complete` runs on the caller's
worker thread, and `on_token` is called on that same thread.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from minutes.progress import CancelToken

TokenCallback = Callable[[str], None]
Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One chat turn."""

    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerationOptions:
    """How to sample one completion.

    Attributes:
        max_tokens: Upper bound on generated tokens.
        temperature: 0 gives greedy decoding (repeatable; what the passes use).
        json_schema: Constrain the output to this JSON schema where the engine can.
        stop: Extra stop strings.
        seed: Sampling seed where the engine takes one.
        on_prompt_read: Called with the fraction of the prompt read so far, where
            the engine reads it in steps (llama.cpp): a long transcript takes
            most of a minute before the first token on 2 cores.
    """

    max_tokens: int = 512
    temperature: float = 0.0
    json_schema: Mapping[str, Any] | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = 0
    on_prompt_read: Callable[[float], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Completion:
    """What one call produced, with its timings.

    Attributes:
        text: The generated text.
        prompt_tokens: Tokens read (exact where the engine reports it, else estimated).
        completion_tokens: Tokens generated.
        first_token_s: Seconds from the call to the first generated token.
        elapsed_s: Seconds for the whole call.
        finish_reason: "stop", "length" or "cancelled".
        engine: Engine kind ("llama.cpp", "openai", "transformers", "fake").
        model: The model's id.
        cached_tokens: Prompt tokens taken from the previous call's cache (not
            evaluated again; llama.cpp only).
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    first_token_s: float | None
    elapsed_s: float
    finish_reason: str
    engine: str
    model: str
    cached_tokens: int = 0

    def json(self) -> Any:
        """Parse the text as JSON (tolerating text around one object).

        Raises:
            ValueError: No JSON object could be read.
        """
        return parse_json_object(self.text)


@dataclass
class EngineInfo:
    """Static facts about a loaded engine (shown in settings and benchmarks)."""

    kind: str
    model: str
    family: str
    context_size: int
    local: bool
    load_s: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)


class Engine(abc.ABC):
    """Base class of the engines; see the module docstring for the contract."""

    info: EngineInfo

    @abc.abstractmethod
    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        """Generate a reply to `messages`.

        Args:
            messages: System and user turns (the engine applies the model's chat template).
            options: Sampling options and an optional JSON schema.
            on_token: Called with each piece of text as it is generated.
            cancel: Checked between tokens.

        Returns:
            The completion.

        Raises:
            Cancelled: `cancel` was set.
            EngineUnavailable: The engine cannot run (a fallback may take over).
            LlmError: The request was invalid (e.g. longer than the context).
        """

    def prefill(
        self, messages: Sequence[ChatMessage], *, cancel: CancelToken | None = None
    ) -> int:
        """Read `messages` ahead of a later call whose prompt begins the same way.

        A local engine keeps what it read, so that call reads only what came after
        (the notes of a meeting's last part, read while it goes on, then asked at Stop).
        Engines that keep nothing do nothing.

        Returns:
            The prompt tokens read now (0: nothing to read, or nothing kept).

        Raises:
            Cancelled: `cancel` was set.
        """
        del messages, cancel
        return 0

    def held_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """How many leading tokens of this prompt were read ahead and are kept (`prefill`)."""
        del messages
        return 0

    def count_tokens(self, text: str) -> int:
        """Number of tokens `text` takes (an estimate unless the engine overrides it)."""
        return estimate_tokens(text)

    def close(self) -> None:  # noqa: B027 - a no-op is the right default
        """Free the model (memory, connections). The engine is unusable afterwards."""

    @property
    def model_id(self) -> str:
        return self.info.model

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def estimate_tokens(text: str) -> int:
    """Rough token count for engines without a tokenizer.

    Hangul costs about one token per syllable in Qwen/Llama-style BPE
    vocabularies, Latin text about one per four characters; erring high keeps
    chunks inside the context window.
    """
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    return int(hangul * 1.1 + (len(text) - hangul) / 3.5) + 1


def parse_json_object(text: str) -> Any:
    """Read the first JSON object in `text` (models sometimes wrap it in prose or fences).

    Raises:
        ValueError: No JSON object could be read.
    """
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    start = stripped.find("{")
    while start != -1:
        try:
            value, _ = json.JSONDecoder().raw_decode(stripped[start:])
            return value
        except ValueError:
            start = stripped.find("{", start + 1)
    raise ValueError("no JSON object in the model output")


def salvage_json(text: str) -> dict[str, Any] | None:
    """The complete part of a JSON object cut off by the reply budget, closed.

    The 1.5B model's Korean notes of a 2-minute stand-up ran past 500 tokens in
    the decisions; read as the first whole object inside, the reply was one
    topic, and the minutes had no summary and no topics. Here the text is cut
    after the last object or array that closed and the open brackets are closed,
    so title, summary, topics and the whole decisions stay. None if the text is
    no object or nothing closed.
    """
    body = text.strip()
    if not body.startswith("{"):
        return None
    stack: list[str] = []
    in_string = escaped = False
    best: tuple[int, list[str]] | None = None
    for i, ch in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack:
                return None
            stack.pop()
            if not stack:
                break  # a whole object: json.loads would have read it
            best = (i + 1, list(stack))
    if best is None:
        return None
    end, still_open = best
    try:
        data = json.loads(body[:end] + "".join(reversed(still_open)))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
