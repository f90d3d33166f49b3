"""How long the minutes will still take on this machine.

A local model's speed depends on the machine far more than on anything else
(two EPYC vCPUs read 16-19 tokens/s where a recent laptop reads 60), so the
estimate uses this machine's own rates: kept per model in `llm_speed.json` in
the data folder after each run (`SpeedBook`), and this run's own as soon as
its first call is done. Before any call has run on this machine there is no
estimate, only progress.

`Pace` knows the calls ahead (`PlannedCall`: prompt tokens to read, reply
tokens to expect) and, given the completions so far, says how many seconds
are left: the calls to come, at the rates measured, plus what remains of the
current one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from minutes.llm.engines.base import Completion

logger = logging.getLogger(__name__)

SPEED_FILE = "llm_speed.json"
MIN_READ_TOKENS = 64  # a call that read fewer says little about the reading rate
MIN_WRITE_TOKENS = 8
REPLY_SHARE = 0.5  # of its budget, a reply's expected length before one is measured


@dataclass(frozen=True)
class Rates:
    """Tokens per second this machine reads (prompt) and writes (reply) with one model,
    and the average reply length per kind of call ("actions", "notes", "reduce")."""

    read_tps: float
    write_tps: float
    reply_tokens: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedCall:
    stage: str
    read_tokens: int  # prompt tokens not in the cache of the call before
    max_tokens: int  # its reply budget


def measured_rates(completions: Sequence[Completion], stages: Sequence[str] = ()) -> Rates | None:
    """The rates of these completions, or None when they read or wrote too little to tell.

    Reading is the time to the first token over the prompt tokens not taken from the
    cache; writing is the rest of the call over the tokens after the first."""
    read_n = write_n = 0
    read_s = write_s = 0.0
    for c in completions:
        if c.first_token_s is None or c.finish_reason == "cancelled":
            continue
        read_n += max(0, c.prompt_tokens - c.cached_tokens)
        read_s += c.first_token_s
        write_n += max(0, c.completion_tokens - 1)
        write_s += max(0.0, c.elapsed_s - c.first_token_s)
    if read_n < MIN_READ_TOKENS or write_n < MIN_WRITE_TOKENS or read_s <= 0 or write_s <= 0:
        return None
    replies: dict[str, list[int]] = {}
    for c, stage in zip(completions, stages, strict=False):
        replies.setdefault(stage, []).append(c.completion_tokens)
    averages = {s: sum(n) / len(n) for s, n in replies.items()}
    return Rates(read_n / read_s, write_n / write_s, averages)


class Pace:
    """Seconds left in a run of calls, from the rates known before it and those of its
    own calls so far."""

    def __init__(self, prior: Rates | None = None) -> None:
        self.prior = prior
        self.plan: list[PlannedCall] = []

    def rates(self, done: Sequence[Completion], stages: Sequence[str] = ()) -> Rates | None:
        """This run's rates where it has read and written enough, else the prior's."""
        now = measured_rates(done, stages)
        if now is None:
            return self.prior
        replies = dict(self.prior.reply_tokens) if self.prior else {}
        replies.update(now.reply_tokens)
        return Rates(now.read_tps, now.write_tps, replies)

    def seconds_left(
        self,
        done: Sequence[Completion],
        stages: Sequence[str] = (),
        reading: float = 0.0,
    ) -> float | None:
        """Seconds until the planned calls are done; `done` are the completions so far
        (the plan's first calls), `reading` how much of the current call's prompt is read.
        None while this machine's speed is unknown."""
        rates = self.rates(done, stages)
        if rates is None or not self.plan:
            return None
        total = 0.0
        for k, call in enumerate(self.plan[len(done) :]):
            reply = rates.reply_tokens.get(call.stage, REPLY_SHARE * call.max_tokens)
            read = call.read_tokens * ((1.0 - min(max(reading, 0.0), 1.0)) if k == 0 else 1.0)
            total += read / rates.read_tps + min(reply, call.max_tokens) / rates.write_tps
        return total


class SpeedBook:
    """This machine's rates per model, in a small JSON file (not user data: a broken or
    unwritable file only costs the estimate)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def default(cls) -> SpeedBook:
        from minutes.config import data_dir

        return cls(data_dir() / SPEED_FILE)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def rates(self, model: str) -> Rates | None:
        entry: Any = self._read().get(model)
        try:
            read, write = float(entry["read_tps"]), float(entry["write_tps"])
            replies = {str(k): float(v) for k, v in (entry.get("reply_tokens") or {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if read <= 0 or write <= 0:
            return None
        return Rates(read, write, replies)

    def record(self, model: str, completions: Sequence[Completion], stages: Sequence[str]) -> None:
        """Keep the rates of a run (nothing when it was too short to tell)."""
        rates = measured_rates(completions, stages)
        if rates is None:
            return
        data = self._read()
        data[model] = {
            "read_tps": round(rates.read_tps, 2),
            "write_tps": round(rates.write_tps, 2),
            "reply_tokens": {k: round(v, 1) for k, v in rates.reply_tokens.items()},
            "measured": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        try:
            from minutes.atomic import atomic_write_text

            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False))
        except OSError as exc:
            logger.warning("cannot keep the language model's speed: %s", exc)


def speed_key(kind: str, model: str) -> str:
    """The book's key of an engine: its kind and model ("llama.cpp:qwen2.5-1.5b-q4")."""
    return f"{kind}:{model}"


def machine_pace(kind: str, model: str, book: SpeedBook | None = None) -> Pace:
    """A `Pace` that starts from this machine's last measured rates with the model."""
    return Pace((book or SpeedBook.default()).rates(speed_key(kind, model)))


def remember_pace(
    kind: str,
    model: str,
    completions: Sequence[Completion],
    stages: Sequence[str],
    book: SpeedBook | None = None,
) -> None:
    """Keep a finished run's rates for the next estimate."""
    (book or SpeedBook.default()).record(speed_key(kind, model), completions, stages)


def time_left_text(seconds: float) -> str:
    """The CLI's words for the time left ("about 3 min left"); the app has its own."""
    if seconds < 60:
        return "under a minute left"
    return f"about {round(seconds / 60)} min left"
