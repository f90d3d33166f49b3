"""``minutes llm``: the language-model settings on the command line.

The app edits the same settings in Settings › AI; this gives command-line
users (and headless machines) the same control, plus the engines the app's
form does not show (transformers):

    minutes llm [show]
    minutes llm set [--order local,endpoint] [--model 1.5b|0.5b|FILE.gguf]
                    [--endpoint-url URL] [--endpoint-model NAME] [--allow-remote | --local-only]
                    [--transformers-model PATH] [--transformers-gguf-file NAME] ...
    minutes llm key set [--url URL] [--stdin] | key delete [--url URL]
    minutes llm check [--llm SPEC]

API keys go to the OS keyring only (`minutes.llm.apikeys`); nothing here prints one.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

from minutes.llm.errors import EngineUnavailable, LlmError
from minutes.llm.settings import ENGINE_KINDS, LlmSettings, is_loopback_url

EXIT_OK, EXIT_ERROR = 0, 1


class SettingsInputError(LlmError):
    """A value the user typed cannot be stored (the message says why)."""


def add_parser(subparsers: Any) -> None:
    """Register ``llm`` on the main parser's subparsers."""
    p = subparsers.add_parser("llm", help="language model settings, API keys and a quick check")
    sub = p.add_subparsers(dest="llm_command")
    sub.add_parser("show", help="the engines that will be used, in order (the default)")

    s = sub.add_parser("set", help="change the language model settings")
    s.add_argument("--order", help=f"engines to try, comma-separated: {','.join(ENGINE_KINDS)}")
    s.add_argument("--model", help="llama.cpp model: 1.5b (default), 0.5b or a .gguf file")
    s.add_argument("--context", type=int, help="llama.cpp context window in tokens")
    s.add_argument("--threads", type=int, help="CPU threads for llama.cpp (0 = all cores)")
    s.add_argument("--endpoint-url", help="OpenAI-compatible base URL, up to /v1 ('' to clear)")
    s.add_argument("--endpoint-model", help="the server's model name")
    s.add_argument("--endpoint-context", type=int, help="the server model's context window")
    s.add_argument("--timeout", type=float, help="endpoint timeout per read, seconds")
    s.add_argument("--retries", type=int, help="endpoint retries after errors")
    remote = s.add_mutually_exclusive_group()
    remote.add_argument(
        "--allow-remote",
        dest="allow_remote",
        action="store_const",
        const=True,
        help="allow an endpoint on another computer (the meeting's text is sent there)",
    )
    remote.add_argument(
        "--local-only",
        dest="allow_remote",
        action="store_const",
        const=False,
        help="only endpoints on this computer (the default)",
    )
    s.add_argument("--transformers-model", help="folder or file of a Hugging Face-format model")
    s.add_argument("--transformers-gguf-file", help="GGUF file inside that folder, if it is one")
    s.add_argument(
        "--transformers-device", help="auto (a GPU when torch sees one), cpu, cuda, cuda:N or mps"
    )

    k = sub.add_parser("key", help="store or forget an endpoint's API key (OS keyring)")
    ksub = k.add_subparsers(dest="key_command", required=True)
    ks = ksub.add_parser("set", help="store a key: typed (hidden) or read from stdin")
    ks.add_argument("--url", help="endpoint base URL (default: the configured one)")
    ks.add_argument("--stdin", action="store_true", help="read the key from standard input")
    kd = ksub.add_parser("delete", help="forget the stored key")
    kd.add_argument("--url", help="endpoint base URL (default: the configured one)")

    c = sub.add_parser("check", help="load the engine and have it answer a short prompt")
    c.add_argument(
        "--llm", default="auto", help="auto, local, endpoint, transformers, 1.5b, 0.5b or a .gguf"
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``minutes llm ...``; returns the exit status (errors are raised to the caller)."""
    out = out or sys.stdout
    from minutes.config import Config

    cfg = Config.load()
    settings = LlmSettings.from_config(cfg)
    command = args.llm_command or "show"
    if command == "set":
        changed = apply_changes(settings, args)
        if changed:
            settings.store(cfg)
            cfg.save()
        print(f"saved {', '.join(changed) or 'nothing (no option given)'}", file=out)
        command = "show"  # with the notes on what will not be used
    if command == "show":
        print(describe(settings), file=out)
        return EXIT_OK
    if command == "key":
        return _key(args, settings, out)
    return _check(args, settings, out)


def apply_changes(settings: LlmSettings, args: argparse.Namespace) -> list[str]:
    """Put the options the user gave into `settings`; returns the names changed.

    Raises:
        SettingsInputError: An unknown engine, a URL that is not http(s), a
            number out of range, or a model file that does not exist.
    """
    changed: list[str] = []
    if args.order is not None:
        order = [k.strip() for k in args.order.split(",") if k.strip()]
        unknown = [k for k in order if k not in ENGINE_KINDS]
        if unknown or not order:
            raise SettingsInputError(
                f"--order takes {', '.join(ENGINE_KINDS)} (comma-separated), not {args.order!r}"
            )
        settings.order = list(dict.fromkeys(order))
        changed.append("order")
    if args.model is not None:
        settings.local_model = _local_model(args.model)
        changed.append("model")
    for name, value, low in (
        ("context", args.context, 512),
        ("threads", args.threads, 0),
        ("endpoint-context", args.endpoint_context, 512),
        ("retries", args.retries, 0),
    ):
        if value is not None and value < low:
            raise SettingsInputError(f"--{name} must be at least {low}")
    if args.context is not None:
        settings.context_size = args.context
        changed.append("context")
    if args.threads is not None:
        settings.threads = args.threads
        changed.append("threads")
    if args.endpoint_url is not None:
        settings.endpoint.base_url = _endpoint_url(args.endpoint_url)
        changed.append("endpoint-url")
    if args.endpoint_model is not None:
        settings.endpoint.model = args.endpoint_model.strip()
        changed.append("endpoint-model")
    if args.endpoint_context is not None:
        settings.endpoint.context_size = args.endpoint_context
        changed.append("endpoint-context")
    if args.timeout is not None:
        if args.timeout <= 0:
            raise SettingsInputError("--timeout must be more than 0 seconds")
        settings.endpoint.timeout_s = args.timeout
        changed.append("timeout")
    if args.retries is not None:
        settings.endpoint.retries = args.retries
        changed.append("retries")
    if args.allow_remote is not None:
        settings.allow_remote = args.allow_remote
        changed.append("allow-remote" if args.allow_remote else "local-only")
    if args.transformers_model is not None:
        path = args.transformers_model.strip()
        if path and not Path(path).expanduser().exists():
            raise SettingsInputError(f"--transformers-model: {path} does not exist")
        settings.transformers_model = str(Path(path).expanduser().resolve()) if path else ""
        changed.append("transformers-model")
    if args.transformers_gguf_file is not None:
        settings.transformers_gguf_file = args.transformers_gguf_file.strip()
        changed.append("transformers-gguf-file")
    if args.transformers_device is not None:
        settings.transformers_device = _device(args.transformers_device)
        changed.append("transformers-device")
    return changed


def _local_model(value: str) -> str:
    from minutes.llm.modelstore import ALIASES, EMBEDDED_LLM, canonical_name

    name = canonical_name(value.strip())
    if name in EMBEDDED_LLM:
        return name
    path = Path(value.strip()).expanduser()
    if not path.is_file():
        raise SettingsInputError(
            f"--model: {value!r} is neither an embedded model ({', '.join(ALIASES)}) "
            "nor an existing .gguf file"
        )
    return str(path.resolve())


def _device(value: str) -> str:
    """Check the form only: whether torch sees that GPU is known when the model loads."""
    from minutes.llm.engines.transformers_engine import parse_device

    try:
        return parse_device(value)
    except EngineUnavailable as exc:
        raise SettingsInputError(f"--transformers-device: {exc}") from None


def _endpoint_url(value: str) -> str:
    url = value.strip().rstrip("/")
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SettingsInputError(
            f"--endpoint-url must look like http://127.0.0.1:11434/v1, not {value!r}"
        )
    return url


def warnings(settings: LlmSettings) -> list[str]:
    """What in these settings will not do what the user may expect."""
    out: list[str] = []
    ep = settings.endpoint
    if "endpoint" in settings.order and not ep.base_url:
        out.append("'endpoint' is in the order but no --endpoint-url is set; it is skipped")
    if ep.base_url and "endpoint" in settings.order and not settings.endpoint_allowed():
        out.append(
            f"{ep.base_url} is on another computer and --allow-remote is not set; it is skipped"
        )
    if ep.base_url and "endpoint" not in settings.order:
        out.append("an endpoint is configured but not in --order; it is not used")
    if ep.base_url and not ep.model:
        out.append("no --endpoint-model: the server's default model is asked for")
    if "transformers" in settings.order and not settings.transformers_model:
        out.append("'transformers' is in the order but no --transformers-model is set")
    return out


def describe(settings: LlmSettings) -> str:
    """The settings as the user reads them (never an API key)."""
    from minutes.config import config_path
    from minutes.llm import apikeys

    ep = settings.endpoint
    lines = [f"settings: {config_path()}", f"order:    {' → '.join(settings.order)}"]
    for i, kind in enumerate(settings.order, 1):
        if kind == "local":
            threads = settings.threads or "all cores"
            lines.append(
                f"  {i}. local (llama.cpp): {settings.local_model}, "
                f"context {settings.context_size}, threads {threads}"
            )
        elif kind == "transformers":
            model = settings.transformers_model or "(no model set)"
            gguf = (
                f", GGUF {settings.transformers_gguf_file}"
                if settings.transformers_gguf_file
                else ""
            )
            lines.append(
                f"  {i}. transformers: {model}{gguf}, device {settings.transformers_device}"
            )
        else:
            where = "not set"
            if ep.base_url:
                where = ep.base_url + (
                    "" if is_loopback_url(ep.base_url) else " (another computer)"
                )
            key = "stored" if ep.base_url and apikeys.get_api_key(ep.base_url) else "none"
            used = "" if settings.endpoint_allowed() else "  [skipped]"
            lines.append(
                f"  {i}. endpoint: {where}, model {ep.model or '(server default)'}, "
                f"API key {key}, timeout {ep.timeout_s:g} s, retries {ep.retries}{used}"
            )
    remote = "allowed" if settings.allow_remote else "not allowed"
    lines.append(f"endpoints on other computers: {remote}")
    lines += [f"note: {w}" for w in warnings(settings)]
    return "\n".join(lines)


def _key(args: argparse.Namespace, settings: LlmSettings, out: TextIO) -> int:
    from minutes.llm import apikeys

    url = _endpoint_url(args.url or settings.endpoint.base_url)
    if not url:
        raise SettingsInputError(
            "no endpoint: give --url or set one with `minutes llm set --endpoint-url URL`"
        )
    if args.key_command == "delete":
        apikeys.delete_api_key(url)
        print(f"forgot the API key of {url}", file=out)
        return EXIT_OK
    if args.stdin or not sys.stdin.isatty():
        key = sys.stdin.readline().strip()
    else:
        key = getpass.getpass(f"API key for {url}: ").strip()
    if not key:
        raise SettingsInputError("no key given; nothing was stored")
    apikeys.set_api_key(url, key)
    print(f"stored the API key of {url} in the OS keyring", file=out)
    return EXIT_OK


def _check(args: argparse.Namespace, settings: LlmSettings, out: TextIO) -> int:
    from minutes.llm.engines import open_engine
    from minutes.llm.engines.base import ChatMessage, GenerationOptions

    engine = open_engine(settings, args.llm)
    try:
        info = engine.info
        where = "this computer" if info.local else "another computer"
        if "device" in info.details:
            where += f", {info.details['device']} {info.details.get('dtype', '')}".rstrip()
        print(
            f"engine: {info.kind}, model {info.model} ({where}), loaded in {info.load_s:.1f} s",
            file=out,
        )
        print("answer: ", end="", file=out, flush=True)
        try:
            done = engine.complete(
                [ChatMessage("user", "Reply with one short sentence: are you ready?")],
                GenerationOptions(max_tokens=24),
                on_token=lambda piece: print(piece, end="", file=out, flush=True),
            )
        except BaseException:
            print(file=out)  # the error message goes on a line of its own
            raise
    finally:
        engine.close()
    for reason in engine.skipped:
        print(f"\nskipped {reason}", end="", file=out)
    if (done.engine, done.model) != (info.kind, info.model):
        print(f"\nanswered by: {done.engine}, model {done.model}", end="", file=out)
    first = f"{done.first_token_s:.2f} s" if done.first_token_s is not None else "n/a"
    rate = done.completion_tokens / done.elapsed_s if done.elapsed_s > 0 else 0.0
    print(
        f"\nfirst token after {first}; {done.completion_tokens} tokens in {done.elapsed_s:.1f} s "
        f"({rate:.1f} tok/s)",
        file=out,
    )
    return EXIT_OK
