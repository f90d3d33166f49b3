"""The one exception type the glossary package raises for bad input."""

from __future__ import annotations

from pathlib import Path


class GlossaryError(ValueError):
    """A glossary file or value is unusable; the message names file and line.

    Attributes:
        path: The file the problem was found in, when there is one.
        line: The 1-based line number in that file, when it is known.
        reason: The problem alone, without the location prefix.
    """

    def __init__(self, reason: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.reason = reason
        super().__init__(_locate(reason, self.path, line))


def _locate(reason: str, path: Path | None, line: int | None) -> str:
    where = path.name if path is not None else ""
    if line is not None:
        where = f"{where} line {line}" if where else f"line {line}"
    return f"{where}: {reason}" if where else reason
