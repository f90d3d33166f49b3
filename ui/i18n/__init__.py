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
    ours = QTranslator(app)
    if ours.load(str(FOLDER / f"minutes_{language}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        logger.warning("no %s translation found in %s", language, FOLDER)
    qt = QTranslator(app)  # Qt's own dialogs (Yes/No, Cancel)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return language
