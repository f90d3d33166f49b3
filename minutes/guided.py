"""Glossary-guided re-decoding, kept only where the audio confirms it.

The first pass decodes without hints (fast, batched; hints applied to a whole
recording measurably damage clean speech: docs/BENCHMARKS.md). Then, per
segment, the glossary terms that are *plausible there* (glossary.plausible:
what the first pass heard sounds like one of the term's spellings or readings)
are offered to Whisper as a prompt while only that segment's audio is decoded
again. The hinted text is used only where

1. it names a glossary term the first pass did not, and only within the
   words around that term: the rest of the segment keeps the first pass;
2. Whisper itself, scoring both texts on that audio *without* the prompt,
   finds the change at least as likely as the first pass, less the bias
   allowance (`GuidedOptions.bias_nats`), which is the prior that the team's
   own terms deserve.

Every change is a `Correction` with source GUIDED and its provenance (the
first-pass and hinted texts, the terms offered, both scores), accepted by
default and reviewed like glossary changes.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from minutes.progress import CancelToken
from minutes.types import Correction, CorrectionSource, CorrectionStatus, Segment, Transcript

if TYPE_CHECKING:
    from glossary.plausible import Plausible, PlausibleTerms
    from glossary.terms import Glossary
    from minutes.audio import FloatArray, Window

logger = logging.getLogger(__name__)

RULE = "guided-redecode"
SR = 16_000


@dataclass(frozen=True)
class GuidedOptions:
    """Limits of the guided pass; defaults are the measured ones (docs/BENCHMARKS.md)."""

    terms_per_segment: int = 4  # terms offered in one prompt
    min_plausibility: float = 0.6  # glossary.plausible score to offer a term
    # A segment is re-decoded only when one offered term is likely on its own (sounds
    # this alike), or is near Latin letters or a word the first pass was unsure of.
    sure_plausibility: float = 0.7
    unsure_word: float = 0.5  # word probability below which the first pass was unsure
    bias_nats: float = 4.0  # how much less likely a term's text may be than the first pass
    max_span_chars: int = 24  # longest first-pass stretch one change may replace
    pad_seconds: float = 0.25  # audio kept around a segment
    min_seconds: float = 0.5  # shorter stretches are not re-decoded
    max_seconds: float = 30.0  # Whisper's window


class GuidedDecoder(Protocol):
    """What an ASR backend offers for guided re-decoding (minutes.asr.WhisperTranscriber)."""

    def decode_with_prompt(self, samples: FloatArray, language: str, prompt: str) -> str: ...

    def text_logprobs(
        self, samples: FloatArray, language: str, texts: Sequence[str]
    ) -> list[float]: ...


@dataclass(frozen=True)
class GuidedStats:
    """What the pass did, for logs and benchmarks."""

    segments: int = 0
    redecoded: int = 0
    seconds_redecoded: float = 0.0
    proposed: int = 0
    accepted: int = 0


def guided_corrections(
    transcript: Transcript,
    windows: Iterable[Window],
    glossary: Glossary,
    decoder: GuidedDecoder,
    options: GuidedOptions = GuidedOptions(),
    *,
    index: PlausibleTerms | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    stats: dict[str, Any] | None = None,
) -> list[Correction]:
    """Confirmed re-decodings of `transcript`.

    Args:
        transcript: The first pass.
        windows: The recording's audio as the first pass saw it (16 kHz mono, the
            same loudness normalisation), in time order; a segment is cut from
            the window it starts in.
        glossary: The user's terms.
        decoder: The ASR backend (`decode_with_prompt`, `text_logprobs`).
    """
    from glossary.plausible import PlausibleTerms

    if not len(glossary) or not transcript.segments:
        return []
    index = index or PlausibleTerms(glossary)
    language = transcript.language if transcript.language not in ("", "auto") else "ko"
    plans = [(seg, _offer(seg, index, options)) for seg in transcript.segments]
    plans = [(seg, terms) for seg, terms in plans if terms]
    tally = GuidedStats(segments=len(transcript.segments))
    out: list[Correction] = []
    done = 0
    pending = list(plans)
    for window in windows if plans else ():
        end = window.offset + window.duration
        here = [(s, t) for s, t in pending if s.start < end]
        pending = pending[len(here):]
        for seg, terms in here:
            if cancel:
                cancel.raise_if_cancelled()
            clip = _clip(window, seg, options)
            done += 1
            if clip is not None:
                tally = _add(tally, redecoded=1, seconds_redecoded=len(clip) / SR)
                found, scored = _confirm(seg, clip, terms, language, decoder, options)
                tally = _add(tally, proposed=scored, accepted=len(found))
                out.extend(found)
            if progress:
                progress(done / len(plans))
        if not pending:
            break
    if stats is not None:
        stats.update(vars(tally))
    logger.info("guided re-decoding: %s", tally)
    return out


def _add(t: GuidedStats, **inc: float) -> GuidedStats:
    values = vars(t).copy()
    for key, v in inc.items():
        values[key] += v
    return GuidedStats(**values)


def _offer(seg: Segment, index: PlausibleTerms, options: GuidedOptions) -> list[str]:
    """The terms plausible in this segment that it does not already name, or [] when
    none is likely enough to be worth decoding the segment again."""
    found = index.find(seg.text, min_score=options.min_plausibility)
    named = {p.term for p in found if p.present}
    missing = [p for p in found if not p.present and p.term not in named]
    if not any(_worth_it(seg, p, options) for p in missing):
        return []
    return index.top_terms(missing, options.terms_per_segment)


def _worth_it(seg: Segment, p: Plausible, options: GuidedOptions) -> bool:
    if p.score >= options.sure_plausibility:
        return True
    if re.search("[A-Za-z]", seg.text[p.start : p.end]):
        return True  # Latin letters in Korean speech: a term, heard right or wrong
    return min_word_probability(seg, p.start, p.end) < options.unsure_word


def min_word_probability(seg: Segment, start: int, end: int) -> float:
    """The lowest probability of the words covering seg.text[start:end].

    0.0 when the segment has no word probabilities (a backend without them): unknown
    counts as unsure, so such a segment is still checked.
    """
    if not seg.words:
        return 0.0
    lowest, pos = 1.0, 0
    for word in seg.words:
        text = word.text.strip()
        k = seg.text.find(text, pos) if text else -1
        if k < 0:
            continue
        if k < end and k + len(text) > start:
            lowest = min(lowest, word.probability)
        pos = k + len(text)
    return lowest


def _clip(window: Window, seg: Segment, options: GuidedOptions) -> FloatArray | None:
    start = max(0.0, seg.start - window.offset - options.pad_seconds)
    end = min(window.duration, seg.end - window.offset + options.pad_seconds)
    end = min(end, start + options.max_seconds)
    if end - start < options.min_seconds:
        return None
    return window.samples[int(start * SR) : int(end * SR)]


def _confirm(
    seg: Segment,
    clip: FloatArray,
    terms: list[str],
    language: str,
    decoder: GuidedDecoder,
    options: GuidedOptions,
) -> tuple[list[Correction], int]:
    """(the confirmed corrections, how many candidate changes were scored).

    Each new term's local change is scored on its own against the first pass; the
    ones within the bias are kept, the better first where two overlap.
    """
    from glossary.plausible import terms_in

    prompt = ", ".join(terms)
    hinted = decoder.decode_with_prompt(clip, language, prompt).strip()
    first = seg.text
    new_terms = [t for t in terms_in(hinted, terms) if t not in terms_in(first, terms)]
    if not hinted or not new_terms:
        return [], 0
    candidates: dict[tuple[int, int, str], tuple[str, Change]] = {}
    for term in new_terms:
        change = local_change(first, hinted, term, options.max_span_chars)
        if change is not None:
            change = Change(change.start, change.end, change.before,
                            canonical_spelling(change.after, terms))
            candidates.setdefault((change.start, change.end, change.after), (term, change))
    if not candidates:
        return [], 0
    ordered = list(candidates.values())
    scores = decoder.text_logprobs(clip, language, [first] + [c.apply(first) for _, c in ordered])
    base = scores[0]
    ranked = sorted(range(len(ordered)), key=lambda k: -scores[k + 1])
    out: list[Correction] = []
    for k in ranked:
        term, change = ordered[k]
        gain = scores[k + 1] - base
        logger.debug("guided %r -> %r (%s): %+.2f nats", change.before, change.after, term, gain)
        if gain < -options.bias_nats:
            continue
        if any(change.start < c.end_char and c.start_char < change.end for c in out):
            continue
        out.append(Correction(
            segment_id=seg.id,
            start_char=change.start,
            end_char=change.end,
            before=change.before,
            after=change.after,
            source=CorrectionSource.GUIDED,
            term=term,
            score=round(min(1.0, max(0.0, 0.5 + gain / (4 * options.bias_nats))), 4),
            status=CorrectionStatus.ACCEPTED,
            rule=RULE,
            detail={
                "first_pass": first,
                "hinted": hinted,
                "terms_offered": list(terms),
                "logprob_first": round(base, 3),
                "logprob_changed": round(scores[k + 1], 3),
            },
        ))
    return sorted(out, key=lambda c: c.start_char), len(ordered)


def canonical_spelling(text: str, terms: Sequence[str]) -> str:
    """`text` with every whole-word occurrence of a term written as the glossary has it."""
    for term in terms:
        pattern = rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])"
        text = re.sub(pattern, term.replace("\\", "\\\\"), text, flags=re.IGNORECASE)
    return text


@dataclass(frozen=True)
class Change:
    """Replace first[start:end] (= before) with `after`."""

    start: int
    end: int
    before: str
    after: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.after + text[self.end :]


def local_change(first: str, hinted: str, term: str, max_span: int) -> Change | None:
    """The smallest word-aligned edit of `first` that brings in `term` from `hinted`.

    Only the differing words around the term's first occurrence in `hinted` are
    taken; differences elsewhere in the hinted text are ignored, so a change never
    reaches beyond the term's stretch. None if the stretch is longer than `max_span`
    characters of `first`, or if the term is not inside a changed region.
    """
    m = re.search(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", hinted, re.IGNORECASE)
    if m is None:
        return None
    hs, he = m.start(), m.end()
    matcher = difflib.SequenceMatcher(None, first, hinted, autojunk=False)
    i1 = i2 = j1 = j2 = -1
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Edits inside the term or touching its edges (a space inserted between two
        # run-together terms, "KBSTV" -> "KBS TV", touches both).
        if b1 <= he and b2 >= hs:
            i1 = a1 if i1 < 0 else min(i1, a1)
            i2 = max(i2, a2)
            j1 = b1 if j1 < 0 else min(j1, b1)
            j2 = max(j2, b2)
    if i1 < 0:
        return None
    # Grow both sides to whole words, keeping them aligned on the shared context.
    while i1 > 0 and j1 > 0 and not first[i1 - 1].isspace() and first[i1 - 1] == hinted[j1 - 1]:
        i1, j1 = i1 - 1, j1 - 1
    while (
        i2 < len(first) and j2 < len(hinted)
        and not first[i2].isspace() and first[i2] == hinted[j2]
    ):
        i2, j2 = i2 + 1, j2 + 1
    j1 = min(j1, hs)
    j2 = max(j2, he)
    before, after = first[i1:i2], hinted[j1:j2]
    if len(before) > max_span or before.strip() == after.strip():
        return None
    after = after[: hs - j1] + term + after[he - j1 :]  # the glossary's spelling of the term
    return Change(i1, i2, before, after)
