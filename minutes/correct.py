"""Glossary correction of a transcript, as `Correction` records.

The matcher (glossary.matcher) works on plain strings; this module maps its
matches onto segments. Safe matches are accepted at once (the user can still
reject them in review); ambiguous or low-score ones are only proposed.
"""

from __future__ import annotations

from collections.abc import Callable

from glossary.matcher import Match, Matcher
from glossary.terms import Glossary
from minutes.progress import CancelToken
from minutes.types import Correction, CorrectionSource, CorrectionStatus, Transcript


def glossary_corrections(
    transcript: Transcript,
    glossary: Glossary,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[Correction]:
    """Match every segment's raw text against the glossary. Pure apart from callbacks."""
    if not len(glossary):
        return []
    matcher = Matcher(glossary, language=transcript.language)
    out: list[Correction] = []
    segments = transcript.segments
    # Batches of segments: find_all scores a batch at once (faster than one
    # call per segment) while cancel and progress still react quickly.
    batch = 200
    for lo in range(0, len(segments), batch):
        if cancel:
            cancel.raise_if_cancelled()
        chunk = segments[lo : lo + batch]
        for seg, matches in zip(chunk, matcher.find_all([s.text for s in chunk]), strict=True):
            out.extend(to_corrections(seg.id, matches))
        if progress:
            progress(min((lo + batch) / len(segments), 1.0))
    return out


def to_corrections(segment_id: int, matches: list[Match]) -> list[Correction]:
    """The matcher's matches in one segment as correction records (safe ones accepted)."""
    return [
        Correction(
            segment_id=segment_id,
            start_char=m.start,
            end_char=m.end,
            before=m.before,
            after=m.after,
            source=CorrectionSource.GLOSSARY,
            term=m.term,
            score=m.score,
            status=CorrectionStatus.ACCEPTED if m.auto else CorrectionStatus.PROPOSED,
            rule=m.rule,
        )
        for m in matches
    ]
