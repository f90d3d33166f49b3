"""Command line: `minutes transcribe | record | correct | glossary | speakers | models | llm | asr`.

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
from typing import TYPE_CHECKING, Any

from minutes import __version__
from minutes.cli_support import (
    CliError,
    ProgressBar,
    install_sigint,
    load_glossaries,
    report_result,
    run_options,
)
from minutes.progress import CancelToken, Progress

if TYPE_CHECKING:
    pass

logger = logging.getLogger("minutes")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


def _formats(value: str) -> tuple[str, ...]:
    from minutes.export import FORMATS

    items = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in items if f not in FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(unknown)}; choose from {','.join(FORMATS)}"
        )
    return items


def _window(value: str) -> float:
    seconds = float(value)
    if not 10 <= seconds <= 1800:
        raise argparse.ArgumentTypeError("a window of 10 to 1800 seconds")
    return seconds


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    from minutes.asr import backend_names

    parser = argparse.ArgumentParser(
        prog="minutes",
        description="Local meeting transcription with glossary-aware jargon correction.",
    )
    parser.add_argument("--version", action="version", version=f"minutes {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", required=True)

    # What a run does with a recording: shared by `transcribe` and `record`.
    t = argparse.ArgumentParser(add_help=False)
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
    guided = t.add_mutually_exclusive_group()
    guided.add_argument(
        "--guided", dest="guided", action="store_true", default=None,
        help="re-decode stretches where a glossary term is plausible, keep what the audio "
        "confirms (default: config, on)",
    )
    guided.add_argument("--no-guided", dest="guided", action="store_false")
    t.add_argument("--allow-download", action="store_true", help="allow hub model downloads")
    t.add_argument(
        "--window-seconds", type=_window, default=None,
        help="audio per transcription window, cut at a pause (default 240; shorter windows "
        "use less memory and, while recording, leave less for after Stop)",
    )  # fmt: skip
    t.add_argument(
        "--asr", choices=backend_names(), default=None,
        help="transcribe on this computer or on the configured server, for this run "
        "(default: minutes asr show)",
    )  # fmt: skip
    t.add_argument("--title", default=None, help="meeting title (default: file name or date)")
    d = t.add_argument_group("speakers")
    diar = d.add_mutually_exclusive_group()
    diar.add_argument(
        "--diarize", dest="diarize", action="store_true", default=None, help="find who spoke when"
    )
    diar.add_argument("--no-diarize", dest="diarize", action="store_false")
    d.add_argument("--speakers", type=_positive, default=None, help="exact number of speakers")
    d.add_argument("--min-speakers", type=_positive, default=None)
    d.add_argument("--max-speakers", type=_positive, default=None)
    d.add_argument(
        "--diarize-backend",
        choices=("offline", "pyannote"),
        default="offline",
        help="offline (embedded, default) or pyannote (needs pyannote.audio)",
    )
    d.add_argument(
        "--pyannote-pipeline", default=None, help="local pyannote pipeline folder (or hub name)"
    )
    run = t
    t = sub.add_parser(
        "transcribe", parents=[run], help="transcribe recordings and export the result"
    )
    t.add_argument("audio", nargs="+", type=Path, help="wav, flac, mp3, m4a, ogg, webm, mp4, …")
    from minutes.record_cli import add_parser as add_record_parser

    add_record_parser(sub, run)

    c = sub.add_parser(
        "correct",
        help="re-run glossary correction on a transcript JSON, or re-check the whole library",
    )
    c.add_argument("transcript", type=Path, nargs="?", help="a transcript JSON (or --library)")
    c.add_argument(
        "--library", action="store_true",
        help="re-check every meeting in the library corrected with an older glossary "
        "(your glossary plus --glossary files; decisions made in Review are kept)",
    )
    c_guided = c.add_mutually_exclusive_group()
    c_guided.add_argument("--guided", dest="guided", action="store_true", default=None,
                          help="with --library: also re-decode where a term is plausible")
    c_guided.add_argument("--no-guided", dest="guided", action="store_false")
    c.add_argument("--glossary", type=Path, action="append", default=[])
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

    sp = sub.add_parser("speakers", help="name the speakers of a meeting; voice profiles")
    ssub = sp.add_subparsers(dest="speakers_command", required=True)
    sl = ssub.add_parser("list", help="speakers of a diarized meeting, with talk time")
    sl.add_argument("audio", type=Path, help="the meeting's recording")
    sn = ssub.add_parser("name", help="give a speaker a name (used in exports)")
    sn.add_argument("audio", type=Path)
    sn.add_argument("speaker", help="e.g. SPEAKER_1")
    sn.add_argument("name")
    sn.add_argument(
        "--remember", action="store_true", help="save the voice so later meetings are labelled"
    )
    ssub.add_parser("voices", help="list saved voice profiles")
    sf = ssub.add_parser("forget", help="delete a saved voice profile")
    sf.add_argument("name")

    from minutes.llm.cli import add_parser as add_llm_parsers

    add_llm_parsers(sub)  # summarize, repair
    from minutes.llm.settings_cli import add_parser as add_llm_settings_parser

    add_llm_settings_parser(sub)  # llm show | set | key | check
    from minutes.asr.cli import add_parser as add_asr_parser

    add_asr_parser(sub)  # asr show | set | key | check

    m = sub.add_parser("models", help="list embedded models (and check them)")
    m.add_argument("--verify", action="store_true", help="check sha256 of the model files")
    return parser


def cmd_transcribe(args: argparse.Namespace) -> int:
    from minutes.config import Config
    from minutes.service import MeetingService

    cfg = Config.load()
    options, glossary = run_options(args, cfg)
    service = MeetingService(cfg)
    cancel = CancelToken()
    previous = install_sigint(cancel)
    from minutes.audio import AudioError

    status = EXIT_OK
    try:
        for audio in args.audio:
            bar = ProgressBar(audio.name, args.quiet)
            try:
                session = service.import_audio(audio, args.title)
                result = service.transcribe(
                    session, options, glossary, backend=args.asr, progress=bar, cancel=cancel
                )
            except AudioError as exc:
                # One unreadable file must not stop a batch: say so, go on.
                if len(args.audio) == 1:
                    raise
                print(f"error: {exc}", file=sys.stderr)
                status = EXIT_ERROR
                continue
            finally:
                bar.close()
            report_result(audio.name, result)
    finally:
        signal.signal(signal.SIGINT, previous)
    return status


def cmd_correct(args: argparse.Namespace) -> int:
    from minutes.export import export_all, load_document
    from minutes.recheck import correct_document

    if args.library:
        if args.transcript is not None:
            raise CliError("give either a transcript or --library, not both")
        return _recheck_library(args)
    if args.transcript is None:
        raise CliError("give a transcript JSON, or --library to re-check every meeting")
    if not args.glossary:
        raise CliError("give the glossary to correct with: --glossary FILE")
    doc = load_document(args.transcript)
    transcript = doc.raw_transcript()
    glossary = load_glossaries(args.glossary, use_user=False)
    corrections = correct_document(transcript, list(doc.corrections), glossary)
    new_doc = doc.with_corrections(corrections)
    out = args.out or args.transcript.parent
    stem = args.transcript.stem
    if out.resolve() == args.transcript.parent.resolve():
        stem = f"{stem}.corrected"
    for path in export_all(new_doc, out, stem, args.formats):
        print(path)
    fixed = sum(1 for c in corrections if c.status.value == "accepted")
    print(f"{fixed} corrections applied, {len(corrections) - fixed} others", file=sys.stderr)
    return EXIT_OK


def _recheck_library(args: argparse.Namespace) -> int:
    """`minutes correct --library`: bring every meeting up to date with the glossary."""
    from minutes.config import Config
    from minutes.recheck import recheck_library

    cfg = Config.load()
    glossary = load_glossaries(args.glossary, use_user=True)
    if args.guided is not None:
        cfg.guided_decoding = args.guided
    from minutes.service import MeetingService

    guide = MeetingService(cfg).guide()
    cancel = CancelToken()
    previous = install_sigint(cancel)
    bar = ProgressBar("re-checking the library", args.quiet)
    try:
        report = recheck_library(
            cfg.sessions_root(), glossary, guide,
            progress=lambda f, what: bar(Progress(f, "recheck", what)), cancel=cancel,
        )  # fmt: skip
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    for session, before, after in report.checked:
        print(f"{session.folder}: {before} -> {after} changes")
    for session, why in report.failed:
        print(f"error: {session.folder}: {why}", file=sys.stderr)
    print(
        f"{len(report.checked)} meetings re-checked, {report.changed} with new changes, "
        f"{len(report.failed)} failed",
        file=sys.stderr,
    )
    return EXIT_ERROR if report.failed else EXIT_OK


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


def _meeting(audio: Path) -> Any:
    from minutes.config import Config
    from minutes.session import Session, fingerprint_file, list_sessions

    if not audio.is_file():
        raise CliError(f"{audio}: file not found")
    fp = fingerprint_file(audio)
    for session in list_sessions(Config.load().sessions_root()):
        if session.meta.fingerprint == fp:
            assert isinstance(session, Session)
            return session
    raise CliError(f"{audio.name} has not been transcribed yet: run `minutes transcribe` first")


def cmd_speakers(args: argparse.Namespace) -> int:
    from minutes.config import voices_dir
    from minutes.diarize.profiles import VoiceProfileStore, save_speaker

    store = VoiceProfileStore(voices_dir())
    if args.speakers_command == "voices":
        for profile in store.profiles():
            print(f"{profile.name}  ({profile.seconds:.0f} s of speech, {profile.updated})")
        return EXIT_OK
    if args.speakers_command == "forget":
        if not store.delete(args.name):
            raise CliError(f"no saved voice named '{args.name}'")
        print(f"deleted the voice profile of {args.name}")
        return EXIT_OK
    session = _meeting(args.audio)
    diarization = session.load_diarization()
    if diarization is None:
        raise CliError("this meeting is not diarized: run `minutes transcribe --diarize` first")
    talk: dict[str, float] = {}
    for turn in diarization.turns:
        talk[turn.speaker] = talk.get(turn.speaker, 0.0) + turn.end - turn.start
    if args.speakers_command == "list":
        for speaker, seconds in talk.items():
            name = session.meta.speaker_names.get(speaker, "")
            print(f"{speaker:12} {seconds:7.1f} s  {name}")
        return EXIT_OK
    if args.speaker not in talk:
        raise CliError(f"no {args.speaker} in this meeting; speakers: {', '.join(talk)}")
    session.update_meta(lambda m: m.speaker_names.__setitem__(args.speaker, args.name))
    print(f"{args.speaker} is now '{args.name}' (re-run transcribe to refresh exports)")
    if args.remember:
        from minutes.audio import load_audio

        assert session.audio_path is not None
        profile = save_speaker(
            store, args.name, load_audio(session.audio_path), diarization.turns, args.speaker
        )
        print(f"saved the voice of {profile.name} ({profile.seconds:.0f} s of speech)")
    return EXIT_OK


def cmd_models(args: argparse.Namespace) -> int:
    from minutes.llm.modelstore import list_llm_models
    from minutes.modelstore import list_embedded

    bad = 0
    # Whisper (speech) models, then the embedded GGUF language models.
    statuses = [*list_embedded(verify=args.verify), *list_llm_models(verify=args.verify)]
    width = max(len(s.name) for s in statuses)
    for status in statuses:
        state = "ok" if status.installed else "MISSING"
        if args.verify:
            state = "verified" if status.verified else "CORRUPT/MISSING"
        print(f"{status.name:{width}} {state:10} {status.description}")
        if status.path:
            print(f"{'':{width}} {status.path}")
        if status.problem:
            print(f"{'':{width}} {status.problem}")
            bad += 1
    return EXIT_ERROR if bad else EXIT_OK


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        logging.getLogger("faster_whisper").setLevel(logging.WARNING)


def cmd_asr(args: argparse.Namespace) -> int:
    from minutes.asr.cli import run

    return run(args)


def cmd_record(args: argparse.Namespace) -> int:
    from minutes.record_cli import run

    return run(args)


def cmd_llm(args: argparse.Namespace) -> int:
    from minutes.llm.settings_cli import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    handlers = {
        "transcribe": cmd_transcribe,
        "correct": cmd_correct,
        "glossary": cmd_glossary,
        "speakers": cmd_speakers,
        "models": cmd_models,
        "llm": cmd_llm,
        "asr": cmd_asr,
        "record": cmd_record,
    }
    if args.command in ("summarize", "repair"):
        from minutes.llm.cli import run as run_llm

        return run_llm(args)
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
