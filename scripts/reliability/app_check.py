"""Does the app start on this data folder? Builds the real main window offscreen.

    QT_QPA_PLATFORM=offscreen MINUTES_DATA_DIR=DIR python scripts/reliability/app_check.py

Answers "yes" to the crash-recovery question (as a user would), opens every
listed session in Review and Minutes, and prints one JSON line: sessions
listed, segments and corrections shown per session, recovered recordings, and
every error the window showed. Exit status 0 when no error was shown.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def check() -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui import app as app_mod
    from ui import dialogs

    errors: list[str] = []
    dialogs.ask = lambda *_a: True  # type: ignore[assignment]  # "recover it?" -> yes
    dialogs.error = lambda _p, _t, text: errors.append(text)  # type: ignore[assignment]
    qapp = QApplication.instance() or QApplication(["minutes-kill-check"])
    assert isinstance(qapp, QApplication)
    app_mod.configure_app(qapp)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from ui.main_window import MainWindow

    window = app_mod.create_window()
    assert isinstance(window, MainWindow)
    finished: list[str] = []
    # Recovery hands the recording to the transcriber; the check only needs the hand-over.
    window._recording_finished = lambda s: finished.append(s.folder.name)  # type: ignore[method-assign]
    window.review.errorOccurred.connect(errors.append)
    window.minutes.errorOccurred.connect(errors.append)
    recovered = [s.folder.name for s in window.check_recovery()]
    entries = window.library.model.entries
    opened: dict[str, dict[str, Any]] = {}
    for entry in entries:
        session = entry.session
        window.review.open_session(session)
        shown = window.review.session is session
        transcript = window.review.model.transcript
        opened[session.folder.name] = {
            "opened": shown,
            "segments": len(transcript.segments) if transcript else 0,
            "corrections": len(window.review.model.corrections),
            "minutes": window.minutes.session is session,
        }
    window.close()
    window.runner.wait(5000)
    return {
        "listed": [e.session.folder.name for e in entries],
        "opened": opened,
        "recovered": recovered,
        "handed_to_transcriber": finished,
        "glossary_terms": window.glossary.model.rowCount(),
        "errors": errors,
    }


if __name__ == "__main__":
    result = check()
    print(json.dumps(result, ensure_ascii=False))
    sys.exit(1 if result["errors"] else 0)
