"""``minutes summarize`` and ``minutes repair``: the LLM features on the command line.

Wired into `minutes.cli` by calling `add_parser(subparsers)` and dispatching
``summarize``/``repair`` to `run(args)`.

    minutes summarize TRANSCRIPT.json|SESSION_DIR [--template NAME] [--llm SPEC]
                      [--out DIR] [--formats md,docx,csv,ics,json] [--language ko|en]
                      [--no-appendix] [--stream] [--fast | --transcript-tokens N]
    minutes repair TRANSCRIPT.json [--glossary FILE ...] [--llm SPEC] [--out DIR]

``--llm``: ``auto`` (the configured order, local first), ``local``, ``endpoint``,
``transformers``, ``1.5b``/``0.5b`` (embedded) or a ``.gguf`` path.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutes.progress import Cancelled, CancelToken, Progress

if TYPE_CHECKING:
    from minutes.llm.summarise import MinutesSoFar
    from minutes.service import MeetingService
    from minutes.session import Session
    from minutes.types import Document

EXIT_OK, EXIT_ERROR, EXIT_CANCELLED = 0, 1, 130


def add_parser(subparsers: Any) -> None:
    """Register ``summarize`` and ``repair`` on the main parser's subparsers."""
    s = subparsers.add_parser("summarize", help="write meeting minutes and action items (LLM)")
    s.add_argument("transcript", type=Path, help="transcript JSON export or a session folder")
    s.add_argument(
        "--template",
        default="general",
        help="general, weekly_status, client_meeting, one_on_one, or your own",
    )
    _common(s)
    s.add_argument(
        "--formats",
        default="md,docx,csv,ics",
        help="comma list of md,docx,csv,ics,json (minutes JSON is always written)",
    )
    s.add_argument("--language", default=None, help="language of the minutes (default: meeting's)")
    s.add_argument("--no-appendix", action="store_true", help="leave the transcript out of DOCX")
    s.add_argument("--title", default=None, help="meeting title (default: the transcript's)")
    s.add_argument(
        "--fast",
        action="store_true",
        help="a local model reads only the most task- and decision-rich ~3,500 tokens of a "
        "long meeting (default: the whole transcript; an hour takes about 3 minutes instead "
        "of about 30 on two cores)",
    )
    # The whole transcript is the default now; kept so that older scripts still run.
    s.add_argument("--read-all", action="store_true", help=argparse.SUPPRESS)
    s.add_argument(
        "--transcript-tokens",
        type=int,
        default=None,
        metavar="N",
        help="read at most N transcript tokens (default: everything)",
    )

    r = subparsers.add_parser("repair", help="propose LLM fixes of misheard words for review")
    r.add_argument("transcript", type=Path, help="transcript JSON export")
    r.add_argument(
        "--glossary", type=Path, action="append", default=[], help="CSV/JSON (repeatable)"
    )
    r.add_argument("--no-user-glossary", action="store_true")
    _common(r)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--llm",
        default="auto",
        help="auto, local, endpoint, transformers, 1.5b, 0.5b or a .gguf path",
    )
    p.add_argument("--out", type=Path, default=None, help="output folder (default: beside input)")
    p.add_argument("--stream", action="store_true", help="print the model's output as it comes")


def run(args: argparse.Namespace) -> int:
    """Run ``summarize`` or ``repair``; returns the exit status."""
    from minutes.errors import USER_ERRORS
    from minutes.llm.errors import LlmError

    user_errors: tuple[type[Exception], ...] = (LlmError, *USER_ERRORS)
    cancel = CancelToken()
    from minutes.cli_support import install_sigint

    previous = install_sigint(cancel)
    try:
        if args.command == "repair":
            return _repair(args, cancel)
        return _summarize(args, cancel)
    except Cancelled:
        print("Cancelled.", file=sys.stderr)
        return EXIT_CANCELLED
    except user_errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        signal.signal(signal.SIGINT, previous)


def summarize_session(
    folder: Path,
    template: str,
    service: MeetingService,
    *,
    quiet: bool = False,
    out: Path | None = None,
) -> int:
    """``minutes summarize FOLDER --template TEMPLATE`` with `service`'s language model
    (``minutes record --minutes``: the model that kept the notes during the meeting,
    already loaded); returns the exit status."""
    parser = argparse.ArgumentParser(prog="minutes")
    add_parser(parser.add_subparsers(dest="command"))
    argv = ["summarize", str(folder), "--template", template]
    args = parser.parse_args(argv + (["--out", str(out)] if out is not None else []))
    args.quiet, args.service = quiet, service
    args.llm = None  # the settings' engine, as the notes used: not opened again
    return run(args)


def _engine(args: argparse.Namespace) -> Any:
    from minutes.service import MeetingService

    service = getattr(args, "service", None) or MeetingService()
    engine = service.llm(args.llm)
    print(f"model: {engine.info.model} ({engine.info.kind})", file=sys.stderr)
    return engine


def _load(path: Path) -> tuple[Document, Session | None]:
    """A reviewed `Document` from a JSON export or a session folder (and that `Session`)."""
    from minutes.export import load_document
    from minutes.session import Session, SessionError

    if path.is_dir():
        session = Session.open(path)
        doc = session.document()
        if doc is None:
            raise SessionError(f"{path} has no finished transcript yet.")
        return doc, session
    return load_document(path), None


def _progress(quiet: bool) -> Any:
    from minutes.llm.pace import time_left_text

    def report(p: Progress) -> None:
        if not quiet:
            left = f" · {time_left_text(p.eta_s)}" if p.eta_s is not None else ""
            line = f"{p.stage}: {p.fraction * 100:3.0f}% {p.message}{left}"
            print(f"\r{line:<60}", end="", file=sys.stderr)

    return report


def _print_so_far(so_far: MinutesSoFar) -> None:
    """The minutes of what is read, on stderr, while the model reads the rest."""
    from minutes.export._shared import clock

    m = so_far.minutes
    earlier = f" and {so_far.lines_before} earlier task lines" if so_far.lines_before else ""
    print(f"\nminutes so far (still reading from {clock(so_far.unread_from_s)} on{earlier}): "
          f"{len(m.action_items)} action items, {len(m.decisions)} decisions, "
          f"{len(m.topics)} topics", file=sys.stderr)  # fmt: skip
    for item in m.action_items:
        who = ", ".join(x for x in (item.owner, item.due) if x)
        print(f"  - {item.text}" + (f" ({who})" if who else ""), file=sys.stderr)


def _summarize(args: argparse.Namespace, cancel: CancelToken) -> int:
    from dataclasses import replace

    from minutes.export.minutes_formats import MINUTES_FORMATS, export_minutes
    from minutes.llm.call_cache import CallCache
    from minutes.llm.pace import machine_pace, remember_pace
    from minutes.llm.summarise import (
        SummariseOptions,
        SummariseStats,
        minutes_language,
        summarise,
    )
    from minutes.llm.templates import load_template
    from minutes.meeting import save_minutes
    from minutes.pipeline import export_stem

    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in MINUTES_FORMATS]
    if unknown:
        print(f"error: unknown format(s) {', '.join(unknown)}", file=sys.stderr)
        return EXIT_ERROR
    load_template(args.template)  # fail before loading a model
    doc, session = _load(args.transcript)
    session_dir = session.folder if session is not None else None
    if session is not None:
        automatic_title = session.meta.title_is_default()
    else:  # `transcribe` names the JSON and the meeting after the audio file
        automatic_title = doc.title == args.transcript.stem
    if args.title:
        doc = replace(doc, title=args.title)
        automatic_title = False
    language = minutes_language(doc, args.language)
    live = _ReadablePrinter(language) if args.stream else None
    stream = live.feed if live is not None else None
    options = SummariseOptions(
        template=args.template,
        language=args.language,
        max_transcript_tokens=args.transcript_tokens,
        fast=args.fast,
        model_title=automatic_title,
    )
    if stream is not None:
        # The draft needs no model: show it before the model loads (seconds).
        from minutes.llm.actions import candidates
        from minutes.llm.candidates import rank_candidates
        from minutes.llm.summarise import draft_text

        found = rank_candidates(
            doc, candidates(doc), options.max_action_candidates, options.min_action_score
        )
        stream(draft_text(doc, found, language) + "\n")
        options = replace(options, draft=False)
    with _engine(args) as engine:
        stats = SummariseStats()
        minutes = summarise(
            doc,
            engine,
            options=options,
            progress=None if args.stream else _progress(getattr(args, "quiet", False)),
            cancel=cancel,
            on_token=stream,
            stats=stats,
            pace=machine_pace(engine.info.kind, engine.info.model),
            cache=CallCache(session_dir) if session_dir else None,
            on_partial=None if getattr(args, "quiet", False) else _print_so_far,
        )
        remember_pace(engine.info.kind, engine.info.model, stats.completions, stats.stages)
    if live is not None:
        live.close()
    print(file=sys.stderr)
    out = args.out or (session_dir if session_dir else args.transcript.parent)
    # The meeting's own export name (its audio file or title), so that two meetings
    # summarised into one folder do not overwrite each other.
    stem = export_stem(session) if session is not None else args.transcript.stem
    if session_dir:
        print(save_minutes(session_dir, minutes))
    appendix = None if args.no_appendix else doc
    for path in export_minutes(minutes, out, stem, dict.fromkeys(["json", *formats]), appendix):
        print(path)
    print(
        f"{len(minutes.action_items)} action items, {len(minutes.decisions)} decisions, "
        f"{len(minutes.topics)} topics",
        file=sys.stderr,
    )
    return EXIT_OK


class _ReadablePrinter:
    """``--stream`` on a terminal: the model's replies as labelled lines, each once it is
    written (a terminal cannot rewrite a line that is still growing)."""

    def __init__(self, language: str) -> None:
        from minutes.llm.live_text import ReadableStream

        self._live = ReadableStream(language)
        self._printed = 0

    def feed(self, piece: str) -> None:
        self._live.feed(piece)
        self._flush()

    def close(self) -> None:
        self._live.close()
        self._flush()

    def _flush(self) -> None:
        done = self._live.finished_text
        print(done[self._printed :], end="", file=sys.stderr, flush=True)
        self._printed = len(done)


def _repair(args: argparse.Namespace, cancel: CancelToken) -> int:
    from minutes.export import export_document, load_document
    from minutes.llm.repair import repair_transcript
    from minutes.types import Segment, Transcript

    doc = load_document(args.transcript)
    transcript = Transcript(
        language=doc.language,
        duration=doc.duration,
        segments=tuple(
            Segment(s.id, s.start, s.end, s.text_raw, s.words, s.speaker) for s in doc.segments
        ),
        model=doc.model,
    )
    from minutes.cli_support import load_glossaries

    glossary = load_glossaries(args.glossary, not args.no_user_glossary)
    stream = (lambda t: print(t, end="", file=sys.stderr, flush=True)) if args.stream else None
    with _engine(args) as engine:
        result = repair_transcript(
            transcript,
            engine,
            glossary=glossary,
            corrections=doc.corrections,
            progress=lambda f: _progress(False)(Progress(f, "repair")),
            cancel=cancel,
            on_token=stream,
        )
    print(file=sys.stderr)
    merged = [*doc.corrections, *result.corrections]
    new_doc = doc.with_corrections(merged)
    out = args.out or args.transcript.parent
    stem = args.transcript.stem
    if out.resolve() == args.transcript.parent.resolve():
        stem = f"{stem}.repaired"
    print(export_document(new_doc, "json", out / f"{stem}.json"))
    for c in result.corrections:
        print(f"  #{c.segment_id}: {c.before!r} -> {c.after!r} ({c.score:.2f})", file=sys.stderr)
    st = result.stats
    print(
        f"{len(result.corrections)} proposals for review ({st.fixes} suggested, "
        f"{sum(st.rejected.values())} rejected by the guards)",
        file=sys.stderr,
    )
    return EXIT_OK
