"""Review logic without Qt: user edits as corrections, decisions, change highlighting.

Corrections always index the segment's *raw* text. A user's edit of the
reviewed text becomes USER corrections on the raw spans it changed; the
automatic corrections it keeps stay accepted and those it undoes become
rejected, so `corrected_text(raw, result) == new text` holds exactly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    applied_corrections,
    corrected_text,
)

ACCEPTED, PROPOSED, REJECTED = (
    CorrectionStatus.ACCEPTED, CorrectionStatus.PROPOSED, CorrectionStatus.REJECTED,
)  # fmt: skip
_TOKEN = re.compile(r"\s+|[\uac00-\ud7a3\u3131-\u318e]+|[A-Za-z]+|\d+|\S")


def _script(ch: str) -> str:
    if ch.isspace():
        return "space"
    if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e":
        return "hangul"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return "digit" if ch.isdigit() else "other"


@dataclass(frozen=True)
class Region:
    """Raw text [start, end) becomes `text`."""

    start: int
    end: int
    text: str


def _trim(raw: str, new: str, r: Region, b0: int, b1: int) -> Region:
    """Strip a shared suffix/prefix where one side changes script there ("를" after a term)."""
    before, after = raw[r.start : r.end], new[b0:b1]
    k = 0
    while k < min(len(before), len(after)) - 1 and before[-1 - k] == after[-1 - k]:
        k += 1
    for n in range(k, 0, -1):
        b_cut, a_cut = before[:-n], after[:-n]
        if b_cut and a_cut and (
            _script(b_cut[-1]) != _script(before[-n]) or _script(a_cut[-1]) != _script(after[-n])
        ):
            before, after = b_cut, a_cut
            r = Region(r.start, r.end - n, after)
            break
    k = 0
    while k < min(len(before), len(after)) - 1 and before[k] == after[k]:
        k += 1
    for n in range(k, 0, -1):
        b_cut, a_cut = before[n:], after[n:]
        if b_cut and a_cut and (
            _script(b_cut[0]) != _script(before[n - 1])
            or _script(a_cut[0]) != _script(after[n - 1])
        ):
            return Region(r.start + n, r.end, a_cut)
    return Region(r.start, r.end, after)


def diff_regions(raw: str, new: str) -> list[Region]:
    """Where `new` differs from `raw`, as word-level regions of `raw`."""
    ta = [(m.start(), m.end()) for m in _TOKEN.finditer(raw)]
    tb = [(m.start(), m.end()) for m in _TOKEN.finditer(new)]
    matcher = SequenceMatcher(
        None, [raw[a:b] for a, b in ta], [new[a:b] for a, b in tb], autojunk=False
    )
    out: list[Region] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a0 = ta[i1][0] if i1 < len(ta) else len(raw)
        a1 = ta[i2 - 1][1] if i2 > i1 else a0
        b0 = tb[j1][0] if j1 < len(tb) else len(new)
        b1 = tb[j2 - 1][1] if j2 > j1 else b0
        region = Region(a0, a1, new[b0:b1])
        out.append(_trim(raw, new, region, b0, b1) if a1 > a0 and b1 > b0 else region)
    return out


def user_edit(
    segment_id: int, raw: str, existing: Sequence[Correction], new_text: str
) -> list[Correction]:
    """The segment's corrections after the user typed `new_text` as its reviewed text."""
    others = [c for c in existing if c.source is not CorrectionSource.USER]
    regions = diff_regions(raw, new_text)
    out: list[Correction] = []
    matched: set[Region] = set()
    for c in others:
        hit = next(
            (r for r in regions if (r.start, r.end, r.text) == (c.start_char, c.end_char, c.after)),
            None,
        )
        want = ACCEPTED if hit else REJECTED
        if hit:
            matched.add(hit)
        out.append(c if c.status is want else c.decide(want))
    for r in regions:
        if r not in matched:
            out.append(_user(segment_id, raw, r.start, r.end, r.text))
    if corrected_text(raw, out) != new_text:  # overlapping edge cases: one whole-segment edit
        out = [c if c.status is REJECTED else c.decide(REJECTED) for c in others]
        out.append(_user(segment_id, raw, 0, len(raw), new_text))
    return sorted(out, key=lambda c: (c.start_char, c.end_char))


def _user(segment_id: int, raw: str, start: int, end: int, text: str) -> Correction:
    return Correction(
        segment_id=segment_id, start_char=start, end_char=end, before=raw[start:end],
        after=text, source=CorrectionSource.USER, score=1.0, status=ACCEPTED, rule="edit",
        decided=True,
    )  # fmt: skip


def decide(
    corrections: Iterable[Correction], ids: set[str], status: CorrectionStatus
) -> list[Correction]:
    """Accept or reject the corrections with the given ids."""
    return [c.decide(status) if c.id in ids else c for c in corrections]


# The tooltip's words, in English; the caller translates them (this module has no Qt;
# `words`, not `tr`, so that lupdate does not list them without a context).
# ui/i18n/build.py lists them under the delegate's context (EXTRA), so keep both in step.
_STATE_WORDS = {ACCEPTED: "accepted", PROPOSED: "proposed", REJECTED: "rejected"}
_SOURCE_WORDS = {
    CorrectionSource.GLOSSARY: "glossary",
    CorrectionSource.GUIDED: "confirmed by re-decoding",
    CorrectionSource.LLM: "language model",
    CorrectionSource.USER: "your edit",
}


def _same(text: str) -> str:
    return text


def tooltip(c: Correction, words: Callable[[str], str] = _same) -> str:
    """What a change's hover shows; `words` translates its English words (a delegate's `tr`)."""
    source = _SOURCE_WORDS.get(c.source)
    who = (words(source) if source else c.source.value) + (f" ({c.rule})" if c.rule else "")
    text = "\n".join((
        f"{c.before} → {c.after}",
        words("source: {who}").format(who=who),
        words("score: {score}").format(score=f"{c.score:.2f}"),
        words(_STATE_WORDS[c.status]),
    ))  # fmt: skip
    d = c.detail or {}
    if c.source is CorrectionSource.GUIDED and d:
        # Provenance of a confirmed re-decoding: what was heard, with which hints, and why kept.
        gain = float(d.get("logprob_changed", 0.0)) - float(d.get("logprob_first", 0.0))
        text += "\n" + "\n".join((
            words("first pass: {text}").format(text=d.get("first_pass", "")),
            words("with hints: {text}").format(text=d.get("hinted", "")),
            words("terms offered: {terms}").format(terms=", ".join(d.get("terms_offered", []))),
            words("audio score change: {gain} nats").format(gain=f"{gain:+.2f}"),
        ))  # fmt: skip
    return text


_STYLE = {
    ACCEPTED: "background-color:#c8f0c8;",
    PROPOSED: "background-color:#ffe08a;",
    REJECTED: "text-decoration:line-through; color:#999999;",
}
_RAW_STYLE = {
    ACCEPTED: "background-color:#f6c9c9;",
    PROPOSED: "background-color:#ffe08a;",
    REJECTED: "",
}
_CURRENT = "border-bottom:2px solid #1d4ed8; font-weight:bold;"
_LLM_PROPOSED = "background-color:#e4d7fb;"  # a model's proposal: violet, not glossary yellow


def _style(c: Correction, styles: dict[CorrectionStatus, str]) -> str:
    if c.source is CorrectionSource.LLM and c.status is PROPOSED:
        return _LLM_PROPOSED
    return styles[c.status]


def merge_llm_proposals(
    existing: Sequence[Correction], proposals: Iterable[Correction]
) -> list[Correction]:
    """Add LLM proposals to a session's corrections, keeping every existing one.

    A proposal that overlaps an existing correction of its segment (one made
    or decided while the model was running) is left out.
    """
    out = list(existing)
    for p in proposals:
        clash = any(
            c.segment_id == p.segment_id
            and c.start_char < max(p.end_char, p.start_char + 1)
            and p.start_char < max(c.end_char, c.start_char + 1)
            for c in out
        )
        if not clash:
            out.append(p)
    return sorted(out, key=lambda c: (c.segment_id, c.start_char))


def _span(text: str, c: Correction, style: str, current: str | None) -> str:
    extra = _CURRENT if c.id == current else ""
    return f'<a href="c:{c.id}" style="{style}{extra} color:#111111; text-decoration:none;">' \
        f"{html.escape(text)}</a>"


def raw_html(raw: str, corrections: Sequence[Correction], current: str | None = None) -> str:
    """The raw text with each changed span marked (plain text stays identical)."""
    out, pos = [], 0
    for c in sorted(corrections, key=lambda c: (c.start_char, -c.end_char)):
        if c.start_char < pos or c.end_char > len(raw) or c.end_char == c.start_char:
            continue
        out.append(html.escape(raw[pos : c.start_char]))
        out.append(_span(raw[c.start_char : c.end_char], c, _style(c, _RAW_STYLE), current))
        pos = c.end_char
    out.append(html.escape(raw[pos:]))
    return "".join(out)


def corrected_html(raw: str, corrections: Sequence[Correction], current: str | None = None) -> str:
    """The reviewed text; accepted changes green, proposals (not applied) yellow (LLM: violet).

    Accepted changes shown are exactly those `corrected_text` applies (a guided one wins an
    overlap), so the view and the exports agree.
    """
    applied = {c.id for c in applied_corrections(raw, corrections)}
    out, pos = [], 0
    for c in sorted(corrections, key=lambda c: (c.start_char, -(c.end_char - c.start_char))):
        if c.status is ACCEPTED and c.id not in applied:
            continue
        if any(c.start_char < p.end_char and p.start_char < c.end_char
               for p in corrections if p.id in applied and p.id != c.id):
            continue
        if c.start_char < pos or c.end_char > len(raw):
            continue
        if raw[c.start_char : c.end_char] != c.before:
            continue
        if c.status is REJECTED and c.id != current:
            continue
        out.append(html.escape(raw[pos : c.start_char]))
        shown = c.after if c.status is ACCEPTED else c.before
        out.append(_span(shown, c, _style(c, _STYLE), current))
        pos = c.end_char
    out.append(html.escape(raw[pos:]))
    return "".join(out)
