"""Versioned prompt files and chat templates (``resources/prompts``).

Layout::

    resources/prompts/<task>/v<N>.toml         system and user templates, English
    resources/prompts/<task>/v<N>.schema.json  the JSON schema the reply must follow
    resources/prompts/chat/<family>.toml       how a model family wraps turns

A prompt's id is ``<task>/v<N>``; it is recorded on every result it produced
(`Correction.rule`, `Minutes.prompts`), so a change of wording is a new file,
never an edit of an old one. Templates use ``${name}`` placeholders
(`string.Template`), so JSON braces in the text need no escaping, and the
values substituted in (transcript text) are never re-read as template syntax.
"""

from __future__ import annotations

import json
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from minutes.llm.engines.base import ChatMessage
from minutes.llm.errors import LlmError
from minutes.resources import resources_dir

_VERSION_FILE = re.compile(r"^v(\d+)\.toml$")
DEFAULT_FAMILY = "chatml"


@dataclass(frozen=True)
class Prompt:
    """One version of one task's prompt."""

    task: str
    version: int
    system: str
    user: str
    schema: Mapping[str, Any] | None

    @property
    def id(self) -> str:
        return f"{self.task}/v{self.version}"

    def messages(self, **values: str) -> list[ChatMessage]:
        """Fill the templates and return the system and user turns.

        Raises:
            LlmError: A placeholder has no value.
        """
        return [
            ChatMessage("system", _fill(self.system, values, self.id)),
            ChatMessage("user", _fill(self.user, values, self.id)),
        ]


def _fill(template: str, values: Mapping[str, str], prompt_id: str) -> str:
    try:
        return string.Template(template).substitute(values)
    except (KeyError, ValueError) as exc:
        raise LlmError(f"prompt {prompt_id}: missing or bad placeholder {exc}") from exc


def prompt_versions(task: str) -> list[int]:
    """The versions of a task's prompt that ship, oldest first."""
    folder = resources_dir() / "prompts" / task
    if not folder.is_dir():
        return []
    found = (_VERSION_FILE.match(p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


@lru_cache(maxsize=32)
def load_prompt(task: str, version: int | None = None) -> Prompt:
    """Load a task's prompt (the newest version unless one is named).

    Raises:
        LlmError: The prompt file is missing or malformed.
    """
    versions = prompt_versions(task)
    if not versions:
        raise LlmError(f"no prompt files for task {task!r} in {resources_dir() / 'prompts'}")
    chosen = versions[-1] if version is None else version
    path = resources_dir() / "prompts" / task / f"v{chosen}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LlmError(f"cannot read prompt {path}: {exc}") from exc
    schema_path = path.with_suffix(".schema.json")
    schema: Mapping[str, Any] | None = None
    if schema_path.is_file():
        try:
            schema = json.loads(schema_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LlmError(f"cannot read schema {schema_path}: {exc}") from exc
    try:
        return Prompt(task, chosen, str(data["system"]), str(data["user"]), schema)
    except KeyError as exc:
        raise LlmError(f"prompt {path} lacks {exc}") from exc


@dataclass(frozen=True)
class ChatTemplate:
    """How one model family marks up chat turns for a raw completion call."""

    family: str
    system: str  # with ${content}
    user: str
    assistant: str
    generation_prefix: str  # what opens the reply the model writes
    stop: tuple[str, ...]
    bos: str = ""


@lru_cache(maxsize=16)
def chat_template(family: str) -> ChatTemplate:
    """The chat template of a model family ("chatml", "llama3", "gemma", "mistral").

    Raises:
        LlmError: The family is unknown.
    """
    path = resources_dir() / "prompts" / "chat" / f"{family}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        known = sorted(p.stem for p in path.parent.glob("*.toml"))
        raise LlmError(f"unknown chat template {family!r}; known: {', '.join(known)}") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LlmError(f"cannot read chat template {path}: {exc}") from exc
    return ChatTemplate(
        family=family,
        system=str(data["system"]),
        user=str(data["user"]),
        assistant=str(data["assistant"]),
        generation_prefix=str(data["generation_prefix"]),
        stop=tuple(data.get("stop", ())),
        bos=str(data.get("bos", "")),
    )


def render_chat(
    messages: Sequence[ChatMessage], family: str = DEFAULT_FAMILY, *, include_bos: bool = True
) -> str:
    """Render chat turns as one prompt string in the family's template.

    Families without a system turn (gemma, mistral) get the system text
    prepended to the first user turn, as their own templates do.

    Args:
        messages: The turns.
        family: A chat-template family.
        include_bos: Write the BOS marker; llama.cpp adds it itself when the
            model wants one, so it passes False to avoid a double BOS.
    """
    tpl = chat_template(family)
    parts = [tpl.bos if include_bos else ""]
    pending_system = ""
    for msg in messages:
        if msg.role == "system":
            if tpl.system:
                parts.append(tpl.system.replace("${content}", msg.content))
            else:
                pending_system = msg.content + "\n\n"
        elif msg.role == "user":
            parts.append(tpl.user.replace("${content}", pending_system + msg.content))
            pending_system = ""
        else:
            parts.append(tpl.assistant.replace("${content}", msg.content))
    parts.append(tpl.generation_prefix)
    return "".join(parts)


def family_from_metadata(metadata: Mapping[str, str]) -> str:
    """Guess a GGUF model's chat-template family from its metadata."""
    template = metadata.get("tokenizer.chat_template", "")
    arch = metadata.get("general.architecture", "")
    if "<|im_start|>" in template or arch in ("qwen2", "qwen3", "qwen2moe"):
        return "chatml"
    if "<|start_header_id|>" in template or (
        arch == "llama" and "llama-3" in metadata.get("general.name", "").lower()
    ):
        return "llama3"
    if "<start_of_turn>" in template or arch.startswith("gemma"):
        return "gemma"
    if "[INST]" in template:
        return "mistral"
    return DEFAULT_FAMILY
