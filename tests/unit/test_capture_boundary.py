"""The core stays free of Qt: importing capture/live never pulls in PySide6."""

from __future__ import annotations

import subprocess
import sys


def test_core_capture_and_live_do_not_import_qt() -> None:
    code = (
        "import sys, minutes.capture, minutes.capture_disk, minutes.live, minutes.pipeline\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'sounddevice'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
