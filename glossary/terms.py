"""Glossary data model: immutable terms and the glossary that holds them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from glossary.errors import GlossaryError

MAX_TERM_CHARS = 100
MAX_FIELD_CHARS = 2000
MAX_VARIANTS = 200
_LANGUAGE_CODE = re.compile(r"^(|auto|[a-z]{2,3})$")
VARIANT_SEPARATOR = "|"


def clean_text(value: str) -> str:
    """NFC-normalise, strip and collapse inner whitespace to single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def term_key(text: str) -> str:
    """Identity of a term: two canonicals with the same key are the same term."""
    return clean_text(text).casefold()


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Attributes:
        canonical: The correct written form, e.g. "Kubernetes".
        variants: Known mis-hearings or other spellings that mean this term.
        category: Free grouping label ("infra", "product", ...).
        language: A language code ("en", "ko"), or "" / "auto" for unspecified.
            Informational: the matcher reads a term by its script, since Korean
            speakers say English terms in Hangul.
        note: Free text for the user.
        case_sensitive: Only exact-case text counts as this term or its variants
            (use for words like "Go" that are also ordinary words).
        pinned: The user wants this term passed to the recogniser first.
        uses: How often review confirmed a correction to this term.
        learned_at: ISO 8601 time the term last learned a variant.
    """

    canonical: str
    variants: tuple[str, ...] = ()
    category: str = ""
    language: str = ""
    note: str = ""
    case_sensitive: bool = False
    pinned: bool = False
    uses: int = 0
    learned_at: str | None = None
    _key: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        canonical = clean_text(self.canonical)
        if not canonical:
            raise GlossaryError("empty term")
        if len(canonical) > MAX_TERM_CHARS:
            raise GlossaryError(
                f"term is too long ({len(canonical)} characters, at most {MAX_TERM_CHARS})"
            )
        for name in ("category", "note"):
            if len(getattr(self, name)) > MAX_FIELD_CHARS:
                raise GlossaryError(f"{name} is too long (at most {MAX_FIELD_CHARS} characters)")
        language = clean_text(self.language).lower()
        if not _LANGUAGE_CODE.match(language):
            raise GlossaryError(f"unknown language {self.language!r} (use a code like en or ko)")
        if self.uses < 0:
            raise GlossaryError("uses must not be negative")
        object.__setattr__(self, "canonical", canonical)
        object.__setattr__(self, "variants", _clean_variants(canonical, self.variants))
        object.__setattr__(self, "category", clean_text(self.category))
        object.__setattr__(self, "note", self.note.strip())
        object.__setattr__(self, "language", language)
        object.__setattr__(self, "_key", canonical.casefold())

    @property
    def key(self) -> str:
        """Case-folded canonical form: the identity used for merging."""
        return self._key

    def with_variant(self, variant: str) -> Term:
        """Return a copy that also lists `variant` (no-op if already known)."""
        return replace(self, variants=(*self.variants, variant))

    def merged(self, other: Term) -> Term:
        """Combine two entries for the same term; this one's fields win when set."""
        return replace(
            self,
            variants=(*self.variants, *other.variants),
            category=self.category or other.category,
            language=self.language or other.language,
            note=self.note or other.note,
            case_sensitive=self.case_sensitive or other.case_sensitive,
            pinned=self.pinned or other.pinned,
            uses=max(self.uses, other.uses),
            learned_at=max(self.learned_at or "", other.learned_at or "") or None,
        )


def _clean_variants(canonical: str, variants: Iterable[str]) -> tuple[str, ...]:
    if isinstance(variants, str):  # a lone string would split into characters
        variants = (variants,)
    seen = {canonical.casefold()}
    out: list[str] = []
    for raw in variants:
        variant = clean_text(str(raw))
        if not variant or variant.casefold() in seen:
            continue
        if VARIANT_SEPARATOR in variant:
            raise GlossaryError(
                f"variant {variant[:20]!r} contains {VARIANT_SEPARATOR!r}, which separates variants"
            )
        if len(variant) > MAX_TERM_CHARS:
            raise GlossaryError(
                f"variant {variant[:20]!r}... is too long (at most {MAX_TERM_CHARS} characters)"
            )
        seen.add(variant.casefold())
        out.append(variant)
    if len(out) > MAX_VARIANTS:
        raise GlossaryError(f"too many variants ({len(out)}, at most {MAX_VARIANTS})")
    return tuple(out)


@dataclass(frozen=True)
class Glossary:
    """An ordered, duplicate-free collection of terms. Immutable.

    Build one with `Glossary.from_terms`, which merges duplicate canonicals
    instead of failing; every "modifying" method returns a new glossary.
    """

    terms: tuple[Term, ...] = ()

    def __post_init__(self) -> None:
        keys = [t.key for t in self.terms]
        if len(set(keys)) != len(keys):
            raise GlossaryError("duplicate terms; build the glossary with Glossary.from_terms")

    @classmethod
    def from_terms(cls, terms: Iterable[Term]) -> Glossary:
        """Build a glossary, merging entries whose canonical forms are equal."""
        by_key: dict[str, Term] = {}
        for term in terms:
            known = by_key.get(term.key)
            by_key[term.key] = known.merged(term) if known else term
        return cls(tuple(by_key.values()))

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def get(self, canonical: str) -> Term | None:
        """The term whose canonical form is `canonical` (case-insensitive)."""
        key = term_key(canonical)
        for term in self.terms:
            if term.key == key:
                return term
        return None

    def with_term(self, term: Term) -> Glossary:
        """Add `term`, or merge it into the existing entry with the same canonical."""
        return Glossary.from_terms((*self.terms, term))

    def replacing(self, term: Term) -> Glossary:
        """Put `term` in place of the entry with the same canonical (or append it)."""
        out = [term if t.key == term.key else t for t in self.terms]
        if not any(t.key == term.key for t in self.terms):
            out.append(term)
        return Glossary(tuple(out))

    def merge(self, other: Glossary) -> Glossary:
        """This glossary plus `other`'s terms; shared terms merge their variants."""
        return Glossary.from_terms((*self.terms, *other.terms))

    def add_term(
        self,
        canonical: str,
        *,
        variants: Iterable[str] | None = None,
        category: str | None = None,
        note: str | None = None,
        language: str = "",
        case_sensitive: bool = False,
    ) -> Glossary:
        """Add a term by its fields (merging into an existing entry of that name).

        Raises:
            GlossaryError: If a field is invalid (empty or too long).
        """
        term = Term(
            canonical,
            variants=tuple(variants or ()),
            category=category or "",
            note=note or "",
            language=language,
            case_sensitive=case_sensitive,
        )
        return self.with_term(term)

    def fingerprint(self) -> str:
        """A stable hash of what matching depends on (to skip unchanged re-runs)."""
        import hashlib

        digest = hashlib.sha256()
        for t in self.terms:
            fields_ = (t.canonical, "|".join(t.variants), str(t.case_sensitive), t.language)
            digest.update("\x1f".join(fields_).encode("utf-8") + b"\x1e")
        return digest.hexdigest()[:32]

    def without(self, canonical: str) -> Glossary:
        """Drop the term whose canonical form is `canonical`, if any."""
        key = term_key(canonical)
        return Glossary(tuple(t for t in self.terms if t.key != key))
