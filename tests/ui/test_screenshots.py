"""A screenshot of every view, in English and Korean (Hangul must render).

Saved into the test's temp folder; with MINUTES_UPDATE_SCREENSHOTS=1 also into
docs/screenshots/ for the README.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QApplication

from minutes.live import LiveSegment
from tests.fake_sounddevice import FakeSoundDevice
from tests.ui.helpers import GLOSSARY, make_session

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWS = ("library", "record", "review", "glossary")


def _shoot(window: Any, folder: Path, suffix: str) -> list[Path]:
    out = []
    for i, name in enumerate(VIEWS):
        window.nav.setCurrentRow(i)
        QApplication.processEvents()
        path = folder / f"{name}{suffix}.png"
        image = window.grab().toImage().scaledToWidth(900, mode=_smooth())
        assert image.save(str(path), "PNG")
        out.append(path)
    return out


def _smooth() -> Any:
    from PySide6.QtCore import Qt

    return Qt.TransformationMode.SmoothTransformation


def _populate(window: Any, qtbot: Any) -> None:
    root = window.engine.sessions_root
    make_session(root, "Weekly sync")
    session = make_session(root, "주간 회의 — 인프라")
    session.meta.speaker_names = {"SPEAKER_0": "김민수"}  # named in the Speakers panel
    session.save_meta()
    glossary = GLOSSARY.add_term("Jira", variants=["지라"], category="tools")
    window.engine.glossary_store.save(glossary)
    window.glossary.reload()
    window.library.reload()
    window.open_review(session)
    window.review.table.selectRow(0)
    window.review.next_change()
    window.recorder.levelChanged.emit(0.3)
    window.recorder.elapsedChanged.emit(754.0)
    lines = (
        (0.0, "쿠버네티스 클러스터 상태부터 볼게요"),
        (4.1, "Kubernetes 1.30 업그레이드는 다음 주에 합니다"),
    )
    for t, text in lines:
        window.record.add_live(LiveSegment(t, t + 3, text, text, (), 0.0))
    window.resize(1100, 640)
    qtbot.wait(50)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_screenshots_of_every_view(
    language: str, qtbot: Any, engine: Any, answers: dict, tmp_path: Path, qapp: Any
) -> None:
    from ui import i18n
    from ui.main_window import MainWindow

    assert i18n.install(qapp, language) == language
    window = MainWindow(engine, sd=FakeSoundDevice(np.zeros(160, dtype=np.int16)))
    qtbot.addWidget(window)
    window.show()
    _populate(window, qtbot)
    if language == "ko":
        assert window.nav.item(0).text() == "회의 목록"
        assert QFontMetrics(window.font()).inFontUcs4(ord("회"))  # a font with Hangul glyphs
    paths = _shoot(window, tmp_path, "" if language == "en" else "-ko")
    for path in paths:
        image = QImage(str(path))
        assert image.width() == 900 and not image.isNull()
    if os.environ.get("MINUTES_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        for path in paths:
            (DOCS / path.name).write_bytes(path.read_bytes())
    i18n.install(qapp, "en")
