"""Work around PySide6 6.12 dropping references to None on CPython 3.11.

PySide6 6.12.0 (abi3 wheel) returns None from every void method (`label.setText`,
`processEvents`, `selectRow`, …) without taking a reference to it, as if None were
immortal (it is from CPython 3.12 on, PEP 683). On 3.11 each call takes one reference
away, and after a few thousand calls — a minute of recording with the level meter
ticking, or painting a long transcript in Review — the interpreter aborts with
"Fatal Python error: none_dealloc: deallocating None".

`protect_none` checks for the leak with one harmless call and, only if it is there,
gives None (and the bools) the same effectively infinite count that CPython 3.12
gives them. Nothing changes on 3.12+ or with a fixed PySide6.
"""

from __future__ import annotations

import ctypes
import sys

_PLENTY = 1 << 48  # 3.12 uses 2**32 - 1 for immortal objects; this outlasts any session


def none_leaks() -> bool:
    """True when a void PySide6 call takes a reference from None."""
    from PySide6.QtCore import QByteArray

    probe = QByteArray()
    before = sys.getrefcount(None)
    probe.clear()  # void
    return sys.getrefcount(None) < before


def protect_none() -> bool:
    """Make None, True and False immortal in practice if PySide6 leaks them; True if done."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not none_leaks():
        return False
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(obj)).value += _PLENTY
    return True
