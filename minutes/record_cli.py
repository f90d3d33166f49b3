"""``minutes record``: record a meeting from the terminal, then transcribe it as
``minutes transcribe`` would.

    minutes record [--source mic|system|both] [--device NAME] [--system-device NAME]
                   [--duration SECONDS] [--title T] [--language ko|en|auto] [--out DIR]
                   [--formats ...] [--list-devices] [--no-transcribe-while-recording]

The recording goes through `minutes.capture.Recorder`, the app's recorder: it is on
disk as it is captured, a crash leaves a file the app offers to recover, and a device
or sound server that goes away ends the recording with what was captured kept.
``--source system`` records what the computer plays (`minutes.capture_system`);
``--source both`` (the default where the computer offers system audio) records the
microphone and the system audio as two tracks, mixed on one clock for the transcript
(`minutes.capture_tracks`).
While it records, the windows of the recording that are complete are transcribed as
the run after Stop will (`minutes.during`), so at Stop only the rest is left.
Ctrl-C stops the recording (a second Ctrl-C during the transcription cancels that).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minutes.capture import CaptureError, Recorder

if TYPE_CHECKING:
    from minutes.during import DuringMeeting, Runner

SOURCES = ("mic", "system", "both")
POLL_S = 0.2


def add_parser(subparsers: Any, run_options: argparse.ArgumentParser) -> None:
    r = subparsers.add_parser(
        "record", parents=[run_options],
        help="record a meeting (microphone or system audio), then transcribe it",
    )  # fmt: skip
    r.add_argument(
        "--source", choices=SOURCES, default=None,
        help="mic, system (what this computer plays; Linux: PulseAudio/PipeWire) or both "
        "(two tracks; the default where system audio is available, else mic)",
    )  # fmt: skip
    r.add_argument("--device", default=None, help="microphone name or number (see --list-devices)")
    r.add_argument("--system-device", default=None, help="system-audio source name or number")
    r.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    r.add_argument("--list-devices", action="store_true", help="list the source's devices, exit")
    r.add_argument(
        "--no-transcribe", action="store_true", help="only record (transcribe later in the app)"
    )
    r.add_argument(
        "--minutes", nargs="?", const="general", default=None, metavar="TEMPLATE",
        help="write the minutes after the transcript (as `minutes summarize`, template "
        "general unless named); during the meeting the language model already takes the "
        "notes of the parts that are over, so at Stop only the rest is left",
    )  # fmt: skip
    r.add_argument(
        "--no-transcribe-while-recording", dest="transcribe_while_recording",
        action="store_false",
        help="transcribe only after Stop (by default the finished windows of the recording "
        "are transcribed during the meeting, at low priority, so less is left at Stop)",
    )  # fmt: skip


def source_api(source: str) -> Any:
    """What `Recorder` records from: the `sounddevice` module (microphones) or the sound
    server's monitor sources (system audio).

    Raises:
        CaptureError: the source cannot be used here (the message says why).
    """
    if source == "system":
        from minutes.capture_system import SystemAudioUnavailable, open_monitors

        try:
            return open_monitors()
        except SystemAudioUnavailable as exc:
            raise CaptureError(str(exc)) from None
    try:
        import sounddevice
    except OSError as exc:  # PortAudio missing
        raise CaptureError(f"cannot use the microphone: {exc} (apt install libportaudio2)") from exc
    return sounddevice


def run(args: argparse.Namespace) -> int:
    from minutes.capture import list_input_devices
    from minutes.cli_support import (
        CliError,
        ProgressBar,
        install_sigint,
        report_result,
        run_options,
    )
    from minutes.config import Config
    from minutes.progress import CancelToken
    from minutes.service import MeetingService

    try:
        sources = _sources(args)
        if args.list_devices:
            for name, (api, _) in sources.items():
                for d in list_input_devices(api):
                    default = "  (default)" if d.is_default else ""
                    print(f"{name}\t{d.index}\t{d.name}{default}")
            return 0
        cfg = Config.load()
        options, glossary = run_options(args, cfg)  # bad flags fail before recording
        service = MeetingService(cfg)
        notes = None
        if args.minutes:
            from minutes.llm.summarise import SummariseOptions
            from minutes.llm.templates import load_template

            load_template(args.minutes)  # an unknown template fails before recording
            notes = SummariseOptions(template=args.minutes)
        early = None
        if not args.no_transcribe and args.transcribe_while_recording:

            def early(session: Any, recorder: Any) -> Any:
                return service.during_meeting(
                    session, recorder, options, glossary, backend=args.asr, notes=notes
                )

        session, error = _record(args, sources, cfg.sessions_root(), early)
    except CaptureError as exc:
        raise CliError(str(exc)) from None
    if error:
        print(f"error: {error}", file=sys.stderr)
    print(f"recorded {session.meta.duration:.1f} s into {session.folder}", file=sys.stderr)
    if session.meta.duration <= 0:
        raise CliError("nothing was recorded")
    if args.no_transcribe:
        return 1 if error else 0
    cancel = CancelToken()
    previous = install_sigint(cancel)
    bar = ProgressBar(session.meta.title, args.quiet)
    try:
        result = service.transcribe(
            session, options, glossary, backend=args.asr, progress=bar, cancel=cancel
        )
    finally:
        bar.close()
        import signal

        signal.signal(signal.SIGINT, previous)
    report_result(session.meta.title, result)
    if args.minutes:
        from minutes.llm.cli import summarize_session

        status = summarize_session(
            session.folder, args.minutes, service, quiet=args.quiet, out=args.out
        )
        if status:
            return status
    return 1 if error else 0


def _device(value: str | None) -> int | str | None:
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _sources(args: argparse.Namespace) -> dict[str, tuple[Any, int | str | None]]:
    """{track: (api, device)} for the chosen source ("both" unless system audio is missing
    when no source was named)."""
    source = args.source
    if source is None:
        try:
            system = source_api("system")
        except CaptureError:
            return {"mic": (source_api("mic"), _device(args.device))}
        return {"mic": (source_api("mic"), _device(args.device)),
                "system": (system, _device(args.system_device))}  # fmt: skip
    if source == "system":
        return {"system": (source_api("system"), _device(args.system_device or args.device))}
    out = {"mic": (source_api("mic"), _device(args.device))}
    if source == "both":
        out["system"] = (source_api("system"), _device(args.system_device))
    return out


def _record(
    args: argparse.Namespace,
    sources: dict[str, tuple[Any, int | str | None]],
    root: Any,
    early: Callable[[Any, Any], DuringMeeting] | None = None,
) -> tuple[Any, str | None]:
    """Record until Ctrl-C, the duration, or a failure; the session (finished) and the error.
    `early` makes the pass that transcribes finished windows during the recording."""
    import signal

    from minutes.capture import finish_session, start_session
    from minutes.capture_tracks import TwoTrackRecorder
    from minutes.session import default_recording_title

    session = start_session(root, args.title or default_recording_title())
    recorder: Recorder | TwoTrackRecorder
    if len(sources) > 1:
        recorder = TwoTrackRecorder(session.folder, sources, max_seconds=args.duration)
    else:
        ((api, device),) = sources.values()
        recorder = Recorder(session.folder, sd=api, device=device, max_seconds=args.duration)
    try:
        recorder.start()
    except CaptureError:
        shutil.rmtree(session.folder, ignore_errors=True)
        raise
    runner = _start_early(early, session, recorder)
    stop = {"asked": False}

    def on_sigint(_signum: int, _frame: Any) -> None:
        stop["asked"] = True

    previous = signal.signal(signal.SIGINT, on_sigint)
    what = " and ".join({"mic": "microphone", "system": "system audio"}[n] for n in sources)
    print(f"recording {what} into {session.folder} - Ctrl-C stops", file=sys.stderr)
    told = 0
    try:
        while not stop["asked"]:
            error = recorder.poll()
            if error or recorder.finished_by_itself:
                break
            notices = getattr(recorder, "notices", [])
            for notice in notices[told:]:
                print(f"\nnote: {notice}", file=sys.stderr)
            told = len(notices)
            if not args.quiet:
                print(f"\r{recorder.seconds:7.1f} s  {_meters(recorder)}", end="",
                      file=sys.stderr)  # fmt: skip
            time.sleep(POLL_S)
    finally:
        recorder.stop()
        if not args.quiet:
            print(file=sys.stderr)
        if runner is not None:
            _stop_early(runner, recorder.seconds)
        signal.signal(signal.SIGINT, previous)
    finish_session(session)
    return session, recorder.error


def _start_early(
    early: Callable[[Any, Any], DuringMeeting] | None, session: Any, recorder: Any
) -> Runner | None:
    """The transcription during the recording on its thread, or None where it cannot
    start (the recording goes on; everything is transcribed after Stop)."""
    if early is None:
        return None
    try:
        return early(session, recorder).start()
    except Exception as exc:
        print(f"note: transcribing after Stop only: {exc}", file=sys.stderr)
        return None


def _stop_early(runner: Runner, recorded_s: float) -> None:
    if runner.running:
        print("finishing the window being transcribed…", file=sys.stderr)
    work = runner.stop()
    if work.error:
        print(f"note: the transcription during the recording stopped: {work.error}",
              file=sys.stderr)  # fmt: skip
    print(f"{work.done_seconds:.0f} s of {recorded_s:.0f} s were transcribed during the "
          "recording", file=sys.stderr)  # fmt: skip
    from minutes.during_notes import NotesWhileRecording
    from minutes.during_speakers import DiarizeWhileRecording

    notes = work.of_kind(NotesWhileRecording)
    if notes is not None:
        print(f"the minutes' notes: {notes.calls} model calls were made during the recording",
              file=sys.stderr)  # fmt: skip
    speakers = work.of_kind(DiarizeWhileRecording)
    if speakers is not None:
        print(f"the voices of {speakers.done_seconds:.0f} s were collected for the speakers",
              file=sys.stderr)  # fmt: skip


def _meters(recorder: Any) -> str:
    """A level bar per track: "|####    |", or "mic |##  | system |#   |"."""
    levels = getattr(recorder, "levels", None) or {"": recorder.level}
    return " ".join(
        f"{name} |{'#' * int(min(level, 1.0) * 20):<20}|".strip() for name, level in levels.items()
    )
