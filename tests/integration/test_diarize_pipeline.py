"""Diarization through the user's path: `minutes transcribe --diarize`, names, voices."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.diarization_der import build_korean_dialogues

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _minutes(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(
        [sys.executable, "-m", "minutes.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    return res


def test_diarized_korean_dialogue_with_names_and_voice_profiles(
    base_model_dir: Path, speech_dir: Path, tmp_path: Path
) -> None:
    first, second = build_korean_dialogues(tmp_path)[:2]
    # A fresh data folder (no saved voices) that reuses the assembled model.
    env = dict(os.environ, MINUTES_DATA_DIR=str(tmp_path / "data"))
    (tmp_path / "data" / "models").mkdir(parents=True)
    os.symlink(base_model_dir, tmp_path / "data" / "models" / base_model_dir.name)
    out = tmp_path / "out"

    _minutes(
        env,
        "transcribe",
        str(first.wav),
        "--language",
        "ko",
        "--diarize",
        "--out",
        str(out),
        "--formats",
        "vtt,json",
        "--no-user-glossary",
    )
    data = json.loads((out / f"{first.wav.stem}.json").read_text(encoding="utf-8"))
    speakers = {s["speaker"] for s in data["segments"]}
    assert speakers == {"SPEAKER_1", "SPEAKER_2"}
    # Turns alternate in these dialogues: most neighbouring segments change speaker.
    changes = sum(
        a["speaker"] != b["speaker"] for a, b in itertools.pairwise(data["segments"])
    )
    assert changes >= 0.5 * (len(data["segments"]) - 1)
    assert "<v SPEAKER_1>" in (out / f"{first.wav.stem}.vtt").read_text(encoding="utf-8")

    # Which label is speaker "a" (the 20-year-old)? Ask the reference of the first turn.
    first_turn = first.reference[0]
    seg = min(data["segments"], key=lambda s: abs(s["start"] - first_turn.start))
    label_a = (
        seg["speaker"]
        if first_turn.speaker == "a"
        else ({"SPEAKER_1", "SPEAKER_2"} - {seg["speaker"]}).pop()
    )
    _minutes(env, "speakers", "name", str(first.wav), label_a, "민지", "--remember")
    assert "민지" in _minutes(env, "speakers", "voices").stdout
    listing = _minutes(env, "speakers", "list", str(first.wav)).stdout
    assert "민지" in listing

    # A later meeting with the same voices: the known one is named, the other stays numbered.
    _minutes(
        env,
        "transcribe",
        str(second.wav),
        "--language",
        "ko",
        "--diarize",
        "--out",
        str(out),
        "--formats",
        "json,txt",
        "--no-user-glossary",
    )
    later = json.loads((out / f"{second.wav.stem}.json").read_text(encoding="utf-8"))
    assert list(later["speakers"].values()) == ["민지"]
    assert "민지" in (out / f"{second.wav.stem}.txt").read_text(encoding="utf-8")

    _minutes(env, "speakers", "forget", "민지")
    assert "민지" not in _minutes(env, "speakers", "voices").stdout
