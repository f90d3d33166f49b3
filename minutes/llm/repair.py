"""Context repair: the model proposes fixes, the guards filter, the user decides.

For each window of a few segments the model sees the neighbouring text and the
glossary terms relevant to it, and answers in JSON constrained by the
``repair`` prompt's schema - with the segment ids of the window as the only
ids it can name. Each fix then goes through `minutes.llm.validate`; what
survives becomes a `Correction` (source ``llm``, rule = model + prompt id,
status ``proposed``). Nothing is ever applied automatically.

The transcript is data: segments go into the prompt as JSON strings inside a
delimited block, the system turn says to ignore instructions in it, and -
what actually guarantees it - the output schema and the guards do not
depend on the transcript, so no text in it can widen what this pass may do.

Thread contract: runs on the caller's worker thread; `progress` and
`on_token` are called there; `cancel` is checked between windows and tokens.
"""

from __future__ import annotations

import copy
import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from glossary.readings import readings
from glossary.terms import Glossary, Term
from minutes.llm.engines.base import Engine, GenerationOptions, TokenCallback, salvage_json
from minutes.llm.prompts import Prompt, load_prompt
from minutes.llm.validate import Limits, RawFix, Rejected, ReviewedText, ValidFix, check_fix, rank
from minutes.progress import CancelToken
from minutes.types import Correction, CorrectionSource, CorrectionStatus, Segment, Transcript

logger = logging.getLogger(__name__)

TASK = "repair"


@dataclass(frozen=True)
class RepairOptions:
    """How the transcript is cut into windows and how much the model sees.

    Attributes:
        window_segments: Most segments repaired per call.
        window_chars: Most characters of segment text per call.
        context_segments: Neighbouring segments shown on each side (not repaired).
        max_terms: Most glossary terms in one prompt.
        max_tokens: Reply budget per window.
        limits: The validation limits.
        prompt_version: A specific prompt version (default: the newest).
        candidates_only: Offer only the terms matched or plausible in the window
            (TermPicker); False (the default) also fills up with the rest of the
            glossary. Measured on the Pansori jargon clips with the 1.5B model,
            candidates only added no right fix (docs/BENCHMARKS.md), so it is off.
    """

    window_segments: int = 6
    window_chars: int = 500
    context_segments: int = 2
    max_terms: int = 30
    max_tokens: int = 256
    limits: Limits = field(default_factory=Limits)
    prompt_version: int | None = None
    candidates_only: bool = False


@dataclass
class RepairStats:
    """What happened, for benchmarks and the log."""

    windows: int = 0
    json_valid: int = 0
    json_invalid: int = 0
    fixes: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class RepairResult:
    corrections: list[Correction]
    stats: RepairStats
    rule: str


def windows(segments: Sequence[Segment], options: RepairOptions) -> list[list[Segment]]:
    """Cut segments into consecutive windows within the size limits."""
    out: list[list[Segment]] = []
    current: list[Segment] = []
    chars = 0
    for seg in segments:
        if not seg.text.strip():
            continue
        if current and (
            len(current) >= options.window_segments or chars + len(seg.text) > options.window_chars
        ):
            out.append(current)
            current, chars = [], 0
        current.append(seg)
        chars += len(seg.text)
    if current:
        out.append(current)
    return out


class TermPicker:
    """Chooses the glossary terms to show the model for each window.

    Terms the deterministic matcher finds in (or near) the window come first,
    then the terms that are plausible there (glossary.plausible: what was heard
    sounds like one of the term's spellings or readings), best first, so the model
    chooses among candidates that fit the audio's words or keeps the text. With
    `plausible_only=False` the rest of the glossary fills up to the limit in
    glossary order (the behaviour before candidates; kept for the benchmark).
    The indexes are built once per run.
    """

    def __init__(
        self, glossary: Glossary | None, language: str = "auto", *, plausible_only: bool = False
    ) -> None:
        self._glossary = glossary if glossary is not None and len(glossary) else None
        self._matcher: Any = None
        self._plausible: Any = None
        self._plausible_only = plausible_only
        if self._glossary is not None:
            from glossary.matcher import Matcher
            from glossary.plausible import PlausibleTerms

            self._matcher = Matcher(self._glossary, language=language)
            self._plausible = PlausibleTerms(self._glossary)
        self.index = {t.key: t.canonical for t in self._glossary or ()}

    def terms(self, text: str, limit: int) -> list[Term]:
        """The terms to offer for `text`, best first."""
        if self._glossary is None:
            return []
        by_key = {t.key: t for t in self._glossary}
        keys = [m.term.casefold() for m in self._matcher.find(text)]
        keys += [p.term.casefold() for p in self._plausible.find(text)]
        chosen = [by_key[k] for k in dict.fromkeys(keys) if k in by_key]
        if not self._plausible_only:
            chosen += [t for t in self._glossary if t not in chosen]
        return chosen[:limit]

    def lines(self, text: str, limit: int) -> str:
        """Prompt lines for the terms relevant to `text` ("(none)" when there are none)."""
        chosen = self.terms(text, limit)
        return "\n".join(_term_line(t) for t in chosen) if chosen else "(none)"


def _term_line(term: Term) -> str:
    sounds = [*term.variants[:3], *(r.text for r in readings(term.canonical)[:2])]
    sounds = list(dict.fromkeys(s for s in sounds if s != term.canonical))
    return f"- {term.canonical}" + (f" (sounds like: {', '.join(sounds)})" if sounds else "")


def _schema_for(prompt: Prompt, ids: Sequence[int]) -> dict[str, Any]:
    """The prompt's schema with the window's ids as the only allowed segment ids."""
    schema: dict[str, Any] = copy.deepcopy(dict(prompt.schema or {}))
    try:
        schema["properties"]["fixes"]["items"]["properties"]["id"] = {"enum": list(ids)}
    except KeyError:
        logger.warning("prompt %s schema has no fixes.items.id; ids not constrained", prompt.id)
    return schema


def _lines(segments: Sequence[Segment], texts: dict[int, str]) -> str:
    # JSON-encode each text: quotes or braces in the transcript cannot break the format.
    return "\n".join(
        json.dumps({"id": s.id, "text": texts[s.id]}, ensure_ascii=False) for s in segments
    )


def _plain(segments: Sequence[Segment], texts: dict[int, str]) -> str:
    return (
        json.dumps(" ".join(texts[s.id] for s in segments), ensure_ascii=False)
        if segments
        else "(none)"
    )


def repair_transcript(
    transcript: Transcript,
    engine: Engine,
    *,
    glossary: Glossary | None = None,
    corrections: Sequence[Correction] = (),
    options: RepairOptions = RepairOptions(),
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    on_token: TokenCallback | None = None,
) -> RepairResult:
    """Propose LLM corrections for a transcript.

    Args:
        transcript: The raw transcript (never modified).
        engine: Any engine; its output is constrained where it can be and validated always.
        glossary: Terms to favour; fixes towards them rank first.
        corrections: Existing corrections (glossary, user, earlier LLM runs).
            The model sees the text with the accepted ones applied, and no
            proposal may touch or repeat them.
        options: Window sizes and limits.
        progress: Called with 0..1 after each window.
        cancel: Checked between windows and tokens.
        on_token: Streams the model's raw output.

    Returns:
        New proposals (not including `corrections`), best first within each
        window, and statistics.
    """
    prompt = load_prompt(TASK, options.prompt_version)
    rule = f"{engine.info.model}:{prompt.id}"
    by_seg: dict[int, list[Correction]] = {}
    for c in corrections:
        by_seg.setdefault(c.segment_id, []).append(c)
    views = {s.id: ReviewedText(s.text, by_seg.get(s.id, ())) for s in transcript.segments}
    texts = {i: v.text for i, v in views.items()}
    order = [s for s in transcript.segments if s.text.strip()]
    position = {s.id: i for i, s in enumerate(order)}
    stats = RepairStats()
    out: list[Correction] = []
    known = list(corrections)
    batches = windows(order, options)
    picker = TermPicker(glossary, transcript.language, plausible_only=options.candidates_only)
    for n, window in enumerate(batches):
        if cancel is not None:
            cancel.raise_if_cancelled()
        lo, hi = position[window[0].id], position[window[-1].id]
        before = order[max(0, lo - options.context_segments) : lo]
        after = order[hi + 1 : hi + 1 + options.context_segments]
        window_text = " ".join(texts[s.id] for s in window)
        glossary_text = picker.lines(window_text, options.max_terms)
        messages = prompt.messages(
            glossary=glossary_text,
            before=_plain(before, texts),
            segments=_lines(window, texts),
            after=_plain(after, texts),
        )
        gen = GenerationOptions(
            max_tokens=options.max_tokens, json_schema=_schema_for(prompt, [s.id for s in window])
        )
        completion = engine.complete(messages, gen, on_token=on_token, cancel=cancel)
        stats.windows += 1
        stats.prompt_tokens += completion.prompt_tokens
        stats.completion_tokens += completion.completion_tokens
        stats.seconds += completion.elapsed_s
        raw = _parse_fixes(completion.text)
        if raw is None:
            stats.json_invalid += 1
            logger.info("window %d: reply is not valid JSON for the schema", n)
        else:
            stats.json_valid += 1
            targets = {s.id: views[s.id] for s in window}
            valid: list[ValidFix] = []
            for fix in raw:
                stats.fixes += 1
                checked = check_fix(
                    fix, targets=targets, terms=picker.index, existing=known, limits=options.limits
                )
                if isinstance(checked, Rejected):
                    stats.rejected[checked.reason] += 1
                    logger.debug("rejected %r: %s", fix, checked.reason)
                else:
                    valid.extend(checked)
            for f in rank(valid):
                corr = _to_correction(f, rule)
                out.append(corr)
                known.append(corr)
                stats.accepted += 1
        if progress is not None:
            progress((n + 1) / len(batches))
    return RepairResult(out, stats, rule)


def _parse_fixes(text: str) -> list[RawFix] | None:
    """The fixes in a reply, or None when it is not valid JSON of the expected shape."""
    try:
        data = json.loads(text)
    except ValueError:
        # cut by the reply budget (the 1.5B copied unchanged Korean lines as fixes until it
        # ran out): the fixes that closed still count
        data = salvage_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("fixes"), list):
        return None
    out: list[RawFix] = []
    for item in data["fixes"]:
        if not isinstance(item, dict):
            return None
        try:
            out.append(RawFix(int(item["id"]), str(item["wrong"]), str(item["right"])))
        except (KeyError, TypeError, ValueError):
            return None
    return out


def _to_correction(fix: ValidFix, rule: str) -> Correction:
    return Correction(
        segment_id=fix.segment_id,
        start_char=fix.start_char,
        end_char=fix.end_char,
        before=fix.before,
        after=fix.after,
        source=CorrectionSource.LLM,
        term=fix.term,
        score=fix.score,
        status=CorrectionStatus.PROPOSED,
        rule=rule,
    )
