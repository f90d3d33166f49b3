"""The glossary on real Korean ASR output: terms fixed, nothing else touched.

The glossary is the Pansori talks' own English terms; the clips are the ones
whose reference transcripts contain them, plus clips that contain none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import cer, pansori_clips, pansori_latin_clips
from bench.glossary_quality import TALK_TERMS, count_terms
from glossary.terms import Glossary, Term
from minutes.asr import AsrOptions, WhisperTranscriber
from minutes.correct import glossary_corrections
from minutes.types import CorrectionStatus, Transcript, apply_corrections

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GLOSSARY = Glossary.from_terms(Term(t) for t in TALK_TERMS)


def _run(t: WhisperTranscriber, path: Path, duration: float) -> Transcript:
    return Transcript("ko", duration, tuple(t.transcribe_file(path, AsrOptions(language="ko"))))


def test_terms_are_fixed_and_only_towards_the_reference(
    base_transcriber: WhisperTranscriber, speech_dir: Path
) -> None:
    applied = proposed_right = 0
    for clip in pansori_latin_clips():
        transcript = _run(base_transcriber, clip.path, clip.duration)
        corrections = glossary_corrections(transcript, GLOSSARY)
        fixed = " ".join(apply_corrections(transcript, corrections).values())
        raw = " ".join(s.text for s in transcript.segments)
        assert cer(clip.text, fixed) <= cer(clip.text, raw) + 1e-9, (clip.text, raw, fixed)
        for c in corrections:
            right = c.after.upper() in clip.text.upper()
            if c.status is CorrectionStatus.ACCEPTED:
                assert right, f"wrong automatic fix {c.before!r} -> {c.after!r} in {raw!r}"
                applied += 1
            proposed_right += right and c.status is CorrectionStatus.PROPOSED
    # 엠피스리 -> mp3 is applied; 태드 -> TED is proposed (see docs/BENCHMARKS.md).
    assert applied >= 1 and proposed_right >= 1


def test_nothing_changes_on_clips_without_terms(
    base_transcriber: WhisperTranscriber, speech_dir: Path
) -> None:
    others = [c for c in pansori_clips() if not count_terms(c.text) and c.duration >= 3.0][:30]
    for clip in others:
        transcript = _run(base_transcriber, clip.path, clip.duration)
        auto = [
            c
            for c in glossary_corrections(transcript, GLOSSARY)
            if c.status is CorrectionStatus.ACCEPTED
        ]
        assert auto == [], f"false change in {transcript.segments}: {auto}"
