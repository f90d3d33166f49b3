"""What the user asks of speaker diarization, declared once for every layer.

The CLI flags, the app's settings and `RunOptions` build one `DiarizeOptions`; the
backends read it. Light on purpose (no numpy): `minutes.pipeline` imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

BACKENDS = ("offline", "pyannote")


@dataclass(frozen=True)
class DiarizeOptions:
    """Speaker counts and the backend.

    Attributes:
        speakers: Exact number of speakers, if known.
        min_speakers: Lower bound for the automatic count.
        max_speakers: Upper bound for the automatic count.
        backend: "offline" (embedded, the default) or "pyannote".
        pyannote_pipeline: Local pyannote pipeline folder / config.yaml, or a hub id
            (the hub needs a token: $HF_TOKEN).

    Raises:
        ValueError: A count below 1, max below min, or an unknown backend.
    """

    speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    backend: str = "offline"
    pyannote_pipeline: str | None = None

    def __post_init__(self) -> None:
        for name, value in (
            ("speakers", self.speakers),
            ("min_speakers", self.min_speakers),
            ("max_speakers", self.max_speakers),
        ):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be >= 1, got {value}")
        lo, hi = self.min_speakers, self.max_speakers
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(f"max_speakers ({hi}) < min_speakers ({lo})")
        if self.backend not in BACKENDS:
            raise ValueError(
                f"unknown diarization backend {self.backend!r}; expected one of {BACKENDS}"
            )
