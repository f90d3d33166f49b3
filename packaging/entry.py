"""Entry point of the PyInstaller bundle: one program, two executables.

The bundle holds `minutes` (the command line) and `minutes-app` (the desktop app),
both built from this script and sharing one `_internal/` folder; the executable's
own name picks which one runs (a /usr/bin symlink keeps the target's name, since
PyInstaller resolves /proc/self/exe). `MINUTES_BUNDLE_GUI=1` forces the app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _wants_gui() -> bool:
    if os.environ.get("MINUTES_BUNDLE_GUI") == "1":
        return True
    return Path(sys.executable).stem.lower().startswith("minutes-app")


def main() -> int:
    if _wants_gui():
        from ui.app import main as gui_main

        return gui_main()
    from minutes.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
