"""UI tests: pytest-qt, offscreen, real widgets; Qt errors fail the test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

try:  # Without Qt (or its system libraries) the UI tests are not collected; the header says why.
    import pytestqt  # noqa: F401
    from PySide6 import QtWidgets  # noqa: F401
except ImportError as exc:
    collect_ignore_glob = ["test_*.py"]
    _MISSING: str | None = f"UI tests skipped: {exc} (pip install -e '.[gui,test]'; "
    _MISSING += "apt: libegl1 libxkbcommon-x11-0 libxcb-cursor0 fonts-noto-cjk)"
else:
    _MISSING = None

SPEECH = Path(
    os.environ.get(
        "MINUTES_SPEECH_DATA", Path(__file__).resolve().parents[3] / "shared" / "data" / "speech"
    )
)
JFK = SPEECH / "faster_whisper_tests" / "jfk.wav"
KOREAN = SPEECH / "pansori_tedxkr" / "67CV7Z2s7KeE-a7zuPg5if14"
KOREAN = KOREAN / "67CV7Z2s7KeE-a7zuPg5if14-0002.flac"


def pytest_report_header(config: pytest.Config) -> str | None:
    return _MISSING


def pytest_configure(config: pytest.Config) -> None:
    # Same as `qt_default_raising = true` / `qt_api = pyside6` in the ini file.
    for name, value in (("qt_default_raising", True), ("qt_api", "pyside6")):
        if not config.getini(name):
            config._inicache[name] = value  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["minutes-tests"]


@pytest.fixture(autouse=True)
def _app_setup(qapp: Any, tmp_path: Path) -> Iterator[None]:
    from PySide6.QtCore import QSettings

    from ui import i18n
    from ui.app import configure_app

    configure_app(qapp)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    i18n.install(qapp, "en")
    yield


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Dialogs answered without a modal loop: `ask` says yes; errors are collected."""
    from ui import dialogs

    state: dict[str, Any] = {"ask": True, "asked": [], "errors": []}

    def ask(parent: Any, title: str, text: str) -> bool:
        state["asked"].append(text)
        return bool(state["ask"])

    monkeypatch.setattr(dialogs, "ask", ask)
    monkeypatch.setattr(dialogs, "error", lambda p, t, text: state["errors"].append(text))
    monkeypatch.setattr(dialogs, "info", lambda p, t, text: None)
    return state


def speech(path: Path) -> np.ndarray:
    if not path.is_file():
        pytest.skip(f"speech file not found: {path} (set MINUTES_SPEECH_DATA)")
    from minutes.audio import load_audio

    return (load_audio(path) * 32768).round().clip(-32768, 32767).astype(np.int16)


@pytest.fixture
def engine(isolated_data_dir: Path) -> Any:
    from minutes.config import Config
    from ui.workers import Engine

    # Guided re-decoding needs the Whisper model; the UI tests use the text matcher
    # (tests/integration/test_glossary_real.py runs guided decoding on real speech).
    # The minutes' notes during a recording load the language model and write the minutes
    # after it: off, except in the test of that (tests/ui/test_record.py), which turns it on.
    return Engine(Config(guided_decoding=False, extra={"notes_while_recording": False}))


@pytest.fixture
def window(qtbot: Any, engine: Any, answers: dict[str, Any]) -> Iterator[Any]:
    from tests.fake_sounddevice import FakeSoundDevice
    from ui.main_window import MainWindow

    win = MainWindow(engine, sd=FakeSoundDevice(np.zeros(16000, dtype=np.int16)))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    yield win
    win.runner.cancel_all()
    win.runner.wait(20_000)
