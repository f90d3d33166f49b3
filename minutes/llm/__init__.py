"""LLM features: guarded context repair and meeting minutes, on pluggable engines.

Design: the language model *proposes*, the user decides. Every engine sits
behind one small interface (`minutes.llm.engines.base.Engine`); outputs are
constrained by a JSON schema and validated in code before anyone sees them.

Nothing heavy is imported here: llama-cpp-python, torch and transformers are
imported inside the engine that needs them, so ``import minutes.llm`` stays
cheap. Nothing is sent off the machine unless the user configured an
endpoint (see `minutes.llm.settings`).

Modules:
    engines/      llama.cpp (embedded GGUF), OpenAI-compatible HTTP, transformers
    modelstore    the embedded GGUF models (split PyPI packages, sha256-checked)
    prompts       versioned prompt files and chat templates (resources/prompts)
    repair        context repair: LLM proposals as `Correction` records
    validate      the guards every repair proposal must pass
    summarise     minutes and action items (map-reduce over long meetings)
    templates     minutes templates (shipped, user copies override)
    cli           ``minutes summarize``

`ActionItem`, `Minutes` and their session file are core types (`minutes.meeting`).
"""

from __future__ import annotations

from minutes.llm.errors import EngineUnavailable, LlmError
from minutes.meeting import ActionItem, Minutes, Note, Topic

__all__ = ["ActionItem", "EngineUnavailable", "LlmError", "Minutes", "Note", "Topic"]
