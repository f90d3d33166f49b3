"""A wheel install (not editable) finds its prompts, templates, speaker model and translations.

The resources live outside the Python packages; a wheel installs them as data
files under <prefix>/share/minutes. Built and installed into a bare venv here,
then used from outside the source tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECK = r"""
import sys, sysconfig
from pathlib import Path
import minutes
assert Path(minutes.__file__).is_relative_to(sys.prefix), minutes.__file__
from minutes.resources import resources_dir
from minutes.llm.prompts import chat_template, load_prompt
from minutes.llm.templates import list_templates, load_template
root = resources_dir()
assert root == Path(sys.prefix) / "share" / "minutes", root
assert load_prompt("minutes_notes").schema, "no schema"
assert load_prompt("minutes_actions").id.startswith("minutes_actions/")
assert load_prompt("repair").id == "repair/v1"
chat_template("chatml")
assert {"general", "weekly_status", "client_meeting", "one_on_one"} <= set(list_templates())
assert load_template("weekly_status").instructions
assert (root / "models" / "resemblyzer_voice_encoder.onnx").stat().st_size > 1_000_000
assert (root / "glossary" / "example_glossary.csv").is_file()
assert (Path(sysconfig.get_paths()["purelib"]) / "ui" / "i18n" / "minutes_ko.qm").is_file()
print("ok")
"""


@pytest.mark.slow
def test_wheel_install_finds_its_resources(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "*.egg-info", "out", ".*_cache", "__pycache__", "bench"
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(wheels)],
        check=True, cwd=tmp_path,
    )  # fmt: skip
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", *map(str, wheels.glob("minutes-*.whl"))],
        check=True, cwd=tmp_path,
    )  # fmt: skip
    shutil.rmtree(source)  # nothing may be read from a source tree
    # The dependencies (platformdirs, ...) come from the test's environment, after
    # the wheel's own site-packages (a plain path in a .pth: no editable finder).
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [str(python), "-I", "-c", CHECK], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
