"""User glossary: terms, CSV/JSON io, deterministic jargon matching, ASR hints.

Never imports Qt or minutes.* so it can be reused on its own.
"""
