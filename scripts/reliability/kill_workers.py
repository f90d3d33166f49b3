"""Child processes for the kill loop: each does one stage's real work until SIGKILLed.

    python scripts/reliability/kill_workers.py record ROOT MARKS [--seconds S] [--pause]
    python scripts/reliability/kill_workers.py transcribe MARKS WINDOW -- <minutes transcribe args>
    python scripts/reliability/kill_workers.py save SESSION_DIR MARKS START_EDIT

Every worker reports through the MARKS file (one line per event, flushed at
once), so the harness knows which stage a kill landed in and what was
committed before it. The data folder comes from MINUTES_DATA_DIR, as in the app.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class Marks:
    """Append-only event log; each line is written with one os.write (never torn by a kill)."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.t0 = time.monotonic()

    def __call__(self, *fields: Any) -> None:
        line = " ".join([f"{time.monotonic() - self.t0:.3f}", *map(str, fields)]) + "\n"
        os.write(self._fd, line.encode())


# -- recording ---------------------------------------------------------------
RECORD_SEED = 7
RATE = 16_000


def record_source(seconds: float) -> Any:
    import numpy as np

    rng = np.random.default_rng(RECORD_SEED)
    return (rng.standard_normal(int(RATE * seconds)) * 3000).clip(-32768, 32767).astype(np.int16)


def cmd_record(root: Path, marks_path: Path, seconds: float, pause: bool) -> None:
    """Record a known signal at real-time pace from the fake device (pausing now and then)."""
    from minutes.capture import Recorder, start_session
    from tests.fake_sounddevice import FakeSoundDevice

    marks = Marks(marks_path)
    sd = FakeSoundDevice(record_source(seconds), realtime=True)
    session = start_session(root, "kill loop recording")
    rec = Recorder(session.folder, sd=sd, flush_interval=0.5)
    # `written` is read after the writer flushed those samples to the OS: a
    # SIGKILL cannot take them back, so recovery must return at least this many.
    sd.on_fed = lambda n: marks("fed", n, rec.samples_written)
    marks("session", session.folder)
    rec.start()
    marks("stage", "recording")
    while True:
        time.sleep(1.3)
        if not pause:
            continue
        rec.pause()
        marks("stage", "paused")
        time.sleep(0.2)
        rec.resume()
        marks("stage", "recording")


# -- transcribe (ASR, diarization, correction, export) --------------------------
def cmd_transcribe(marks_path: Path, window: float, argv: list[str]) -> int:
    """`minutes transcribe ARGS` with a short ASR window, so a kill can land between windows.

    Only the window length differs from the real command; stage changes and
    every ASR window actually transcribed are logged to MARKS.
    """
    from dataclasses import replace

    from minutes import cli, pipeline
    from minutes.asr import whisper as asr

    marks = Marks(marks_path)
    run = pipeline.Pipeline.run
    seen: list[str] = ["start"]

    def run_logged(self: Any, audio: Path, options: Any, glossary: Any = None, **kw: Any) -> Any:
        options = replace(options, asr=replace(options.asr, window_seconds=window))
        progress = kw.pop("progress", None)

        def report(p: Any) -> None:
            if seen[-1] != p.stage:
                seen.append(p.stage)
                marks("stage", p.stage)
            if progress is not None:
                progress(p)

        return run(self, audio, options, glossary, progress=report, **kw)

    transcribe_window = asr.WhisperTranscriber._transcribe_window

    def window_logged(self: Any, win: Any, language: str, options: Any) -> Any:
        if seen[-1] != "asr":
            seen.append("asr")
            marks("stage", "asr")
        marks("window", f"{win.offset:.3f}")
        return transcribe_window(self, win, language, options)

    iter_windows = asr.iter_windows

    def scaled_windows(
        path: Any, window_seconds: float = 240.0, search_seconds: float = 30.0,
        *, start_s: float = 0.0,
    ) -> Any:
        # Keep the real ratio of pause search to window length (30 s per 240 s).
        return iter_windows(path, window_seconds, window_seconds / 8, start_s=start_s)

    asr.iter_windows = scaled_windows  # type: ignore[assignment]
    pipeline.Pipeline.run = run_logged  # type: ignore[method-assign]
    asr.WhisperTranscriber._transcribe_window = window_logged  # type: ignore[method-assign]
    marks("stage", "start")
    status = cli.main(argv)
    marks("exit", status)
    return status


# -- save (review edits) -------------------------------------------------------
def versioned_files(session_dir: Path, data_dir: Path) -> dict[str, Path]:
    return {
        "corrections": session_dir / "corrections.json",
        "session": session_dir / "session.json",
        "minutes": session_dir / "minutes.json",
        "glossary": data_dir / "glossary.json",
        "config": data_dir / "config.json",
    }


def read_versions(session_dir: Path, data_dir: Path) -> dict[str, int | None]:
    """The edit number each file holds, read through the app's own loaders."""
    from glossary.store import load_user_glossary
    from minutes.config import Config
    from minutes.meeting import load_minutes
    from minutes.session import Session

    session = Session.open(session_dir)
    out: dict[str, int | None] = {}
    corrections = session.load_corrections()
    user = [c for c in corrections if c.source.value == "user"]
    out["corrections"] = int(user[-1].after.removeprefix("v")) if user else None
    title = session.meta.title
    out["session"] = int(title.rsplit("v", 1)[1]) if "v" in title else None
    minutes = load_minutes(session_dir)
    out["minutes"] = int(minutes.summary.removeprefix("v")) if minutes else None
    files = versioned_files(session_dir, data_dir)
    term = load_user_glossary(files["glossary"]).get("KillLoop")
    out["glossary"] = int(term.note.removeprefix("v")) if term else None
    cfg = Config.load(files["config"])
    out["config"] = cfg.extra.get("kill_loop_edit")
    if len(user) != (out["corrections"] or 0) % 40 + 1 and user:
        raise ValueError(f"corrections.json holds {len(user)} user edits, not a whole version")
    return out


def cmd_save(session_dir: Path, marks_path: Path, edit: int) -> None:
    """Save review edits in a loop, as the app does while the user works."""
    from glossary.store import load_user_glossary, save_user_glossary
    from glossary.terms import Term
    from minutes.config import Config, config_path, glossary_path
    from minutes.meeting import Minutes, save_minutes
    from minutes.session import Session
    from minutes.types import Correction, CorrectionSource, CorrectionStatus

    marks = Marks(marks_path)
    session = Session.open(session_dir)
    base = [c for c in session.load_corrections() if c.source is not CorrectionSource.USER]
    marks("stage", "save")
    while True:
        edit += 1
        version = f"v{edit}"
        # Vary the size so a torn write could not pass for a whole file.
        user = [
            Correction(i % 3, 0, 1, "x", version, CorrectionSource.USER,
                       status=CorrectionStatus.ACCEPTED, decided=True)
            for i in range(edit % 40 + 1)
        ]  # fmt: skip
        session.save_corrections([*base, *user], key=session.corrections_key())
        session.update_meta(lambda m, v=version: setattr(m, "title", f"Meeting {v}"))
        save_minutes(
            session_dir,
            Minutes(title="Minutes", summary=version, attendees=("A",) * (edit % 50 + 1)),
        )
        glossary = load_user_glossary(glossary_path())
        save_user_glossary(glossary.replacing(Term("KillLoop", note=version)), glossary_path())
        cfg = Config.load()
        cfg.extra["kill_loop_edit"] = edit
        cfg.save(config_path())
        marks("committed", edit)


def main(argv: list[str]) -> int:
    cmd = argv[0]
    if cmd == "record":
        seconds = float(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 60.0
        cmd_record(Path(argv[1]), Path(argv[2]), seconds, "--pause" in argv)
        return 0
    if cmd == "transcribe":
        sep = argv.index("--")
        return cmd_transcribe(Path(argv[1]), float(argv[2]), argv[sep + 1 :])
    if cmd == "save":
        cmd_save(Path(argv[1]), Path(argv[2]), int(argv[3]))
        return 0
    raise SystemExit(f"unknown worker {cmd!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
