"""The glossary on real Korean ASR output: terms fixed, nothing else touched.

The glossary is the Pansori talks' own English terms; the clips are the ones
whose reference transcripts contain them, plus clips that contain none. Each
first pass is followed by guided re-decoding (minutes.guided) and the matcher,
as `minutes transcribe` does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import Clip, cer, concat_clips, pansori_clips, pansori_latin_clips
from bench.glossary_quality import TALK_TERMS, count_terms, unrelated_terms, windows_of
from glossary.terms import Glossary, Term
from minutes.asr import AsrOptions, WhisperTranscriber
from minutes.correct import glossary_corrections
from minutes.guided import GuidedOptions, guided_corrections
from minutes.types import CorrectionStatus, Transcript, apply_corrections

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GLOSSARY = Glossary.from_terms(Term(t) for t in TALK_TERMS)


def _run(t: WhisperTranscriber, path: Path, duration: float) -> Transcript:
    return Transcript("ko", duration, tuple(t.transcribe_file(path, AsrOptions(language="ko"))))


def _guided(t: WhisperTranscriber, clip: Clip, transcript: Transcript, g: Glossary) -> list:
    return guided_corrections(transcript, windows_of(clip), g, t)


def test_terms_are_fixed_and_only_towards_the_reference(
    base_transcriber: WhisperTranscriber, speech_dir: Path
) -> None:
    """Guided re-decoding plus the glossary raise term recall, and every automatic
    change brings in a term the speaker said. Properties with margins, not one
    ASR string: int8 output differs between CPUs (docs/BENCHMARKS.md has the
    figures of one machine: 11 -> 17 of 21 terms)."""
    in_ref = raw_hits = fixed_hits = 0
    err_raw = err_fixed = 0.0
    for clip in pansori_latin_clips():
        transcript = _run(base_transcriber, clip.path, clip.duration)
        corrections = _guided(base_transcriber, clip, transcript, GLOSSARY)
        corrections += glossary_corrections(transcript, GLOSSARY)
        fixed = " ".join(apply_corrections(transcript, corrections).values())
        raw = " ".join(s.text for s in transcript.segments)
        err_raw += cer(clip.text, raw)
        err_fixed += cer(clip.text, fixed)
        for c in corrections:
            if c.status is CorrectionStatus.ACCEPTED:
                assert c.term and count_terms(clip.text, (c.term,)), (
                    f"automatic change {c.before!r} -> {c.after!r} ({c.source}) brings in a "
                    f"term the speaker did not say: {clip.text!r}"
                )
        ref = count_terms(clip.text)
        in_ref += sum(ref.values())
        raw_hits += sum(min(n, count_terms(raw).get(t, 0)) for t, n in ref.items())
        fixed_hits += sum(min(n, count_terms(fixed).get(t, 0)) for t, n in ref.items())
    assert err_fixed < err_raw
    # The glossary alone found one more term than the raw text; guided decoding
    # finds several (six on the machine the benchmark ran on).
    assert fixed_hits >= raw_hits + 3, (raw_hits, fixed_hits, in_ref)


def test_nothing_changes_on_clips_without_terms(
    base_transcriber: WhisperTranscriber, speech_dir: Path
) -> None:
    """No automatic change on clips without the terms, with 500 unrelated terms added."""
    avoid = {c.text.upper() for c in pansori_clips()}
    big = Glossary.from_terms(
        [*GLOSSARY, *(Term(t) for t in unrelated_terms(500, avoid))]
    )
    others = [c for c in pansori_clips() if not count_terms(c.text) and c.duration >= 3.0][:30]
    for clip in others:
        transcript = _run(base_transcriber, clip.path, clip.duration)
        auto = [
            c
            for c in _guided(base_transcriber, clip, transcript, big)
            + glossary_corrections(transcript, big)
            if c.status is CorrectionStatus.ACCEPTED
        ]
        assert auto == [], f"false change in {transcript.segments}: {auto}"


def test_pipeline_keeps_confirmed_redecodings_with_provenance(
    base_model_dir: Path, speech_dir: Path, tmp_path: Path
) -> None:
    """`Pipeline.run` on a recording of several term clips: guided corrections are
    saved and exported with their provenance, and a re-run reuses them."""
    from minutes.pipeline import Pipeline, RunOptions
    from minutes.types import CorrectionSource

    clips = [c for c in pansori_latin_clips() if count_terms(c.text)][:10]
    audio, _ = concat_clips(clips, tmp_path / "terms.wav")
    pipeline = Pipeline(tmp_path / "sessions")
    pipeline._transcriber = WhisperTranscriber(str(base_model_dir), name="base")
    # No budget: every promising stretch of these term-dense clips is re-decoded.
    options = RunOptions(
        language="ko", out_dir=tmp_path / "out", formats=("json",),
        guided_options=GuidedOptions(min_decodes=100),
    )
    meeting = pipeline.import_audio(audio)
    first = pipeline.run(meeting, options, GLOSSARY)
    guided = [c for c in first.corrections if c.source is CorrectionSource.GUIDED]
    # This is about provenance, not recall (the test above bounds recall): on the machine
    # the benchmark ran on, the first pass over this concatenation already has most of
    # its terms and one re-decoding is confirmed; int8 output differs between CPUs.
    assert guided, "guided decoding confirmed nothing on ten clips with terms"
    for c in guided:
        assert c.detail and c.detail["first_pass"] and c.detail["terms_offered"]
        assert c.term in c.detail["terms_offered"]
    exported = json.loads((tmp_path / "out" / "terms.json").read_text(encoding="utf-8"))
    assert any(c["source"] == "guided" and "detail" in c for c in exported["corrections"])
    again = pipeline.run(meeting, options, GLOSSARY)
    assert again.reused_asr
    assert {c.id for c in again.corrections} == {c.id for c in first.corrections}
    off = pipeline.run(meeting, RunOptions(language="ko", guided=False), GLOSSARY)
    assert not [c for c in off.corrections if c.source is CorrectionSource.GUIDED]


def test_live_transcript_gets_confirmed_terms(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path
) -> None:
    """The live pass (greedy, no word times) with guided re-decoding on term clips read
    from disk as they would arrive: every guided change brings in a term that was said."""
    from minutes.audio import load_audio
    from minutes.live import LiveSegment, LiveTranscriber, guided_guide, live_asr_options
    from minutes.live import whisper_transcribe as live_decoder
    from minutes.types import CorrectionSource

    clips = [c for c in pansori_latin_clips() if count_terms(c.text)][:8]
    path, reference = concat_clips(clips, tmp_path / "live.wav", gap=1.0)
    samples = load_audio(path)

    class Source:
        def available(self) -> int:
            return int(samples.size)

        def read(self, start: int, stop: int) -> object:
            return samples[start:stop]

    decode = live_decoder(base_transcriber, live_asr_options("ko"))
    guide = guided_guide(GLOSSARY, base_transcriber, lambda: decode.language)
    out: list[LiveSegment] = []
    live = LiveTranscriber(Source(), decode, out.append, guide=guide, guide_max_behind_s=1e9)
    live.finish()
    guided = [c for s in out for c in s.corrections if c.source is CorrectionSource.GUIDED]
    assert live.guided_segments == len({id(s) for s in out if any(
        c.source is CorrectionSource.GUIDED for c in s.corrections)})
    for c in guided:
        assert c.term and count_terms(reference, (c.term,)), (c.before, c.after)
    raw_hits = sum(min(n, count_terms(" ".join(s.text_raw for s in out)).get(t, 0))
                   for t, n in count_terms(reference).items())
    live_hits = sum(min(n, count_terms(" ".join(s.text for s in out)).get(t, 0))
                    for t, n in count_terms(reference).items())
    assert live_hits >= raw_hits
