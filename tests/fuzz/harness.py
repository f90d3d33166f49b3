"""Shared machinery of the bad-input corpus: hypothesis profile, watchdog, verdicts.

Every generated input is run through an entry point (audio probe/decode,
glossary load, session/transcript load) and gets one verdict:

* ``ok``    - accepted (and the result passed the family's sanity checks);
* ``clear`` - refused with one of `minutes.errors.USER_ERRORS` naming the file;
* ``crash`` - any other exception, or a user error that does not name the file;
* ``hang``  - still running when the watchdog fired.

The default test run asserts no crash and no hang; `bench.fuzz_inputs` counts
verdicts over many more inputs.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings

PROFILE = "minutes-fuzz"
HANG_SECONDS = 20.0  # generous: the machine may be busy; real hangs never return

settings.register_profile(
    PROFILE,
    derandomize=True,  # the default run sees the same inputs every time
    database=None,
    deadline=timedelta(seconds=10),
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
FUZZ = settings.get_profile(PROFILE)


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so `except Exception` cannot swallow it."""


@contextmanager
def watchdog(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Interrupt the block with `Hang` after `seconds` (main thread only; no-op elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Verdict:
    kind: str  # ok | clear | crash | hang
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.kind in ("crash", "hang")


def judge(
    run: Callable[[], None],
    path: Path,
    seconds: float = HANG_SECONDS,
    *,
    aliases: tuple[str, ...] = (),
) -> Verdict:
    """Run one input through `run` and classify what happened (see the module docstring).

    A user error must name `path` (or one of `aliases`: the copy the app made of it).
    """
    from minutes.errors import USER_ERRORS

    try:
        with watchdog(seconds):
            run()
    except Hang as exc:
        return Verdict("hang", f"{path.name}: {exc}")
    except USER_ERRORS as exc:
        message = str(exc)
        if not any(name in message for name in (path.name, *aliases)):
            return Verdict("crash", f"{type(exc).__name__} without the file name: {message!r}")
        return Verdict("clear", message)
    except Exception:
        return Verdict("crash", traceback.format_exc(limit=8))
    return Verdict("ok")


def mutate_bytes(data: bytes, draw: Callable[..., object]) -> tuple[str, bytes]:
    """One byte-level mutation of `data` (hypothesis `draw`); returns (label, new bytes)."""
    from hypothesis import strategies as st

    kind = draw(st.sampled_from(
        ["truncate", "corrupt", "burst", "size_field", "insert_nul", "duplicate", "empty",
         "garbage", "header_only"]
    ))
    n = len(data)
    if kind == "empty" or n == 0:
        return "empty", b""
    if kind == "truncate":
        return kind, data[: draw(st.integers(0, n - 1))]
    if kind == "header_only":
        return kind, data[: draw(st.integers(1, min(n, 96)))]
    if kind == "corrupt":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 16))):
            out[draw(st.integers(0, n - 1))] = draw(st.integers(0, 255))
        return kind, bytes(out)
    if kind == "burst":
        start = draw(st.integers(0, n - 1))
        junk = draw(st.binary(min_size=1, max_size=256))
        return kind, data[:start] + junk + data[start + len(junk):]
    if kind == "size_field":
        # Length fields sit near the start of most containers: claim a huge (or zero) size.
        pos = draw(st.integers(0, max(0, min(n, 128) - 4)))
        value = draw(st.sampled_from([b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff",
                                      b"\x00\x00\x00\x00", b"\xff\xff\xff\x7f"]))
        return kind, data[:pos] + value + data[pos + 4:]
    if kind == "insert_nul":
        pos = draw(st.integers(0, n))
        return kind, data[:pos] + b"\x00" * draw(st.integers(1, 8)) + data[pos:]
    if kind == "duplicate":
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a, min(n, a + 4096)))
        return kind, data[:b] + data[a:b] + data[b:]
    return "garbage", draw(st.binary(min_size=1, max_size=4096))
