"""Kill loop: SIGKILL real work at random moments, then check nothing is lost or corrupt.

    .venv/bin/python scripts/reliability/kill_loop.py --runs 20 \\
        --stages recording,asr,diarize,correct,minutes,save --seed 1

For every run a child process does one stage's real work against its own
data folder (MINUTES_DATA_DIR) and is SIGKILLed at a random moment in that
stage. Then:

(a) every file parses through the app's loaders (scripts/reliability/kill_checks.py);
    temp files of interrupted atomic writes are counted, not failed (no loader reads them);
(b) nothing earlier is lost: recorded audio up to the last flushed block,
    finished stages, saved edits;
(c) the same command run again resumes (ASR: no finished window is transcribed
    again) and gives the uninterrupted result;
(d) the app starts on that folder: the real main window, offscreen, lists the
    session and opens it in Review and Minutes (recovering a killed recording).

Prints a table per stage and writes the runs as JSON to bench/out/.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from minutes.session import ASR_PARTIAL  # noqa: E402
from scripts.reliability import kill_workers  # noqa: E402
from scripts.reliability.kill_checks import app_check, checkpoint_until, scan  # noqa: E402

WORKERS = Path(kill_workers.__file__)
SPEECH = Path(os.environ.get("MINUTES_SPEECH_DATA", ROOT.parent / "shared" / "data" / "speech"))
SAMPLE = SPEECH / "pyannote_sample" / "pyannote_sample.wav"  # 30 s, 2 speakers
JFK = ROOT / "resources" / "samples" / "jfk.flac"
STAGES = ("recording", "asr", "diarize", "correct", "minutes", "save")
PIPELINE_ORDER = ("start", "asr", "diarize", "correct", "export", "done")
GLOSSARY_CSV = """term,variants,category,note,case_sensitive
DesignOps,design people,team,,
RemoteCtl,remote control,product,,
MobileKit,mobile phone,product,,
Symbolics,symbols,product,,
Americans,american,people,,
"""


@dataclass
class RunResult:
    stage: str
    run: int
    kills: int = 0
    killed_at: float | None = None  # seconds into the stage
    landed: str | None = None  # the stage the child was in when killed
    corrupt: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    resumed: bool | None = None
    same_as_uninterrupted: bool | None = None
    app_ok: bool | None = None
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    work: Path
    rng: random.Random
    audio: Path
    model: str = "tiny.en"
    window: float = 4.0
    gguf: str | None = None
    asr_kill_window: int | None = None  # kill as window N starts (tests), not at random
    log: Callable[[str], None] = print
    refs: dict[str, Any] = field(default_factory=dict)


# -- process helpers -----------------------------------------------------------
def child_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "MINUTES_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("OMP_NUM_THREADS", "2")
    return env


def spawn(args: list[str], data_dir: Path, log_path: Path) -> subprocess.Popen[bytes]:
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, *args], env=child_env(data_dir), cwd=ROOT, stdout=log, stderr=log
    )


def kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the child; False if it had already exited (the kill came too late)."""
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return alive


def read_marks(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    lines = path.read_text().splitlines()
    return [ln.split(" ") for ln in lines if ln]


def wait_mark(
    path: Path, proc: subprocess.Popen[bytes], want: Callable[[list[list[str]]], bool],
    timeout: float,
) -> bool:  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if want(read_marks(path)):
            return True
        if proc.poll() is not None:
            return want(read_marks(path))
        time.sleep(0.005)
    return False


def stages_of(marks: list[list[str]]) -> list[str]:
    return [m[2] for m in marks if len(m) > 2 and m[1] == "stage"]


def windows_of(marks: list[list[str]]) -> list[float]:
    return [float(m[2]) for m in marks if len(m) > 2 and m[1] == "window"]


def only_session(data_dir: Path) -> Path | None:
    root = data_dir / "sessions"
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    return folders[0] if len(folders) == 1 else None


def apply_scan(result: RunResult, folder: Path, when: str) -> None:
    found = scan(folder)
    result.corrupt += [f"{when}: {c}" for c in found["corrupt"]]
    result.leftovers = sorted(set(result.leftovers) | set(found["leftovers"]))


def apply_app(result: RunResult, data_dir: Path, expect: Path | None) -> dict[str, Any]:
    app = app_check(data_dir)
    listed = expect is None or expect.name in app.get("listed", [])
    result.app_ok = bool(app["ok"]) and listed
    if not result.app_ok:
        result.notes["app"] = {k: app.get(k) for k in ("errors", "listed", "opened")}
    return app


# -- recording -------------------------------------------------------------------
def run_recording(ctx: Context, i: int) -> RunResult:
    """Kill the recorder mid-capture; the app must recover every flushed block."""
    import numpy as np
    import soundfile as sf

    result = RunResult("recording", i)
    run_dir = ctx.work / f"recording-{i:03d}"
    data, marks = run_dir / "data", run_dir / "marks.txt"
    (data / "sessions").mkdir(parents=True)
    pause = i % 2 == 1  # odd runs pause and resume every 1.3 s
    args = [str(WORKERS), "record", str(data / "sessions"), str(marks), "--seconds", "60"]
    proc = spawn([*args, *(["--pause"] if pause else [])], data, run_dir / "child.log")
    if not wait_mark(marks, proc, lambda m: "recording" in stages_of(m), 60):
        kill(proc)
        result.notes["error"] = "recorder did not start"
        return result
    delay = ctx.rng.uniform(0.2, 4.0)
    time.sleep(delay)
    result.kills += kill(proc)
    result.killed_at, result.landed = delay, (stages_of(read_marks(marks)) or ["?"])[-1]
    fed_marks = [m for m in read_marks(marks) if m[1] == "fed"]
    fed, written = (int(fed_marks[-1][2]), int(fed_marks[-1][3])) if fed_marks else (0, 0)
    folder = only_session(data)
    if folder is None:
        result.lost.append("no session folder after the kill")
        return result
    wav = folder / "audio.wav"
    before = sf.info(str(wav)).frames if wav.is_file() else 0  # readable as it stands?
    apply_scan(result, data, "after kill")
    app = apply_app(result, data, folder)
    recovered = folder.name in app.get("recovered", [])
    audio, rate = sf.read(str(wav), dtype="int16")
    n = len(audio)
    result.notes.update(fed=fed, written=written, recovered_samples=n, header_samples=before,
                        paused=pause, lag_s=round((fed - n) / rate, 3))  # fmt: skip
    if n < written:
        result.lost.append(f"{(written - n) / rate:.3f} s of flushed audio")
    if not pause and not np.array_equal(audio, kill_workers.record_source(60)[:n]):
        result.lost.append("recovered audio differs from what was captured")
    from minutes.capture import unfinished_recordings
    from minutes.session import Session

    meta = Session.open(folder).meta
    result.resumed = (
        recovered
        and abs(meta.duration - n / rate) < 1e-3
        and bool(meta.fingerprint)
        and not unfinished_recordings(data / "sessions")
    )
    apply_scan(result, data, "after recovery")
    return result


# -- ASR, diarization, correction: `minutes transcribe` -------------------------------
def transcribe_args(
    ctx: Context, run_dir: Path, marks: Path, audio: Path | None = None
) -> list[str]:
    glossary = run_dir / "glossary.csv"
    glossary.write_text(GLOSSARY_CSV, encoding="utf-8")
    return [
        str(WORKERS), "transcribe", str(marks), str(ctx.window), "--",
        "-q", "transcribe", str(audio or ctx.audio), "--model", ctx.model, "--language", "en",
        "--diarize", "--glossary", str(glossary), "--out", str(run_dir / "out"),
        "--formats", "json,txt",
    ]  # fmt: skip


def final_state(folder: Path) -> dict[str, Any]:
    """What the user sees after the run: reviewed segments and corrections."""
    from minutes.session import Session

    session = Session.open(folder)
    doc = session.document()
    assert doc is not None
    return {
        "segments": [(s.start, s.end, s.speaker, s.text_raw) for s in doc.segments],
        "corrections": sorted(
            (c.segment_id, c.start_char, c.end_char, c.after, c.status.value)
            for c in doc.corrections
        ),
    }


def pipeline_reference(ctx: Context) -> dict[str, Any]:
    """One uninterrupted run: stage timings, windows and the final result."""
    if "pipeline" in ctx.refs:
        return dict(ctx.refs["pipeline"])
    run_dir = ctx.work / "reference-transcribe"
    data, marks = run_dir / "data", run_dir / "marks.txt"
    data.mkdir(parents=True)
    proc = spawn(transcribe_args(ctx, run_dir, marks), data, run_dir / "child.log")
    if proc.wait(timeout=900) != 0:
        raise RuntimeError(f"reference run failed; see {run_dir / 'child.log'}")
    m = read_marks(marks)
    starts = {x[2]: float(x[0]) for x in m if x[1] == "stage"}
    end = float(m[-1][0])
    order = [s for s in PIPELINE_ORDER if s in starts]
    spans = {s: (starts[s], starts[order[k + 1]] if k + 1 < len(order) else end)
             for k, s in enumerate(order)}  # fmt: skip
    folder = only_session(data)
    assert folder is not None
    ref = {"spans": spans, "windows": windows_of(m), "final": final_state(folder),
           "session": str(folder)}  # fmt: skip
    ctx.refs["pipeline"] = ref
    ctx.log(f"reference transcribe: {end:.1f} s, windows {len(ref['windows'])}, "
            f"stages {({k: round(b - a, 2) for k, (a, b) in spans.items()})}")  # fmt: skip
    return dict(ref)


def run_pipeline_stage(ctx: Context, stage: str, i: int) -> RunResult:
    """Kill `minutes transcribe` at a random moment in `stage`, check, run it again."""
    ref = pipeline_reference(ctx)
    result = RunResult(stage, i)
    run_dir = ctx.work / f"{stage}-{i:03d}"
    data, marks = run_dir / "data", run_dir / "marks.txt"
    data.mkdir(parents=True)
    args = transcribe_args(ctx, run_dir, marks)
    proc = spawn(args, data, run_dir / "child.log")
    first = "start" if stage == "asr" else stage
    if not wait_mark(marks, proc, lambda m: first in stages_of(m), 600):
        kill(proc)
        result.notes["error"] = f"never reached {first}"
        return result
    lo, hi = ref["spans"][stage]
    if stage == "asr":  # from the very start: model load, session creation, audio import
        lo = ref["spans"]["start"][0]
    delay = ctx.rng.uniform(0, max(hi - lo, 0.0))
    if stage == "asr" and ctx.asr_kill_window is not None:
        n = ctx.asr_kill_window
        wait_mark(marks, proc, lambda m: len(windows_of(m)) >= n, 600)
        delay = 0.0
    time.sleep(delay)
    result.kills += kill(proc)
    m1 = read_marks(marks)
    result.killed_at, result.landed = round(delay, 3), stages_of(m1)[-1]
    folder = only_session(data)
    if folder is None:
        result.notes["error"] = "no single session folder after the kill"
        return result
    reached = PIPELINE_ORDER.index(result.landed)
    partial = folder / ASR_PARTIAL
    checkpoint = None
    try:
        checkpoint = checkpoint_until(folder)
    except Exception as exc:
        result.corrupt.append(f"{ASR_PARTIAL}: {type(exc).__name__}: {exc}")
    if partial.is_file():  # how the kill left the file: a torn last line is allowed
        tail = partial.read_bytes()
        result.notes["checkpoint_torn_line"] = bool(tail) and not tail.endswith(b"\n")
    had = {n: (folder / n).is_file() for n in ("asr.json", "diarization.json", "corrections.json")}
    result.notes.update(windows_before=len(windows_of(m1)), checkpoint_until=checkpoint, had=had)
    # Finished stages survive: a later stage had started, so the earlier artefact was saved.
    for name, needed_from in (("asr.json", "diarize"), ("diarization.json", "correct")):
        if reached > PIPELINE_ORDER.index(needed_from) and not had[name]:
            result.lost.append(f"{name} missing though {needed_from} had started")
    apply_scan(result, data, "after kill")
    apply_app(result, data, folder)

    marks2 = run_dir / "marks-rerun.txt"
    args2 = [a if a != str(marks) else str(marks2) for a in args]
    rc = spawn(args2, data, run_dir / "child-rerun.log").wait(timeout=900)
    m2 = read_marks(marks2)
    again = windows_of(m2)
    _update_span(ctx, stage, m2)
    expected = [w for w in ref["windows"] if checkpoint is None or w >= checkpoint - 1e-3]
    resumed = rc == 0 and only_session(data) == folder
    # ASR reused when it had finished; otherwise redone only after the checkpoint.
    resumed = resumed and (not again if had["asr.json"] else again == expected)
    if had["diarization.json"]:
        resumed = resumed and "diarize" not in stages_of(m2)
    result.resumed = resumed
    result.notes.update(rc=rc, windows_rerun=len(again), windows_expected=len(expected))
    result.same_as_uninterrupted = final_state(folder) == ref["final"]
    if not result.same_as_uninterrupted:
        result.notes["diff"] = "final transcript/corrections differ from the uninterrupted run"
    apply_scan(result, data, "after rerun")
    return result


def _update_span(ctx: Context, stage: str, marks: list[list[str]]) -> None:
    """Aim the next kill with the stage's latest length: the load of the machine changes."""
    starts = [(x[2], float(x[0])) for x in marks if x[1] == "stage"]
    for (name, t), (_, t_next) in itertools.pairwise(starts):
        if name == stage:
            ctx.refs["pipeline"]["spans"][stage] = (t, t_next)


# -- minutes: `minutes summarize` -----------------------------------------------------
def summarize_args(ctx: Context, folder: Path) -> list[str]:
    assert ctx.gguf
    return ["-m", "minutes.cli", "summarize", str(folder), "--llm", ctx.gguf, "--formats", "md"]


def minutes_reference(ctx: Context) -> dict[str, Any]:
    if "minutes" in ctx.refs:
        return dict(ctx.refs["minutes"])
    from minutes.meeting import load_minutes

    run_dir = ctx.work / "reference-summarize"
    data = run_dir / "data"
    # A short meeting (jfk.flac): each summarize takes tens of seconds on two cores.
    made = run_dir / "transcribed"
    made.mkdir(parents=True)
    rc = spawn(transcribe_args(ctx, run_dir, run_dir / "marks.txt", JFK), made,
               run_dir / "transcribe.log").wait(timeout=900)  # fmt: skip
    source = only_session(made)
    if rc != 0 or source is None:
        raise RuntimeError(f"transcribing {JFK} failed; see {run_dir / 'transcribe.log'}")
    folder = data / "sessions" / source.name
    shutil.copytree(source, folder)
    t0 = time.monotonic()
    rc = spawn(summarize_args(ctx, folder), data, run_dir / "child.log").wait(timeout=1200)
    took = time.monotonic() - t0
    minutes = load_minutes(folder)
    if rc != 0 or minutes is None:
        raise RuntimeError(f"reference summarize failed; see {run_dir / 'child.log'}")
    ref = {"seconds": took, "minutes": _comparable(minutes.to_dict()), "session": str(source)}
    ctx.refs["minutes"] = ref
    ctx.log(f"reference summarize: {took:.1f} s")
    return dict(ref)


def _comparable(minutes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in minutes.items() if k not in ("created",)}


def run_minutes(ctx: Context, i: int) -> RunResult:
    """Kill `minutes summarize` mid-generation; earlier minutes stay, a re-run completes."""
    from minutes.meeting import Minutes, load_minutes, save_minutes

    ref = minutes_reference(ctx)
    result = RunResult("minutes", i)
    run_dir = ctx.work / f"minutes-{i:03d}"
    data = run_dir / "data"
    folder = data / "sessions" / Path(ref["session"]).name
    shutil.copytree(ref["session"], folder)
    # Minutes the user wrote by hand before asking for new ones: never torn, never lost.
    earlier = Minutes(title="Edited by hand", summary=f"earlier minutes {i}", attendees=("Kim",))
    save_minutes(folder, earlier)
    t0 = time.monotonic()
    proc = spawn(summarize_args(ctx, folder), data, run_dir / "child.log")
    delay = ctx.rng.uniform(0.1, 1.0) * ref["seconds"]
    while time.monotonic() - t0 < delay and proc.poll() is None:
        time.sleep(0.01)
    result.kills += kill(proc)
    result.killed_at = round(time.monotonic() - t0, 3)
    result.landed = "minutes" if result.kills else "after exit"
    try:
        after = load_minutes(folder)
    except Exception as exc:  # reported by `scan` as corrupt
        after, result.notes["load_error"] = None, str(exc)
    if after is None:
        result.lost.append("minutes.json gone after the kill")
    elif after != earlier and not (after.summary and after.model):
        result.lost.append("minutes.json holds neither the earlier nor complete new minutes")
    result.notes["kept_earlier"] = after == earlier
    apply_scan(result, data, "after kill")
    apply_app(result, data, folder)
    rc = spawn(summarize_args(ctx, folder), data, run_dir / "child-rerun.log").wait(timeout=1200)
    final = load_minutes(folder)
    exported = (folder / "minutes.minutes.md").is_file()
    result.resumed = rc == 0 and final is not None and bool(final.summary) and exported
    result.same_as_uninterrupted = (
        final is not None and _comparable(final.to_dict()) == ref["minutes"]
    )
    result.notes["rc"] = rc
    apply_scan(result, data, "after rerun")
    return result


# -- save: review edits ----------------------------------------------------------------
def save_setup(ctx: Context) -> tuple[Path, Path]:
    """A transcribed session with glossary corrections, in a data folder shared by all save runs."""
    from minutes.session import Session
    from minutes.types import Correction, CorrectionSource, Segment, Transcript

    data = ctx.work / "save-data"
    if (data / "sessions").is_dir():
        return data, next((data / "sessions").iterdir())
    session = Session.create(data / "sessions", "Meeting v0")
    segments = tuple(Segment(k, k * 2.0, k * 2.0 + 2, f"segment {k} says x") for k in range(3))
    session.save_asr(Transcript("en", 6.0, segments, model="tiny.en"), "k", {})
    session.save_corrections(
        [Correction(1, 0, 7, "segment", "Segment", CorrectionSource.GLOSSARY, term="Segment")],
        key="glossary-key",
    )
    return data, session.folder


def run_save(ctx: Context, i: int) -> RunResult:
    """Kill a process that keeps saving review edits; each file holds the old or the new edit."""
    data, folder = save_setup(ctx)
    result = RunResult("save", i)
    run_dir = ctx.work / f"save-{i:03d}"
    run_dir.mkdir(parents=True)
    # Edits are numbered across runs: `committed` is the last edit every file had
    # saved (the worker logs it after the last file), `start` where this run goes on.
    committed_before = int(ctx.refs.get("save_committed", 0))
    start = int(ctx.refs.get("save_next", 0))
    marks = run_dir / "marks.txt"
    proc = spawn([str(WORKERS), "save", str(folder), str(marks), str(start)], data,
                 run_dir / "child.log")  # fmt: skip
    if not wait_mark(marks, proc, lambda m: "save" in stages_of(m), 60):
        kill(proc)
        result.notes["error"] = "saver did not start"
        return result
    delay = ctx.rng.uniform(0.0, 1.5)
    time.sleep(delay)
    result.kills += kill(proc)
    result.killed_at, result.landed = round(delay, 3), "save"
    commits = [int(m[2]) for m in read_marks(marks) if m[1] == "committed"]
    committed = commits[-1] if commits else committed_before
    attempted = (commits[-1] if commits else start) + 1  # the edit the kill interrupted
    # Saving again after the previous kill is this stage's resume (unknown if killed before).
    result.resumed = True if commits else None
    try:
        versions = kill_workers.read_versions(folder, data)
    except Exception as exc:
        result.corrupt.append(f"loaders: {type(exc).__name__}: {exc}")
        versions = {}
    for name, v in versions.items():
        v = v or 0
        if v < committed:
            result.lost.append(f"{name}: edit {v} on disk, {committed} was saved")
        elif v > attempted:
            result.corrupt.append(f"{name}: edit {v} was never written")
    result.notes.update(committed=committed, attempted=attempted, versions=versions, start=start)
    ctx.refs["save_committed"] = committed
    ctx.refs["save_next"] = max([attempted, *(v or 0 for v in versions.values())])
    apply_scan(result, data, "after kill")
    apply_app(result, data, folder)
    return result


RUNNERS: dict[str, Callable[[Context, int], RunResult]] = {
    "recording": run_recording,
    "asr": lambda ctx, i: run_pipeline_stage(ctx, "asr", i),
    "diarize": lambda ctx, i: run_pipeline_stage(ctx, "diarize", i),
    "correct": lambda ctx, i: run_pipeline_stage(ctx, "correct", i),
    "minutes": run_minutes,
    "save": run_save,
}


def summarise_runs(results: list[RunResult]) -> list[dict[str, Any]]:
    rows = []
    for stage in dict.fromkeys(r.stage for r in results):
        rs = [r for r in results if r.stage == stage]
        resumed = [r.resumed for r in rs if r.resumed is not None]
        same = [r.same_as_uninterrupted for r in rs if r.same_as_uninterrupted is not None]
        rows.append({
            "stage": stage, "runs": len(rs), "kills": sum(r.kills for r in rs),
            "landed": dict(Counter(r.landed or "?" for r in rs)),
            "corrupt_files": sum(len(r.corrupt) for r in rs),
            "lost_data": sum(len(r.lost) for r in rs),
            "leftover_tmp": len({f"{r.run}:{x}" if r.stage != "save" else x
                                 for r in rs for x in r.leftovers}),
            "resumed_ok": f"{sum(resumed)}/{len(resumed)}" if resumed else "n/a",
            "same_result": f"{sum(same)}/{len(same)}" if same else "n/a",
            "app_start_ok": f"{sum(bool(r.app_ok) for r in rs)}/{len(rs)}",
            "errors": sum(1 for r in rs if "error" in r.notes),
        })  # fmt: skip
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    cols = ["stage", "runs", "kills", "corrupt_files", "lost_data", "leftover_tmp",
            "resumed_ok", "same_result", "app_start_ok", "landed"]  # fmt: skip
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in rows:
        landed = ", ".join(f"{k} {v}" for k, v in row["landed"].items())
        lines.append(
            "| " + " | ".join(str(row[c]) if c != "landed" else landed for c in cols) + " |"
        )
    return "\n".join(lines)


def default_audio(work: Path) -> Path:
    """A 30 s two-speaker conversation if the shared data is here, else jfk.flac x3."""
    if SAMPLE.is_file():
        return SAMPLE
    import numpy as np
    import soundfile as sf

    samples, rate = sf.read(str(JFK), dtype="int16")
    out = work / "jfk-x3.wav"
    sf.write(str(out), np.concatenate([samples] * 3), rate)
    return out


def embedded_gguf() -> str:
    from minutes.llm.modelstore import assemble_gguf

    return str(assemble_gguf("0.5b"))


def run_loop(
    stages: list[str], runs: int | dict[str, int], seed: int, work: Path, *,
    audio: Path | None = None,
    model: str = "tiny.en", window: float = 4.0, log: Callable[[str], None] = print,
    asr_kill_window: int | None = None,
) -> tuple[list[RunResult], Context]:  # fmt: skip
    ctx = Context(work, random.Random(seed), audio or default_audio(work), model, window, log=log,
                  asr_kill_window=asr_kill_window)  # fmt: skip
    if "minutes" in stages:
        ctx.gguf = embedded_gguf()
    results: list[RunResult] = []
    for stage in stages:
        for i in range(runs if isinstance(runs, int) else runs[stage]):
            t0 = time.monotonic()
            try:
                result = RUNNERS[stage](ctx, i)
            except Exception as exc:  # a broken run is reported, the loop goes on
                result = RunResult(stage, i, notes={"error": f"{type(exc).__name__}: {exc}"})
            results.append(result)
            bad = (result.corrupt or result.lost or result.resumed is False
                   or not result.app_ok or "error" in result.notes)  # fmt: skip
            detail = "  <-- " + json.dumps(asdict(result))[:1500] if bad else ""
            log(
                f"{stage} #{i}: kill at {result.killed_at} s in {result.landed}, "
                f"corrupt {len(result.corrupt)}, lost {len(result.lost)}, "
                f"resumed {result.resumed}, same {result.same_as_uninterrupted}, "
                f"app {result.app_ok} ({time.monotonic() - t0:.1f} s){detail}"
            )
    return results, ctx


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--runs", default="5", help="kills per stage: N, or stage=N,... (e.g. asr=15)")
    p.add_argument("--stages", default=",".join(STAGES))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--audio", type=Path, default=None, help="input of the transcribe stages")
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--window", type=float, default=4.0, help="ASR window seconds (app: 240)")
    p.add_argument("--work", type=Path, default=None, help="keep run folders here")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = p.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in RUNNERS]
    if unknown:
        p.error(f"unknown stage(s) {unknown}; choose from {', '.join(STAGES)}")
    runs: int | dict[str, int]
    if "=" in args.runs:
        pairs = dict(x.split("=") for x in args.runs.split(","))
        runs = {s: int(pairs.get(s, 0)) for s in stages}
    else:
        runs = int(args.runs)
    work = args.work or Path(tempfile.mkdtemp(prefix="kill-loop-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"work folder {work}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    t0 = time.monotonic()
    results, ctx = run_loop(stages, runs, args.seed, work, audio=args.audio,
                            model=args.model, window=args.window,
                            log=lambda s: print(s, flush=True))  # fmt: skip
    rows = summarise_runs(results)
    table = format_table(rows)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"kill_loop-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({
        "command": " ".join(sys.argv), "seed": args.seed, "runs": args.runs,
        "audio": str(ctx.audio), "model": args.model, "window": args.window,
        "wall_seconds": round(time.monotonic() - t0, 1), "load_average": os.getloadavg(),
        "summary": rows, "results": [asdict(r) for r in results],
    }, indent=2, default=str), encoding="utf-8")  # fmt: skip
    print(f"results: {out}")
    failed = any(r["corrupt_files"] or r["lost_data"] for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
