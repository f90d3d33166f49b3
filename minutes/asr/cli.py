"""``minutes asr``: which speech recogniser transcribes, on the command line.

The app edits the same settings in Settings › Transcription:

    minutes asr [show]
    minutes asr set [--backend local|endpoint] [--endpoint-url URL] [--endpoint-model NAME]
                    [--timeout S] [--retries N] [--allow-remote | --local-only]
                    [--fallback | --no-fallback]
    minutes asr key set [--url URL] [--stdin] | key delete [--url URL]
    minutes asr check [--asr local|endpoint]

Giving a server URL switches to it (``--backend local`` switches back); clearing the
URL (``--endpoint-url ''``) goes back to the local model. API keys go to the OS
keyring only; nothing here prints one.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from typing import Any, TextIO

from minutes.apikeys import ASR_KEYS, KeyringUnavailable
from minutes.asr import AsrUnavailable, backend_names
from minutes.asr.settings import AsrSettings
from minutes.netpolicy import check_http_url, is_loopback_url

EXIT_OK = 0


class AsrSettingsError(AsrUnavailable):
    """A value the user typed cannot be stored (the message says why)."""


def add_parser(subparsers: Any) -> None:
    """Register ``asr`` on the main parser's subparsers."""
    p = subparsers.add_parser(
        "asr", help="speech recognition: this computer or a transcription server; a quick check"
    )
    sub = p.add_subparsers(dest="asr_command")
    sub.add_parser("show", help="what will transcribe (the default)")
    s = sub.add_parser("set", help="change the speech recognition settings")
    s.add_argument("--backend", choices=backend_names(), help="local (default) or endpoint")
    s.add_argument("--endpoint-url", help="OpenAI-compatible base URL, up to /v1 ('' to clear)")
    s.add_argument("--endpoint-model", help="the server's model name (default whisper-1)")
    s.add_argument("--timeout", type=float, help="seconds to wait for one window's answer")
    s.add_argument("--retries", type=int, help="retries after a failed upload")
    remote = s.add_mutually_exclusive_group()
    remote.add_argument(
        "--allow-remote", dest="allow_remote", action="store_const", const=True,
        help="allow a server on another computer (the meeting's audio is sent there)",
    )  # fmt: skip
    remote.add_argument(
        "--local-only", dest="allow_remote", action="store_const", const=False,
        help="only a server on this computer (the default)",
    )  # fmt: skip
    fb = s.add_mutually_exclusive_group()
    fb.add_argument(
        "--fallback", dest="fallback", action="store_const", const=True,
        help="when the server fails, transcribe on this computer (the default)",
    )  # fmt: skip
    fb.add_argument(
        "--no-fallback", dest="fallback", action="store_const", const=False,
        help="when the server fails, stop and say so (the recording is kept)",
    )  # fmt: skip
    k = sub.add_parser("key", help="store or forget the server's API key (OS keyring)")
    ksub = k.add_subparsers(dest="key_command", required=True)
    ks = ksub.add_parser("set", help="store a key: typed (hidden) or read from stdin")
    ks.add_argument("--url", help="server base URL (default: the configured one)")
    ks.add_argument("--stdin", action="store_true", help="read the key from standard input")
    kd = ksub.add_parser("delete", help="forget the stored key")
    kd.add_argument("--url", help="server base URL (default: the configured one)")
    c = sub.add_parser("check", help="transcribe the bundled 11-second sample and time it")
    c.add_argument("--asr", choices=backend_names(), help="backend to check (default: setting)")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``minutes asr ...``; returns the exit status (errors are raised to the caller)."""
    out = out or sys.stdout
    from minutes.config import Config

    cfg = Config.load()
    settings = AsrSettings.from_config(cfg)
    command = args.asr_command or "show"
    if command == "set":
        changed = apply_changes(settings, args)
        if changed:
            settings.store(cfg)
            cfg.save()
        print(f"saved {', '.join(changed) or 'nothing (no option given)'}", file=out)
        command = "show"
    if command == "show":
        print(describe(settings, cfg.model), file=out)
        return EXIT_OK
    if command == "key":
        return _key(args, settings, out)
    return _check(args, cfg, out)


def apply_changes(settings: AsrSettings, args: argparse.Namespace) -> list[str]:
    """Put the options the user gave into `settings`; returns the names changed.

    Raises:
        AsrSettingsError: a URL that is not http(s), or a number out of range.
    """
    changed: list[str] = []
    ep = settings.endpoint
    if args.endpoint_url is not None:
        ep.base_url = _url(args.endpoint_url) if args.endpoint_url.strip() else ""
        settings.backend = "endpoint" if ep.base_url else "local"
        changed.append("endpoint-url")
    if args.backend is not None:
        settings.backend = args.backend
        changed.append("backend")
    if args.endpoint_model is not None:
        ep.model = args.endpoint_model.strip() or "whisper-1"
        changed.append("endpoint-model")
    if args.timeout is not None:
        if args.timeout <= 0:
            raise AsrSettingsError("--timeout must be more than 0 seconds")
        ep.timeout_s = args.timeout
        changed.append("timeout")
    if args.retries is not None:
        if args.retries < 0:
            raise AsrSettingsError("--retries must be 0 or more")
        ep.retries = args.retries
        changed.append("retries")
    if args.allow_remote is not None:
        settings.allow_remote = args.allow_remote
        changed.append("allow-remote" if args.allow_remote else "local-only")
    if args.fallback is not None:
        settings.fallback_local = args.fallback
        changed.append("fallback" if args.fallback else "no-fallback")
    return changed


def _url(value: str) -> str:
    try:
        return check_http_url(value)
    except ValueError as exc:
        raise AsrSettingsError(f"--endpoint-url: {exc}") from None


def describe(settings: AsrSettings, local_model: str) -> str:
    """The settings as the user reads them (never an API key)."""
    from minutes.config import config_path

    ep = settings.endpoint
    lines = [f"settings: {config_path()}", f"backend:  {settings.backend}"]
    lines.append(f"  local model: {local_model} (faster-whisper on this computer)")
    if ep.base_url:
        where = ep.base_url + ("" if is_loopback_url(ep.base_url) else " (another computer)")
        key = "stored" if ASR_KEYS.get(ep.base_url) else "none"
        lines.append(
            f"  server: {where}, model {ep.model}, API key {key}, "
            f"timeout {ep.timeout_s:g} s, retries {ep.retries}"
        )
    else:
        lines.append("  server: not set")
    lines.append(
        "when the server fails: "
        + ("transcribe on this computer" if settings.fallback_local else "stop and say so")
    )
    lines.append(f"servers on other computers: {'allowed' if settings.allow_remote else 'no'}")
    if settings.backend == "endpoint":
        problem = settings.endpoint_problem()
        if problem:
            lines.append(f"note: {problem}; the local model is used")
    return "\n".join(lines)


def _key(args: argparse.Namespace, settings: AsrSettings, out: TextIO) -> int:
    url = _url(args.url) if args.url else settings.endpoint.base_url
    if not url:
        raise AsrSettingsError(
            "no server: give --url or set one with `minutes asr set --endpoint-url URL`"
        )
    if args.key_command == "delete":
        ASR_KEYS.delete(url)
        print(f"forgot the API key of {url}", file=out)
        return EXIT_OK
    if args.stdin or not sys.stdin.isatty():
        key = sys.stdin.readline().strip()
    else:
        key = getpass.getpass(f"API key for {url}: ").strip()
    if not key:
        raise AsrSettingsError("no key given; nothing was stored")
    try:
        ASR_KEYS.set(url, key)
    except KeyringUnavailable as exc:
        raise AsrSettingsError(str(exc)) from None
    print(f"stored the API key of {url} in the OS keyring", file=out)
    return EXIT_OK


def _check(args: argparse.Namespace, cfg: Any, out: TextIO) -> int:
    """Transcribe the bundled public-domain sample with the chosen backend."""
    from minutes.asr import AsrOptions
    from minutes.resources import resources_dir
    from minutes.service import MeetingService

    sample = resources_dir() / "samples" / "jfk.flac"
    service = MeetingService(cfg)
    transcriber = service.transcriber(args.asr)
    print(f"backend: {service.backend_name(args.asr)}, model {transcriber.name}", file=out)
    started = time.monotonic()
    segments = [
        seg
        for _, window in transcriber.transcribe_windows(sample, AsrOptions(language="en"))
        for seg in window
    ]
    elapsed = time.monotonic() - started
    text = " ".join(s.text for s in segments)
    print(f"text: {text or '(nothing recognised)'}", file=out)
    print(f"11.0 s of audio in {elapsed:.1f} s (including loading)", file=out)
    return EXIT_OK
