"""scripts/install-system-deps.sh decides what to install and how to say it.

The real proof is scripts/fresh_install_check.sh (fresh Debian roots); these
cases need a system without root, without sudo or with renamed packages, which
this machine is not, so dpkg-query, apt-cache, apt-get, id and sudo are stubs
that record what they were asked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install-system-deps.sh"
TOOLS = ("bash", "sed", "grep", "cat")


def _stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _system(
    tmp_path: Path, *, uid: int, sudo: bool, installed: set[str], offered: set[str]
) -> tuple[Path, Path]:
    """A PATH with only the stubs and the shell tools the script needs; the log file."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} is not installed")
        (bin_dir / tool).symlink_to(found)
    names = " ".join(sorted(installed))
    _stub(bin_dir, "dpkg-query", f'for n in {names}; do [ "$n" = "${{@: -1}}" ] && '
          'printf "install ok installed" && exit 0; done; exit 1')
    cands = " ".join(sorted(offered))
    _stub(bin_dir, "apt-cache", f'for n in {cands}; do [ "$n" = "$2" ] && '
          'printf "$2:\\n  Candidate: 1.0\\n" && exit 0; done; printf "  Candidate: (none)\\n"')
    _stub(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}')
    _stub(bin_dir, "id", f"echo {uid}")
    if sudo:
        _stub(bin_dir, "sudo", f'echo "sudo" >> {log}; "$@"')
    return bin_dir, log


def _run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [str(bin_dir / "bash"), str(SCRIPT), *args],
        env=env, capture_output=True, text=True, timeout=60,
    )


GUI_ALL = {
    "python3-venv", "python3-dev", "g++", "cmake", "libsndfile1", "libportaudio2",
    "fonts-noto-cjk", "libegl1", "libgl1", "libxkbcommon-x11-0", "libxcb-cursor0",
    "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
    "libxcb-shape0", "libxcb-xinerama0", "libdbus-1-3", "libpulse0", "libfontconfig1",
    "xvfb", "xauth", "pulseaudio-utils",
}


def test_nothing_to_do_when_everything_is_installed(tmp_path: Path) -> None:
    bin_dir, log = _system(
        tmp_path, uid=1000, sudo=False,
        installed=GUI_ALL | {"libasound2", "libglib2.0-0"}, offered=set(),
    )
    done = _run(bin_dir, "--gui")
    assert done.returncode == 0, done.stderr
    assert not log.exists()


def test_without_root_or_sudo_it_stops_with_the_command_to_run(tmp_path: Path) -> None:
    bin_dir, log = _system(
        tmp_path, uid=1000, sudo=False, installed={"python3-dev"},
        offered={"python3-venv", "g++", "libasound2t64", "libasound2"},
    )
    done = _run(bin_dir)
    assert done.returncode == 1
    assert "needs root" in done.stderr
    assert "apt-get install -y --no-install-recommends python3-venv g++" in done.stderr
    assert "python3-dev" not in done.stderr.split("su -c", 1)[1]  # installed already
    assert not log.exists()  # nothing was tried


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        ({"libasound2t64", "libglib2.0-0t64"}, ("libasound2t64", "libglib2.0-0t64")),  # Debian 13
        ({"libasound2", "libglib2.0-0"}, ("libasound2", "libglib2.0-0")),  # Debian 12
    ],
)
def test_renamed_libraries_are_installed_by_the_name_the_release_offers(
    tmp_path: Path, offered: set[str], expected: tuple[str, ...]
) -> None:
    bin_dir, log = _system(tmp_path, uid=0, sudo=False, installed=GUI_ALL, offered=offered)
    done = _run(bin_dir, "--gui")
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("apt-get update")
    install = calls[-1].split()
    assert install[:2] == ["apt-get", "install"]
    assert set(install) >= set(expected)
    assert not set(install) & ({"libasound2t64", "libasound2", "libglib2.0-0t64",
                                "libglib2.0-0"} - set(expected))


def test_a_user_with_sudo_installs_through_sudo(tmp_path: Path) -> None:
    bin_dir, log = _system(
        tmp_path, uid=1000, sudo=True, installed=set(), offered={"pulseaudio"},
    )
    done = _run(bin_dir, "--test")
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls.count("sudo") == 2  # update and install
    assert calls[-1].endswith("pulseaudio pulseaudio-utils")
