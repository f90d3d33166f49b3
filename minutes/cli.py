"""Command line: `minutes transcribe | correct | glossary | models`.

Progress bars go to stderr; Ctrl-C cancels cleanly: the running stage stops at
the next segment, finished windows stay checkpointed in the session, and the
same command resumes them.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from minutes import __version__
from minutes.progress import CancelToken, Progress

if TYPE_CHECKING:
    from glossary.terms import Glossary

logger = logging.getLogger("minutes")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _formats(value: str) -> tuple[str, ...]:
    from minutes.export import FORMATS

    items = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in items if f not in FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(unknown)}; choose from {','.join(FORMATS)}"
        )
    return items


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minutes",
        description="Local meeting transcription with glossary-aware jargon correction.",
    )
    parser.add_argument("--version", action="version", version=f"minutes {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("transcribe", help="transcribe recordings and export the result")
    t.add_argument("audio", nargs="+", type=Path, help="wav, flac, mp3, m4a, ogg, webm, mp4, …")
    t.add_argument("--language", default=None, help="ko, en or auto (default: config, auto)")
    t.add_argument("--model", default=None, help="base, tiny.en, a CTranslate2 folder or hub name")
    t.add_argument(
        "--glossary",
        type=Path,
        action="append",
        default=[],
        help="extra glossary CSV/JSON (repeatable)",
    )
    t.add_argument(
        "--no-user-glossary", action="store_true", help="ignore the glossary in the data folder"
    )
    t.add_argument("--out", type=Path, default=Path("."), help="output folder (default: .)")
    t.add_argument(
        "--formats", type=_formats, default=("txt", "srt", "json"), help="comma list (json always)"
    )
    hints = t.add_mutually_exclusive_group()
    hints.add_argument("--hints", dest="hints", action="store_true", default=None)
    hints.add_argument("--no-hints", dest="hints", action="store_false")
    t.add_argument("--allow-download", action="store_true", help="allow hub model downloads")
    t.add_argument("--title", default=None, help="meeting title (default: file name)")

    c = sub.add_parser("correct", help="re-run glossary correction on a transcript JSON")
    c.add_argument("transcript", type=Path)
    c.add_argument("--glossary", type=Path, action="append", default=[], required=True)
    c.add_argument("--out", type=Path, default=None, help="output folder (default: beside input)")
    c.add_argument("--formats", type=_formats, default=("json",))

    g = sub.add_parser("glossary", help="manage your glossary")
    gsub = g.add_subparsers(dest="glossary_command", required=True)
    gi = gsub.add_parser("import", help="merge a CSV/JSON file into your glossary")
    gi.add_argument("file", type=Path)
    ge = gsub.add_parser("export", help="write your glossary to CSV or JSON")
    ge.add_argument("file", type=Path)
    gsub.add_parser("list", help="show your glossary")
    ga = gsub.add_parser("add", help="add a term (or variants of an existing one)")
    ga.add_argument("term")
    ga.add_argument("--variant", action="append", default=[])
    ga.add_argument("--category", default="")
    ga.add_argument("--note", default="")

    m = sub.add_parser("models", help="list embedded models (and check them)")
    m.add_argument("--verify", action="store_true", help="check sha256 of the model files")
    return parser


class _Bar:
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


def _install_sigint(cancel: CancelToken) -> Any:
    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt  # second Ctrl-C: stop now
        print("\nCancelling after the current segment… (Ctrl-C again to abort)", file=sys.stderr)
        cancel.cancel()

    return signal.signal(signal.SIGINT, handler)


def _load_glossary(files: Sequence[Path], use_user: bool) -> Glossary:
    from glossary.io import load_glossary
    from glossary.store import load_user_glossary
    from glossary.terms import Glossary
    from minutes.config import glossary_path

    merged = load_user_glossary(glossary_path()) if use_user else Glossary()
    for f in files:
        merged = merged.merge(load_glossary(f))
    return merged


def cmd_transcribe(args: argparse.Namespace) -> int:
    from minutes.config import Config
    from minutes.pipeline import Pipeline, RunOptions

    cfg = Config.load()
    language = args.language or cfg.language
    if language not in ("auto", "ko", "en") and len(language) not in (2, 3):
        raise CliError(f"unknown language '{language}': use ko, en or auto")
    glossary = _load_glossary(args.glossary, not args.no_user_glossary)
    formats = tuple(dict.fromkeys(("json", *args.formats)))  # the JSON contract always
    options = RunOptions(
        model=args.model or cfg.model,
        language=language,
        hints=cfg.glossary_hints if args.hints is None else args.hints,
        formats=formats,
        out_dir=args.out,
        title=args.title,
        allow_download=args.allow_download or cfg.allow_download,
    )
    pipeline = Pipeline(cfg.sessions_root())
    cancel = CancelToken()
    previous = _install_sigint(cancel)
    status = EXIT_OK
    try:
        for audio in args.audio:
            bar = _Bar(audio.name, args.quiet)
            try:
                result = pipeline.run(audio, options, glossary, progress=bar, cancel=cancel)
            finally:
                bar.close()
            n_fixed = sum(1 for c in result.corrections if c.status.value == "accepted")
            n_prop = sum(1 for c in result.corrections if c.status.value == "proposed")
            print(
                f"{audio.name}: {len(result.transcript.segments)} segments, "
                f"language {result.transcript.language}, {n_fixed} glossary fixes, "
                f"{n_prop} proposals{' (ASR reused)' if result.reused_asr else ''}",
                file=sys.stderr,
            )
            for path in result.exported:
                print(path)
    finally:
        signal.signal(signal.SIGINT, previous)
    return status


def cmd_correct(args: argparse.Namespace) -> int:
    from minutes.export import export_all, load_document
    from minutes.pipeline import correct_document
    from minutes.types import Document, Segment, Transcript

    doc = load_document(args.transcript)
    transcript = Transcript(
        language=doc.language,
        duration=doc.duration,
        segments=tuple(
            Segment(s.id, s.start, s.end, s.text_raw, s.words, s.speaker) for s in doc.segments
        ),
        model=doc.model,
    )
    glossary = _load_glossary(args.glossary, use_user=False)
    corrections = correct_document(transcript, doc.corrections, glossary)
    new_doc = Document.build(
        transcript,
        corrections,
        title=doc.title,
        speaker_names=doc.speaker_names,
        created=doc.created,
    )
    out = args.out or args.transcript.parent
    stem = args.transcript.stem
    if out.resolve() == args.transcript.parent.resolve():
        stem = f"{stem}.corrected"
    for path in export_all(new_doc, out, stem, args.formats):
        print(path)
    fixed = sum(1 for c in corrections if c.status.value == "accepted")
    print(f"{fixed} corrections applied, {len(corrections) - fixed} others", file=sys.stderr)
    return EXIT_OK


def cmd_glossary(args: argparse.Namespace) -> int:
    from glossary.io import load_glossary, save_glossary
    from glossary.store import load_user_glossary, save_user_glossary
    from minutes.config import glossary_path

    path = glossary_path()
    current = load_user_glossary(path)
    if args.glossary_command == "import":
        incoming = load_glossary(args.file)
        merged = current.merge(incoming)
        save_user_glossary(merged, path)
        print(f"imported {len(incoming)} terms; glossary now has {len(merged)} terms ({path})")
    elif args.glossary_command == "export":
        save_glossary(current, args.file)
        print(f"wrote {len(current)} terms to {args.file}")
    elif args.glossary_command == "list":
        for term in current.terms:
            variants = " | ".join(term.variants)
            extra = f"  [{term.category}]" if term.category else ""
            print(f"{term.canonical}{extra}" + (f"  <- {variants}" if variants else ""))
        print(f"{len(current)} terms in {path}", file=sys.stderr)
    elif args.glossary_command == "add":
        updated = current.add_term(
            args.term, variants=args.variant, category=args.category, note=args.note
        )
        save_user_glossary(updated, path)
        print(f"saved '{args.term}' ({len(updated)} terms in {path})")
    return EXIT_OK


def cmd_models(args: argparse.Namespace) -> int:
    from minutes.modelstore import list_embedded

    bad = 0
    for status in list_embedded(verify=args.verify):
        state = "ok" if status.installed else "MISSING"
        if args.verify:
            state = "verified" if status.verified else "CORRUPT/MISSING"
        print(f"{status.name:8} {state:10} {status.description}")
        if status.path:
            print(f"{'':8} {status.path}")
        if status.problem:
            print(f"{'':8} {status.problem}")
            bad += 1
    return EXIT_ERROR if bad else EXIT_OK


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        logging.getLogger("faster_whisper").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    handlers = {
        "transcribe": cmd_transcribe,
        "correct": cmd_correct,
        "glossary": cmd_glossary,
        "models": cmd_models,
    }
    from minutes.errors import USER_ERRORS
    from minutes.progress import Cancelled

    user_errors: tuple[type[Exception], ...] = (CliError, *USER_ERRORS)
    try:
        return handlers[args.command](args)
    except Cancelled:
        print(
            "Cancelled. Finished work is kept in the session; run the same command to resume.",
            file=sys.stderr,
        )
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        print("Aborted.", file=sys.stderr)
        return EXIT_CANCELLED
    except user_errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
