"""Minutes and action items from a reviewed transcript (map-reduce for long meetings).

0. Draft: before the first model call, the attendees and the candidate
   task lines go to `on_token` (something to read within a second).
1. Action items first (`minutes.llm.actions`): rule-based candidate lines,
   ranked by cue score, the best ~20 written down by the model one line per
   call (``minutes_actions``) - a small model misses most tasks when asked
   to list them from a whole transcript. Short calls, so the model's first
   words also show early.
   A line that gives several people a task each ("지환 님이 … 배포해 주시고,
   아름 님은 … 올려 주세요") is asked once per task (`minutes.llm.asks`).
2. The reviewed transcript becomes compact lines, ``[id] Speaker: text``;
   pure back-channel lines ("Mm-hmm.", "네.") are dropped. All lines are read;
   asked to be fast (`SummariseOptions.fast`), a local model reads a long
   meeting cut to a token budget of its most task- and decision-rich lines plus
   an even sample (`select_lines`).
3. Map: the lines are cut into parts that fit the engine's context, and
   the model writes the notes of each part: title, summary, topics,
   decisions, open questions (``minutes_notes``), citing line ids; only ids
   of that part can be written (a grammar enum). Where the notes of a part were
   taken while the meeting went on, the part ends where they ended then.
4. Reduce: with several parts, the model writes one title and summary from
   the parts' summaries (``minutes_reduce``); topics, decisions, questions
   and action items are merged in code (near-duplicates folded together),
   which a small model does less reliably than a few lines of Python.
   Notes kept during the meeting (`minutes.during_notes`) come with the merge
   of the parts before the last: the summary is that merge's followed by the
   last part's own, so no merge is written after Stop.
5. Guards: an action item must share words with the line it came from;
   unsupported items are dropped as invented; a deadline must be a time
   said there. Owners follow the line's form (promise, request) or are
   matched to speaker names; a person addressed by given name, title or
   first name ("준호 님", "Tom") is the participant it fits
   (`minutes.llm.people`); empty owners and deadlines stay empty. A request
   and its owner's reply fold into one item (`merge.fold_repeats`); a reply's
   task that leaves out what the request named takes the request's words
   (`minutes.llm.requested`). Tasks are
   written as a to-do list writes them (`minutes.llm.todo_form`): "검토해서
   올리기" for "제가 오늘 중으로 검토해서 올릴게요", the owner and deadline apart.
6. Decisions said in so many words ("~로 결정하겠습니다", "~로 가죠",
   "let's go with") are found by rule (`minutes.llm.decisions`): kept out of
   the action items, added when the model missed them, in the form minutes
   write them (`minutes.llm.decision_form`: "…넘기기로 결정"; a proposal agreed
   to as "…넣기로 함"). A reply cut by the
   token budget keeps what closed (`salvage_json`), so a long Korean reply
   no longer loses its summary and topics.

7. Minutes so far: where the notes of all but the meeting's last stretch were kept
   during the meeting, `on_partial` gets the minutes of what is read
   (`MinutesSoFar`) before the first call, so the user reads them within
   seconds of Stop while the model reads the rest.

Thread contract: runs on the caller's worker thread; `progress`, `on_partial` and
`on_token` are called there; `cancel` is checked between parts and tokens.
"""

from __future__ import annotations

import copy
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from minutes.llm.actions import (
    borrowed,
    candidates,
    item_from_reply,
    line_schema,
    line_values,
    owner_decided,
    speaker_names,
    without_owner,
)
from minutes.llm.asks import expand_asks
from minutes.llm.call_cache import CallCache, call_key
from minutes.llm.candidates import MIN_SCORE, rank_candidates
from minutes.llm.decisions import add_missed_decisions, decision_notes, said_as_decision
from minutes.llm.engines.base import (
    ChatMessage,
    Completion,
    Engine,
    GenerationOptions,
    TokenCallback,
    parse_json_object,
    salvage_json,
)
from minutes.llm.errors import LlmError
from minutes.llm.evidence import clean_value, support
from minutes.llm.lines import Line, select_lines, split_parts, transcript_lines
from minutes.llm.merge import acknowledgements, assemble, dated, fold_repeats
from minutes.llm.noted_lines import LineReading, line_record
from minutes.llm.noted_lines import find as find_line
from minutes.llm.noted_parts import (
    Reading,
    find,
    noted_extent,
    noted_parts,
    noted_record,
    relabel_merged,
    translate,
)
from minutes.llm.pace import Pace, PlannedCall
from minutes.llm.people import canonical_owner
from minutes.llm.prompts import Prompt, load_prompt
from minutes.llm.requested import in_request_words
from minutes.llm.templates import Template, load_template
from minutes.llm.todo_form import todo_form
from minutes.meeting import ActionItem, Minutes, Note, Topic
from minutes.progress import CancelToken, Progress, ProgressCallback
from minutes.types import Document, ReviewedSegment

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {"ko": "Korean (한국어)", "en": "English", "ja": "Japanese", "zh": "Chinese"}


@dataclass(frozen=True)
class SummariseOptions:
    """Options of a minutes run.

    Attributes:
        template: Template name (see `minutes.llm.templates`).
        language: Language of the minutes; None writes them in the meeting's language.
        part_tokens: Transcript tokens per map call; None fits the context window.
        map_tokens: Reply budget of each map call.
        reduce_tokens: Reply budget of the reduce call.
        drop_backchannel: Leave out lines that are only "Mm-hmm", "네", ...
        min_support: Share of an action item's words that must occur in the
            transcript lines it is linked to (else it is dropped as invented).
        max_transcript_tokens: Read at most this many transcript tokens. Longer
            meetings then keep the lines with task, deadline and decision cues
            plus an even sample of the rest, spread over the whole meeting
            (`select_lines`): one map call instead of four for a 60-minute
            meeting (24k tokens), at some cost in topic coverage. None: the
            engine's default (`transcript_budget`).
        fast: With a local model, read only the `LOCAL_TRANSCRIPT_TOKENS` of a long
            meeting richest in tasks and decisions, not the whole transcript (CLI:
            --fast); an endpoint reads everything regardless.
        max_action_candidates: Judge at most this many candidate lines, the
            best by cue score (None: all).
        min_action_score: Cue score a line needs to be an action item
            (`minutes.llm.candidates.cue_score`).
        action_tokens: Reply budget of one candidate line.
        draft: Send a rule-based draft (attendees, candidate task lines) to
            `on_token` before the model's first call, so something shows at once.
        model_title: Title the minutes with the model's title: for meetings whose
            title was given automatically (a file name, a date; see
            `SessionMeta.title_is_default`). Otherwise the meeting's title is kept.
    """

    template: str = "general"
    language: str | None = None
    part_tokens: int | None = None
    map_tokens: int = 500
    reduce_tokens: int = 350
    drop_backchannel: bool = True
    min_support: float = 0.3
    max_transcript_tokens: int | None = None
    fast: bool = False
    max_action_candidates: int | None = 20
    min_action_score: float = MIN_SCORE
    action_tokens: int = 90
    draft: bool = True
    model_title: bool = False


# Parts of the notes taken during a meeting (minutes.during_notes), at most about five
# minutes of Korean speech; a part still growing is closed earlier where the transcript ends
# (`close_part`), so at Stop only what came after the last window is left to read.
DURING_PART_TOKENS = 2000


def during_meeting_options(options: SummariseOptions) -> SummariseOptions:
    """The options of minutes whose notes are taken during the meeting: the whole
    transcript, in parts of `DURING_PART_TOKENS` unless the caller chose a size."""
    part_tokens = options.part_tokens or DURING_PART_TOKENS
    return replace(options, fast=False, max_transcript_tokens=None, part_tokens=part_tokens)


# Transcript tokens a local model reads when asked to be fast (`SummariseOptions.fast`): about
# 9 minutes of Korean speech (400 tokens a minute), so that on 2 CPU cores the minutes of a
# 60-minute meeting take about 3 minutes instead of half an hour (docs/BENCHMARKS.md).
LOCAL_TRANSCRIPT_TOKENS = 3500


def transcript_budget(options: SummariseOptions, engine: Engine) -> int | None:
    """How many transcript tokens the notes read (None: all of them, in parts that fit
    the model's context).

    Everything by default; `LOCAL_TRANSCRIPT_TOKENS` for a local model asked to be fast
    (an endpoint, often with a GPU, reads everything regardless); or the number asked.
    """
    if options.max_transcript_tokens is not None:
        return options.max_transcript_tokens
    return LOCAL_TRANSCRIPT_TOKENS if options.fast and engine.info.local else None


@dataclass
class SummariseStats:
    parts: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0  # of prompt_tokens, reused from llama.cpp's cache
    completion_tokens: int = 0
    first_token_s: float | None = None
    seconds: float = 0.0
    json_invalid: int = 0
    dropped_unsupported: int = 0
    kept_calls: int = 0  # replies found in the meeting's cache, not asked again
    noted_with_other_speakers: int = 0  # of kept_calls: parts read as asked (`noted_parts`)
    lines_with_other_speakers: int = 0  # of kept_calls: task lines read so (`noted_lines`)
    merged_during_meeting: bool = False  # the summary from the merge made during the meeting
    completions: list[Completion] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)  # "actions", "notes" or "reduce", per call


@dataclass(frozen=True)
class MinutesSoFar:
    """The minutes of what the model has read, shown while it reads the rest (after Stop:
    all but the meeting's last stretch, whose notes the meeting's end decides)."""

    minutes: Minutes
    unread_from_s: float  # where the first part still to be read begins (else the first line)
    calls_left: int
    lines_before: int = 0  # task lines still to be asked that lie before `unread_from_s`


def minutes_language(doc: Document, override: str | None = None) -> str:
    """The language to write in: the override, else the meeting's (Korean wins when mixed)."""
    if override:
        return override
    if doc.language in LANGUAGE_NAMES:
        return doc.language
    text = "".join(s.text for s in doc.segments[:200])
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    letters = sum(1 for ch in text if ch.isalpha())
    return "ko" if letters and hangul / letters > 0.3 else "en"


def summarise(
    doc: Document,
    engine: Engine,
    *,
    options: SummariseOptions = SummariseOptions(),
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    on_token: TokenCallback | None = None,
    stats: SummariseStats | None = None,
    pace: Pace | None = None,
    cache: CallCache | None = None,
    on_partial: Callable[[MinutesSoFar], None] | None = None,
) -> Minutes:
    """Write the minutes of a meeting.

    Args:
        doc: The reviewed transcript (speaker names applied).
        engine: Any engine.
        options: Template, language and budgets.
        progress: Called with `Progress` (stage "minutes") after each call.
        cancel: Checked between calls and tokens.
        on_token: Streams what the user can read while the minutes are written:
            first the rule-based draft (`draft_text`, unless `options.draft` is
            off), then the model's raw JSON output as it is generated.
        stats: Filled with token counts and timings when given.
        pace: This machine's speed with the model (`minutes.llm.pace`): progress then
            carries the seconds left (`Progress.eta_s`).
        cache: The meeting's kept replies (`minutes.llm.call_cache`): a call asked
            before, during the meeting or in an earlier run, is not asked again, and
            the estimate counts only the calls left. A cache that holds the notes kept
            during the meeting makes a local model read the whole transcript.
        on_partial: Called once, before the first call, with the minutes of the parts
            whose notes `cache` holds, where some are held and some calls are left.

    Returns:
        The minutes (not yet saved; see `minutes.meeting.save_minutes`).

    Raises:
        Cancelled: `cancel` was set.
        LlmError: The engine failed, or no part gave usable notes.
    """
    stats = stats if stats is not None else SummariseStats()
    if cache is not None and cache.kept_during_meeting:
        options = during_meeting_options(options)  # its parts were read as it went on
    plan = plan_minutes(doc, engine, options, cache)
    language, lang_name = plan.language, plan.lang_name
    prompts, actions_prompt = plan.prompts, plan.actions_prompt
    found, parts, values = plan.found, plan.parts, plan.values
    stats.parts = len(parts)
    pace = pace or Pace()
    left = asks_left(plan, doc, engine, options, cache)
    pace.plan = _plan_calls(engine, plan, doc, options, cache, left)
    report = _with_estimate(progress or (lambda _p: None), pace, stats)
    if on_partial is not None and cache is not None and pace.plan:
        so_far = _minutes_so_far(plan, doc, engine, options, cache, left, len(pace.plan))
        if so_far is not None:
            on_partial(so_far)
    steps = len(found) + len(parts) * len(prompts) + 1
    if options.draft and on_token is not None:
        on_token(draft_text(doc, found, language))
    # Action items first: short calls, so the model's first words show within
    # seconds, and consecutive calls share the cached instructions.
    actions = _write_action_items(
        doc, engine, found, actions_prompt, lang_name, options, report, steps, on_token, cancel,
        stats, cache, plan.line_readings,
    )  # fmt: skip
    notes: list[dict[str, Any]] = []
    for i, part in enumerate(parts):
        if i in plan.readings and cache is not None:  # noted during the meeting, speakers since
            noted = _noted_notes(plan.readings[i], cache, options, stats)
            if noted is not None:
                stats.kept_calls += 1
                stats.noted_with_other_speakers += 1
                notes.append(noted)
                continue
        data: dict[str, Any] = {}
        for k, prompt in enumerate(prompts):
            if cancel is not None:
                cancel.raise_if_cancelled()
            step = len(found) + i * len(prompts) + k
            stage = f"part {i + 1}/{len(parts)}"
            report(Progress(step / steps, "minutes", stage))

            def reading(fraction: float, step: int = step, stage: str = stage) -> None:
                # Reading a long part is most of its call: move the bar while it lasts.
                eta = pace.seconds_left(stats.completions, stats.stages, fraction)
                report(Progress((step + 0.9 * fraction) / steps, "minutes", stage, eta))

            messages, schema = part_call(prompt, values, parts, i)
            completion = _call(
                engine, messages, options.map_tokens, schema, on_token, cancel, stats, "notes",
                on_read=reading, cache=cache,
            )  # fmt: skip
            reply = parse_reply(completion.text)
            if reply is None:
                stats.json_invalid += 1
                logger.warning("minutes part %d (%s): reply is not JSON", i + 1, prompt.id)
                continue
            data.update(reply)
        if data:
            notes.append(_clean_part(data, part, _speakers(doc), options.min_support, stats))
    if parts and not any(_says_something(n) for n in notes):
        # Empty sections would read as a meeting where nothing was discussed or decided.
        raise LlmError(
            "the model wrote no notes (no summary, topics, decisions or open questions) for "
            "any part of the meeting; try again, or choose a larger model in Settings"
            if notes
            else "the model gave no usable notes for any part of the meeting"
        )
    report(Progress((steps - 1) / steps, "minutes", "merging"))
    llm_title, summary = _title_and_summary(
        notes, engine, lang_name, options, on_token, cancel, stats, cache
    )
    minutes = _assembled(doc, plan, notes, actions, llm_title, summary, engine, options)
    report(Progress(1.0, "minutes", "done"))
    return minutes


def _assembled(
    doc: Document,
    plan: MinutesPlan,
    notes: list[dict[str, Any]],
    actions: list[ActionItem],
    llm_title: str | None,
    summary: str,
    engine: Engine,
    options: SummariseOptions,
) -> Minutes:
    """The minutes from the parts' notes, the action items and the merged summary."""
    found, title = plan.found, plan.title
    prompt_ids = [p.id for p in plan.prompts] + [plan.actions_prompt.id] * bool(found)
    prompt_ids += ["minutes_reduce/v1"] if len(notes) > 1 else []
    minutes = assemble(
        doc,
        plan.template,
        plan.language,
        notes,
        (llm_title or title) if options.model_title or not doc.title.strip() else title,
        summary,
        engine.info.model,
        prompt_ids,
        actions,
    )
    # Decisions said in so many words ("~로 결정하겠습니다", "let's go with") reach the
    # minutes even when the model missed them; where the meeting states decisions so,
    # the model's own must cite a line said as one.
    found_decisions = decision_notes(doc)
    said = [d for d in minutes.decisions if not found_decisions or said_as_decision(d, doc)]
    decisions = add_missed_decisions(said, found_decisions)
    if decisions != minutes.decisions:
        starts = dict(minutes.segment_starts)
        for note in decisions:
            starts.update({s.id: s.start for s in doc.segments if s.id in note.segment_ids})
        minutes = replace(minutes, decisions=decisions, segment_starts=starts)
    return minutes


def _minutes_so_far(
    plan: MinutesPlan,
    doc: Document,
    engine: Engine,
    options: SummariseOptions,
    cache: CallCache,
    left: Sequence[PlannedAsk],
    calls_left: int,
) -> MinutesSoFar | None:
    """The minutes of the parts and task lines whose replies `cache` holds (all but the
    asks `left`), asking the model nothing (None: no part's notes are held, or nothing is
    left to read)."""
    quiet = SummariseStats()
    notes: list[dict[str, Any]] = []
    for i in range(len(plan.parts)):
        held = _held_notes(plan, doc, engine, options, cache, i)
        if held is not None:  # empty ones too: the merges kept were of all parts
            notes.append(held)
    if not any(_says_something(n) for n in notes):
        return None
    unread = [a.lines[0].segments[0].start for a in left if a.lines]  # parts still to read
    asked = {id(a.line): a.line.start for a in left if a.line is not None}  # lines to ask
    if not unread and not asked:  # only the merge is left
        return None
    lines = list(asked.values())
    known = [seg for seg in plan.found if id(seg) not in asked]
    actions = _write_action_items(
        doc, engine, known, plan.actions_prompt, plan.lang_name, options, lambda _p: None,
        1, None, None, quiet, cache, plan.line_readings,
    )  # fmt: skip
    # the merge of all parts read, where one was made, else of the most of them
    merged = _merged_during_meeting(notes, engine, plan.lang_name, options, cache, whole=True)
    title, summary = merged or (
        notes[0]["title"], " ".join(n["summary"] for n in notes if n["summary"])
    )
    minutes = _assembled(doc, plan, notes, actions, title, summary, engine, options)
    start = min(unread or lines)
    return MinutesSoFar(minutes, start, calls_left, sum(t < start for t in lines))


@dataclass(frozen=True)
class MinutesPlan:
    """What `summarise` asks the model about a document: the candidate task lines (one
    call each) and the parts of the transcript (one notes call each), with the values
    the prompts are filled with."""

    template: Template
    language: str
    lang_name: str
    title: str
    values: dict[str, str]
    prompts: list[Prompt]
    actions_prompt: Prompt
    found: list[ReviewedSegment]
    parts: list[list[Line]]
    # Parts whose notes were taken during the meeting with other speakers, to be read
    # as they were asked (`minutes.llm.noted_parts`): no call of their own.
    readings: dict[int, Reading] = field(default_factory=dict)
    # Candidate lines written down during the meeting with other speakers, by segment id
    # (`minutes.llm.noted_lines`): no call of their own either.
    line_readings: dict[int, LineReading] = field(default_factory=dict)

    def calls(self, doc: Document, options: SummariseOptions) -> list[PlannedAsk]:
        """The calls in the order `summarise` makes them (the merge call not included);
        a notes call knows its part (`PlannedAsk.part`, `.lines`), a line's call its line."""
        asks = [
            PlannedAsk("actions", *action_call(doc, seg, self.actions_prompt, self.lang_name),
                       options.action_tokens, (seg.id,), line=seg)
            for seg in self.found
            if seg.id not in self.line_readings
        ]  # fmt: skip
        for i, part in enumerate(self.parts):
            if i in self.readings:
                continue
            ids = tuple(s.id for line in part for s in line.segments)
            asks += [
                PlannedAsk("notes", *part_call(prompt, self.values, self.parts, i),
                           options.map_tokens, ids, i, tuple(part))
                for prompt in self.prompts
            ]  # fmt: skip
        return asks


@dataclass(frozen=True)
class PlannedAsk:
    """One call of the minutes: its stage, messages, reply schema and budget, and the ids
    of the segments it reads (a candidate line: that segment)."""

    stage: str
    messages: list[ChatMessage]
    schema: dict[str, Any] | None
    max_tokens: int
    segment_ids: tuple[int, ...]
    part: int | None = None  # a notes call: its part's number and lines
    lines: tuple[Line, ...] = ()
    line: ReviewedSegment | None = None  # a candidate line's call: the line

    def asked(self, doc: Document) -> dict[str, Any] | None:
        """What a notes or candidate line's call read, to keep with its reply
        (`noted_parts.noted_record`, `noted_lines.line_record`); None for the merge."""
        if self.part is not None:
            return noted_record(self.part, self.lines, doc)
        if self.line is not None:
            return line_record(doc, self.line, _owner_left_out(self.schema))
        return None

    def key(self, model: str) -> str:
        asked = GenerationOptions(max_tokens=self.max_tokens, json_schema=self.schema)
        return call_key(model, self.messages, asked)


def plan_minutes(
    doc: Document, engine: Engine, options: SummariseOptions, cache: CallCache | None = None
) -> MinutesPlan:
    """The candidate lines and transcript parts `summarise` will ask about; with the notes
    kept during the meeting (`cache`), a part ends where the notes taken of it then ended
    (`close_part`)."""
    template = load_template(options.template)
    language = minutes_language(doc, options.language)
    lang_name = LANGUAGE_NAMES.get(language, language)
    prompts = [load_prompt("minutes_notes")]
    actions_prompt = load_prompt("minutes_actions")
    found = expand_asks(
        doc,
        rank_candidates(
            doc, candidates(doc), options.max_action_candidates, options.min_action_score
        ),
    )
    during = cache is not None and cache.kept_during_meeting
    noted = noted_parts(cache.asked) if cache is not None and during else {}
    # Where a part noted during the meeting ended, a line ends, whoever speaks on: with
    # the speakers found since, that part may be read as it was asked (`noted_parts.find`).
    ends = sorted(part.segments()[-1].end for part in noted.values())
    lines = transcript_lines(doc, options.drop_backchannel, breaks=ends)
    transcript_tokens = transcript_budget(options, engine)
    if transcript_tokens is not None:
        lines = select_lines(lines, transcript_tokens, engine.count_tokens)
    title = doc.title.strip() or template.default_title(language)
    values = {"language_name": lang_name, "instructions": template.instructions, "title": title}
    overhead = max(
        engine.count_tokens(
            "".join(m.content for m in p.messages(**values, part="1", parts="1", transcript=""))
        )
        for p in prompts
    )
    budget = options.part_tokens or max(
        256, engine.info.context_size - overhead - options.map_tokens - 64
    )
    kept: Callable[[Sequence[Line], int], bool] | None = None

    def kept_as_asked(part: Sequence[Line], index: int) -> bool:
        assert cache is not None
        messages, schema = notes_call(prompts[0], values, part, index)
        return _kept_reply(cache, engine, messages, options.map_tokens, schema) is not None

    if during:

        def kept_during(part: Sequence[Line], index: int) -> bool:
            # noted with any speakers: the part ends there, read or asked again as it was
            return kept_as_asked(part, index) or noted_extent(noted, part, index)

        kept = kept_during

    cut = split_parts(lines, budget, engine.count_tokens, kept) if lines else []
    parts = [list(p) for p in cut]
    readings: dict[int, Reading] = {}
    line_readings: dict[int, LineReading] = {}
    if kept is not None:
        assert cache is not None
        for i, part in enumerate(parts):
            reading = None if kept_as_asked(part, i) else find(noted, part, i, doc)
            if reading is not None:
                readings[i] = reading
        for seg in found:
            messages, schema = action_call(doc, seg, actions_prompt, lang_name)
            if _kept_reply(cache, engine, messages, options.action_tokens, schema) is None:
                line = find_line(cache.asked, lambda key: _kept_json(cache, key), doc, seg,
                                 _owner_left_out(schema))  # fmt: skip
                if line is not None:
                    line_readings[seg.id] = line
    return MinutesPlan(template, language, lang_name, title, values, prompts, actions_prompt,
                       list(found), parts, readings, line_readings)  # fmt: skip


def _owner_left_out(schema: dict[str, Any] | None) -> bool:
    """Whether a candidate line's reply names no owner (the rules decide it)."""
    return "owner" not in (schema or {}).get("properties", {})


def _kept_json(cache: CallCache, key: str) -> dict[str, Any] | None:
    kept = cache.get(key)
    return parse_reply(kept.text) if kept is not None else None


def find_action_items(
    doc: Document,
    engine: Engine,
    *,
    options: SummariseOptions = SummariseOptions(),
    on_token: TokenCallback | None = None,
    cancel: CancelToken | None = None,
    stats: SummariseStats | None = None,
) -> list[ActionItem]:
    """Only the action items of a meeting (what `summarise` finds, without the notes)."""
    found = expand_asks(
        doc,
        rank_candidates(
            doc, candidates(doc), options.max_action_candidates, options.min_action_score
        ),
    )
    lang_name = LANGUAGE_NAMES.get(language := minutes_language(doc, options.language), language)
    return _write_action_items(
        doc, engine, found, load_prompt("minutes_actions"), lang_name, options,
        lambda _p: None, max(1, len(found)), on_token, cancel,
        stats if stats is not None else SummariseStats(),
    )  # fmt: skip


# The draft's headings, in the minutes' language (the core has no Qt translations).
_DRAFT_HEADINGS = {
    "en": (
        "Draft (from the transcript, before the model):",
        "Attendees: ",
        "Likely action items (the model now writes each one down):",
    ),
    "ko": (
        "초안 (모델이 쓰기 전에 녹취록에서 뽑은 내용):",
        "참석자: ",
        "할 일 후보 (모델이 하나씩 정리하는 중):",
    ),
}


def draft_text(doc: Document, found: Sequence[ReviewedSegment], language: str = "en") -> str:
    """A plain-text draft from the transcript alone, shown before the model's first word."""
    names = speaker_names(doc)
    heading, attendees, likely = _DRAFT_HEADINGS.get(language, _DRAFT_HEADINGS["en"])
    out = [heading]
    if names:
        out.append(attendees + ", ".join(names))
    if found:
        out.append(likely)
        for seg in found:
            who = doc.speaker_label(seg.speaker)
            text = " ".join(seg.text.split())
            out.append(f"  [{_clock(seg.start)}] {who + ': ' if who else ''}{text}")
    return "\n".join(out) + "\n\n"


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m:02d}:{s:02d}"


def _write_action_items(
    doc: Document,
    engine: Engine,
    found: Sequence[ReviewedSegment],
    prompt: Prompt,
    lang_name: str,
    options: SummariseOptions,
    report: ProgressCallback,
    steps: int,
    on_token: TokenCallback | None,
    cancel: CancelToken | None,
    stats: SummariseStats,
    cache: CallCache | None = None,
    readings: Mapping[int, LineReading] | None = None,
) -> list[ActionItem]:
    """Have the model write down each candidate line as a task, one call per line (a
    line written down during the meeting with other speakers is read from `readings`);
    keep the items the line supports."""
    names = speaker_names(doc)
    actions: list[ActionItem] = []
    written: set[int] = set()  # lines with an item of their own so far (meeting order)
    for n, seg in enumerate(found):
        if cancel is not None:
            cancel.raise_if_cancelled()
        report(Progress(n / steps, "minutes", f"action items {n + 1}/{len(found)}"))
        line = (readings or {}).get(seg.id)
        if line is not None:
            stats.kept_calls += 1
            stats.lines_with_other_speakers += 1
            reply: dict[str, Any] | None = line.reply
        else:
            messages, reply_schema = action_call(doc, seg, prompt, lang_name)
            completion = _call(
                engine, messages, options.action_tokens, reply_schema, on_token, cancel, stats,
                "actions", cache=cache,
            )  # fmt: skip
            if on_token is not None:
                on_token("\n")
            reply = parse_reply(completion.text)
        if reply is None:
            stats.json_invalid += 1
            continue
        item, dropped = item_from_reply(reply, doc, seg, options.min_support)
        stats.dropped_unsupported += dropped
        if item is not None and borrowed(item, doc, seg, written, options.min_support):
            continue  # the task of the line before, which has its own item
        if item is not None:
            owner = canonical_owner(_owner(item.owner, set(names)), names)
            actions.append(replace(item, owner=owner))
            written.add(seg.id)
    # as a to-do list writes them: "사과 공지 검토해서 올리기", not the sentence as said
    folded = fold_repeats(actions, acknowledgements(doc), dated=dated(doc))
    # what a short answer agreed to is in the request's words ("CI에 커버리지 리포트 …")
    asked = [in_request_words(doc, a, folded) for a in folded]
    return [replace(a, text=todo_form(a.text, a.due)) for a in asked]


def _call(
    engine: Engine,
    messages: Any,
    max_tokens: int,
    schema: dict[str, Any] | None,
    on_token: TokenCallback | None,
    cancel: CancelToken | None,
    stats: SummariseStats,
    stage: str,
    on_read: Callable[[float], None] | None = None,
    cache: CallCache | None = None,
) -> Completion:
    generation = GenerationOptions(
        max_tokens=max_tokens, json_schema=schema, on_prompt_read=on_read
    )
    key = call_key(engine.info.model, messages, generation) if cache is not None else ""
    kept = cache.get(key) if cache is not None else None
    if kept is not None:  # asked before (during the meeting): not timed, not asked again
        stats.kept_calls += 1
        if on_token is not None:
            on_token(kept.text)
        return kept
    completion = engine.complete(messages, generation, on_token=on_token, cancel=cancel)
    if cache is not None:
        cache.put(key, completion)
    stats.calls += 1
    stats.prompt_tokens += completion.prompt_tokens
    stats.cached_tokens += completion.cached_tokens
    stats.completion_tokens += completion.completion_tokens
    stats.seconds += completion.elapsed_s
    if stats.first_token_s is None:
        stats.first_token_s = completion.first_token_s
    stats.completions.append(completion)
    stats.stages.append(stage)
    return completion


def _with_estimate(report: ProgressCallback, pace: Pace, stats: SummariseStats) -> ProgressCallback:
    """`report` with the seconds left added to what does not carry them yet."""

    def tell(p: Progress) -> None:
        if p.eta_s is None and p.fraction < 1.0:
            p = replace(p, eta_s=pace.seconds_left(stats.completions, stats.stages))
        report(p)

    return tell


def _plan_calls(
    engine: Engine,
    plan: MinutesPlan,
    doc: Document,
    options: SummariseOptions,
    cache: CallCache | None,
    left: Sequence[PlannedAsk],
) -> list[PlannedCall]:
    """The calls `summarise` will make, in order, with the tokens each must read (llama.cpp
    keeps the previous call's prompt, so consecutive calls read only what differs): the
    asks `left` (`asks_left`) and the merge; prompts read ahead during the meeting
    (`Engine.prefill`) are read only past what was read."""
    out: list[PlannedCall] = []
    previous = ""

    def add(stage: str, messages: Any, max_tokens: int) -> None:
        nonlocal previous
        text = "".join(m.content for m in messages)
        shared = os.path.commonprefix([previous, text])  # noqa: RUF071 (strings, not paths)
        total = engine.count_tokens(text)
        read = total - (engine.count_tokens(shared) if shared else 0)
        read = min(read, total - engine.held_tokens(messages))
        out.append(PlannedCall(stage, max(read, 1), max_tokens))
        previous = text

    for ask in left:
        add(ask.stage, ask.messages, ask.max_tokens)
    if _merge_left(plan, doc, engine, options, cache):
        reduce_prompt = load_prompt("minutes_reduce")
        notes = "\n".join(f"Part {i}: " + "x " * 60 for i in range(1, len(plan.parts) + 1))
        add("reduce", reduce_prompt.messages(language_name=plan.lang_name, notes=notes),
            options.reduce_tokens)  # fmt: skip
    return out


def asks_left(
    plan: MinutesPlan,
    doc: Document,
    engine: Engine,
    options: SummariseOptions,
    cache: CallCache | None,
) -> list[PlannedAsk]:
    """The plan's calls (the merge aside) whose replies `cache` does not keep."""
    asks = plan.calls(doc, options)
    return [a for a in asks if cache is None or a.key(engine.info.model) not in cache]


def _merge_left(
    plan: MinutesPlan,
    doc: Document,
    engine: Engine,
    options: SummariseOptions,
    cache: CallCache | None,
) -> bool:
    """Whether the minutes will write a merge: not for one part, nor where the merge of
    the parts before the last one or two was made during the meeting."""
    count = len(plan.parts)
    if count < 2:
        return False
    if cache is None or not cache.kept_during_meeting:
        return True
    notes = kept_notes(plan, doc, engine, options, cache, count - 1)
    lang = plan.lang_name
    return not any(
        merged == 1
        or (len(notes) >= merged and _kept_merge(notes[:merged], engine, lang, options, cache))
        for merged in _merge_points(count)
    )


def action_call(
    doc: Document, seg: ReviewedSegment, prompt: Prompt, lang_name: str
) -> tuple[list[ChatMessage], dict[str, Any] | None]:
    """The messages and reply schema of the call that writes down one candidate line."""
    schema = line_schema(prompt, speaker_names(doc))
    if owner_decided(doc, seg):
        schema = without_owner(schema)
    return prompt.messages(language_name=lang_name, **line_values(doc, seg)), schema


def part_call(
    prompt: Prompt, values: dict[str, str], parts: Sequence[Sequence[Line]], i: int
) -> tuple[list[ChatMessage], dict[str, Any] | None]:
    """The messages and reply schema of the call that takes notes of part `i`."""
    return notes_call(prompt, values, parts[i], i)


def notes_call(
    prompt: Prompt, values: dict[str, str], part: Sequence[Line], i: int
) -> tuple[list[ChatMessage], dict[str, Any] | None]:
    """The messages and reply schema of the notes of `part`, the meeting's part `i`; the
    prompt names the part's number, not how many there are, so the call is the same
    whatever followed it."""
    messages = prompt.messages(
        **values, part=str(i + 1), parts=str(i + 1),
        transcript="\n".join(line.text for line in part),
    )  # fmt: skip
    return messages, _map_schema(prompt.schema, [line.id for line in part])


# A growing part is closed during the meeting (`close_part`) once what it holds, but its
# last line, is this share of a part: fewer, larger parts read better, and a window of
# transcript (240 s, about 1,000 Korean tokens) is more than this.
CLOSE_SHARE = 0.25


def close_part(
    plan: MinutesPlan, engine: Engine, options: SummariseOptions
) -> PlannedAsk | None:
    """The notes of the growing last part of a meeting that goes on, as far as it is
    transcribed, but its last line (the next window may add to it): with these kept, the
    part ends there (`plan_minutes`), and after Stop only what came later is left to
    read and write. None while that is less than `CLOSE_SHARE` of a part."""
    if not plan.parts or len(plan.parts[-1]) < 2:
        return None
    closing = plan.parts[-1][:-1]
    size = sum(engine.count_tokens(line.text) + 1 for line in closing)
    if size < CLOSE_SHARE * (options.part_tokens or DURING_PART_TOKENS):
        return None
    messages, schema = notes_call(plan.prompts[0], plan.values, closing, len(plan.parts) - 1)
    ids = tuple(s.id for line in closing for s in line.segments)
    return PlannedAsk("notes", messages, schema, options.map_tokens, ids, len(plan.parts) - 1,
                      tuple(closing))  # fmt: skip


def _map_schema(schema: Any, ids: Sequence[int]) -> dict[str, Any] | None:
    """The map schema with the part's line ids as the only citable ids."""
    if not schema:
        return None
    out: dict[str, Any] = copy.deepcopy(dict(schema))
    if len(ids) > 400:  # a huge enum slows grammar sampling more than it helps
        return out
    enum = {"enum": list(ids)}
    props = out.get("properties", {})
    for key in ("topics", "decisions", "open_questions"):
        item = props.get(key, {}).get("items", {}).get("properties", {})
        if "segments" in item:
            item["segments"]["items"] = enum
    action = props.get("action_items", {}).get("items", {}).get("properties", {})
    if "segment" in action:
        action["segment"] = enum
    return out


def parse_reply(text: str) -> dict[str, Any] | None:
    """A reply's JSON object: a reply cut by its budget keeps what closed."""
    try:
        data = json.loads(text)
    except ValueError:
        data = salvage_json(text)
        if data is None:
            try:
                data = parse_json_object(text)
            except ValueError:
                return None
    return data if isinstance(data, dict) else None


def _speakers(doc: Document) -> set[str | None]:
    """The speakers of a document as the prompts name them."""
    return {doc.speaker_label(s.speaker) for s in doc.segments if s.speaker}


def _noted_notes(
    reading: Reading, cache: CallCache, options: SummariseOptions, stats: SummariseStats
) -> dict[str, Any] | None:
    """The notes of a part taken during the meeting with other speakers, read with the
    lines they were asked with and translated to the transcript now (None: no reply)."""
    kept = cache.get(reading.key)
    data = parse_reply(kept.text) if kept is not None else None
    if not data:
        return None
    noted = reading.noted
    asked = _clean_part(data, noted.lines, noted.speakers, options.min_support, stats)
    return translate(asked, reading)


def _clean_part(
    data: dict[str, Any],
    part: Sequence[Line],
    speakers: set[str | None],
    min_support: float,
    stats: SummariseStats,
) -> dict[str, Any]:
    """Check and normalise one part's notes (links, owners, support); `speakers` as the
    part's prompt named them."""
    valid = {line.id for line in part}

    def cite(values: Any) -> tuple[int, ...]:
        seq = values if isinstance(values, list) else [values]
        out: list[int] = []
        for v in seq:
            try:
                n = int(v)
            except (TypeError, ValueError):
                continue
            if n in valid:
                out.append(n)
        return tuple(dict.fromkeys(out))

    def notes(key: str) -> list[Note]:
        out = []
        for item in data.get(key) or ():
            if isinstance(item, dict) and clean_value(item.get("text")):
                out.append(Note(str(clean_value(item.get("text"))), cite(item.get("segments"))))
        return out

    topics = []
    for t in data.get("topics") or ():
        if isinstance(t, dict) and clean_value(t.get("title")):
            points = tuple(p for p in (clean_value(x) for x in t.get("points") or ()) if p)
            topics.append(Topic(str(clean_value(t["title"])), points, cite(t.get("segments"))))
    actions = []
    for a in data.get("action_items") or ():
        if not isinstance(a, dict) or not clean_value(a.get("task")):
            continue
        task = str(clean_value(a.get("task")))
        linked = _link(task, cite(a.get("segment")), part, min_support)
        if linked is None:
            stats.dropped_unsupported += 1
            logger.info("dropped an action item the transcript does not support: %r", task)
            continue
        actions.append(
            ActionItem(
                task,
                _owner(clean_value(a.get("owner")), speakers),
                clean_value(a.get("due")),
                linked,
            )
        )
    return {
        "title": clean_value(data.get("title")),
        "summary": clean_value(data.get("summary")) or "",
        "topics": topics,
        "decisions": notes("decisions"),
        "action_items": actions,
        "open_questions": notes("open_questions"),
    }


def _says_something(notes: dict[str, Any]) -> bool:
    """Whether one part's cleaned notes hold anything a reader of the minutes would see."""
    return bool(
        notes["summary"] or notes["topics"] or notes["decisions"] or notes["open_questions"]
    )


def _link(
    task: str, cited: tuple[int, ...], part: Sequence[Line], min_support: float
) -> tuple[int, ...] | None:
    """The segment an action item comes from, or None if no line supports it.

    The cited line (with its neighbours) must share enough words with the
    task; otherwise the best-supporting segment of the part is taken. Within
    a line the segment that supports the task best is the link.
    """
    ids = [line.id for line in part]
    if cited:
        pos = ids.index(cited[0])
        nearby = part[max(0, pos - 1) : pos + 2]
        if support(task, " ".join(line.text for line in nearby)) >= min_support:
            segs = [s for line in nearby for s in line.segments]
            return (max(segs, key=lambda s: support(task, s.text)).id,)
    segs = [s for line in part for s in line.segments]
    best = max(segs, key=lambda s: support(task, s.text), default=None)
    if best is not None and support(task, best.text) >= min_support:
        return (best.id,)
    return None


def _owner(owner: str | None, speakers: set[str | None]) -> str | None:
    if owner is None:
        return None
    for name in speakers:
        if name and name.casefold() == owner.casefold():
            return name
    return owner


def reduce_call(
    notes: Sequence[dict[str, Any]], lang_name: str, *, as_asked: bool = False
) -> tuple[list[ChatMessage], dict[str, Any] | None]:
    """The messages and reply schema of the merge: one title and summary from the parts'
    notes, in meeting order (so the notes of a meeting still going on begin it).
    `as_asked`: the notes as their parts were asked, before their speakers were translated
    (`noted_parts.translate`), as the merge made during the meeting is asked and found."""
    prompt = load_prompt("minutes_reduce")
    lines = []
    for i, n in enumerate(notes, start=1):
        n = n.get("asked", n) if as_asked else n
        topics = "; ".join(t.title for t in n["topics"])
        lines.append(f"Part {i}: {n['summary']}" + (f" (topics: {topics})" if topics else ""))
    messages = prompt.messages(language_name=lang_name, notes="\n".join(lines))
    return messages, dict(prompt.schema or {}) or None


def read_ahead(
    doc: Document, engine: Engine, options: SummariseOptions, cache: CallCache
) -> list[list[ChatMessage]]:
    """The prompts of the calls that only the meeting's end can make, as far as they are
    known now: the notes of the last part (its transcript so far). A local engine reads
    them ahead (`Engine.prefill`), so after Stop they read only what came after. The merge
    needs no reading ahead: it is made during the meeting (`merge_so_far`)."""
    plan = plan_minutes(doc, engine, options, cache)
    if not plan.parts:
        return []
    last = len(plan.parts) - 1
    return [part_call(prompt, plan.values, plan.parts, last)[0] for prompt in plan.prompts]


def kept_notes(
    plan: MinutesPlan,
    doc: Document,
    engine: Engine,
    options: SummariseOptions,
    cache: CallCache,
    count: int,
) -> list[dict[str, Any]]:
    """The notes of the first `count` parts from their kept replies, up to the first part
    that has none."""
    notes: list[dict[str, Any]] = []
    for i in range(min(count, len(plan.parts))):
        held = _held_notes(plan, doc, engine, options, cache, i)
        if held is None:
            break
        notes.append(held)
    return notes


def _held_notes(
    plan: MinutesPlan,
    doc: Document,
    engine: Engine,
    options: SummariseOptions,
    cache: CallCache,
    index: int,
) -> dict[str, Any] | None:
    """Part `index`'s notes from its kept replies, read as asked when its speakers
    changed since (None: none kept)."""
    if index in plan.readings:
        return _noted_notes(plan.readings[index], cache, options, SummariseStats())
    data: dict[str, Any] = {}
    for prompt in plan.prompts:
        messages, schema = part_call(prompt, plan.values, plan.parts, index)
        kept = _kept_reply(cache, engine, messages, options.map_tokens, schema)
        data.update((parse_reply(kept.text) if kept is not None else None) or {})
    if not data:
        return None
    return _clean_part(data, plan.parts[index], _speakers(doc), options.min_support,
                       SummariseStats())  # fmt: skip


def merge_so_far(
    plan: MinutesPlan, doc: Document, engine: Engine, options: SummariseOptions, cache: CallCache
) -> PlannedAsk | None:
    """The merge of the settled parts (all but the growing last one), once at least two
    have their notes kept. Made during the meeting, it lets the minutes after Stop write
    no merge: their summary is this one followed by the last part's own
    (`_merged_during_meeting`), which saves the longest reply left at Stop."""
    settled = len(plan.parts) - 1
    if settled < 2:
        return None
    notes = kept_notes(plan, doc, engine, options, cache, settled)
    if len(notes) < settled:
        return None
    messages, schema = reduce_call(notes, plan.lang_name, as_asked=True)
    ids = tuple(s.id for part in plan.parts[:settled] for line in part for s in line.segments)
    return PlannedAsk("reduce", messages, schema, options.reduce_tokens, ids)


def _kept_merge(
    head: Sequence[dict[str, Any]],
    engine: Engine,
    lang_name: str,
    options: SummariseOptions,
    cache: CallCache,
) -> tuple[str | None, str] | None:
    """Title and summary of the parts in `head`: the first part's own notes, or the
    reply kept for their merge, with the speakers it names as they are now (None: not
    kept, or it names a speaker the parts now read as different people)."""
    if len(head) == 1:
        return head[0]["title"], head[0]["summary"]
    messages, schema = reduce_call(head, lang_name, as_asked=True)
    kept = _kept_reply(cache, engine, messages, options.reduce_tokens, schema)
    data = (parse_reply(kept.text) if kept is not None else None) or {}
    maps = [n.get("speakers", {}) for n in head]
    summary = relabel_merged(clean_value(data.get("summary")) or "", maps)
    title = relabel_merged(clean_value(data.get("title")) or "", maps)
    return (title or None, summary) if summary else None


# At Stop, the parts whose notes came after the merge made during the meeting: the last
# one, or two when the one before it settled too late to be merged.
UNMERGED_PARTS = 2


def _merge_points(count: int) -> range:
    """How many leading parts of `count` the merge made during the meeting may cover,
    most first."""
    return range(count - 1, max(count - 1 - UNMERGED_PARTS, 0), -1)


def _kept_reply(
    cache: CallCache, engine: Engine, messages: Any, max_tokens: int, schema: Any
) -> Completion | None:
    """The reply kept for a call, asked as `_call` asks it (None: not kept)."""
    asked = GenerationOptions(max_tokens=max_tokens, json_schema=schema)
    return cache.get(call_key(engine.info.model, messages, asked))


def _merged_during_meeting(
    notes: Sequence[dict[str, Any]],
    engine: Engine,
    lang_name: str,
    options: SummariseOptions,
    cache: CallCache,
    *,
    whole: bool = False,
) -> tuple[str | None, str] | None:
    """Title and summary of a meeting whose notes were kept as it went on: the merge of
    its parts made during the meeting, followed by the summaries of the parts after it
    (`whole`: `notes` are the settled parts, so a merge of all of them is tried first)."""
    for merged in _merge_points(len(notes) + whole):
        so_far = _kept_merge(notes[:merged], engine, lang_name, options, cache)
        if so_far is not None:
            title, summary = so_far
            tail = [n["summary"] for n in notes[merged:] if n["summary"]]
            return title or notes[0]["title"], " ".join([summary, *tail])
    return None


def _title_and_summary(
    notes: list[dict[str, Any]],
    engine: Engine,
    lang_name: str,
    options: SummariseOptions,
    on_token: TokenCallback | None,
    cancel: CancelToken | None,
    stats: SummariseStats,
    cache: CallCache | None = None,
) -> tuple[str | None, str]:
    if not notes:
        return None, ""
    if len(notes) == 1:
        return notes[0]["title"], notes[0]["summary"]
    messages, schema = reduce_call(notes, lang_name)
    if (
        cache is not None
        and cache.kept_during_meeting
        and _kept_reply(cache, engine, messages, options.reduce_tokens, schema) is None
    ):
        merged = _merged_during_meeting(notes, engine, lang_name, options, cache)
        if merged is not None:
            stats.kept_calls += 1
            stats.merged_during_meeting = True
            return merged
    completion = _call(
        engine,
        messages,
        options.reduce_tokens,
        schema,
        on_token,
        cancel,
        stats,
        "reduce",
        cache=cache,
    )
    data = parse_reply(completion.text) or {}
    summary = clean_value(data.get("summary")) or " ".join(
        n["summary"] for n in notes if n["summary"]
    )
    return clean_value(data.get("title")) or notes[0]["title"], summary
