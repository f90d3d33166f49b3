"""User glossary: terms, CSV/JSON io, deterministic jargon matching, ASR hints.

Never imports Qt, and from minutes only `minutes.atomic` (for safe saves),
so it can be reused on its own. Heavy libraries (tokenizers) load lazily.
"""
