"""Recording faults through the real window (offscreen): what the user reads, what is kept."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("pytestqt", reason="UI tests need pytest-qt and PySide6")
from PySide6.QtCore import Qt

from minutes import capture
from tests.reliability.test_faults_recording import (
    SR,
    RemovableDevice,
    inject_full_disk,
    read_wav,
    small_tmpfs,
    speechlike,
)
from tests.ui import conftest as ui

# The app fixtures of tests/ui (offscreen Qt, a window on a fake input device).
_app_setup, answers, engine, window = ui._app_setup, ui.answers, ui.engine, ui.window


def _record_until_idle(window: Any, qtbot: Any, sd: Any, title: str) -> Any:
    window.recorder._sd = sd
    window.record.refresh_devices()
    window.record.title_edit.setText(title)
    qtbot.mouseClick(window.record.record, Qt.MouseButton.LeftButton)
    assert window.recorder.state == "recording"
    session = window.recorder.session
    qtbot.waitUntil(lambda: window.recorder.state == "idle", timeout=15_000)
    return session


@pytest.mark.parametrize("disk", ["injected", "tmpfs"])
def test_disk_full_stops_recording_with_a_clear_message(
    window: Any, qtbot: Any, base_transcriber: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, disk: str,
) -> None:
    window.engine.set_transcriber(base_transcriber)
    src = speechlike(20.0 if disk == "tmpfs" else 4.0, seed=21)
    with contextlib.ExitStack() as stack:
        if disk == "tmpfs":  # a real 256 kB file system for the meetings folder
            root = stack.enter_context(small_tmpfs(tmp_path, "256k"))
            window.engine.config.sessions_folder = str(root)
            window.library.reload(root)
        else:
            inject_full_disk(monkeypatch, capture.HEADER_BYTES + SR * 2 + 333)
        session = _record_until_idle(window, qtbot, window.recorder._sd.__class__(src), "Budget")
        _check_disk_full_outcome(window, session, src)
        window.runner.cancel_all()
        window.runner.wait(60_000)


def _check_disk_full_outcome(window: Any, session: Any, src: np.ndarray) -> None:
    status = window.record.status.text()
    assert "disk is full" in status and "Budget" in status and "kept" in status
    assert window.record.record.isEnabled()  # the user can try again after freeing space
    kept = read_wav(session.folder / "audio.wav")
    assert kept.size >= SR and np.array_equal(kept, src[: kept.size])
    assert window.library.model.row_of(session.folder) >= 0  # listed in the library
    started = [j for j in window.runner.jobs if j is not window.recorder.live_job]
    assert started == []  # no transcription on a full disk; Review offers it later


@pytest.mark.parametrize("removal", ["error", "silent"])  # PortAudio error / watchdog
def test_microphone_removed_says_so_and_keeps_audio(
    window: Any, qtbot: Any, base_transcriber: Any, removal: str
) -> None:
    window.engine.set_transcriber(base_transcriber)
    window.recorder.stall_seconds = 0.5
    src = speechlike(3.0, seed=22)
    sd = RemovableDevice(src, removal, remove_after=SR)
    session = _record_until_idle(window, qtbot, sd, "Standup")
    status = window.record.status.text()
    assert "microphone was unplugged" in status and "Standup" in status
    assert np.array_equal(read_wav(session.folder / "audio.wav"), src[: sd.fed])
    assert window.library.model.row_of(session.folder) >= 0
    window.runner.cancel_all()  # the transcription of the kept audio is not under test
    window.runner.wait(60_000)


def test_messages_are_translated_to_korean(
    window: Any, qtbot: Any, base_transcriber: Any, qapp: Any
) -> None:
    from ui import i18n

    i18n.install(qapp, "ko")
    try:
        window.engine.set_transcriber(base_transcriber)
        window.recorder.stall_seconds = 0.5
        sd = RemovableDevice(speechlike(2.0, seed=23), "error", remove_after=SR // 2)
        _record_until_idle(window, qtbot, sd, "주간 회의")
        assert "마이크" in window.record.status.text()
        window.runner.cancel_all()  # the transcription of the kept audio is not under test
        window.runner.wait(60_000)
        window.recorder._sd = RemovableDevice(speechlike(1), "error", 0, devices=[])
        qtbot.mouseClick(window.record.record, Qt.MouseButton.LeftButton)
        assert "마이크" in window.record.status.text()
    finally:
        i18n.install(qapp, "en")
