"""RTTM reading and writing (NIST Rich Transcription Time Marked, SPEAKER lines)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from minutes.diarize.types import SpeakerTurn


def parse_rttm(text: str, uri: str | None = None) -> dict[str, list[SpeakerTurn]]:
    """Parse RTTM text into turns per file id.

    Args:
        text: RTTM content. Only SPEAKER lines are read; `;;` comments and
            blank lines are skipped.
        uri: If given, only this file id is kept.

    Returns:
        file id -> turns sorted by start.

    Raises:
        ValueError: On a malformed SPEAKER line (with its line number).
    """
    out: dict[str, list[SpeakerTurn]] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith(";;") or fields[0] != "SPEAKER":
            continue
        if len(fields) < 8:
            raise ValueError(f"RTTM line {lineno}: expected >= 8 fields, got {len(fields)}")
        file_id, start, dur, speaker = fields[1], fields[3], fields[4], fields[7]
        if uri is not None and file_id != uri:
            continue
        try:
            t0, d = float(start), float(dur)
        except ValueError as exc:
            raise ValueError(f"RTTM line {lineno}: bad time {start!r}/{dur!r}") from exc
        if d < 0:
            raise ValueError(f"RTTM line {lineno}: negative duration")
        out.setdefault(file_id, []).append(SpeakerTurn(t0, t0 + d, speaker))
    for turns in out.values():
        turns.sort(key=lambda t: (t.start, t.end, t.speaker))
    return out


def read_rttm(path: str | os.PathLike[str], uri: str | None = None) -> list[SpeakerTurn]:
    """Turns of one file from an RTTM file (the first file id when `uri` is None)."""
    parsed = parse_rttm(Path(path).read_text(encoding="utf-8"), uri)
    if not parsed:
        return []
    return parsed[uri] if uri is not None else next(iter(parsed.values()))


def format_rttm(turns: Iterable[SpeakerTurn], uri: str) -> str:
    """RTTM text for one file; speaker names must not contain whitespace."""
    lines = []
    for t in sorted(turns, key=lambda t: (t.start, t.end, t.speaker)):
        if any(c.isspace() for c in t.speaker) or any(c.isspace() for c in uri):
            raise ValueError("RTTM fields cannot contain whitespace")
        lines.append(
            f"SPEAKER {uri} 1 {t.start:.3f} {t.duration:.3f} <NA> <NA> {t.speaker} <NA> <NA>"
        )
    return "".join(line + "\n" for line in lines)


def write_rttm(path: str | os.PathLike[str], turns: Sequence[SpeakerTurn], uri: str) -> None:
    """Write one file's turns as RTTM (atomically)."""
    from minutes.atomic import atomic_write_text

    atomic_write_text(path, format_rttm(turns, uri))
