"""What every command-line tool shares: a progress bar, Ctrl-C as Cancel, the glossaries.

`minutes.cli` and `minutes.llm.cli` both use these, so neither imports the other.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from minutes.progress import CancelToken, Progress

if TYPE_CHECKING:
    from glossary.terms import Glossary


class ProgressBar:
    """A tqdm bar on stderr fed from the core's progress callbacks."""

    def __init__(self, desc: str, quiet: bool) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            total=100,
            desc=desc,
            disable=quiet,
            file=sys.stderr,
            leave=True,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining} {postfix}",
        )
        self._last = 0

    def __call__(self, p: Progress) -> None:
        value = int(p.fraction * 100)
        if value > self._last:
            self._bar.update(value - self._last)
            self._last = value
        self._bar.set_postfix_str(p.message or p.stage, refresh=False)

    def close(self) -> None:
        self._bar.close()


def install_sigint(cancel: CancelToken) -> Any:
    """First Ctrl-C cancels at the next safe point; a second one aborts."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt  # second Ctrl-C: stop now
        # Not "after this segment": the batched decoder hands over a whole window at once.
        print("\nCancelling when the current step ends… (Ctrl-C again to abort)", file=sys.stderr)
        cancel.cancel()

    return signal.signal(signal.SIGINT, handler)


def load_glossaries(files: Sequence[Path], use_user: bool) -> Glossary:
    """The user's glossary (unless told not to) plus the given files."""
    from glossary.store import combined_glossary
    from minutes.config import glossary_path

    return combined_glossary(files, glossary_path() if use_user else None)
