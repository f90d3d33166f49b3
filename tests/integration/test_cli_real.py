"""`minutes transcribe` as a user runs it: a real process, real model, real files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import Clip, concat_clips, pansori_clips, wer
from tests.conftest import JFK_REFERENCE, SAMPLE

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _env(base_model_dir: Path) -> dict[str, str]:
    # Share the data folder with the assembled model, so the run does not rebuild it.
    return dict(
        os.environ, MINUTES_DATA_DIR=str(base_model_dir.parent.parent), PYTHONUNBUFFERED="1"
    )


def _clips_lasting(clips: list[Clip], seconds: float, gap: float) -> list[Clip]:
    """The first clips that together (with gaps) last at least `seconds`."""
    chosen: list[Clip] = []
    total = 0.0
    for clip in clips:
        if total >= seconds:
            break
        chosen.append(clip)
        total += clip.duration + gap
    if total < seconds:
        pytest.skip(f"the Pansori clips last only {total:.0f} s; this test needs {seconds:.0f} s")
    return chosen


def test_transcribe_jfk_to_every_format(base_model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "minutes.cli",
            "transcribe",
            str(SAMPLE),
            "--out",
            str(out),
            "--formats",
            "txt,md,srt,vtt,json,docx",
            "--no-user-glossary",
        ],
        env=_env(base_model_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"jfk.{e}" for e in ("txt", "md", "srt", "vtt", "json", "docx")
    )
    data = json.loads((out / "jfk.json").read_text(encoding="utf-8"))
    assert data["language"] == "en" and data["duration"] == pytest.approx(11.0, abs=0.1)
    text = " ".join(s["text"] for s in data["segments"])
    assert wer(JFK_REFERENCE, text) <= 0.15, text  # a bound: int8 output differs between CPUs
    from docx import Document as Docx

    body = "\n".join(p.text for p in Docx(str(out / "jfk.docx")).paragraphs).lower()
    assert all(s["text"].lower() in body for s in data["segments"])  # the DOCX holds the text
    assert "%" in res.stderr  # a progress bar was drawn


def test_ctrl_c_cancels_cleanly_and_the_rerun_resumes(
    base_model_dir: Path, speech_dir: Path, tmp_path: Path
) -> None:
    # Three 240-second ASR windows. The batched decoder hands over a window's
    # segments all at once, so the first progress step means window 1 is done;
    # the Ctrl-C then lands while window 2 decodes, and window 3 is never begun.
    clips = _clips_lasting([c for c in pansori_clips() if c.duration >= 4.0], 560.0, gap=1.0)
    audio, _ = concat_clips(clips, tmp_path / "long_meeting.wav", gap=1.0)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "minutes.cli",
        "transcribe",
        str(audio),
        "--language",
        "ko",
        "--out",
        str(out),
        "--no-user-glossary",
    ]
    env = _env(base_model_dir)
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    buffer = ""
    deadline = time.time() + 120
    while time.time() < deadline:  # wait until transcription is under way
        buffer += proc.stderr.read(1)
        if "%|" in buffer and " 0%|" not in buffer[-60:]:
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, buffer + rest
    assert "Cancelled" in rest and "Traceback" not in rest
    assert not (out / "long_meeting.json").exists()

    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data = json.loads((out / "long_meeting.json").read_text(encoding="utf-8"))
    assert data["segments"] and data["language"] == "ko"
