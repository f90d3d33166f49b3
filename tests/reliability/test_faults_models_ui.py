"""A damaged speech model in the app: a clear message, no crash, the app stays usable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytestqt", reason="UI tests need pytest-qt and PySide6")

from tests.reliability import test_faults_models as models
from tests.reliability.test_faults_models import whisper_copy
from tests.ui import conftest as ui

_app_setup, answers, engine, window = ui._app_setup, ui.answers, ui.engine, ui.window
tiny_en = models.tiny_en


def test_truncated_speech_model_is_reported_in_the_app(
    window: Any, qtbot: Any, tiny_en: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    folder = whisper_copy(tiny_en, tmp_path / "tiny", 10_000_000)
    window.engine.config.model = str(folder)
    job = window.preload_model()
    qtbot.waitUntil(lambda: bool(answers["errors"]), timeout=30_000)
    message = answers["errors"][-1]
    assert "Cannot load the Whisper model" in message and "minutes models --verify" in message
    assert job.error == message
    assert window.isVisible() and window.record.record.isEnabled()  # still usable
