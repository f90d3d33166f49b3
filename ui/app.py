"""`minutes-app`: start the desktop app.

Logging is configured here (the entry point), never at import time.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from minutes import __version__
from minutes.config import Config
from ui import i18n

logger = logging.getLogger(__name__)
HANGUL_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo",
                "NanumGothic", "Source Han Sans KR")  # fmt: skip
_state: dict[str, object] = {}


def configure_app(app: QApplication) -> None:
    """Names for QSettings, and a UI font that has Hangul."""
    QCoreApplication.setOrganizationName("minutes")
    QCoreApplication.setApplicationName("minutes")
    QCoreApplication.setApplicationVersion(__version__)
    families = set(QFontDatabase.families())
    family = next((f for f in HANGUL_FONTS if f in families), None)
    if family:
        font = QFont(app.font())
        font.setFamilies([family, *font.families()])
        app.setFont(font)
    else:
        logger.warning("no Korean font found; install fonts-noto-cjk for Hangul")


def create_window(sd: object = None) -> object:
    from ui.main_window import MainWindow
    from ui.workers import Engine

    engine = Engine(Config.load())
    window = MainWindow(engine, sd=sd)
    _state["window"] = window
    return window


def switch_language(setting: object) -> None:
    """Apply a new UI language: reinstall translators and rebuild the window, which shows
    the same meeting, page and place again (`MainWindow.take_over`)."""
    app = QApplication.instance()
    old = _state.get("window")
    if not isinstance(app, QApplication) or old is None:
        return
    i18n.install(app, str(setting) if setting else None)
    from ui.main_window import MainWindow

    assert isinstance(old, MainWindow)
    _rebuild(old)


def _rebuild(old: object) -> None:
    """Replace the window by one in the installed language, once nothing would be lost."""
    from ui.main_window import MainWindow

    assert isinstance(old, MainWindow)
    if _state.get("window") is not old:
        return  # rebuilt already
    later = QCoreApplication.translate("app", "The new language is used from the next start.")
    if old.recorder.state != "idle":
        old.statusBar().showMessage(later, 15_000)
        return  # never interrupt a recording
    if not old.save_all():
        old.statusBar().showMessage(later, 15_000)
        return  # a failed save is retried by this window; a new one would not know it
    if old.busy():
        # A job's result (an LLM's proposals, a transcript to open) goes to this window:
        # rebuild when the jobs are done rather than lose it.
        if not _state.get("rebuild_waits"):
            _state["rebuild_waits"] = True
            old.runner.jobFinished.connect(lambda _job: _rebuild_when_idle(old))
        old.statusBar().showMessage(
            QCoreApplication.translate("app", "The new language is used when the running "
                                              "tasks finish."), 15_000)  # fmt: skip
        return
    _state.pop("rebuild_waits", None)
    window = MainWindow(old.engine, sd=old.recorder._sd)
    window.setGeometry(old.geometry())
    _state["window"] = window
    window.show()
    window.take_over(old)
    old.runner.wait(5000)
    old.hide()
    old.deleteLater()


def _rebuild_when_idle(old: object) -> None:
    from ui.main_window import MainWindow

    if isinstance(old, MainWindow) and not old.busy():
        _rebuild(old)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    app = QApplication(list(argv) if argv is not None else sys.argv)
    configure_app(app)
    i18n.install(app, Config.load().extra.get("ui_language"))
    from ui.main_window import MainWindow

    window = create_window()
    assert isinstance(window, MainWindow)
    window.show()
    QTimer.singleShot(0, window.check_recovery)
    QTimer.singleShot(0, window.preload_model)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
