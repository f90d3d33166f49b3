"""Glossary-guided re-decoding, kept only where the audio confirms it.

The first pass decodes without hints (fast, batched; hints applied to a whole
recording measurably damage clean speech: docs/BENCHMARKS.md). Then the
segments where a glossary term is *plausible* are ranked by how promising they
are (glossary.plausible: what the first pass heard sounds like one of the term's
spellings or readings; more so on Latin letters, on words Whisper itself was
unsure of, and on longer stretches), and the best of them, a few per minute
of speech, are decoded again (the sentence, or a few seconds around the term)
with the terms plausible there as Whisper's prompt. The hinted text is used
only where

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
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from glossary.plausible import term_pattern
from minutes.progress import CancelToken
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Segment,
    Transcript,
    Word,
)

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

    min_plausibility: float = 0.6  # glossary.plausible score to consider a term at all
    min_promise: float = 0.45  # a segment below this is not worth decoding again
    # Each stretch is decoded on its own (packed together, Whisper dropped or garbled
    # whole stretches), so the cost is per decoding: about 0.8 s of encoder plus the
    # hinted beam search on 2 cores. The most promising stretches are decoded, this
    # many per minute of speech (but `min_decodes` in any meeting).
    decodes_per_minute: float = 0.4
    min_decodes: int = 2
    terms_per_window: int = 3  # terms offered for one stretch of text
    terms_per_prompt: int = 8
    # Audio context: a segment up to `whole_seconds` long is decoded whole; in a longer
    # one, the words within `context_seconds` of the term's window. Whisper needs
    # context to hear a term (measured: two words each side lost mp3 and UST).
    whole_seconds: float = 10.0
    context_seconds: float = 3.0
    beam_size: int = 5  # the first pass's beam
    bias_nats: float = 4.0  # how much less likely a term's text may be than the first pass
    # How much more likely a term's text must be to replace another term the first pass
    # wrote ("UST에" -> "USB에"): two terms a letter apart score within int8 noise of
    # each other (+0.2 nats for the wrong one, measured on an AMD EPYC).
    swap_margin_nats: float = 1.0
    max_span_chars: int = 24  # longest first-pass stretch one change may replace
    pad_seconds: float = 0.25  # audio kept around a segment
    min_seconds: float = 0.5  # shorter stretches are not decoded again
    max_seconds: float = 28.0  # one stretch, within Whisper's 30-s window


@runtime_checkable
class GuidedDecoder(Protocol):
    """What an ASR backend offers for guided re-decoding (minutes.asr.WhisperTranscriber);
    `name` tells which model confirmed a change."""

    name: str

    def decode_with_prompt(
        self, samples: FloatArray, language: str, prompt: str, *, beam_size: int = 5
    ) -> str: ...

    def text_logprobs(
        self, samples: FloatArray, language: str, texts: Sequence[str]
    ) -> list[float]: ...


@dataclass(frozen=True)
class GuidedStats:
    """What the pass did, for logs and benchmarks."""

    segments: int = 0
    candidates: int = 0  # segments where a term was plausible enough
    redecoded: int = 0  # stretches decoded again
    seconds_redecoded: float = 0.0
    proposed: int = 0
    accepted: int = 0
    failed: int = 0  # clips the decoder could not handle (first pass kept)


@dataclass(frozen=True)
class _Plan:
    """A stretch of one segment to decode again: seg.text[c0:c1], spoken in [t0, t1] s."""

    segment: Segment
    promise: float
    terms: tuple[str, ...]
    present: tuple[str, ...]  # glossary terms the first pass already wrote here
    c0: int
    c1: int
    t0: float
    t1: float

    @property
    def text(self) -> str:
        return self.segment.text[self.c0 : self.c1]


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
    plans = [p for p in (_plan(seg, index, options) for seg in transcript.segments) if p]
    chosen = _within_budget(plans, transcript, options)
    tally = GuidedStats(segments=len(transcript.segments), candidates=len(plans))
    out: list[Correction] = []
    pending = sorted(chosen, key=lambda p: p.segment.start)
    total, done = len(pending), 0
    for window in windows if pending else ():
        end = window.offset + window.duration
        here = [p for p in pending if p.segment.start < end]
        pending = pending[len(here):]
        for plan in here:
            if cancel:
                cancel.raise_if_cancelled()
            clip = _clip(window, plan, options)
            done += 1
            if clip is not None:
                tally = _add(tally, redecoded=1, seconds_redecoded=len(clip) / SR)
                try:
                    found, scored = _confirm(plan, clip, language, decoder, options)
                except (RuntimeError, ValueError) as exc:  # the decoder refused this clip
                    logger.warning(
                        "guided re-decoding skipped %.1f s at %.1f s (%s); the first pass "
                        "is kept there", len(clip) / SR, plan.t0, exc,
                    )  # fmt: skip
                    tally = _add(tally, failed=1)
                    continue
                tally = _add(tally, proposed=scored, accepted=len(found))
                out.extend(found)
            if progress and total:
                progress(done / total)
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


def _plan(seg: Segment, index: PlausibleTerms, options: GuidedOptions) -> _Plan | None:
    """The most promising stretch of this segment and the terms to offer there (best first)."""
    found = index.find(seg.text, min_score=options.min_plausibility)
    named = {p.term for p in found if p.present}
    missing = [p for p in found if not p.present and p.term not in named]
    if not missing:
        return None
    scored = sorted(((promise(seg, p), p) for p in missing), key=lambda x: -x[0])
    if scored[0][0] < options.min_promise:
        return None
    c0, c1, t0, t1 = _stretch(seg, scored[0][1], options)
    # A few terms per window of text inside the stretch, best first: with a large
    # glossary one window can sound like dozens of terms and must not crowd out others.
    per_window: dict[tuple[int, int], int] = {}
    terms: list[str] = []
    for _, p in scored:
        span = (p.start, p.end)
        if p.start < c0 or p.end > c1:
            continue
        if p.term in terms or per_window.get(span, 0) >= options.terms_per_window:
            continue
        per_window[span] = per_window.get(span, 0) + 1
        terms.append(p.term)
        if len(terms) == options.terms_per_prompt:
            break
    return _Plan(seg, scored[0][0], tuple(terms), tuple(sorted(named)), c0, c1, t0, t1)


def _stretch(seg: Segment, p: Plausible, options: GuidedOptions) -> tuple[int, int, float, float]:
    """(c0, c1, t0, t1): what to decode again around p's window, as characters of
    seg.text and seconds. The whole segment when it is short or has no word times."""
    whole = (0, len(seg.text), seg.start, seg.end)
    placed = _word_spans(seg)
    if not placed or seg.end - seg.start <= options.whole_seconds:
        return whole
    hit = [k for k, (a, b, _) in enumerate(placed) if a < p.end and b > p.start]
    if not hit:
        return whole
    lo_t = placed[hit[0]][2].start - options.context_seconds
    hi_t = placed[hit[-1]][2].end + options.context_seconds
    inside = [k for k, (_, _, w) in enumerate(placed) if w.start >= lo_t and w.end <= hi_t]
    lo, hi = min(inside + hit), max(inside + hit)
    c0 = 0 if lo == 0 else placed[lo][0]
    c1 = len(seg.text) if hi == len(placed) - 1 else placed[hi][1]
    t0 = seg.start if lo == 0 else placed[lo][2].start
    t1 = seg.end if hi == len(placed) - 1 else placed[hi][2].end
    return c0, c1, t0, t1


def _word_spans(seg: Segment) -> list[tuple[int, int, Word]]:
    """Each word of the segment with its character span in seg.text (found in order)."""
    out: list[tuple[int, int, Word]] = []
    pos = 0
    for word in seg.words:
        text = word.text.strip()
        k = seg.text.find(text, pos) if text else -1
        if k < 0:
            continue
        out.append((k, k + len(text), word))
        pos = k + len(text)
    return out


def promise(seg: Segment, p: Plausible) -> float:
    """How likely it is that Whisper mis-heard the term at seg.text[p.start:p.end].

    Sound similarity alone is weak evidence with a large glossary (any short word
    sounds like some term), so it is weighted by what the first pass says about
    the stretch: Latin letters (or digits) in Korean speech are usually a term; a word Whisper
    gave a low probability is one it was unsure of; and a longer stretch that
    still sounds alike is less likely a coincidence.
    """
    span = seg.text[p.start : p.end]
    # Whisper writes letters and digits of a Korean sentence in Latin script: "20" of G20.
    latin = 2.0 if re.search("[A-Za-z0-9]", span) else 1.0
    unsure = 1.2 - min_word_probability(seg, p.start, p.end)
    length = min(len(span.replace(" ", "")), 4)
    return (p.score - 0.5) * unsure * latin * length


def _within_budget(
    plans: list[_Plan], transcript: Transcript, options: GuidedOptions
) -> list[_Plan]:
    """The most promising plans, `decodes_per_minute` per minute of speech (at least
    `min_decodes`)."""
    speech = sum(s.end - s.start for s in transcript.segments)
    n = max(options.min_decodes, math.ceil(options.decodes_per_minute * speech / 60))
    return sorted(plans, key=lambda p: -p.promise)[:n]


def min_word_probability(seg: Segment, start: int, end: int) -> float:
    """The lowest probability of the words covering seg.text[start:end].

    0.0 when the segment has no word probabilities (a backend without them): unknown
    counts as unsure, so such a segment is still checked.
    """
    if not seg.words:
        return 0.0
    covering = [w.probability for a, b, w in _word_spans(seg) if a < end and b > start]
    return min(covering, default=1.0)


def _clip(window: Window, plan: _Plan, options: GuidedOptions) -> FloatArray | None:
    """The stretch's audio (padded) from its window; None when too short to decode."""
    start = max(0.0, plan.t0 - window.offset - options.pad_seconds)
    end = min(window.duration, plan.t1 - window.offset + options.pad_seconds)
    end = min(end, start + options.max_seconds)
    if end - start < options.min_seconds:
        return None
    return window.samples[int(start * SR) : int(end * SR)]


def _confirm(
    plan: _Plan,
    clip: FloatArray,
    language: str,
    decoder: GuidedDecoder,
    options: GuidedOptions,
) -> tuple[list[Correction], int]:
    """(the confirmed corrections, how many candidate changes were scored).

    Each new term's local change is scored on its own against the first pass; the
    ones within the bias are kept, the better first where two overlap.
    """
    from glossary.plausible import count_term

    terms = list(plan.terms)
    first = plan.text
    hinted = decoder.decode_with_prompt(
        clip, language, ", ".join(terms), beam_size=options.beam_size
    ).strip()
    if not hinted:
        return [], 0
    new_terms = [t for t in terms if count_term(hinted, t) > count_term(first, t)]
    candidates: dict[tuple[int, int, str], tuple[str, Change]] = {}
    for term in new_terms:
        for change in local_changes(first, hinted, term, options.max_span_chars):
            change = replace(change, after=canonical_spelling(change.after, terms))
            candidates.setdefault((change.start, change.end, change.after), (term, change))
    ordered = list(candidates.values())
    if not ordered:
        return [], 0
    scores = decoder.text_logprobs(clip, language, [first] + [c.apply(first) for _, c in ordered])
    base = scores[0]
    kept: list[Change] = []
    out: list[Correction] = []
    for i in sorted(range(len(ordered)), key=lambda i: -scores[i + 1]):
        term, change = ordered[i]
        gain = scores[i + 1] - base
        logger.debug("guided %r -> %r (%s): %+.2f nats", change.before, change.after, term, gain)
        # The bias is the prior a glossary term has over ordinary words. Replacing a
        # term the first pass already wrote (DNA -> DNL, UST -> USB) gets no such prior:
        # the audio alone must prefer the new one, clearly (`swap_margin_nats`).
        replaces_term = any(count_term(change.before, t) for t in plan.present)
        if gain < (options.swap_margin_nats if replaces_term else -options.bias_nats):
            continue
        if any(change.start < c.end and c.start < change.end for c in kept):
            continue
        kept.append(change)
        out.append(Correction(
            segment_id=plan.segment.id,
            start_char=change.start + plan.c0,
            end_char=change.end + plan.c0,
            before=change.before,
            after=change.after,
            source=CorrectionSource.GUIDED,
            term=term,
            score=round(min(1.0, max(0.0, 0.5 + gain / (4 * options.bias_nats))), 4),
            status=CorrectionStatus.ACCEPTED,
            rule=RULE,
            detail={
                "first_pass": plan.segment.text,
                "hinted": hinted,
                "terms_offered": terms,
                "logprob_first": round(base, 3),
                "logprob_changed": round(scores[i + 1], 3),
            },
        ))
    return sorted(out, key=lambda c: c.start_char), len(ordered)


def canonical_spelling(text: str, terms: Sequence[str]) -> str:
    """`text` with every whole-word occurrence of a term written as the glossary has it."""
    for term in terms:
        text = term_pattern(term).sub(term.replace("\\", "\\\\"), text)
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


def local_changes(first: str, hinted: str, term: str, max_span: int) -> list[Change]:
    """The smallest word-aligned edits of `first` that bring in `term` from `hinted`,
    one per occurrence of the term in `hinted` that sits in (or at the edge of) a
    changed region. Differences elsewhere in the hinted text are ignored, so a change
    never reaches beyond the term's stretch; one longer than `max_span` characters of
    `first` is refused."""
    pattern = term_pattern(term)
    opcodes = [
        op
        for op in difflib.SequenceMatcher(None, first, hinted, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    out: list[Change] = []
    for m in pattern.finditer(hinted):
        change = _change_at(first, hinted, m.start(), m.end(), opcodes, term, max_span)
        if change is not None and change not in out:
            out.append(change)
    return out


def local_change(first: str, hinted: str, term: str, max_span: int) -> Change | None:
    """The first of `local_changes`, or None."""
    found = local_changes(first, hinted, term, max_span)
    return found[0] if found else None


def _change_at(
    first: str,
    hinted: str,
    hs: int,
    he: int,
    opcodes: Sequence[tuple[str, int, int, int, int]],
    term: str,
    max_span: int,
) -> Change | None:
    i1 = i2 = j1 = j2 = -1
    for _, a1, a2, b1, b2 in opcodes:
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
