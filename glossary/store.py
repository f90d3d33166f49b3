"""The user's own glossary file: a JSON document saved atomically.

A missing file is an empty glossary (first run). A broken file raises
`GlossaryError` and is never overwritten by a load, so a bad hand edit
cannot silently wipe the user's terms.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from glossary.errors import GlossaryError
from glossary.jsonio import parse_json, to_json
from glossary.learn import learn
from glossary.terms import Glossary, Term
from glossary.textfile import read_bytes
from minutes.atomic import atomic_write_json

logger = logging.getLogger(__name__)


def load_user_glossary(path: str | Path) -> Glossary:
    """Load the user's glossary; a missing file gives an empty glossary.

    Raises:
        GlossaryError: If the file exists but cannot be read or parsed.
    """
    path = Path(path)
    if not path.exists():
        logger.info("no glossary at %s yet; starting empty", path)
        return Glossary()
    return parse_json(read_bytes(path), path=path)


def save_user_glossary(glossary: Glossary, path: str | Path) -> None:
    """Save the user's glossary atomically (temp file + fsync + rename).

    Raises:
        GlossaryError: If the file cannot be written.
    """
    try:
        atomic_write_json(path, to_json(glossary))
    except OSError as exc:
        raise GlossaryError(f"cannot save glossary ({exc.strerror or exc})", path=path) from None


class GlossaryStore:
    """The glossary file at a caller-given path, with load/save/learn.

    Args:
        path: Where the JSON file lives (need not exist yet).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> Glossary:
        """The saved glossary (empty if the file does not exist yet)."""
        return load_user_glossary(self.path)

    def save(self, glossary: Glossary) -> None:
        """Replace the saved glossary atomically."""
        save_user_glossary(glossary, self.path)

    def learn(self, before: str, after: str, *, now: datetime | None = None) -> Term:
        """Load, teach `before` as a variant of term `after`, save; return the term."""
        glossary, term = learn(self.load(), before, after, now=now)
        self.save(glossary)
        return term


def combined_glossary(files: Iterable[str | Path], user_path: str | Path | None) -> Glossary:
    """The user's glossary (if `user_path` is given) merged with extra glossary files."""
    from glossary.io import load_glossary

    merged = load_user_glossary(user_path) if user_path is not None else Glossary()
    for f in files:
        merged = merged.merge(load_glossary(f))
    return merged
