"""``minutes record``: record a meeting from the terminal, then transcribe it as
``minutes transcribe`` would.

    minutes record [--source mic|system] [--device NAME] [--duration SECONDS] [--title T]
                   [--language ko|en|auto] [--out DIR] [--formats ...] [--list-devices]

The recording goes through `minutes.capture.Recorder`, the app's recorder: it is on
disk as it is captured, a crash leaves a file the app offers to recover, and a device
or sound server that goes away ends the recording with what was captured kept.
``--source system`` records what the computer plays (`minutes.capture_system`).
Ctrl-C stops the recording (a second Ctrl-C during the transcription cancels that).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from typing import Any

from minutes.capture import CaptureError, Recorder

SOURCES = ("mic", "system")
POLL_S = 0.2


def add_parser(subparsers: Any, run_options: argparse.ArgumentParser) -> None:
    r = subparsers.add_parser(
        "record", parents=[run_options],
        help="record a meeting (microphone or system audio), then transcribe it",
    )  # fmt: skip
    r.add_argument(
        "--source", choices=SOURCES, default="mic",
        help="mic (default) or system: what this computer plays (Linux: PulseAudio/PipeWire)",
    )  # fmt: skip
    r.add_argument("--device", default=None, help="device name or number (see --list-devices)")
    r.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    r.add_argument("--list-devices", action="store_true", help="list the source's devices, exit")
    r.add_argument(
        "--no-transcribe", action="store_true", help="only record (transcribe later in the app)"
    )


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
        api = source_api(args.source)
        if args.list_devices:
            for d in list_input_devices(api):
                print(f"{d.index}\t{d.name}{'  (default)' if d.is_default else ''}")
            return 0
        cfg = Config.load()
        options, glossary = run_options(args, cfg)  # bad flags fail before recording
        session, error = _record(args, api, cfg.sessions_root())
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
        result = MeetingService(cfg).transcribe(
            session, options, glossary, backend=args.asr, progress=bar, cancel=cancel
        )
    finally:
        bar.close()
        import signal

        signal.signal(signal.SIGINT, previous)
    report_result(session.meta.title, result)
    return 1 if error else 0


def _record(args: argparse.Namespace, api: Any, root: Any) -> tuple[Any, str | None]:
    """Record until Ctrl-C, the duration, or a failure; the session (finished) and the error."""
    import signal

    from minutes.capture import finish_session, start_session
    from minutes.session import default_recording_title

    device: int | str | None = args.device
    if isinstance(device, str) and device.isdigit():
        device = int(device)
    session = start_session(root, args.title or default_recording_title())
    recorder = Recorder(session.folder, sd=api, device=device, max_seconds=args.duration)
    try:
        recorder.start()
    except CaptureError:
        shutil.rmtree(session.folder, ignore_errors=True)
        raise
    stop = {"asked": False}

    def on_sigint(_signum: int, _frame: Any) -> None:
        stop["asked"] = True

    previous = signal.signal(signal.SIGINT, on_sigint)
    print(f"recording {args.source} into {session.folder} - Ctrl-C stops", file=sys.stderr)
    try:
        while not stop["asked"]:
            error = recorder.poll()
            if error or recorder.finished_by_itself:
                break
            if not args.quiet:
                bar = "#" * int(min(recorder.level, 1.0) * 20)
                print(f"\r{recorder.seconds:7.1f} s  |{bar:<20}|", end="", file=sys.stderr)
            time.sleep(POLL_S)
    finally:
        signal.signal(signal.SIGINT, previous)
        recorder.stop()
        if not args.quiet:
            print(file=sys.stderr)
    finish_session(session)
    return session, recorder.error
