"""Glossary correction of a transcript, as `Correction` records.

The matcher (glossary.matcher) works on plain strings; this module maps its
matches onto segments. Safe matches are accepted at once (the user can still
reject them in review); ambiguous or low-score ones are only proposed.
"""

from __future__ import annotations

from collections.abc import Callable

from glossary.matcher import Matcher
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
    total = max(len(transcript.segments), 1)
    for i, seg in enumerate(transcript.segments):
        if cancel:
            cancel.raise_if_cancelled()
        for m in matcher.find(seg.text):
            out.append(
                Correction(
                    segment_id=seg.id,
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
            )
        if progress and i % 50 == 0:
            progress(i / total)
    if progress:
        progress(1.0)
    return out
