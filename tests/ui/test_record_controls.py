"""Recording controls and failures through the real widgets (fake input stream)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPlainTextEdit

from tests.fake_sounddevice import FakeSoundDevice
from tests.ui.conftest import JFK, speech

SR = 16_000


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (np.sin(2 * np.pi * 300 * t) * 8000).astype(np.int16)


def test_no_input_device_gives_clear_message(window: Any, qtbot: Any) -> None:
    window.recorder._sd = FakeSoundDevice(_tone(1), devices=[])
    window.record.refresh_devices()
    assert "No input device" in window.record.status.text()
    qtbot.mouseClick(window.record.record, Qt.MouseButton.LeftButton)
    assert window.recorder.state == "idle"
    assert "No input device found" in window.record.status.text()
    assert not any(window.engine.sessions_root.glob("*/audio.wav"))


def test_live_view_keeps_only_the_newest_lines(window: Any) -> None:
    from minutes.live import LiveSegment
    from ui.views.record_view import LIVE_LINES

    for i in range(LIVE_LINES + 50):
        window.record.add_live(LiveSegment(float(i), i + 1.0, "", f"line {i}", (), 0.0))
    lines = window.record.live.toPlainText().splitlines()
    assert len(lines) == LIVE_LINES and lines[-1].endswith(f"line {LIVE_LINES + 49}")


def test_hotkey_pause_resume_stop(window: Any, qtbot: Any, base_transcriber: Any) -> None:
    window.engine.set_transcriber(base_transcriber)
    sd = FakeSoundDevice(_tone(30), realtime=True)
    window.recorder._sd = sd
    window.record.refresh_devices()
    window.record_action.trigger()  # Ctrl+R: start
    assert window.recorder.state == "recording"
    assert window.stack.currentWidget() is window.record
    qtbot.waitUntil(lambda: window.record.elapsed.text() != "0:00", timeout=5000)
    assert window.record.meter.level > 0.5
    qtbot.mouseClick(window.record.pause, Qt.MouseButton.LeftButton)
    assert window.recorder.state == "paused" and window.record.pause.text() == "Resume"
    qtbot.wait(300)
    qtbot.mouseClick(window.record.pause, Qt.MouseButton.LeftButton)
    assert window.recorder.state == "recording"
    session = window.recorder.session
    window.record_action.trigger()  # Ctrl+R again: stop
    assert window.recorder.state == "idle"
    audio, _ = sf.read(session.folder / "audio.wav", dtype="int16")
    assert 0 < audio.size < sd.fed  # the paused stretch is not recorded
    assert np.array_equal(audio[:SR // 2], _tone(1)[:SR // 2])
    window.runner.wait(60_000)


def test_device_unplugged_mid_meeting_keeps_audio(
    window: Any, qtbot: Any, base_transcriber: Any
) -> None:
    window.engine.set_transcriber(base_transcriber)
    samples = _tone(1.5)
    sd = FakeSoundDevice(samples)
    sd.unplug_at_end = True
    window.recorder._sd = sd
    window.record.refresh_devices()
    qtbot.mouseClick(window.record.record, Qt.MouseButton.LeftButton)
    session = window.recorder.session
    qtbot.waitUntil(lambda: window.recorder.state == "idle", timeout=10_000)
    assert "unplugged" in window.record.status.text()
    audio, _ = sf.read(session.folder / "audio.wav", dtype="int16")
    assert np.array_equal(audio, samples)
    window.library.reload()
    assert window.library.model.row_of(session.folder) >= 0
    window.runner.wait(60_000)


def test_drag_and_drop_import(window: Any, qtbot: Any, base_transcriber: Any) -> None:
    speech(JFK)
    window.engine.set_transcriber(base_transcriber)
    window.engine.config.language = "en"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(JFK))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dropEvent(event)
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.review.session is not None, timeout=60_000)
    text = " ".join(window.review.model.reviewed_text(r)
                    for r in range(window.review.model.rowCount()))  # fmt: skip
    assert "country" in text.lower()
    assert window.library.model.row_of(window.review.session.folder) >= 0
    assert Path(window.review.session.folder / "audio.wav").exists()


def test_language_switch_rebuilds_window_in_korean(window: Any, qtbot: Any) -> None:
    from ui import app as app_module

    app_module._state["window"] = window
    dialog = window.open_settings()
    dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("ko"))
    dialog.accept()
    new = app_module._state["window"]
    qtbot.addWidget(new)
    assert new is not window and new.nav.item(1).text() == "녹음"
    app_module.switch_language("en")
    newer = app_module._state["window"]
    qtbot.addWidget(newer)
    assert newer.nav.item(1).text() == "Record"


def test_language_switch_keeps_the_open_meeting_and_the_page(window: Any, qtbot: Any) -> None:
    """The window is rebuilt in the new language; the meeting stays open where it was, and
    an edit still open in Review is saved first."""
    from minutes.session import Session
    from tests.ui.helpers import GLOSSARY, make_session
    from ui import app as app_module
    from ui.models.review import Col

    session = make_session(window.engine.sessions_root)
    window.engine.glossary_store.save(GLOSSARY)
    window.library.reload()
    window.open_review(session)
    review = window.review
    review.next_change()
    current = review.current()
    index = review.model.index(4, Col.Corrected)
    review.table.setCurrentIndex(index)
    review.table.edit(index)
    editor = review.table.indexWidget(index)
    typed = "회의록은 Confluence에 올려주세요"  # not committed yet
    editor.setPlainText(typed) if isinstance(editor, QPlainTextEdit) else editor.setText(typed)

    app_module._state["window"] = window
    app_module.switch_language("ko")
    new = app_module._state["window"]
    qtbot.addWidget(new)
    assert new is not window and new.nav.item(2).text() == "검토"  # rebuilt, in Korean
    assert "검토(&V)" in [a.text() for a in new.menuBar().actions()]
    assert new.review.session is not None and new.review.session.folder == session.folder
    assert new.stack.currentWidget() is new.review
    assert new.review.current().id == current.id
    assert new.review.model.index(4, Col.Corrected).data() == "회의록은 Confluence에 올려주세요"
    saved = Session.open(session.folder).load_corrections()
    assert any(c.after == "Confluence" for c in saved)  # on disk too
    assert new.minutes.session is not None and new.minutes.session.folder == session.folder

    new.nav.setCurrentRow(4)  # Minutes
    app_module.switch_language("en")
    newer = app_module._state["window"]
    qtbot.addWidget(newer)
    assert newer.nav.item(2).text() == "Review" and newer.stack.currentWidget() is newer.minutes
    assert newer.review.session is not None and newer.review.session.folder == session.folder


def test_language_switch_waits_for_running_jobs(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job's result goes to the window that started it: the switch waits for the jobs."""
    import threading

    from ui import app as app_module
    from ui.workers import Job

    monkeypatch.setattr(window, "deleteLater", lambda: None)  # the fixture closes it
    gate = threading.Event()
    job = window.runner.start(Job("Slow", lambda _job: gate.wait(10)))
    app_module._state["window"] = window
    app_module.switch_language("ko")
    assert app_module._state["window"] is window  # not yet: the job reports to this window
    assert "작업이 끝나면" in window.statusBar().currentMessage()  # said in the new language
    gate.set()
    qtbot.waitUntil(lambda: app_module._state["window"] is not window, timeout=5000)
    assert job.done.is_set()
    new = app_module._state["window"]
    qtbot.addWidget(new)
    assert new.nav.item(1).text() == "녹음"
    app_module.switch_language("en")
    qtbot.addWidget(app_module._state["window"])


def test_settings_say_when_no_microphone_is_found(window: Any) -> None:
    """Only "System default" is listed then: the dialog says why, and that imports work."""
    window.recorder._sd = FakeSoundDevice(_tone(1), devices=[])
    dialog = window.open_settings()
    assert dialog.device.count() >= 1 and dialog.device.itemData(0) is None
    assert dialog.no_mic.isVisible() and "No microphone found" in dialog.no_mic.text()
    assert "import recordings" in dialog.no_mic.text()
    dialog.accept()  # the settings can still be saved
    assert dialog.result() == dialog.DialogCode.Accepted

    window.recorder._sd = FakeSoundDevice(_tone(1))  # a microphone again
    again = window.open_settings()
    assert not again.no_mic.isVisible()
    again.reject()


def test_language_switch_waits_while_a_save_fails(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decision that could not be written (disk full) stays in this window, which retries
    it: the window is not replaced, and the user is told when the language applies."""
    import errno

    from minutes.session import Session
    from tests.ui.helpers import GLOSSARY, make_session
    from ui import app as app_module

    session = make_session(window.engine.sessions_root)
    window.engine.glossary_store.save(GLOSSARY)
    window.open_review(session)
    opened = window.review.session

    def full(*_a: Any, **_k: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Session, "save_corrections", full)
    window.review.reject_current()
    assert window.review.saves.pending
    app_module._state["window"] = window
    app_module.switch_language("ko")
    assert app_module._state["window"] is window and window.review.session is opened
    assert "다음에 앱을 시작할 때" in window.statusBar().currentMessage()
    monkeypatch.undo()
    app_module.switch_language("en")  # saved now: rebuilt, nothing lost
    new = app_module._state["window"]
    qtbot.addWidget(new)
    assert new is not window and not window.review.saves.pending
    rejected = [c for c in new.review.model.corrections if c.status.value == "rejected"]
    assert len(rejected) == 1
