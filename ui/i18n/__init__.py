"""UI translations: Qt .qm files compiled from the .ts sources here (pyside6-lrelease).

English is the source language. `minutes_ko.qm` is built by `python -m ui.i18n.build`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

logger = logging.getLogger(__name__)
FOLDER = Path(__file__).resolve().parent
LANGUAGES = ("en", "ko")
_installed: list[QTranslator] = []
_current: list[str] = ["en"]


class _MovedContexts(QTranslator):
    """Qt 6 moved the file dialog's item types ("Folder", "Drive") from the QFileDialog
    context to QAbstractFileIconProvider; Qt's Korean catalogue still has them under the
    old one, so the dialog's Type column said "Folder". Looks them up there."""

    def __init__(self, qt: QTranslator, parent: QCoreApplication) -> None:
        super().__init__(parent)
        self._qt = qt

    def isEmpty(self) -> bool:
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's "not here" (a null string); "" would blank every untranslated text.
        if context != "QAbstractFileIconProvider":
            return None
        return self._qt.translate("QFileDialog", source, None, n) or None


def current() -> str:
    """The UI language installed last ("en" or "ko")."""
    return _current[0]


def resolve_language(setting: str | None) -> str:
    """"system" (or nothing) follows the system locale; unknown languages fall back to English."""
    if setting in LANGUAGES:
        return str(setting)
    name = QLocale.system().name().split("_")[0]
    return name if name in LANGUAGES else "en"


def install(app: QCoreApplication, setting: str | None) -> str:
    """Install the translators for a UI language (replacing earlier ones); return it."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = resolve_language(setting)
    _current[0] = language
    if language == "en":
        return language
    # The order matters: the translator installed last is asked first.
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    qt_found = qt.load(f"qt_{language}", folder) or qt.load(f"qtbase_{language}", folder)
    if qt_found:
        moved = _MovedContexts(qt, app)  # asked last: only for what nobody else knows
        app.installTranslator(moved)
        _installed.append(moved)
    ours = QTranslator(app)
    if ours.load(str(FOLDER / f"minutes_{language}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        logger.warning("no %s translation found in %s", language, FOLDER)
    # Qt's own dialogs (Yes/No, Cancel, the file dialog). qt_ko.qm is Qt's catalogue of
    # qtbase_ko + qtmultimedia_ko; a Qt without it may still ship qtbase_ko. Installed
    # after ours, so it is asked first: the few file-dialog labels that Qt 6's Korean
    # catalogue lacks ("&Look in:", "Files of &type:") fall through to ours (build.py).
    if qt_found:
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        logger.warning("no Qt %s translation found in %s", language, folder)
    return language
