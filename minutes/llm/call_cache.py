"""Model replies kept in a meeting's folder, by exactly what was asked.

The minutes of a meeting are many calls (one per candidate task line, one per part of
the transcript, one to merge). The calls on the parts of a meeting that are already
over do not change as the meeting goes on, so the notes kept during the meeting
(`minutes.during_notes`) make them early, and the minutes after Stop find their
replies here instead of asking again. A reply is found only for the same model, the
same messages, the same reply budget, grammar and sampling: whatever differs (a
speaker found later, a corrected word, another template) is asked again. The calls
decode greedily, so a reply kept is what asking again gives, up to llama.cpp's own
run-to-run differences (its prompt cache changes how a prompt is batched, which can
change a token, as between any two runs of the minutes).

A reply may keep with it what the call read, where a later run needs to know it (the notes
of a part taken during the meeting keep their lines and speakers: `minutes.llm.noted_parts`).

Replies are appended one JSON line each (flushed and synced): a crash keeps what was
written, and a torn last line is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from minutes.llm.engines.base import Completion, GenerationOptions

logger = logging.getLogger(__name__)

FILE = "minutes.calls.jsonl"
SCHEMA = 1


def call_key(model: str, messages: Sequence[Any], options: GenerationOptions) -> str:
    """What identifies a call's reply: the model, the messages and how it is sampled."""
    asked = {
        "schema": SCHEMA,
        "model": model,
        "messages": [[m.role, m.content] for m in messages],
        "max_tokens": options.max_tokens,
        "temperature": options.temperature,
        "json_schema": options.json_schema,
        "stop": list(options.stop),
        "seed": options.seed,
    }
    text = json.dumps(asked, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CallCache:
    """The replies kept for one meeting (`folder / FILE`); safe to share between threads."""

    def __init__(self, folder: Path, *, during_meeting: bool = False) -> None:
        """`during_meeting`: the replies put are the notes kept while the meeting went
        on (`kept_during_meeting` then says so to later runs)."""
        self.path = folder / FILE
        self._during = during_meeting
        self._lock = threading.Lock()
        self._replies: dict[str, Completion] = {}
        self.asked: dict[str, dict[str, Any]] = {}  # what a kept call read, where kept
        self.kept_during_meeting = False
        self._read()

    def __len__(self) -> int:
        return len(self._replies)

    def __contains__(self, key: str) -> bool:
        return key in self._replies

    def get(self, key: str) -> Completion | None:
        return self._replies.get(key)

    def put(self, key: str, completion: Completion, asked: dict[str, Any] | None = None) -> None:
        """Keep a finished reply (a cancelled one is not a reply), with what the call read
        when `asked` says it."""
        if completion.finish_reason == "cancelled" or key in self._replies:
            return
        record = {"key": key, "during_meeting": self._during, "completion": asdict(completion)}
        if asked is not None:
            record["asked"] = asked
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            try:
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:  # a full disk: the minutes still come, asked again later
                logger.warning("cannot keep a model reply in %s: %s", self.path, exc)
                return
            self._replies[key] = completion
            if asked is not None:
                self.asked[key] = asked
            self.kept_during_meeting |= self._during

    def _read(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        except OSError as exc:
            logger.warning("ignoring the kept model replies in %s: %s", self.path, exc)
            return
        for n, line in enumerate(text.splitlines(), 1):
            try:
                data = json.loads(line)
                self._replies[str(data["key"])] = Completion(**data["completion"])
                if isinstance(data.get("asked"), dict):
                    self.asked[str(data["key"])] = data["asked"]
                self.kept_during_meeting |= bool(data.get("during_meeting"))
            except (ValueError, KeyError, TypeError):
                logger.warning("ignoring a torn line %d of %s", n, self.path)
