"""Split text into word pieces with character offsets.

A piece is a run of Hangul syllables or a Latin-script word ("Node.js", "C++",
"CI/CD", "G20"). Korean glues particles to English words ("GDP를"), so a
script change inside a word starts a new piece marked `glued`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HANGUL = "hangul"
LATIN = "latin"

_PIECE = re.compile(
    r"(?P<hangul>[가-힣]+)"
    r"|(?P<latin>[A-Za-z0-9](?:[A-Za-z0-9]|[+#&](?=[A-Za-z0-9+#])|[.'’/\-](?=[A-Za-z0-9]))*[+#]*)"
)


@dataclass(frozen=True)
class Piece:
    """One word piece of the input text.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        text: The piece as written.
        script: HANGUL or LATIN (digits count as Latin).
        glued: True if nothing separates it from the previous piece ("를" in "GDP를").
        joins_next: True if only spaces (or nothing) separate it from the next
            piece, so a term may continue there; punctuation ends a phrase.
    """

    start: int
    end: int
    text: str
    script: str
    glued: bool
    joins_next: bool


def pieces(text: str) -> list[Piece]:
    """Split `text` into pieces, in order.

    Args:
        text: Any string, e.g. one transcript segment.

    Returns:
        The pieces; characters that are neither Hangul nor Latin words
        (spaces, punctuation, other scripts) are left out.
    """
    found = [(m.start(), m.end(), m.lastgroup or LATIN) for m in _PIECE.finditer(text)]
    out: list[Piece] = []
    for k, (start, end, script) in enumerate(found):
        prev_end = found[k - 1][1] if k else -1
        next_start = found[k + 1][0] if k + 1 < len(found) else -1
        gap = text[end:next_start] if next_start >= 0 else "."
        out.append(
            Piece(
                start=start,
                end=end,
                text=text[start:end],
                script=HANGUL if script == "hangul" else LATIN,
                glued=prev_end == start,
                joins_next=gap.isspace() or gap == "",
            )
        )
    return out
