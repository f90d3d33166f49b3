"""Soak: record an N-hour meeting through a real ALSA capture device, faster than real time.

The device is ALSA's `file` plugin (`infile` = a named pipe, slave `null`), declared in
a temporary ALSA config (ALSA_CONFIG_PATH): PortAudio/sounddevice see an ordinary
capture device "soakin". A feeder process writes the synthetic meeting (jfk.flac every
minute, low noise between; see soak_common) into the pipe at `--speed` times real
time; the pipe paces the device (the `null` slave alone does not: with a plain file it
delivers some 7,000x real time, then silence after the end).

The recorder runs in a child process whose RSS (children included) is sampled every
second:
- headless (default): `minutes.capture.Recorder` + `minutes.live.LiveTranscriber`
  (tiny.en, live options) on a worker thread, as the app does;
- `--gui`: the app's RecordingController + Record view (offscreen Qt), with a 50 ms
  timer measuring event-loop gaps while recording.

Checks: the WAV holds exactly the fed samples (compared byte for byte), live text keeps
up or skips ahead (never an unbounded backlog), and how long the live pass still runs
after Stop.

    .venv/bin/python scripts/reliability/soak_record.py --hours 8 --speed 100
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/reliability/soak_record.py \\
        --hours 0.5 --speed 30 --gui
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import contextlib

from soak_common import (
    SR,
    RssSampler,
    load_average,
    run_with_progress,
    write_meeting_raw,
)

ASOUND = """
pcm.soakfile {{ type file; slave.pcm "null"; file "/dev/null"; infile "{fifo}"; format "raw" }}
pcm.soakin {{ type plug; slave {{ pcm "soakfile"; format S16_LE; rate 16000; channels 1 }} }}
"""


# -- feeder: the pipe behind the ALSA device ---------------------------------------------
def feed(raw: Path, fifo: Path, speed: float, block: int = 3200) -> None:
    """Write `raw` into `fifo` at `speed` x real time. Device probing opens and closes the
    pipe; when a reader leaves early, start again from the beginning for the next one."""
    size = raw.stat().st_size
    while True:
        out = open(fifo, "wb", buffering=0)  # noqa: SIM115 - reopened on BrokenPipe
        t0, pos = time.monotonic(), 0
        try:
            with raw.open("rb") as src:
                while pos < size:
                    data = src.read(block * 2)
                    out.write(data)
                    pos += len(data)
                    wait = t0 + pos / 2 / SR / speed - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
            out.close()
            return
        except BrokenPipeError:
            with contextlib.suppress(BrokenPipeError):
                out.close()


# -- child: the recorder ---------------------------------------------------------------
def child(args: argparse.Namespace) -> int:
    import sounddevice as sd

    from minutes.capture import Recorder, finish_session, start_session
    from minutes.config import Config

    total = int(args.hours * 3600 * SR)
    if not any(d["name"] == "soakin" for d in sd.query_devices()):
        print("error: ALSA device 'soakin' not visible to PortAudio", file=sys.stderr)
        return 3
    if args.gui:
        return _child_gui(args, total)
    from minutes.live import LiveTranscriber, WavTail, live_asr_options, whisper_transcribe
    from minutes.pipeline import Pipeline

    session = start_session(Config.load().sessions_root(), "soak")
    rec = Recorder(session.folder, device="soakin", max_seconds=args.hours * 3600)
    transcriber = Pipeline().transcriber(args.model)
    _ = transcriber.multilingual  # load before recording, as the app does
    emitted: list[float] = []
    live = LiveTranscriber(
        WavTail(rec.path, lambda: rec.samples_written),
        whisper_transcribe(transcriber, live_asr_options("en")),
        lambda seg: emitted.append(seg.end),
    )
    rec.start()
    t0 = time.monotonic()
    worker = threading.Thread(target=live.run, args=(lambda: rec.state == "stopped",))
    worker.start()
    max_queue = max_behind = 0.0
    while not rec.finished_by_itself:
        time.sleep(0.5)
        if rec.writer is not None:
            max_queue = max(max_queue, rec.writer._queue.qsize() * rec.block_seconds)
        max_behind = max(max_behind, live.behind_seconds)
        print(f"progress {rec.samples_written / total:.4f}", file=sys.stderr, flush=True)
    recorded_s = time.monotonic() - t0
    rec.stop()
    stopped = time.monotonic()
    worker.join()
    finish_session(session)
    result = {
        "error": rec.error, "samples_written": rec.samples_written, "samples_expected": total,
        "wav_equals_fed": _same_audio(rec.path, Path(args.raw)),
        "record_wall_s": round(recorded_s, 1), "live_segments": live.segments_emitted,
        "live_last_end_s": round(max(emitted, default=0.0), 1),
        "live_skipped_s": round(live.skipped_seconds), "live_max_behind_s": round(max_behind),
        "live_after_stop_s": round(time.monotonic() - stopped, 1),
        "writer_queue_max_s_of_audio": round(max_queue, 1),
    }  # fmt: skip
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def _child_gui(args: argparse.Namespace, total: int) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from scripts.reliability.soak_review import LoopWatch, drain
    from ui.app import configure_app
    from ui.recording import RecordingController
    from ui.views.record_view import RecordView
    from ui.workers import Engine, JobRunner

    app = QApplication(["soak-record"])
    configure_app(app)
    engine = Engine()
    engine.config.model, engine.config.language = args.model, "en"
    runner = JobRunner()
    controller = RecordingController(engine, runner)
    view = RecordView(controller)
    view.resize(1000, 700)
    view.show()
    drain(app, 200)
    controller.max_seconds = args.hours * 3600
    watch = LoopWatch()
    watch.start()
    started = time.monotonic()
    if not controller.start("soakin", "soak"):
        print("error: recording did not start", file=sys.stderr)
        return 3
    rec = controller.recorder
    assert rec is not None
    path = rec.path
    while controller.state != "idle":
        drain(app, 500)
        print(f"progress {rec.samples_written / total:.4f}", file=sys.stderr, flush=True)
    drain(app, 300)
    loop = watch.stop()
    loop["worst_gap_at_s_after_start"] = round(watch.worst_at - started, 1)
    loop["recording_s"] = round(time.monotonic() - started, 1)
    stopped = time.monotonic()
    while runner.jobs:
        drain(app, 200)
    result = {
        "samples_written": rec.samples_written, "samples_expected": total,
        "wav_equals_fed": _same_audio(path, Path(args.raw)),
        "event_loop_during_recording": loop,
        "live_lines_shown": view.live.blockCount(),
        "live_after_stop_s": round(time.monotonic() - stopped, 1),
    }  # fmt: skip
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def _same_audio(wav: Path, raw: Path, chunk: int = 1 << 24) -> bool:
    """The WAV's data section equals the fed raw samples, byte for byte."""
    if wav.stat().st_size - 44 != raw.stat().st_size:
        return False
    with wav.open("rb") as a, raw.open("rb") as b:
        a.seek(44)
        while True:
            x, y = a.read(chunk), b.read(chunk)
            if x != y:
                return False
            if not x:
                return True


# -- parent ---------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=8.0)
    ap.add_argument("--speed", type=float, default=100.0, help="x real time")
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--gui", action="store_true")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--feeder", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--raw", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--fifo", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.feeder:
        feed(Path(args.raw), Path(args.fifo), args.speed)
        return 0
    if args.child:
        return child(args)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="minutes-soak-record-"))
    work.mkdir(parents=True, exist_ok=True)
    raw, fifo, conf = work / "meeting.raw", work / "feed.fifo", work / "asound.conf"
    if not raw.exists() or raw.stat().st_size != int(args.hours * 3600 * SR) * 2:
        write_meeting_raw(raw, args.hours)
    if not fifo.exists():
        os.mkfifo(fifo)
    conf.write_text(ASOUND.format(fifo=fifo))
    env = dict(os.environ, ALSA_CONFIG_PATH=f"/usr/share/alsa/alsa.conf:{conf}",
               MINUTES_DATA_DIR=str(work / "data"), QT_QPA_PLATFORM="offscreen")  # fmt: skip
    me = [sys.executable, str(Path(__file__).resolve())]
    common = ["--raw", str(raw), "--fifo", str(fifo), "--hours", str(args.hours),
              "--speed", str(args.speed), "--model", args.model]  # fmt: skip
    feeder = subprocess.Popen([*me, "--feeder", *common], env=env)
    print("load average before:", load_average(), flush=True)

    def parse(line: str) -> float | None:
        m = re.match(r"progress (\d+\.\d{4})", line)  # a read may end mid-line
        return float(m.group(1)) if m else None

    start = time.monotonic()
    cmd = [*me, "--child", *common, *(["--gui"] if args.gui else [])]
    proc, progress, tail = run_with_progress(cmd, env, parse)
    sampler = RssSampler(proc.pid, progress).start()
    stdout, _ = proc.communicate()
    sampler.stop()
    feeder.kill()
    feeder.wait()
    text = stdout.decode("utf-8", "replace")
    line = next((x for x in text.splitlines() if x.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        print(text, "\n".join(tail), file=sys.stderr)
        return 1
    result: dict[str, Any] = json.loads(line[len("RESULT ") :])
    result.update({
        "hours": args.hours, "speed": args.speed, "gui": args.gui,
        "wall_s": round(time.monotonic() - start), "peak_rss_mb": round(sampler.peak),
        "rss_at": {f"{m:.0%}": (round(h[1]) if (h := sampler.at_progress(m)) else None)
                   for m in (0.1, 0.5, 0.9)},
        "growth_mb_10_90": round(sampler.growth_mb_per_hour(), 1),
        "load_average_after": load_average(),
    })  # fmt: skip
    print(sampler.table())
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps({**result, "samples": sampler.samples}), "utf-8")
    return 0 if result["wav_equals_fed"] else 2


if __name__ == "__main__":
    raise SystemExit(main())
