"""A screenshot of every view, in English and Korean (Hangul must render), filled with
scripted content (a fake model's answers) and saved into the test's temp folder only.

The README's pictures come from real runs instead: scripts/make_screenshots.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QApplication

from minutes.live import LiveSegment
from minutes.meeting import ActionItem, Minutes, Note, Topic, save_minutes
from minutes.types import Correction, CorrectionSource, CorrectionStatus
from tests.fake_sounddevice import FakeSoundDevice
from tests.ui.helpers import GLOSSARY, make_session

VIEWS = ("library", "record", "review", "glossary", "minutes")


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


def _shoot_transcription_settings(window: Any, folder: Path, suffix: str) -> Path:
    """Settings › Transcription as a team member fills it in for the team's server."""
    dialog = window.open_settings()
    dialog.tabs.setCurrentWidget(dialog.asr)
    tab = dialog.asr
    tab.backend.setCurrentIndex(tab.backend.findData("endpoint"))
    tab.url.setText("http://gpu-server.lan:8000/v1")
    tab.model.setText("Systran/faster-whisper-large-v3")
    tab.allow_remote.setChecked(True)
    dialog.resize(760, dialog.sizeHint().height())
    QApplication.processEvents()
    path = folder / f"settings-transcription{suffix}.png"
    assert dialog.grab().toImage().scaledToWidth(640, mode=_smooth()).save(str(path), "PNG")
    dialog.reject()
    return path


def _smooth() -> Any:
    from PySide6.QtCore import Qt

    return Qt.TransformationMode.SmoothTransformation


def _populate(window: Any, qtbot: Any) -> None:
    root = window.engine.sessions_root
    make_session(root, "Weekly sync")
    session = make_session(root, "주간 회의 — 인프라")
    session.meta.speaker_names = {"SPEAKER_0": "김민수"}  # named in the Speakers panel
    session.save_meta()
    save_minutes(session.folder, _minutes(session.meta.created))
    transcript = session.load_transcript()
    assert transcript is not None
    text = transcript.segment(4).text  # "회의록은 콘플에 올려주세요"
    start = text.index("콘플")
    llm = Correction(4, start, start + 2, "콘플", "Confluence", CorrectionSource.LLM,
                     term="Confluence", score=0.81, status=CorrectionStatus.PROPOSED,
                     rule="fake-llm:repair/v1")  # fmt: skip
    session.save_corrections([*session.load_corrections(), llm], session.corrections_key())
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
    _stream_preview(window)
    window.resize(1100, 640)
    qtbot.wait(50)


def _minutes(created: str) -> Minutes:
    """Minutes as the model writes them for this meeting, one task already ticked off."""
    return Minutes(
        title="주간 회의 — 인프라",
        date=created,
        attendees=("김민수", "SPEAKER_1"),
        summary="Kubernetes 클러스터 설정을 GitHub에 올렸고, 업그레이드는 다음 주에 하기로 "
        "했다. 이번 분기 GDP 성장률 수치는 다음 회의에서 다시 본다.",
        topics=(
            Topic("Kubernetes 클러스터", ("설정을 GitHub에 올림", "업그레이드는 다음 주"), (0, 2)),
            Topic("이번 분기 GDP 성장률", ("수치 확인은 다음 회의로",), (1, 3)),
        ),
        decisions=(Note("다음 주에 Kubernetes 업그레이드를 한다", (2,)),),
        open_questions=(Note("GDP 수치를 어느 자료로 확인할지", (3,)),),
        action_items=(
            ActionItem("Kubernetes 업그레이드 진행", "김민수", "다음 주", (2,), id="a1"),
            ActionItem("회의록을 Confluence에 올리기", None, None, (4,), True, id="a2"),
            ActionItem("GDP 성장률 수치 확인", "SPEAKER_1", "다음 회의 전", (3,), id="a3"),
        ),
        language="ko",
        model="fake-llm",
        source_duration=20.0,
        segment_starts={0: 0.0, 1: 4.0, 2: 8.0, 3: 12.0, 4: 16.0},
    )


def _stream_preview(window: Any) -> None:
    """What the preview pane shows after a run, in the order `summarise` streams it: the
    rule-based draft, each action-item line as the model wrote it down, then the notes."""
    from minutes.llm.summarise import draft_text

    view = window.minutes
    session = view.session
    assert session is not None
    document = session.document()
    found = [document.segments[2], document.segments[4]]
    view._clear_live("ko")
    view._token(draft_text(document, found, "ko"))
    view._progress(0.05, "action items 1/2")
    view._token('{"task": "Kubernetes 업그레이드 진행", "owner": "김민수", "due": "다음 주"}\n')
    view._progress(0.3, "action items 2/2")
    view._token('{"task": "회의록을 Confluence에 올리기", "owner": "", "due": ""}\n')
    view._progress(0.6, "part 1/1")
    view._token(
        '{"title": "주간 회의 — 인프라", "summary": "Kubernetes 클러스터 설정을 GitHub에 '
        '올렸고, 업그레이드는 다음 주에 하기로 했다.", "topics": [{"title": "Kubernetes '
        '클러스터", "points": ["설정을 GitHub에 올림", "업그레이드는 다음 주"], "segments": '
        '[0, 2]}], "decisions": [{"text": "다음 주에 Kubernetes 업그레이드를 한다", '
        '"segments": [2]}]}'
    )
    view._live.close()
    view._show_live()
    view._say("")


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
    paths.append(_shoot_transcription_settings(window, tmp_path, "" if language == "en" else "-ko"))
    for path in paths:
        image = QImage(str(path))
        assert image.width() in (900, 640) and not image.isNull()
    i18n.install(qapp, "en")
