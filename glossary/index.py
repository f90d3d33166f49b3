"""Lookup structures built once per glossary for fast matching.

* `exact`: every canonical form, variant and generated Hangul reading, keyed by
  its folded spelling (spaces removed, case-folded) -> O(1) lookups per window.
* `acronyms`: capital-letter terms, for spelled-out and letter-confusion matches.
* Two `FuzzyPool`s (Hangul sound keys, Latin spellings) blocked by first sound
  and scored in bulk with `rapidfuzz.process.cdist`, so a window is compared
  only with keys that start alike and could reach the score cutoff.
"""

from __future__ import annotations

import logging
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from glossary.hangul import has_hangul, jamo, phonetic_key
from glossary.readings import is_acronym, readings
from glossary.terms import Glossary, Term

logger = logging.getLogger(__name__)

CANONICAL = "canonical"
EXACT_VARIANT = "exact-variant"
ACRONYM_READING = "acronym-reading"
WORD_READING = "word-reading"
FUZZY_JAMO = "fuzzy-jamo"
FUZZY_LATIN = "fuzzy-latin"
LATIN_CONFUSION = "latin-confusion"

MIN_FUZZY_KEY = 5  # shorter sound keys collide with ordinary words
_FUZZY_READINGS_PER_TERM = 4


def fold(text: str) -> str:
    """Exact-lookup key: NFC, no whitespace, case-folded."""
    return "".join(unicodedata.normalize("NFC", text).split()).casefold()


def latin_key(text: str) -> str:
    """Fuzzy key of Latin text: lower-case letters and digits only."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _latin_block(key: str) -> str:
    first = key[0]
    if first in "aeiouy":
        return "V"
    return {"c": "k", "q": "k", "z": "s"}.get(first, first)


def _hangul_block(key: str) -> str:
    first = key[0]
    return first if "ㄱ" <= first <= "ㅎ" else "V"


@dataclass(frozen=True)
class Entry:
    """One way a window can name a term.

    Attributes:
        term: Index of the term in the glossary.
        rule: CANONICAL, EXACT_VARIANT, ACRONYM_READING or WORD_READING.
        score: Confidence when the window equals this form exactly.
        auto: Whether an unambiguous exact hit is safe to apply unreviewed.
    """

    term: int
    rule: str
    score: float
    auto: bool


class FuzzyPool:
    """Keys blocked by first sound; bulk fuzzy search with a score cutoff."""

    def __init__(self, *, hangul: bool) -> None:
        self._hangul = hangul
        self._owners: dict[str, list[tuple[Entry, str]]] = {}
        self._blocks: dict[str, list[str]] = {}
        self._block_lengths: dict[str, list[int]] = {}

    def add(self, key: str, entry: Entry, spelled: str) -> None:
        """Register `key` (a sound key or Latin key) for `entry`.

        Args:
            key: What queries are compared with.
            entry: The term it names.
            spelled: The exact spelling behind the key (jamo for Hangul), used
                to tell sound-alike from spelled-alike when scoring.
        """
        if len(key) >= MIN_FUZZY_KEY:
            self._owners.setdefault(key, []).append((entry, spelled))

    def freeze(self) -> None:
        """Build the per-block key arrays; call once after the last `add`."""
        blocks: dict[str, list[str]] = {}
        for key in self._owners:
            blocks.setdefault(self.block(key), []).append(key)
        self._blocks = {b: sorted(keys, key=len) for b, keys in blocks.items()}
        self._block_lengths = {b: [len(k) for k in keys] for b, keys in self._blocks.items()}

    def __len__(self) -> int:
        return len(self._owners)

    def block(self, key: str) -> str:
        return _hangul_block(key) if self._hangul else _latin_block(key)

    def owners(self, key: str) -> list[tuple[Entry, str]]:
        return self._owners.get(key, [])

    def search(self, queries: Iterable[str], cutoff: float) -> dict[str, list[tuple[str, float]]]:
        """Keys scoring at least `cutoff` (0..1) against each query.

        Args:
            queries: Keys built the same way as the pool's keys.
            cutoff: Minimum normalised Indel similarity.

        Returns:
            query -> [(key, score)], best first; queries without hits map to [].
        """
        by_block: dict[str, list[str]] = {}
        for q in set(queries):
            by_block.setdefault(self.block(q), []).append(q)
        out: dict[str, list[tuple[str, float]]] = {}
        ratio_cut = cutoff * 100
        for block, block_queries in by_block.items():
            keys = self._blocks.get(block)
            if not keys:
                out.update((q, []) for q in block_queries)
                continue
            lengths = self._block_lengths[block]
            block_queries.sort(key=len)
            # Group queries of similar length so each cdist sees only keys that
            # could reach the cutoff: ratio >= t needs len(key) in [L*t/(2-t), L*(2-t)/t].
            start = 0
            while start < len(block_queries):
                low_len = len(block_queries[start])
                stop = start
                while stop < len(block_queries) and len(block_queries[stop]) <= low_len + 2:
                    stop += 1
                group = block_queries[start:stop]
                high_len = len(group[-1])
                lo = bisect_left(lengths, low_len * cutoff / (2 - cutoff) - 1e-9)
                hi = bisect_right(lengths, high_len * (2 - cutoff) / cutoff + 1e-9)
                start = stop
                if lo >= hi:
                    out.update((q, []) for q in group)
                    continue
                candidates = keys[lo:hi]
                # cdist returns a numpy array (numpy is imported by rapidfuzz on
                # first use, keeping `import glossary` cheap).
                scores = process.cdist(
                    group, candidates, scorer=fuzz.ratio, score_cutoff=ratio_cut,
                    dtype="uint8", workers=1,
                )
                rows, cols = scores.nonzero()
                hits: dict[str, list[tuple[str, float]]] = {q: [] for q in group}
                for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                    key = candidates[c]
                    # cdist rounds to whole percent; rescore exactly for ranking.
                    hits[group[r]].append((key, fuzz.ratio(group[r], key) / 100))
                for q, found in hits.items():
                    found.sort(key=lambda kv: -kv[1])
                    out[q] = found
        return out


class GlossaryIndex:
    """Everything the matcher looks up, built from one glossary.

    Args:
        glossary: The terms to index.
        korean: Also index generated Hangul readings and Hangul sound keys.
    """

    def __init__(self, glossary: Glossary, *, korean: bool = True) -> None:
        self.terms: tuple[Term, ...] = glossary.terms
        self.exact: dict[str, list[Entry]] = {}
        self.exact_case: dict[str, list[Entry]] = {}  # case-sensitive terms, spaces removed
        # Hangul forms by sound key: 태드 and 테드 are spelled apart but sound
        # the same in modern Korean (ㅐ/ㅔ merged), and Whisper picks either.
        self.sound: dict[str, list[Entry]] = {}
        self.canonical_keys: set[str] = set()
        self.canonical_case: set[str] = set()
        self.acronyms: dict[str, list[int]] = {}
        self.hangul_pool = FuzzyPool(hangul=True)
        self.latin_pool = FuzzyPool(hangul=False)
        self.longest_key = 0
        for idx, term in enumerate(self.terms):
            self._add_term(idx, term, korean=korean)
        self.hangul_pool.freeze()
        self.latin_pool.freeze()
        logger.debug(
            "indexed %d terms: %d exact keys, %d Hangul and %d Latin fuzzy keys",
            len(self.terms), len(self.exact), len(self.hangul_pool), len(self.latin_pool),
        )

    def _put(self, form: str, entry: Entry, *, case_sensitive: bool) -> None:
        key = fold(form)
        if not key:
            return
        self.longest_key = max(self.longest_key, len(key))
        if case_sensitive and not has_hangul(form):
            self.exact_case.setdefault("".join(form.split()), []).append(entry)
        else:
            self.exact.setdefault(key, []).append(entry)
        if has_hangul(form):
            self.sound.setdefault(phonetic_key(form), []).append(entry)

    def _add_term(self, idx: int, term: Term, *, korean: bool) -> None:
        cs = term.case_sensitive
        self._put(term.canonical, Entry(idx, CANONICAL, 1.0, True), case_sensitive=cs)
        if cs:
            self.canonical_case.add("".join(term.canonical.split()))
        else:
            self.canonical_keys.add(fold(term.canonical))
        forms = [term.canonical, *term.variants]
        for variant in term.variants:
            self._put(variant, Entry(idx, EXACT_VARIANT, 1.0, True), case_sensitive=cs)
        letters = term.canonical.replace(".", "").replace("/", "").replace("-", "")
        if is_acronym(letters) and letters.isalpha():
            self.acronyms.setdefault(letters, []).append(idx)
        for form in forms:
            if has_hangul(form):
                if korean:
                    self.hangul_pool.add(
                        phonetic_key(form), Entry(idx, FUZZY_JAMO, 1.0, True), jamo(fold(form))
                    )
            elif not cs:
                key = latin_key(form)
                self.latin_pool.add(key, Entry(idx, FUZZY_LATIN, 1.0, True), key)
        if not korean or has_hangul(term.canonical):
            return
        word_rank = 0
        for rank, reading in enumerate(readings(term.canonical)):
            syllables = len(reading.text)
            if syllables < 2:
                continue  # one syllable (깃, 줌) collides with ordinary words
            if reading.kind == "acronym":
                letter_count = sum(c.isalpha() for c in term.canonical)
                entry = Entry(idx, ACRONYM_READING, 0.97 if letter_count >= 3 else 0.8,
                              letter_count >= 3)
            else:
                # Two-syllable alternates ("지러" for Jira) are too often real words.
                entry = Entry(idx, WORD_READING, 0.95, word_rank == 0 or syllables >= 3)
                word_rank += 1
            self._put(reading.text, entry, case_sensitive=False)
            if rank < _FUZZY_READINGS_PER_TERM:
                fuzzy_entry = Entry(idx, FUZZY_JAMO, 1.0, True)
                self.hangul_pool.add(phonetic_key(reading.text), fuzzy_entry, jamo(reading.text))
