"""Pick glossary terms to pass to faster-whisper as `hotwords`.

faster-whisper encodes `" " + hotwords.strip()` into the prompt and cuts it
at 223 tokens (half of Whisper's 448-token context, minus one), so the
selection must be measured in *tokens of the real tokenizer*: Hangul costs
several byte-level BPE tokens per syllable, far more than its character
count suggests. The counter is injected so this module needs no model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from glossary.terms import Glossary, Term

logger = logging.getLogger(__name__)

WHISPER_HOTWORD_BUDGET = 223
TokenCounter = Callable[[str], int]


def hotword_priority(term: Term) -> tuple[int, int, str]:
    """Sort key: higher priority first (use with `sorted`, ascending).

    Order: terms the user pinned; then terms confirmed in review most often
    (`uses`); then the most recently learned. Remaining ties go to the
    cheaper term (applied by `select_hotwords`, which knows the cost) and
    finally to alphabetical order, so the choice is deterministic.
    """
    return (0 if term.pinned else 1, -term.uses, _newest_first(term.learned_at or ""))


def _newest_first(timestamp: str) -> str:
    """A key whose ascending order is the descending order of ISO timestamps.

    Each ASCII character is replaced by its complement, and a terminator
    makes a never-learned term ("") sort after every learned one.
    """
    return "".join(chr(0x7F - ord(ch)) for ch in timestamp if ord(ch) < 0x80) + "\x7f"


def select_hotwords(
    glossary: Glossary,
    count_tokens: TokenCounter,
    budget: int = WHISPER_HOTWORD_BUDGET,
    *,
    separator: str = ", ",
) -> str:
    """The most useful canonical terms that fit in Whisper's prompt budget.

    Why this priority: the decoder is biased toward whatever the prompt
    holds, so the prompt should carry the terms most likely to occur and
    most costly to miss. Pinned terms are the user's explicit choice; terms
    often confirmed in review (`uses`) or recently learned are the ones this
    team actually says and Whisper actually gets wrong. Among equals the
    cheaper term wins, because two short terms help more than one long one.
    Terms that do not fit are skipped and smaller ones still tried (greedy
    knapsack), and the final string is re-counted as a whole, because BPE
    merges across term boundaries.

    Args:
        glossary: The terms to choose from.
        count_tokens: Counts tokens of a string with the model's tokenizer
            (see `token_counter_from_file`).
        budget: Token limit for `" " + result`, as faster-whisper encodes it.
        separator: Put between terms.

    Returns:
        Terms joined by `separator`, or "" if none fits.
    """
    if budget <= 0 or not len(glossary):
        return ""
    costs = {t.canonical: count_tokens(" " + t.canonical) for t in glossary}
    ranked = sorted(glossary, key=lambda t: (*hotword_priority(t), costs[t.canonical],
                                             t.canonical))
    cheapest = min(costs.values())
    chosen: list[str] = []
    used = 0
    for term in ranked:
        if used + cheapest > budget:
            break  # full: nothing else can fit
        if used + costs[term.canonical] > budget + 1:  # +1: merges can save a token
            continue
        candidate = separator.join([*chosen, term.canonical])
        tokens = count_tokens(" " + candidate)
        if tokens <= budget:
            chosen.append(term.canonical)
            used = tokens
    result = separator.join(chosen)
    logger.debug("hotwords: %d of %d terms, %d tokens", len(chosen), len(glossary), used)
    return result


def token_counter_from_file(tokenizer_json: str | Path) -> TokenCounter:
    """A token counter backed by a Hugging Face `tokenizer.json` (e.g. Whisper's).

    `tokenizers` is imported here, not at module import, to keep imports cheap.

    Args:
        tokenizer_json: Path to the tokenizer file.

    Returns:
        A function counting tokens without special tokens, like faster-whisper's
        `Tokenizer.encode`.

    Raises:
        FileNotFoundError: If the file does not exist.
        ImportError: If the `tokenizers` package is not installed.
    """
    path = Path(tokenizer_json)
    if not path.is_file():
        raise FileNotFoundError(f"tokenizer file not found: {path}")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))

    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)

    return count
