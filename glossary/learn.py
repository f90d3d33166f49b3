"""Learning from review: a corrected mis-hearing becomes a variant of its term."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from glossary.errors import GlossaryError
from glossary.terms import Glossary, Term, clean_text, term_key

logger = logging.getLogger(__name__)


def learn(
    glossary: Glossary, before: str, after: str, *, now: datetime | None = None
) -> tuple[Glossary, Term]:
    """Record that the recogniser wrote `before` where the speaker said `after`.

    `before` becomes a variant of the term whose canonical form is `after`
    (a new term is created if there is none). If another term listed
    `before` as its variant, the newest decision wins and it is moved. The
    term's use count goes up and `learned_at` is set, which makes it a
    priority ASR hint.

    Args:
        glossary: The current glossary (not modified).
        before: The text as recognised, e.g. "지지피" (the review span).
        after: The correct form, e.g. "GDP".
        now: Time to record (defaults to the current UTC time).

    Returns:
        (the updated glossary, the updated or new term).

    Raises:
        GlossaryError: If either form is empty or too long.
    """
    before_clean, after_clean = clean_text(before), clean_text(after)
    if not before_clean or not after_clean:
        raise GlossaryError("cannot learn an empty term or variant")
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    updated = glossary
    moved_from = [
        t for t in glossary
        if t.key != term_key(after_clean)
        and any(v.casefold() == before_clean.casefold() for v in t.variants)
    ]
    for other in moved_from:
        kept = tuple(v for v in other.variants if v.casefold() != before_clean.casefold())
        updated = updated.replacing(replace(other, variants=kept))
        logger.info("variant %r moved from %r to %r", before_clean, other.canonical, after_clean)
    term = updated.get(after_clean) or Term(after_clean)
    if term.key != term_key(before_clean):  # "gdp" -> "GDP" is a case fix, not a variant
        term = term.with_variant(before_clean)
    term = replace(term, uses=term.uses + 1, learned_at=stamp)
    return updated.replacing(term), term
