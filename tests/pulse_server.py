"""A private PulseAudio server for tests: its own socket, no D-Bus, no real devices, one
null output "meeting" as the default; `paplay` plays real files into it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TOOLS = ("pulseaudio", "pactl", "parec", "paplay")


class PulseServer:
    """A private PulseAudio server (own socket, no D-Bus, no real devices) with one null
    output "meeting" as the default."""

    def __init__(self, folder: Path) -> None:
        self.socket = folder / "native"
        env = {**os.environ, "XDG_RUNTIME_DIR": str(folder), "HOME": str(folder),
               "PULSE_RUNTIME_PATH": str(folder / "pulse")}  # fmt: skip
        self.process = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no",
             f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
             "--load=module-null-sink sink_name=meeting"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.env = {"PULSE_SERVER": f"unix:{self.socket}"}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.run("pactl", "info").returncode == 0:
                self.run("pactl", "set-default-sink", "meeting")
                return
            time.sleep(0.2)
        self.close()
        pytest.skip("PulseAudio did not start here")

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, env={**os.environ, **self.env}, capture_output=True,
                              text=True, timeout=30)  # fmt: skip

    def play(self, path: Path, device: str = "meeting") -> subprocess.Popen[bytes]:
        return subprocess.Popen(["paplay", f"--device={device}", str(path)],
                                env={**os.environ, **self.env})  # fmt: skip

    def add_sink(self, name: str, *, combine: tuple[str, ...] = ()) -> None:
        """Another null output, or one that plays into each of `combine` at once."""
        module = ["module-combine-sink", f"slaves={','.join(combine)}"] if combine else [
            "module-null-sink"]
        done = self.run("pactl", "load-module", module[0], f"sink_name={name}", *module[1:])
        assert done.returncode == 0, done.stderr

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def pulse_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    """The body of a fixture: a server for one test, found through PULSE_SERVER."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt install pulseaudio pulseaudio-utils; "
                    "`make test` installs them)")  # fmt: skip
    folder = tmp_path / "pulse-run"
    folder.mkdir()
    server = PulseServer(folder)
    for key, value in server.env.items():
        monkeypatch.setenv(key, value)
    yield server
    server.close()
