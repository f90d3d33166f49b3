"""Data types shared by the diarization backends (NumPy only, cheap to import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt


class DiarizationError(RuntimeError):
    """Diarization could not run; the message is meant for the user."""


class BackendUnavailable(DiarizationError):
    """The requested backend cannot run here (package or model missing)."""


@dataclass(frozen=True)
class SpeakerTurn:
    """One stretch of time attributed to one speaker, in seconds.

    Speaker ids are "SPEAKER_1", "SPEAKER_2", ... numbered in order of first
    appearance. Turns of different speakers may overlap (pyannote reports
    overlapped speech); the offline backend never produces overlap.
    """

    start: float
    end: float
    speaker: str

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class DiarizationResult:
    """Turns plus one voice embedding per speaker (for voice profiles).

    `embeddings` maps speaker id -> L2-normalised Resemblyzer d-vector (256
    floats) averaged over that speaker's speech; empty when not computed.
    """

    turns: tuple[SpeakerTurn, ...]
    embeddings: Mapping[str, npt.NDArray[np.float32]] = field(default_factory=dict)
    backend: str = "offline"

    @property
    def speakers(self) -> list[str]:
        """Speaker ids in order of first appearance."""
        seen: dict[str, None] = {}
        for t in sorted(self.turns, key=lambda t: (t.start, t.end)):
            seen.setdefault(t.speaker, None)
        return list(seen)


def speaker_id(index: int) -> str:
    """Public id of the `index`-th speaker (0-based) -> "SPEAKER_<index+1>"."""
    return f"SPEAKER_{index + 1}"


def renumber_turns(turns: list[SpeakerTurn]) -> tuple[list[SpeakerTurn], dict[str, str]]:
    """Sort turns and rename speakers SPEAKER_1.. in order of first appearance.

    Args:
        turns: Turns with arbitrary speaker labels.

    Returns:
        The sorted, renamed turns and the mapping old label -> new id.
    """
    ordered = sorted(turns, key=lambda t: (t.start, t.end, t.speaker))
    mapping: dict[str, str] = {}
    for t in ordered:
        if t.speaker not in mapping:
            mapping[t.speaker] = speaker_id(len(mapping))
    return [SpeakerTurn(t.start, t.end, mapping[t.speaker]) for t in ordered], mapping
