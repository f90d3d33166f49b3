"""Deterministic post-ASR jargon correction against a user glossary.

`Matcher.find` looks at every run of 1-4 words ("window"), with Korean
particles and English plural endings split off the last word, and tries, in
order of trust:

1. the window already *is* a term -> it is protected, never edited;
2. exact variant or generated reading ("지디피" -> GDP, "쿠버네티스" -> Kubernetes),
   or a spelling that sounds the same ("태드" ~ "테드" -> TED);
3. spelled-out letters with one sound-alike letter wrong ("GZP", "지지피" -> GDP),
   always as a proposal;
4. fuzzy similarity of Hangul sound keys or Latin spellings (rapidfuzz).

Overlapping candidates are resolved greedily by score. Each match says
whether it is safe to apply (`auto`) or only to propose for review: short,
ambiguous, and low-score matches are proposals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from glossary.hangul import jamo, phonetic_key
from glossary.index import (
    ACRONYM_READING,
    CANONICAL,
    EXACT_VARIANT,
    FUZZY_JAMO,
    FUZZY_LATIN,
    LATIN_CONFUSION,
    MIN_FUZZY_KEY,
    Entry,
    FuzzyPool,
    GlossaryIndex,
    fold,
    latin_key,
)
from glossary.particles import ends_phrase, english_splits, korean_splits
from glossary.readings import decode_letters, is_acronym, is_pronounceable, rhymes
from glossary.stopwords import COMMON_KOREAN
from glossary.terms import Glossary
from glossary.tokens import HANGUL, LATIN, Piece, pieces

SOUND_ALIKE = "sound-alike"
MAX_WORDS = 4
# Fuzzy thresholds, calibrated on IT-term mis-spellings vs. Korean TEDx sentences.
HANGUL_PROPOSE = 0.84
HANGUL_PROPOSE_SHORT = 0.85  # sound keys under 7 symbols (about two syllables)
HANGUL_AUTO = 0.90
LATIN_PROPOSE = 0.85
LATIN_AUTO = 0.92
AUTO_MIN_KEY = 7
AUTO_MARGIN = 0.05  # best term must beat the runner-up by this much to auto-apply
HOMOPHONE_SCORE = 0.93
HOMOPHONE_AUTO_KEY = 7  # about three syllables
CONFUSION_SCORE = 0.86
TRANSPOSITION_SCORE = 0.82
_CACHE_LIMIT = 200_000
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Match:
    """One proposed or safe correction in the input text.

    Attributes:
        start: Character offset in the input text.
        end: Exclusive end offset; particles stay outside the span.
        before: `text[start:end]`.
        after: The replacement (the canonical term).
        term: The canonical term.
        score: Confidence 0..1.
        rule: How it was found: "exact-variant", "acronym-reading",
            "word-reading", "sound-alike", "latin-confusion", "fuzzy-jamo"
            or "fuzzy-latin".
        auto: True if safe to apply unreviewed; False to propose for review.
    """

    start: int
    end: int
    before: str
    after: str
    term: str
    score: float
    rule: str
    auto: bool


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    term: int
    score: float
    rule: str
    auto: bool
    protected: bool = False


@dataclass(frozen=True)
class _FuzzyRequest:
    start: int
    end: int
    key: str  # sound key (Hangul) or Latin key: what the pool is searched with
    spelled: str  # jamo (Hangul) or Latin key: the spelling itself
    hangul: bool


class Matcher:
    """Finds glossary terms (and their mis-hearings) in plain text.

    Args:
        glossary: The user's glossary. The index is built here, once.
        language: The transcript's language code. "en" matches Latin
            spellings only; anything else ("ko", "auto", ...) also matches
            Hangul readings and Korean particles, since Korean meetings mix
            in English terms and mis-detected language is common.
    """

    def __init__(self, glossary: Glossary, *, language: str = "auto") -> None:
        self.language = (language or "auto").lower()
        self._korean = self.language != "en"
        self.index = GlossaryIndex(glossary, korean=self._korean)
        self._fuzzy_cache: dict[tuple[bool, str], list[tuple[int, float]]] = {}

    def find(self, text: str) -> list[Match]:
        """Find corrections in `text`.

        Args:
            text: Plain text, e.g. one transcript segment.

        Returns:
            Non-overlapping matches sorted by start; empty when nothing matches.
        """
        return self.find_all([text])[0]

    def find_all(self, texts: Sequence[str]) -> list[list[Match]]:
        """Find corrections in many texts at once (faster than `find` in a loop).

        Fuzzy candidates of all texts are scored in one batch, which matters
        when a transcript has thousands of short segments.

        Args:
            texts: Plain texts, e.g. every segment of a transcript.

        Returns:
            One list of matches per text, as `find` would return it.
        """
        if not self.index.terms:
            return [[] for _ in texts]
        collected = [self._collect(text) for text in texts]
        self._score_requests([r for _, requests in collected for r in requests])
        return [
            self._select(text, found + self._fuzzy(requests))
            for text, (found, requests) in zip(texts, collected, strict=True)
        ]

    def _collect(self, text: str) -> tuple[list[_Candidate], list[_FuzzyRequest]]:
        """Exact and letter matches of every window, plus the fuzzy lookups to make."""
        found: list[_Candidate] = []
        requests: list[_FuzzyRequest] = []
        parts = pieces(text)
        for i in range(len(parts)):
            if not self._starts_word(parts, i):
                continue
            for j in range(i, min(i + MAX_WORDS, len(parts))):
                if j > i and (not parts[j - 1].joins_next or parts[j].glued):
                    break
                window = parts[i : j + 1]
                if sum(p.end - p.start for p in window) > self.index.longest_key + 6:
                    break
                if self._ends_word(parts, j):
                    self._match_window(text, window, found, requests)
                if parts[j].script == HANGUL and self._korean and ends_phrase(parts[j].text):
                    break  # a particle or verb ending closes the noun phrase
        return found, requests

    # -- windows ------------------------------------------------------------

    @staticmethod
    def _starts_word(parts: list[Piece], i: int) -> bool:
        # Hangul glued after Latin is a particle or compound tail ("UX디자인").
        return not (parts[i].glued and parts[i].script == HANGUL)

    @staticmethod
    def _ends_word(parts: list[Piece], j: int) -> bool:
        nxt = parts[j + 1] if j + 1 < len(parts) else None
        if nxt is None or not nxt.glued:
            return True
        # Latin may carry a glued Korean particle ("GDP를"); Hangul may not carry Latin.
        return parts[j].script == LATIN and nxt.script == HANGUL

    def _cores(self, window: list[Piece]) -> list[tuple[int, bool]]:
        """(end offset, fuzzy allowed) of the window with and without a trailing suffix.

        An English plural/possessive only counts for exact forms ("PRs"):
        fuzzy-matching "contain" out of "contains" would invent "containers".
        """
        last = window[-1]
        ends = [(last.end, True)]
        if last.script == HANGUL and self._korean:
            ends += [(last.end - len(p), True) for _, p in korean_splits(last.text)]
        elif last.script == LATIN:
            ends += [(last.end - len(s), False) for _, s in english_splits(last.text)]
        return ends

    def _match_window(
        self,
        text: str,
        window: list[Piece],
        found: list[_Candidate],
        requests: list[_FuzzyRequest],
    ) -> None:
        start = window[0].start
        scripts = {p.script for p in window}
        if len(window) > 1 and scripts == {HANGUL} and sum(len(p.text) for p in window) < 3:
            return  # two one-syllable words ("더 큰") are too short to name a split term
        for end, fuzzy_ok in self._cores(window):
            core = text[start:end]
            common = core in COMMON_KOREAN
            hits = self._exact(core)
            if common:  # an everyday word: only the user's own variants may change it
                hits = [e for e in hits if e.rule in (CANONICAL, EXACT_VARIANT)]
            if hits and hits[0].rule == CANONICAL:
                found.append(_Candidate(start, end, hits[0].term, 1.01, CANONICAL, False, True))
                continue
            if hits:
                found.append(self._from_exact(start, end, hits))
                continue
            if scripts == {HANGUL} and self._korean:
                if common:
                    continue
                letters = self._spelled_letters(start, end, core)
                if letters:
                    found.append(letters)
                    continue
                key = phonetic_key(core)
                homophone = self._homophone(start, end, key)
                if homophone:
                    found.append(homophone)  # fuzzy may still find a surer match
                if len(key) >= MIN_FUZZY_KEY:
                    requests.append(_FuzzyRequest(start, end, key, jamo(fold(core)), True))
            elif scripts == {LATIN} and fuzzy_ok:
                if len(window) == 1:
                    confused = self._confusion(start, end, [core], latin=True)
                    if confused:
                        found.append(confused)
                        continue
                key = latin_key(core)
                if len(key) >= MIN_FUZZY_KEY and not key.isdigit():
                    requests.append(_FuzzyRequest(start, end, key, key, False))

    # -- exact and letter rules -----------------------------------------------

    def _exact(self, core: str) -> list[Entry]:
        """Entries whose form equals `core`, canonical first, then by score."""
        idx = self.index
        spaced = "".join(core.split())
        hits = idx.exact.get(fold(core), []) + idx.exact_case.get(spaced, [])
        if not hits:
            return []
        return sorted(hits, key=lambda e: (e.rule != CANONICAL, -e.score, e.term))

    @staticmethod
    def _from_exact(start: int, end: int, hits: list[Entry]) -> _Candidate:
        best = hits[0]
        ambiguous = any(e.term != best.term for e in hits)
        score = best.score - (0.1 if ambiguous else 0.0)
        return _Candidate(start, end, best.term, score, best.rule, best.auto and not ambiguous)

    def _homophone(self, start: int, end: int, key: str) -> _Candidate | None:
        """A Hangul spelling that sounds exactly like a term's reading or variant.

        Short keys (one or two syllables) are only proposed: they collide with
        ordinary words more often.
        """
        entries = self.index.sound.get(key)
        if not entries or len(key) < 4:
            return None
        terms = {e.term for e in entries}
        if len(terms) != 1:
            return None
        auto = len(key) >= HOMOPHONE_AUTO_KEY and all(e.auto for e in entries)
        return _Candidate(start, end, entries[0].term, HOMOPHONE_SCORE, SOUND_ALIKE, auto)

    def _spelled_letters(self, start: int, end: int, core: str) -> _Candidate | None:
        """Hangul that spells out an acronym term, exactly or with one letter off."""
        decoded = decode_letters("".join(core.split()))
        if not decoded:
            return None
        for letters in decoded:
            terms = self.index.acronyms.get(letters)
            if terms:
                strong = len(letters) >= 3 and len(terms) == 1
                return _Candidate(start, end, terms[0], 0.97 if strong else 0.8,
                                  ACRONYM_READING, strong)
        return self._confusion(start, end, list(decoded), latin=False)

    def _confusion(
        self, start: int, end: int, spellings: list[str], *, latin: bool
    ) -> _Candidate | None:
        """An acronym term one sound-alike letter (or one swap) away, if unique."""
        if latin and not (is_acronym(spellings[0]) and spellings[0].isalpha()):
            return None
        acronyms = self.index.acronyms
        rhyme_terms: set[int] = set()
        swap_terms: set[int] = set()
        for s in spellings:
            if len(s) < 3:
                continue
            for k, letter in enumerate(s):
                for other in _LETTERS:
                    if other != letter and rhymes(letter, other):
                        rhyme_terms.update(acronyms.get(s[:k] + other + s[k + 1 :], ()))
            for k in range(len(s) - 1):
                if s[k] != s[k + 1]:
                    swap_terms.update(acronyms.get(s[:k] + s[k + 1] + s[k] + s[k + 2 :], ()))
        candidates = rhyme_terms | swap_terms
        if len(candidates) != 1:
            return None  # nothing near, or too many to choose from
        term = candidates.pop()
        # Always a proposal: the token may be a real acronym the glossary lacks
        # (KBS is not a mis-hearing of KDS). Accepting it in review teaches the
        # glossary the variant, after which it applies automatically.
        score = CONFUSION_SCORE if term in rhyme_terms else TRANSPOSITION_SCORE
        if latin and is_pronounceable(spellings[0]):
            score -= 0.06  # "AND" is more likely a word than a mis-heard "AMD"
        return _Candidate(start, end, term, score, LATIN_CONFUSION, False)

    # -- fuzzy --------------------------------------------------------------

    def _score_requests(self, requests: list[_FuzzyRequest]) -> None:
        """Score every not-yet-cached fuzzy lookup in one batch per pool."""
        missing: dict[bool, dict[str, str]] = {True: {}, False: {}}
        for r in requests:
            if (r.hangul, r.spelled) not in self._fuzzy_cache:
                missing[r.hangul][r.spelled] = r.key
        if len(self._fuzzy_cache) > _CACHE_LIMIT:
            self._fuzzy_cache.clear()
        for hangul, lookups in missing.items():
            if lookups:
                self._score_keys(hangul, lookups)

    def _fuzzy(self, requests: list[_FuzzyRequest]) -> list[_Candidate]:
        """Candidates from already-scored fuzzy lookups."""
        out: list[_Candidate] = []
        for r in requests:
            ranked = self._fuzzy_cache.get((r.hangul, r.spelled))
            if not ranked:
                continue
            term, score = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if r.hangul:
                floor = HANGUL_PROPOSE if len(r.key) >= AUTO_MIN_KEY else HANGUL_PROPOSE_SHORT
                auto_at = HANGUL_AUTO
            else:
                floor, auto_at = LATIN_PROPOSE, LATIN_AUTO
            if score < floor:
                continue
            auto = (
                score >= auto_at and score - runner_up >= AUTO_MARGIN
                and len(r.key) >= AUTO_MIN_KEY
            )
            rule = FUZZY_JAMO if r.hangul else FUZZY_LATIN
            out.append(_Candidate(r.start, r.end, term, round(score, 4), rule, auto))
        return out

    def _score_keys(self, hangul: bool, lookups: dict[str, str]) -> None:
        """Rank terms for each spelling; `lookups` maps spelling -> search key.

        Hangul scores blend sound-key and spelling similarity, so words that
        only sound alike after folding (창고 / 장고) score lower than true
        near-spellings; short keys take the lower of the two.
        """
        pool: FuzzyPool = self.index.hangul_pool if hangul else self.index.latin_pool
        cutoff = HANGUL_PROPOSE if hangul else LATIN_PROPOSE
        results = pool.search(lookups.values(), cutoff) if len(pool) else {}
        for spelled, key in lookups.items():
            best: dict[int, float] = {}
            short = len(key) < AUTO_MIN_KEY
            for found, sound in results.get(key, []):
                if hangul and short and abs(len(found) - len(key)) > 1:
                    continue  # a short word must not gain or lose a syllable ("그러나")
                for entry, form in pool.owners(found):
                    if hangul:
                        written = fuzz.ratio(spelled, form) / 100
                        score = min(sound, written) if short else (sound + written) / 2
                    else:
                        score = sound
                    if score > best.get(entry.term, 0.0):
                        best[entry.term] = score
            self._fuzzy_cache[(hangul, spelled)] = sorted(
                best.items(), key=lambda kv: (-kv[1], kv[0])
            )

    # -- selection ----------------------------------------------------------

    def _select(self, text: str, found: list[_Candidate]) -> list[Match]:
        taken = bytearray(len(text))
        out: list[Match] = []
        ranked = sorted(found, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.term))
        for c in ranked:
            if any(taken[c.start : c.end]):
                continue
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            if c.protected:
                continue
            canonical = self.index.terms[c.term].canonical
            before = text[c.start : c.end]
            if before == canonical:
                continue
            out.append(Match(c.start, c.end, before, canonical, canonical, c.score, c.rule, c.auto))
        out.sort(key=lambda m: m.start)
        return out
