"""Which glossary terms could have been said in a stretch of recognised text.

Guided re-decoding (minutes.guided) offers Whisper only the terms that are
plausible *here*, chosen from what the first pass heard: a Hangul stretch that
sounds like one of a term's readings ("이호" ~ "씨이오" for CEO), a Latin word one
or two letters off a term ("USB" ~ UST), or a term the first pass already wrote.
A real glossary holds hundreds to thousands of terms and Whisper's prompt holds
223 tokens, so one global list cannot work; per stretch, a handful can.

This is a recall-oriented filter, deliberately looser than the matcher: a term
offered here still has to be confirmed by the audio before anything changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from glossary.hangul import has_hangul, phonetic_key
from glossary.index import latin_key
from glossary.particles import korean_splits
from glossary.readings import readings
from glossary.terms import Glossary
from glossary.tokens import HANGUL, LATIN, pieces

MAX_WINDOW_PIECES = 3
MIN_SCORE = 0.6  # normalised Indel similarity of sound keys
MIN_KEY = 2  # keys shorter than this say nothing


@dataclass(frozen=True)
class Plausible:
    """A term that may have been said at text[start:end], and how alike they sound."""

    term: str
    score: float
    start: int
    end: int
    present: bool  # the text already names the term (exactly, any case)


class PlausibleTerms:
    """Index of every term's written and spoken keys, built once per glossary."""

    def __init__(self, glossary: Glossary) -> None:
        self._canonicals: list[str] = []
        latin: dict[str, set[int]] = {}
        hangul: dict[str, set[int]] = {}
        self._exact: dict[str, int] = {}
        for index, term in enumerate(glossary):
            self._canonicals.append(term.canonical)
            for form in (term.canonical, *term.variants):
                self._exact.setdefault(form.casefold(), index)
                if has_hangul(form):
                    _add(hangul, phonetic_key(form), index)
                    continue
                _add(latin, latin_key(form), index)
                for reading in readings(form)[:4]:
                    _add(hangul, phonetic_key(reading.text), index)
        self._latin_keys = list(latin)
        self._latin_owner = [sorted(latin[k]) for k in self._latin_keys]
        self._hangul_keys = list(hangul)
        self._hangul_owner = [sorted(hangul[k]) for k in self._hangul_keys]

    def __len__(self) -> int:
        return len(self._canonicals)

    def find(self, text: str, *, min_score: float = MIN_SCORE) -> list[Plausible]:
        """Every (term, stretch) pair scoring at least `min_score`, best first.

        A term already written exactly in `text` is reported with `present=True`
        (score 1.0) so the caller can leave it alone.
        """
        from rapidfuzz import fuzz, process

        windows = _windows(text)
        best: dict[tuple[int, int, int], float] = {}
        present: set[tuple[int, int, int]] = set()
        for script, keys, owners in (
            (LATIN, self._latin_keys, self._latin_owner),
            (HANGUL, self._hangul_keys, self._hangul_owner),
        ):
            queries = [(s, e, q) for s, e, sc, q in windows if sc == script]
            if not queries or not keys:
                continue
            scores = process.cdist(
                [q for _, _, q in queries],
                keys,
                scorer=fuzz.ratio,
                score_cutoff=min_score * 100,
                workers=1,
                dtype="uint8",
            )
            for row, (start, end, query) in enumerate(queries):
                for col in scores[row].nonzero()[0]:
                    key = keys[int(col)]
                    if not _comparable(query, key):
                        continue
                    score = float(scores[row][col]) / 100
                    for term in owners[int(col)]:
                        slot = (term, start, end)
                        if score > best.get(slot, 0.0):
                            best[slot] = score
        for start, end, script, _ in windows:
            span = text[start:end]
            exact = self._exact.get(span.casefold())
            if exact is not None:
                best[(exact, start, end)] = 1.0
                present.add((exact, start, end))
            elif script == LATIN:
                for term in self._run_together(span):  # "KBSTV": KBS and TV
                    best[(term, start, end)] = max(best.get((term, start, end), 0.0), 0.9)
        found = [
            Plausible(self._canonicals[t], round(score, 4), s, e, (t, s, e) in present)
            for (t, s, e), score in best.items()
        ]
        found.sort(key=lambda p: (-p.score, p.start, p.term))
        return found

    def _run_together(self, span: str) -> list[int]:
        """Terms that, written together without a space, make up `span` exactly."""
        folded = span.casefold()
        for cut in range(1, len(folded)):
            head, tail = self._exact.get(folded[:cut]), self._exact.get(folded[cut:])
            if head is not None and tail is not None:
                return [head, tail]
        return []

    def top_terms(self, found: Sequence[Plausible], limit: int) -> list[str]:
        """The best `limit` distinct terms among `found` (already best first)."""
        out: list[str] = []
        for p in found:
            if p.term not in out:
                out.append(p.term)
            if len(out) == limit:
                break
        return out


def _add(table: dict[str, set[int]], key: str, index: int) -> None:
    if len(key) >= MIN_KEY:
        table.setdefault(key, set()).add(index)


def _comparable(query: str, key: str) -> bool:
    """Keys of very different length only score well on a shared fragment."""
    return abs(len(query) - len(key)) <= max(2, len(key) // 2)


def _windows(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, script, key) of every run of 1-3 same-script word pieces."""
    parts = pieces(text)
    out: list[tuple[int, int, str, str]] = []
    for i in range(len(parts)):
        for j in range(i, min(i + MAX_WINDOW_PIECES, len(parts))):
            if j > i and (not parts[j - 1].joins_next or parts[j].script != parts[i].script):
                break
            start, end = parts[i].start, parts[j].end
            ends = [end]
            if parts[i].script == HANGUL:  # also without a particle: "이호들도" -> "이호"
                ends += [end - len(p) for _, p in korean_splits(parts[j].text)]
            for stop in ends:
                span = text[start:stop]
                key = phonetic_key(span) if parts[i].script == HANGUL else latin_key(span)
                if len(key) >= MIN_KEY:
                    out.append((start, stop, parts[i].script, key))
    return out


def term_pattern(term: str) -> re.Pattern[str]:
    """`term` as a whole word (not inside a longer Latin word or number), any case."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", re.IGNORECASE)


def count_term(text: str, term: str) -> int:
    """How often `text` names `term` as a whole word (case-insensitive)."""
    return len(term_pattern(term).findall(text))


def terms_in(text: str, terms: Iterable[str]) -> list[str]:
    """The given terms that `text` names exactly (case-insensitive, as whole words)."""
    return [term for term in terms if term_pattern(term).search(text)]
