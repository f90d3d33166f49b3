"""Two-track recording: drift correction over an hour, and what the second stream costs.

    python -m bench.two_track [--minutes 60] [--cpu-seconds 60]

(a) **Drift, accelerated.** An hour of two tracks is simulated block by block:
the microphone's card runs 80 ppm fast and the system output 30 ppm slow
against the computer's clock (typical crystals: up to 100 ppm), every block
arrives 0-10 ms late and one in fifty up to 150 ms late (a busy machine), and
both tracks hold a click every 10 s at the same true moments. The blocks'
arrival times feed the recorder's own clock log (minutes.capture_clock), the
anchors go through the same files and code as a real recording
(clock.jsonl, minutes.capture_mix), and the clicks are found again in the mix:
how far apart the two tracks' clicks are, with the correction and without it
(nominal rates, aligned at the start).

(b) **CPU of the second stream.** A private PulseAudio server with two null
outputs plays speech into both; the project's recorder records one monitor,
then both (a child process each time, parec included), for the same time; the
CPU seconds of the whole process tree, per second of recording.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SR = 16_000
BLOCK = 1600  # 0.1 s at 16 kHz, as the recorder's blocks


def simulate_track(
    folder: Path, name: str, seconds: float, ppm: float, clicks: np.ndarray, seed: int
) -> list[str]:
    """Write the track as the card would deliver it; return its clock.jsonl lines."""
    from minutes.capture_clock import ClockLog

    rng = np.random.default_rng(seed)
    rate = SR * (1 + ppm * 1e-6)  # true samples per second of the computer's clock
    total = int(seconds * rate)
    x = np.zeros(total, np.int16)
    x[(clicks * rate).round().astype(int)] = 16000
    import soundfile

    soundfile.write(folder / f"{name}.wav", x, SR, subtype="PCM_16")
    log = ClockLog(SR)
    start = 0.25  # the stream opened a moment after the recording began
    late = rng.uniform(0, 0.010, total // BLOCK + 1)
    stall = rng.random(len(late)) < 0.02
    late[stall] += rng.uniform(0, 0.150, stall.sum())
    for k, frames in enumerate(range(BLOCK, total + 1, BLOCK)):
        log.add(start + frames / rate + late[k], frames)
    log.close_window()
    return [json.dumps({"track": name, "frames": a.frames, "offset": a.offset})
            for a in log.anchors]  # fmt: skip


def drift_error(minutes: float, correct: bool) -> tuple[float, float, dict[str, float]]:
    """(largest and final click distance between the tracks in the mix, in ms; fitted drifts)."""
    from minutes.audio import load_audio
    from minutes.capture_mix import TrackClock, mix_tracks, track_clocks

    seconds = minutes * 60
    clicks = np.arange(10.0, seconds - 2, 10.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = simulate_track(folder, "mic", seconds, 80, clicks, 1)
        lines += simulate_track(folder, "system", seconds, -30, clicks, 2)
        (folder / "clock.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifest = {"clock": "clock.jsonl", "tracks": [
            {"name": n, "file": f"{n}.wav", "device_rate": SR} for n in ("mic", "system")]}
        clocks = track_clocks(folder, manifest)
        if not correct:  # nominal rates, each track placed by its lag alone
            clocks = [TrackClock(c.name, c.path, c.samples, c.lag, 0.0) for c in clocks]
        drifts = {c.name: c.drift_ms_per_hour for c in clocks}
        mix_tracks(clocks, folder / "audio.wav")
        mixed = load_audio(folder / "audio.wav")
    # Each click of each track lands in the mix; pair them up in order.
    peaks = np.flatnonzero(mixed > 0.1)
    groups = np.split(peaks, np.flatnonzero(np.diff(peaks) > SR) + 1)
    gaps = [1000 * (g.max() - g.min()) / SR for g in groups if len(g)]
    return max(gaps), gaps[-1], drifts


def cpu_per_second(tracks: int, seconds: float, speech: Path) -> float:
    """CPU seconds per second of recording: a recorder child (and its parec) recording
    `tracks` monitors of a private PulseAudio server while speech plays."""
    from tests.pulse_server import PulseServer

    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "pulse"
        run.mkdir()
        server = PulseServer(run)
        try:
            server.add_sink("mic")
            env = {**os.environ, **server.env}
            loop = ["sh", "-c", f"while true; do paplay --device=$0 '{speech}'; done"]
            players = [subprocess.Popen([*loop, sink], env=env) for sink in ("meeting", "mic")]
            child = CHILD.format(tracks=tracks, seconds=seconds, folder=str(Path(tmp) / "rec"))
            done = subprocess.run([sys.executable, "-c", child], env=env, check=True,
                                  capture_output=True, text=True)  # fmt: skip
            for p in players:
                p.kill()
                p.wait()
        finally:
            server.close()
    return float(done.stdout.split()[-1]) / seconds


CHILD = """
import time
from pathlib import Path
from minutes.capture_system import PulseMonitors
from minutes.capture_tracks import TwoTrackRecorder
folder = Path({folder!r}); folder.mkdir()
names = ["meeting.monitor", "mic.monitor"][:{tracks}]
sources = dict(zip(["system", "mic"], [(PulseMonitors(), n) for n in names]))
import resource
def used():  # this process and its reaped children (parec, once stopped)
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
r = TwoTrackRecorder(folder, sources)
before = used()  # imports are not the stream's cost
r.start()
end = time.monotonic() + {seconds}
while time.monotonic() < end:
    r.poll()
    time.sleep(0.2)
r.stop()
print(used() - before)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0, help="simulated recording")
    parser.add_argument("--cpu-seconds", type=float, default=60.0, help="0 skips (b)")
    args = parser.parse_args()
    print("| drift correction | largest distance between the tracks' clicks | at the end "
          "| fitted drift, mic / system (ms per hour) |")
    print("|---|---:|---:|---|")
    for correct in (False, True):
        worst, last, drifts = drift_error(args.minutes, correct)
        fitted = " / ".join(f"{drifts[n]:+.1f}" for n in ("mic", "system"))
        print(f"| {'on' if correct else 'off'} | {worst:.1f} ms | {last:.1f} ms | {fitted} |",
              flush=True)
    if args.cpu_seconds:
        from tests.conftest import SAMPLE

        one = cpu_per_second(1, args.cpu_seconds, SAMPLE)
        two = cpu_per_second(2, args.cpu_seconds, SAMPLE)
        print("\n| tracks | CPU (share of one core) |\n|---|---:|")
        print(f"| 1 (system audio) | {100 * one:.2f} % |")
        print(f"| 2 (system audio + second source) | {100 * two:.2f} % |")
        print(f"| the second stream | {100 * (two - one):.2f} % |")


if __name__ == "__main__":
    main()
