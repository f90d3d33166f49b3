"""What the command-line tools share: the user-facing error, a progress bar, Ctrl-C as
Cancel, the glossaries, and the run that `transcribe` and `record` both do.

`minutes.cli`, `minutes.record_cli` and `minutes.llm.cli` use these, so none imports
another.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from minutes.progress import CancelToken, Progress

if TYPE_CHECKING:
    import argparse

    from glossary.terms import Glossary
    from minutes.config import Config
    from minutes.diarize.options import DiarizeOptions
    from minutes.pipeline import RunOptions, RunResult


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


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


def _diarize_options(args: argparse.Namespace, default_speakers: int | None) -> DiarizeOptions:
    from minutes.diarize.options import DiarizeOptions

    try:
        return DiarizeOptions(
            speakers=args.speakers if args.speakers is not None else default_speakers,
            min_speakers=args.min_speakers, max_speakers=args.max_speakers,
            backend=args.diarize_backend, pyannote_pipeline=args.pyannote_pipeline,
        )  # fmt: skip
    except ValueError as exc:
        raise CliError(str(exc)) from None


def run_options(args: argparse.Namespace, cfg: Config) -> tuple[RunOptions, Glossary]:
    """The run `transcribe` and `record` do: options and glossary from the flags and config."""
    from minutes.asr import AsrOptions
    from minutes.pipeline import RunOptions

    language = args.language or cfg.language
    if language not in ("auto", "ko", "en") and len(language) not in (2, 3):
        raise CliError(f"unknown language '{language}': use ko, en or auto")
    glossary = load_glossaries(args.glossary, not args.no_user_glossary)
    formats = tuple(dict.fromkeys(("json", *args.formats)))  # the JSON contract always
    options = RunOptions(
        model=args.model or cfg.model,
        language=language,
        hints=cfg.glossary_hints if args.hints is None else args.hints,
        guided=cfg.guided_decoding if args.guided is None else args.guided,
        formats=formats,
        out_dir=args.out,
        allow_download=args.allow_download or cfg.allow_download,
        diarize=cfg.diarize if args.diarize is None else args.diarize,
        diarization=_diarize_options(args, cfg.speakers),
    )
    if getattr(args, "window_seconds", None):
        options = replace(options, asr=AsrOptions(window_seconds=args.window_seconds))
    return options, glossary


def report_result(name: str, result: RunResult) -> None:
    """The summary line, the notes and the exported files of one run."""
    accepted = [c for c in result.corrections if c.status.value == "accepted"]
    n_guided = sum(1 for c in accepted if c.source.value == "guided")
    n_prop = sum(1 for c in result.corrections if c.status.value == "proposed")
    print(
        f"{name}: {len(result.transcript.segments)} segments, "
        f"language {result.transcript.language}, {len(accepted) - n_guided} glossary "
        f"fixes, {n_guided} confirmed by re-decoding, "
        f"{n_prop} proposals{' (ASR reused)' if result.reused_asr else ''}",
        file=sys.stderr,
    )
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for path in result.exported:
        print(path)
