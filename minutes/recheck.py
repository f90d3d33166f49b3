"""Correct a meeting against the glossary, and re-check the library when the glossary changes.

The correction stage (guided re-decoding, then the text matcher) is stored with
the key of its inputs: the transcript text, the glossary's fingerprint and which
model did the guided pass. A meeting whose key differs from the current one was
corrected with an older glossary (or another model): `stale_sessions` finds
them, `correct_session` brings one up to date, keeping every decision the user
made in Review, and `recheck_library` does it for all of them. The pipeline, the
CLI (`minutes correct`, `--library`) and the app's background job share this code;
`minutes.correct` turns matches into records for them and for the live transcript.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutes.progress import CancelToken
from minutes.session import Session, SessionError, list_sessions, merge_glossary_corrections
from minutes.types import Correction, CorrectionSource, Transcript

if TYPE_CHECKING:
    from glossary.terms import Glossary
    from minutes.asr import AsrOptions
    from minutes.guided import GuidedDecoder, GuidedOptions

logger = logging.getLogger(__name__)

AUTOMATIC = (CorrectionSource.GLOSSARY, CorrectionSource.GUIDED)


@dataclass(frozen=True)
class Guide:
    """What guided re-decoding needs: the loaded model, the first pass's options and
    its own limits."""

    transcriber: GuidedDecoder
    asr: AsrOptions
    options: GuidedOptions = field(default_factory=lambda: _default_guided())


def _default_guided() -> GuidedOptions:
    from minutes.guided import GuidedOptions

    return GuidedOptions()


def correction_key(
    transcript: Transcript, glossary: Glossary, guided_by: str | None = None
) -> str:
    """Inputs of the correction stage: re-run only when the text, the glossary or the
    guided re-decoding (off, or the model doing it) changed."""
    from minutes.session import stage_key

    inputs: dict[str, Any] = {
        "transcript": [s.text for s in transcript.segments],
        "glossary": glossary.fingerprint(),
    }
    if guided_by is not None:
        inputs["guided"] = guided_by
    return stage_key(**inputs)


def fresh_corrections(
    transcript: Transcript,
    audio: Path | None,
    glossary: Glossary,
    guide: Guide | None,
    *,
    progress: Callable[[float, str], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[Correction]:
    """Guided re-decoding (when a guide and the audio are there), then the matcher."""
    from minutes.correct import glossary_corrections

    report = progress or (lambda _f, _label: None)
    out: list[Correction] = []
    if guide is not None and audio is not None and len(glossary):
        from minutes.audio import AudioError

        try:
            out += guided_stage(
                transcript, audio, glossary, guide,
                progress=lambda f: report(0.9 * f, "checking glossary terms in the audio"),
                cancel=cancel,
            )  # fmt: skip
        except (AudioError, OSError) as exc:
            # The recording cannot be read now (moved, damaged): the transcript and the
            # text matcher's corrections do not need it.
            logger.warning("guided re-decoding skipped: %s; the glossary is applied to the "
                           "text only", exc)
    out += glossary_corrections(
        transcript, glossary, progress=lambda f: report(0.9 + 0.1 * f, "glossary"), cancel=cancel
    )
    return out


def correct_document(
    transcript: Transcript, existing: list[Correction], glossary: Glossary
) -> list[Correction]:
    """The matcher's corrections for a transcript without its audio (`minutes correct` on
    an exported JSON): fresh glossary changes, the user's decisions and other sources kept."""
    fresh = fresh_corrections(transcript, None, glossary, None)
    return merge_glossary_corrections(existing, fresh, (CorrectionSource.GLOSSARY,))


def guided_stage(
    transcript: Transcript,
    audio: Path,
    glossary: Glossary,
    guide: Guide,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[Correction]:
    """Guided re-decoding over the recording, windowed and normalised as the first pass was."""
    from minutes.audio import Window, iter_windows, normalise_loudness
    from minutes.guided import guided_corrections

    asr = guide.asr

    def windows() -> Iterator[Window]:
        for w in iter_windows(audio, asr.window_seconds):
            if asr.normalise_to_dbfs is None:
                yield w
            else:
                yield Window(w.offset, normalise_loudness(w.samples, asr.normalise_to_dbfs))

    return guided_corrections(
        transcript, windows(), glossary, guide.transcriber, guide.options,
        progress=progress, cancel=cancel,
    )  # fmt: skip


def correct_session(
    session: Session,
    transcript: Transcript,
    glossary: Glossary,
    guide: Guide | None,
    *,
    progress: Callable[[float, str], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[Correction]:
    """Bring a meeting's corrections up to date with `glossary`; saved, decisions kept.

    Nothing is recomputed when the stored key says they already are.
    """
    existing = session.load_corrections()
    key = correction_key(transcript, glossary, guide.transcriber.name if guide else None)
    if existing and session.corrections_key() == key:
        return existing
    fresh = fresh_corrections(
        transcript, session.audio_path, glossary, guide, progress=progress, cancel=cancel
    )
    # Read again: the user may have decided something in Review meanwhile.
    merged = merge_glossary_corrections(session.load_corrections(), fresh, AUTOMATIC)
    session.save_corrections(merged, key)
    return merged


def is_stale(session: Session, glossary: Glossary, guided_by: str | None) -> bool:
    """Whether the meeting has a transcript corrected with other inputs than these."""
    transcript = session.load_transcript()
    if transcript is None:
        return False
    return session.corrections_key() != correction_key(transcript, glossary, guided_by)


def stale_sessions(
    root: Path, glossary: Glossary, guided_by: str | None, *, skip: Path | None = None
) -> list[Session]:
    """Meetings in the library whose corrections predate this glossary (newest first)."""
    out: list[Session] = []
    for session in list_sessions(root):
        if skip is not None and session.folder.resolve() == skip.resolve():
            continue
        try:
            if is_stale(session, glossary, guided_by):
                out.append(session)
        except SessionError as exc:
            logger.warning("skipping %s: %s", session.folder, exc)
    return out


@dataclass
class RecheckReport:
    """What `recheck_library` did: per meeting, the accepted changes before and after."""

    checked: list[tuple[Session, int, int]] = field(default_factory=list)
    failed: list[tuple[Session, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for _, before, after in self.checked if before != after)


def recheck_library(
    root: Path,
    glossary: Glossary,
    guide: Guide | None,
    *,
    skip: Path | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancel: CancelToken | None = None,
) -> RecheckReport:
    """Re-check every meeting corrected with another glossary; one bad meeting is reported,
    not fatal. Cancel stops between (and inside) meetings; finished ones stay saved."""
    sessions = stale_sessions(root, glossary, guide.transcriber.name if guide else None, skip=skip)
    report = RecheckReport()
    for n, session in enumerate(sessions):
        if cancel is not None:
            cancel.raise_if_cancelled()
        label = session.meta.title or session.folder.name

        def step(f: float, what: str, n: int = n, label: str = label) -> None:
            if progress is not None:
                progress((n + f) / len(sessions), f"{label}: {what}")

        try:
            transcript = session.load_transcript()
            if transcript is None:
                continue
            before = _accepted(session.load_corrections())
            after = _accepted(
                correct_session(session, transcript, glossary, guide, progress=step, cancel=cancel)
            )
        except (SessionError, OSError) as exc:
            logger.warning("re-checking %s failed: %s", session.folder, exc)
            report.failed.append((session, str(exc)))
            continue
        report.checked.append((session, before, after))
    if progress is not None:
        progress(1.0, "done")
    return report


def _accepted(corrections: list[Correction]) -> int:
    return sum(1 for c in corrections if c.status.value == "accepted")
