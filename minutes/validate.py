"""Sanity checks for stage data read back from JSON files.

`from_dict` constructors convert what they can (``float("1.5")``); these
checks refuse what no later stage can use: times that are NaN, infinite or
negative, text fields that are not text, speaker names that are not names.
Each raises ValueError with a short reason; loaders turn it into the
user-facing error of their file (SessionError, ExportError).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from minutes.types import Correction, Document, Segment, Transcript, Word

LOAD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, OverflowError, IndexError)
"""What `from_dict` constructors raise for a wrong shape (OverflowError: 1e999-style ints)."""


MAX_SECONDS = 1e7
"""About 115 days: no recording is longer; 1e308 s would overflow the exporters' arithmetic."""


def time_value(value: Any, what: str) -> float:
    """A point in time or a duration in seconds: a finite number in 0..MAX_SECONDS."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not {type(value).__name__}")
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ValueError(f"{what} must be a finite number of seconds >= 0, not {value!r}")
    return float(value)


def finite(value: Any, what: str) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")


def optional_text(value: Any, what: str) -> None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{what} must be text or null, not {type(value).__name__}")


def names(value: Any, what: str) -> dict[str, str]:
    """A {speaker id: display name} mapping of strings."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be an object, not {type(value).__name__}")
    for key, name in value.items():
        if not isinstance(key, str) or not isinstance(name, str):
            raise ValueError(f"{what} must map text to text")
    return dict(value)


def file_name(value: Any, what: str) -> None:
    """A bare file name (no folder part): session files never point outside their folder."""
    optional_text(value, what)
    if value is not None and (PurePath(value).name != value or value in ("", ".", "..")
                              or "\\" in value or "\0" in value):
        raise ValueError(f"{what} must be a file name inside the session folder, not {value!r}")


def words(items: Iterable[Word], where: str) -> None:
    for w in items:
        time_value(w.start, f"{where}: word start")
        time_value(w.end, f"{where}: word end")
        finite(w.probability, f"{where}: word probability")


def segment(s: Segment | Any, where: str = "") -> None:
    where = f"{where}segment {s.id}"
    time_value(s.start, f"{where}: start")
    time_value(s.end, f"{where}: end")
    optional_text(s.speaker, f"{where}: speaker")
    for name in ("avg_logprob", "no_speech_prob"):
        value = getattr(s, name, None)
        if value is not None:
            finite(value, f"{where}: {name}")
    words(s.words, where)


def transcript(t: Transcript) -> Transcript:
    time_value(t.duration, "duration")
    optional_text(t.audio_path, "audio_path")
    for s in t.segments:
        segment(s)
    return t


def correction(c: Correction) -> Correction:
    where = f"correction {c.id}"
    if c.start_char < 0 or c.end_char < c.start_char:
        raise ValueError(f"{where}: bad character span {c.start_char}..{c.end_char}")
    finite(c.score, f"{where}: score")
    optional_text(c.term, f"{where}: term")
    optional_text(c.rule, f"{where}: rule")
    return c


def document(d: Document) -> Document:
    time_value(d.duration, "duration")
    names(d.speaker_names, "speakers")
    for s in d.segments:
        segment(s)
    for c in d.corrections:
        correction(c)
    return d
