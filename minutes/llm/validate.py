"""Guards for LLM repair proposals: only local, plausible fixes reach the user.

A small model left free rewrites sentences, "improves" style, invents words
and obeys instructions it finds in the transcript. None of that can pass
here, whatever the model (or the transcript) says:

1. the fix names a segment of the window being repaired, and its ``wrong``
   text occurs there verbatim, on word boundaries (a Korean particle may
   follow: "쿠버네티스를");
2. it is small: at most `Limits.max_words` words and `Limits.max_chars`
   characters, and the word count barely changes - no sentence rewrites;
3. it invents nothing: the replacement must *sound like* the original
   (Hangul readings of Latin terms are compared, so "지디피" -> "GDP" passes
   and "회의" -> "GDP" does not), numbers and negations are kept;
4. it does not touch text that an accepted correction already changed, and
   does not repeat something the user rejected or a pending proposal;
5. fixes that turn words into glossary terms score highest.

Everything here is pure and model-free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from rapidfuzz import fuzz

from glossary.hangul import phonetic_key
from glossary.particles import korean_splits
from glossary.readings import readings
from glossary.tokens import HANGUL, pieces
from minutes.types import Correction, CorrectionStatus

_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.+#\-]*|\d+")
_DIGITS = re.compile(r"\d+")
_NEGATIONS = re.compile(
    r"\b(?:not|no|never|none|cannot|can't|won't|don't|didn't|n't)\b|안 |못 |않|없"
)
_FORBIDDEN_CHARS = re.compile(r"[\n\r\t{}<>\[\]\"`\\|]")


@dataclass(frozen=True)
class Limits:
    """How small a fix must be.

    Attributes:
        max_chars: Longest `wrong` text.
        max_words: Most words in `wrong` (and in `right`, plus `max_word_growth`).
        max_word_growth: How many more words `right` may have than `wrong`.
        min_sound: Least sound/spelling similarity of an ordinary fix.
        min_sound_term: Least similarity of a fix to a glossary term.
        max_per_wrong: Most occurrences of one `wrong` turned into proposals.
    """

    max_chars: int = 24
    max_words: int = 3
    max_word_growth: int = 1
    min_sound: float = 0.7
    min_sound_term: float = 0.5
    max_per_wrong: int = 3


@dataclass(frozen=True)
class RawFix:
    """A fix as the model wrote it."""

    segment_id: int
    wrong: str
    right: str


@dataclass(frozen=True)
class ValidFix:
    """A fix that passed every guard, located in the segment's *raw* text."""

    segment_id: int
    start_char: int
    end_char: int
    before: str
    after: str
    term: str | None
    score: float


@dataclass(frozen=True)
class Rejected:
    """A fix that failed a guard, and which one (for benchmarks and logs)."""

    fix: RawFix
    reason: str


@dataclass(frozen=True)
class _Piece:
    reviewed_start: int
    reviewed_end: int
    raw_start: int
    changed: bool


class ReviewedText:
    """A segment's text with accepted corrections applied, mapped back to raw offsets.

    The model sees the reviewed text (so it does not re-propose what the
    user already accepted); proposals are stored against the raw text, like
    every `Correction`. Spans that overlap an accepted change have no raw
    equivalent - that is the "must not undo an accepted correction" rule.
    """

    def __init__(self, raw: str, corrections: Iterable[Correction] = ()) -> None:
        accepted = sorted(
            (c for c in corrections if c.status is CorrectionStatus.ACCEPTED),
            key=lambda c: (c.start_char, -(c.end_char - c.start_char)),
        )
        self.raw = raw
        parts: list[str] = []
        self._pieces: list[_Piece] = []
        pos = 0
        out_len = 0
        for c in accepted:
            # The same rules as minutes.types.corrected_text: overlaps and stale spans skip.
            if (
                c.start_char < pos
                or c.end_char > len(raw)
                or raw[c.start_char : c.end_char] != c.before
            ):
                continue
            same = raw[pos : c.start_char]
            self._pieces.append(_Piece(out_len, out_len + len(same), pos, False))
            parts.append(same)
            out_len += len(same)
            self._pieces.append(_Piece(out_len, out_len + len(c.after), c.start_char, True))
            parts.append(c.after)
            out_len += len(c.after)
            pos = c.end_char
        rest = raw[pos:]
        self._pieces.append(_Piece(out_len, out_len + len(rest), pos, False))
        parts.append(rest)
        self.text = "".join(parts)

    def to_raw(self, start: int, end: int) -> tuple[int, int] | None:
        """Raw offsets of a reviewed span, or None if it touches an accepted change."""
        for piece in self._pieces:
            if piece.changed and start < piece.reviewed_end and end > piece.reviewed_start:
                return None
            if piece.changed and piece.reviewed_start == piece.reviewed_end == start:
                return None
        for piece in self._pieces:
            if not piece.changed and piece.reviewed_start <= start and end <= piece.reviewed_end:
                offset = piece.raw_start - piece.reviewed_start
                return start + offset, end + offset
        return None


def sound_similarity(a: str, b: str) -> float:
    """How alike two short strings sound, 0..1.

    Latin runs are also read as Hangul (letter names, transliteration), so
    "디엔에이" and "DNA" compare as sounds rather than as unrelated letters.
    """
    keys_a = _sound_keys(a)
    keys_b = _sound_keys(b)
    return max((fuzz.ratio(x, y) for x in keys_a for y in keys_b), default=0.0) / 100.0


def _sound_keys(text: str) -> set[str]:
    parts: list[list[str]] = []
    pos = 0
    for m in _LATIN_RUN.finditer(text):
        if m.start() > pos:
            parts.append([text[pos : m.start()]])
        run = m.group()
        options = [r.text for r in readings(run)[:3]] if not run.isdigit() else []
        parts.append([run.lower(), *options])
        pos = m.end()
    if pos < len(text):
        parts.append([text[pos:]])
    keys = {phonetic_key("".join(combo)) for combo in _limited_product(parts, 12)}
    return {k for k in keys if k} or {text.casefold()}


def _limited_product(parts: list[list[str]], limit: int) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for combo in product(*parts):
        out.append(combo)
        if len(out) >= limit:
            break
    return out


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _trim_common_words(wrong: str, right: str) -> tuple[str, str, int]:
    """Drop words both sides share at the start and end; returns the offset trimmed at the start."""
    w, r = wrong.split(" "), right.split(" ")
    head = 0
    while head < min(len(w), len(r)) - 1 and w[head] == r[head]:
        head += 1
    tail = 0
    while tail < min(len(w), len(r)) - head - 1 and w[-1 - tail] == r[-1 - tail]:
        tail += 1
    w_core = " ".join(w[head : len(w) - tail])
    r_core = " ".join(r[head : len(r) - tail])
    offset = sum(len(x) + 1 for x in w[:head])
    # A shared Korean particle stays outside the edit: "오이시디와" -> "OECD와" edits "오이시디".
    for _stem, particle in korean_splits(w_core.split(" ")[-1]):
        if r_core.endswith(particle) and len(r_core) > len(particle):
            cut = len(particle)
            return w_core[:-cut], r_core[:-cut], offset
    return w_core, r_core, offset


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """The span starts at a word and ends at a word's end (or before its particle)."""
    ps = pieces(text)
    if not any(p.start == start for p in ps):
        return False
    for p in ps:
        if p.end == end:
            return True
        if p.start < end < p.end:
            # Inside a word: fine only if the rest is a Korean particle ("쿠버네티스|를").
            cut = end - p.start
            return p.script == HANGUL and any(
                len(stem) == cut for stem, _ in korean_splits(text[p.start : p.end])
            )
    return not text[end - 1].isalnum()  # ends on punctuation after a word


def _occurrences(text: str, needle: str, limit: int) -> list[int]:
    out: list[int] = []
    i = text.find(needle)
    while i != -1 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def find_term(text: str, terms: Mapping[str, str]) -> str | None:
    """The glossary term `text` contains as a whole word (casefold key -> canonical)."""
    folded = text.casefold()
    for key, canonical in terms.items():
        if re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded):
            return canonical
    return None


def check_fix(
    fix: RawFix,
    *,
    targets: Mapping[int, ReviewedText],
    terms: Mapping[str, str],
    existing: Sequence[Correction] = (),
    limits: Limits = Limits(),
) -> list[ValidFix] | Rejected:
    """Validate one model fix against every guard.

    Args:
        fix: What the model proposed.
        targets: The window's segments to repair (id -> reviewed text).
        terms: Glossary terms, casefolded key -> canonical form.
        existing: All corrections of the transcript so far.
        limits: Size and similarity limits.

    Returns:
        One `ValidFix` per occurrence of the span (usually one), or the
        reason it was rejected.
    """
    view = targets.get(fix.segment_id)
    if view is None:
        return Rejected(fix, "not a segment of this window")
    wrong, right = _clean(fix.wrong), _clean(fix.right)
    if not wrong or not right:
        return Rejected(fix, "empty text")
    if _FORBIDDEN_CHARS.search(fix.right):
        return Rejected(fix, "replacement has markup or line breaks")
    if wrong == right:
        return Rejected(fix, "no change")
    wrong_core, right_core, offset = _trim_common_words(wrong, right)
    reason = _shape_problem(wrong_core, right_core, limits)
    if reason:
        return Rejected(fix, reason)
    if find_term(wrong_core, terms):
        return Rejected(fix, "would change a glossary term")
    term = find_term(right_core, terms)
    similarity = sound_similarity(wrong_core, right_core)
    if term is not None:
        if similarity < limits.min_sound_term:
            return Rejected(fix, f"does not sound like the term {term}")
    elif similarity < limits.min_sound or not _each_word_sounds_alike(
        wrong_core, right_core, limits.min_sound
    ):
        return Rejected(fix, "replacement does not sound like the original")
    found = _occurrences(view.text, wrong, limits.max_per_wrong)
    if not found:
        return Rejected(fix, "text not found in the segment")
    out: list[ValidFix] = []
    last_reason = "touches an accepted correction"
    for at in found:
        start = at + offset
        end = start + len(wrong_core)
        if not _on_word_boundaries(view.text, start, end):
            last_reason = "cuts a word in two"
            continue
        raw_span = view.to_raw(start, end)
        if raw_span is None:
            last_reason = "touches an accepted correction"
            continue
        conflict = _conflict(fix.segment_id, raw_span, right_core, existing)
        if conflict:
            last_reason = conflict
            continue
        score = (0.7 + 0.3 * similarity) if term else 0.5 * similarity
        out.append(
            ValidFix(
                fix.segment_id,
                raw_span[0],
                raw_span[1],
                view.raw[raw_span[0] : raw_span[1]],
                right_core,
                term,
                round(score, 4),
            )
        )
    return out or Rejected(fix, last_reason)


def _each_word_sounds_alike(wrong: str, right: str, threshold: float) -> bool:
    """Word by word, every changed word must sound like the one it replaces.

    A whole-span similarity lets "태드만 해도 그렇습니다" -> "테드만 하면 좋습니다"
    through (most syllables agree); the changed words "해도" -> "하면" do not.
    """
    w, r = wrong.split(), right.split()
    if len(w) != len(r) or len(w) < 2:
        return True
    return all(a == b or sound_similarity(a, b) >= threshold for a, b in zip(w, r, strict=True))


def _shape_problem(wrong: str, right: str, limits: Limits) -> str | None:
    n_wrong, n_right = len(wrong.split()), len(right.split())
    if len(wrong) > limits.max_chars or n_wrong > limits.max_words:
        return "span too long (no sentence rewrites)"
    if n_right > n_wrong + limits.max_word_growth or len(right) > 2 * limits.max_chars:
        return "replacement adds words"
    if n_right < n_wrong - 1:
        return "replacement drops words"
    if sorted(_DIGITS.findall(wrong)) != sorted(_DIGITS.findall(right)):
        return "changes a number"
    if len(_NEGATIONS.findall(wrong.lower())) != len(_NEGATIONS.findall(right.lower())):
        return "changes a negation"
    return None


def _conflict(
    segment_id: int, span: tuple[int, int], after: str, existing: Sequence[Correction]
) -> str | None:
    for c in existing:
        if c.segment_id != segment_id:
            continue
        overlaps = c.start_char < span[1] and span[0] < c.end_char
        if not overlaps:
            continue
        if c.status is CorrectionStatus.ACCEPTED:
            return "touches an accepted correction"
        if (c.start_char, c.end_char, c.after) == (span[0], span[1], after):
            if c.status is CorrectionStatus.REJECTED:
                return "the user rejected this fix before"
            return "already proposed"
    return None


def rank(fixes: Iterable[ValidFix]) -> list[ValidFix]:
    """Glossary-term fixes first, then by score; one fix per span (the best)."""
    best: dict[tuple[int, int, int], ValidFix] = {}
    for f in fixes:
        key = (f.segment_id, f.start_char, f.end_char)
        if key not in best or _order(f) < _order(best[key]):
            best[key] = f
    chosen = sorted(best.values(), key=_order)
    # Overlapping spans in one segment: keep the better-ranked one.
    taken: dict[int, list[tuple[int, int]]] = {}
    out: list[ValidFix] = []
    for f in chosen:
        spans = taken.setdefault(f.segment_id, [])
        if any(f.start_char < e and s < f.end_char for s, e in spans):
            continue
        spans.append((f.start_char, f.end_char))
        out.append(f)
    return out


def _order(f: ValidFix) -> tuple[int, float]:
    return (0 if f.term else 1, -f.score)
