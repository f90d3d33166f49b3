"""Word overlap between what the model wrote and what was said (the no-invention guard)."""

from __future__ import annotations

import re
from typing import Any

_EMPTY_VALUES = {
    "",
    "none",
    "n/a",
    "na",
    "unknown",
    "null",
    "-",
    "없음",
    "미정",
    "해당 없음",
    "모름",
}
_WORD = re.compile(r"[가-힣]+|[A-Za-z0-9]+")


def clean_value(value: Any) -> str | None:
    """A model's string with whitespace collapsed; None for empty or "none"-like answers."""
    text = " ".join(str(value).split()) if value is not None else ""
    return None if text.casefold() in _EMPTY_VALUES else text


def words(text: str) -> set[str]:
    """Content units for overlap: Hangul bigrams (robust to particles) and Latin words."""
    out: set[str] = set()
    for w in _WORD.findall(text.casefold()):
        if w[0] >= "\uac00":
            out.update(w[i : i + 2] for i in range(max(1, len(w) - 1)))
        elif len(w) > 2:
            out.add(w)
    return out


def heads(text: str) -> set[str]:
    """The words of a text by their first two letters, particles and endings aside
    ("상자들은" and "상자는" are both "상자")."""
    return {w[:2] for w in _WORD.findall(text.casefold())}


def support(claim: str, evidence: str) -> float:
    """Share of the claim's content units that also occur in the evidence, 0..1."""
    claimed = words(claim)
    return len(claimed & words(evidence)) / len(claimed) if claimed else 0.0
