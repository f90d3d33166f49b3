"""LLM endpoint faults in the app: the Minutes view and Review keep the user's work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("pytestqt", reason="UI tests need pytest-qt and PySide6")
from PySide6.QtCore import Qt

from minutes.llm.settings import LlmSettings
from minutes.meeting import MINUTES_FILE, load_minutes
from minutes.session import Session
from tests.reliability.test_faults_llm import FaultServer, closed_port, endpoint
from tests.ui import conftest as ui
from tests.ui.helpers import FakeLlm
from tests.ui.test_minutes_view import _generate, _open
from ui.main_window import MINUTES

_app_setup, answers, engine, window = ui._app_setup, ui.answers, ui.engine, ui.window


@pytest.fixture()
def server() -> Iterator[FaultServer]:
    s = FaultServer()
    yield s
    s.close()


def _use_endpoint(window: Any, url: str) -> None:
    LlmSettings(order=["endpoint"], endpoint=endpoint(url)).store(window.engine.config)
    window.engine.set_llm(None)  # follow the settings again


def _files(session: Session) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in session.folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("fault", ["cut", "refused", "garbage"])
def test_failed_generation_keeps_the_previous_minutes(
    window: Any, qtbot: Any, server: FaultServer, answers: dict[str, Any], fault: str
) -> None:
    session = _open(window, qtbot)
    view = _generate(window, qtbot)  # good minutes first, from the scripted model
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    view.summary.setPlainText("내가 고친 요약")  # a user edit, saved
    view.flush()
    before = _files(session)
    assert load_minutes(session.folder).summary == "내가 고친 요약"  # type: ignore[union-attr]

    url = f"http://127.0.0.1:{closed_port()}/v1" if fault == "refused" else server.url
    server.script = {
        "cut": [("cut", ['{"title": "새 제목', '", "summary": "반쯤'])],
        "garbage": [("raw", "text/html", b"<html>Gateway Timeout</html>")],
        "refused": [],
    }[fault]
    _use_endpoint(window, url)
    window.nav.setCurrentRow(MINUTES)
    qtbot.mouseClick(view.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.job is None, timeout=20_000)

    status = view.status.text()
    assert "could not be written" in status and url in status
    assert answers["errors"] and url in answers["errors"][-1]  # the dialog said it too
    assert view.summary.toPlainText() == "내가 고친 요약"
    assert view.title.text() == "주간 인프라 회의"
    assert _files(session) == before  # minutes.json, transcript and review untouched
    assert (session.folder / MINUTES_FILE).exists()
    assert view.generate_button.isEnabled()  # the user can retry


def test_llm_fixes_from_unreadable_json_change_nothing(
    window: Any, qtbot: Any, answers: dict[str, Any]
) -> None:
    session = _open(window, qtbot)
    review = window.review
    before = list(review.model.corrections)
    files = _files(session)
    window.engine.set_llm(FakeLlm('{"fixes": [{"id": 3, "wrong": "오이시디", "right": '))
    qtbot.mouseClick(review.buttons["llm"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.repair is None, timeout=10_000)
    assert review.model.corrections == before
    assert _files(session) == files
    assert answers["errors"] and "could not be read" in answers["errors"][-1]
