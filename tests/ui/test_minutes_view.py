"""Minutes view and the LLM in Review/Settings: streamed generation, editing, autosave,
exports read back, LLM repair proposals, the AI settings and the API key in the keyring.

A scripted engine (`FakeLlm`) stands in for the model; one slow test runs the real
embedded 0.5B model through the app.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit, QPushButton

from minutes.meeting import MINUTES_FILE, load_minutes
from minutes.session import Session
from minutes.types import CorrectionSource, CorrectionStatus
from tests.ui.helpers import GLOSSARY, MEETING, FakeLlm, make_meeting
from ui.main_window import MINUTES, REVIEW
from ui.models.minutes_form import Col
from ui.models.review import Col as ReviewCol
from ui.models.review import Role

TASKS = {  # the action-item judge's answer for each candidate line (by segment id)
    1: {"task": "Kubernetes 업그레이드 끝내기", "owner": "이대리", "due": "금요일까지"},
    4: {"task": "비용 보고서 정리", "owner": "", "due": "다음 주까지"},
}
NOTES = {
    "title": "주간 인프라 회의",
    "summary": "Kubernetes 업그레이드를 금요일에 하기로 했다.",
    "topics": [{"title": "Kubernetes 업그레이드", "points": ["금요일까지 완료"], "segments": [1]}],
    "decisions": [{"text": "업그레이드는 금요일에 한다", "segments": [2]}],
    "open_questions": [{"text": "보고서 비용은 아직 모른다", "segments": [3]}],
}


def ANSWER(messages: Any) -> Any:
    """The notes for the notes prompt; the judge's answer for an action-item line."""
    user = messages[-1].content
    if "The line, " not in user:
        return NOTES
    line = user.split("The line, ", 1)[1]
    for i, (_, text) in enumerate(MEETING):
        if line.endswith(text[-12:]):  # the line as reviewed (glossary fixes applied)
            return TASKS.get(i, {"task": "", "owner": "", "due": ""})
    raise AssertionError(f"unexpected line {line!r}")


REPAIR = {"fixes": [{"id": 3, "wrong": "오이시디", "right": "OECD"}]}


def _open(window: Any, qtbot: Any, title: str = "주간 인프라 회의") -> Session:
    session = make_meeting(window.engine.sessions_root, title)
    window.engine.glossary_store.save(GLOSSARY)
    window.library.reload()
    window.open_review(session)
    qtbot.waitUntil(lambda: window.review.model.rowCount() == 5)
    return session


def _commit(table: Any, editor: QLineEdit) -> None:
    """What Return does in a cell editor."""
    table.commitData(editor)
    table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _edit_cell(qtbot: Any, table: Any, row: int, col: int, text: str) -> None:
    index = table.model().index(row, col)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.findChild(QLineEdit)
    qtbot.waitUntil(lambda: editor is not None and editor.isVisible())
    editor.setText(text)  # QTest types ASCII only
    _commit(table, editor)


def _generate(window: Any, qtbot: Any, gate: threading.Event | None = None) -> Any:
    view = window.minutes
    window.engine.set_llm(FakeLlm(ANSWER, gate=gate))
    window.nav.setCurrentRow(MINUTES)
    view.template.setCurrentIndex(view.template.findData("weekly_status"))
    qtbot.mouseClick(view.generate_button, Qt.MouseButton.LeftButton)
    assert view.job is not None
    return view


def test_generate_stream_edit_save_reload_and_jump(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    gate = threading.Event()
    view = _generate(window, qtbot, gate)
    # The model's output appears while it is being written (the fake waits half-way).
    qtbot.waitUntil(lambda: "할 일: " in view.preview.toPlainText(), timeout=5000)
    assert view.job is not None and view.cancel_button.isVisible()
    assert not view.generate_button.isEnabled()
    first = view.preview.toPlainText()
    assert "기한" not in first and "(할 일 아님)" not in first  # only the first half so far
    assert "{" not in first  # labelled lines, not the model's JSON
    assert not (session.folder / MINUTES_FILE).exists()
    gate.set()
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    preview = view.preview.toPlainText()
    # The rule-based draft first, then one call per likely action item, then the notes.
    # The draft is in the minutes' language (a Korean meeting), whatever the UI language.
    # So are the section headings between them (the status line follows the UI).
    assert preview.startswith("초안") and "── 할 일 찾기 (1/2) ──" in preview
    assert "── 회의 내용 정리 (1/1) ──" in preview
    assert "Action items" not in preview and "Notes, part" not in preview
    # 2 candidates: "하기로 하죠" is a decision, "모르겠어요" no task.
    assert preview.count("할 일: ") == 2 and preview.count("요약: ") == 1
    assert "할 일: Kubernetes 업그레이드 끝내기 (담당 이대리, 기한 금요일까지)\n" in preview
    assert "제목: 주간 인프라 회의\n요약: Kubernetes 업그레이드를 금요일에 하기로 했다." in preview
    assert "{" not in preview
    assert "fake-llm" in view.status.text()

    # The form shows the minutes; they were saved with the session.
    assert view.title.text() == "주간 인프라 회의"
    assert view.attendees.text() == "김과장, 이대리"
    assert "Kubernetes 업그레이드" in view.discussion.toPlainText()
    assert view.decisions.toPlainText() == "- 업그레이드는 금요일에 한다"
    assert view.template.currentData() == "weekly_status"
    model = view.actions_model
    assert model.rowCount() == 2
    assert model.index(0, Col.Task).data() == "Kubernetes 업그레이드 끝내기"
    assert model.index(0, Col.Owner).data() == "이대리"
    assert model.index(0, Col.Due).data() == "금요일까지"
    assert model.index(0, Col.Time).data() == "0:04"
    assert model.index(1, Col.Owner).data() == "민수"  # the person asked, not the listener
    saved = load_minutes(session.folder)
    assert saved is not None and saved.template == "weekly_status" and saved.model == "fake-llm"

    # Tick a task done and give the other an owner: saved at once, atomically.
    done = model.index(1, Col.Done)
    assert model.setData(done, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    _edit_cell(qtbot, view.actions_table, 1, Col.Owner, "박민수")
    saved = load_minutes(session.folder)
    assert saved is not None
    item = saved.action_items[1]
    assert (item.done, item.owner, item.due) == (True, "박민수", "다음 주까지")
    assert item.segment_ids == (4,)  # the time link survives the edit
    assert not list(session.folder.glob("*.tmp*"))
    # Text edits are saved after a short pause.
    view.summary.setPlainText("업그레이드는 금요일, 보고서는 다음 주.")
    view.decisions.setPlainText("- 업그레이드는 금요일에 한다\n- 보고서는 박민수가 맡는다")
    qtbot.waitUntil(
        lambda: (m := load_minutes(session.folder)) is not None and len(m.decisions) == 2,
        timeout=3000,
    )
    saved = load_minutes(session.folder)
    assert saved is not None and saved.summary == "업그레이드는 금요일, 보고서는 다음 주."
    assert saved.decisions[0].segment_ids == (2,) and saved.decisions[1].segment_ids == ()

    # Loaded again when the meeting is opened again.
    other = _open(window, qtbot, "다른 회의")
    assert view.session is not None and view.session.folder == other.folder
    assert view.title.text() == "" and view.actions_model.rowCount() == 0
    assert not view.export_button.isEnabled()
    window.open_review(session)
    assert view.title.text() == "주간 인프라 회의"
    assert view.actions_model.index(1, Col.Owner).data() == "박민수"
    assert view.actions_model.index(1, Col.Done).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )

    # Double-clicking a task's time shows that moment in Review.
    window.nav.setCurrentRow(MINUTES)
    table = view.actions_table
    rect = table.visualRect(view.actions_model.index(1, Col.Time))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.nav.currentRow() == REVIEW
    rows = window.review.table.selectionModel().selectedRows()
    assert [r.row() for r in rows] == [4]


def test_export_all_four_formats(window: Any, qtbot: Any, tmp_path: Path) -> None:
    import docx

    _open(window, qtbot)
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    view.actions_model.setData(
        view.actions_model.index(0, Col.Done), Qt.CheckState.Checked.value,
        Qt.ItemDataRole.CheckStateRole,
    )  # fmt: skip
    dialog = view.export()
    assert dialog is not None
    out = tmp_path / "out"
    dialog.folder.setText(str(out))
    assert dialog.stem.text() == "주간 인프라 회의"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.written) == 4, timeout=20_000)
    assert dialog.open_button.isEnabled()
    names = sorted(p.name for p in dialog.written)
    kinds = ("minutes.docx", "minutes.md", "actions.csv", "actions.ics")
    assert names == sorted(f"주간 인프라 회의.{k}" for k in kinds)
    base = out / "주간 인프라 회의"

    document = docx.Document(str(base) + ".minutes.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "주간 인프라 회의" in text and "업그레이드는 금요일에 한다" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "☑ Kubernetes 업그레이드 끝내기" in cells and "이대리" in cells  # ticked: done
    assert "이번 주 인프라 회의를 시작하겠습니다" in text  # the transcript appendix

    md = Path(str(base) + ".minutes.md").read_text(encoding="utf-8")
    assert "- [x] Kubernetes 업그레이드 끝내기" in md and "- [ ] 비용 보고서 정리" in md
    assert "## 다음 할 일" in md  # the weekly status template's heading

    table = Path(str(base) + ".actions.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [(r["task"], r["owner"], r["done"]) for r in rows] == [
        ("Kubernetes 업그레이드 끝내기", "이대리", "yes"),
        ("비용 보고서 정리", "민수", "no"),
    ]

    ics = Path(str(base) + ".actions.ics").read_bytes().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VTODO") == 2
    assert "STATUS:COMPLETED" in ics and "STATUS:NEEDS-ACTION" in ics


def test_a_recording_nobody_named_gets_the_models_title(window: Any, qtbot: Any) -> None:
    from minutes.session import default_recording_title

    session = _open(window, qtbot, default_recording_title())
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    assert view.title.text() == NOTES["title"]
    saved = load_minutes(session.folder)
    assert saved is not None and saved.title == NOTES["title"]


def test_cancel_keeps_the_minutes_unchanged(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    gate = threading.Event()
    view = _generate(window, qtbot, gate)
    qtbot.waitUntil(lambda: bool(view.preview.toPlainText()), timeout=5000)
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.job is None, timeout=5000)
    assert "Cancelled" in view.status.text()
    assert not (session.folder / MINUTES_FILE).exists()
    assert view.generate_button.isEnabled() and not view.cancel_button.isVisible()


def test_llm_fixes_appear_in_review_and_can_be_accepted(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    review = window.review
    before = list(review.model.corrections)
    assert before and all(c.source is CorrectionSource.GLOSSARY for c in before)
    llm = FakeLlm(REPAIR)
    window.engine.set_llm(llm)
    qtbot.mouseClick(review.buttons["llm"], Qt.MouseButton.LeftButton)
    assert window.repair is not None and not review.buttons["llm"].isEnabled()
    qtbot.waitUntil(lambda: window.repair is None, timeout=10_000)
    assert review.buttons["llm"].isEnabled() and llm.calls == 1
    proposals = [c for c in review.model.corrections if c.source is CorrectionSource.LLM]
    assert [(c.before, c.after, c.status) for c in proposals] == [
        ("오이시디", "OECD", CorrectionStatus.PROPOSED)
    ]
    assert all(c in review.model.corrections for c in before)  # existing ones kept
    saved = Session.open(session.folder).load_corrections()
    assert {c.id for c in saved} == {c.id for c in review.model.corrections}
    # Highlighted as an LLM proposal, focused, and described with its source.
    html = review.model.index(3, ReviewCol.Corrected).data(Role.Html)
    assert "#e4d7fb" in html and "오이시디" in html
    assert review.current().id == proposals[0].id
    assert "· language model ·" in review.detail.text()
    assert "1 fix" in window.statusBar().currentMessage()
    review.accept_current()
    assert review.model.index(3, ReviewCol.Corrected).data().startswith("OECD 보고서")
    saved_llm = [c for c in Session.open(session.folder).load_corrections() if c.source == "llm"]
    assert saved_llm[0].status is CorrectionStatus.ACCEPTED
    review.undo_action.trigger()
    assert review.model.index(3, ReviewCol.Corrected).data().startswith("오이시디")


def test_ai_settings_keep_the_key_in_the_keyring(
    window: Any, qtbot: Any, memory_keyring: dict[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from minutes.config import Config, config_path
    from minutes.llm.settings import LlmSettings

    monkeypatch.delenv("MINUTES_LLM_API_KEY", raising=False)
    dialog = window.open_settings()
    assert dialog.llm_engine.currentData() == "1.5b"  # the embedded default
    dialog.tabs.setCurrentIndex(1)
    dialog.llm_engine.setCurrentIndex(dialog.llm_engine.findData("endpoint"))
    dialog.base_url.setText("https://llm.example.com/v1")
    assert "another computer" in dialog.remote_warning.text()
    dialog.endpoint_model.setText("qwen2.5:7b")
    dialog.api_key.setText("sk-very-secret")
    dialog.fallback.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert memory_keyring == {("minutes-llm", "https://llm.example.com/v1"): "sk-very-secret"}
    raw = config_path().read_text(encoding="utf-8")
    assert "sk-very-secret" not in raw
    llm = LlmSettings.from_config(Config.load())
    assert llm.order == ["endpoint", "local"] and llm.endpoint.model == "qwen2.5:7b"
    assert not llm.allow_remote and not llm.endpoint_allowed()  # remote needs permission
    assert window.engine.llm_settings() == llm

    again = window.open_settings()
    assert again.llm_engine.currentData() == "endpoint" and again.fallback.isChecked()
    assert "stored in the OS keyring" in again.key_status.text()
    assert again.api_key.text() == ""  # never shown back
    again.llm_engine.setCurrentIndex(again.llm_engine.findData("0.5b"))
    again.fallback.setChecked(False)
    again.accept()
    llm = LlmSettings.from_config(Config.load())
    assert llm.order == ["local"] and llm.local_model == "qwen2.5-coder-0.5b"
    assert llm.endpoint.base_url == "https://llm.example.com/v1"  # kept for later
    assert memory_keyring  # the key stays until "Forget key"
    third = window.open_settings()
    third.forget_key.click()
    assert not memory_keyring
    third.reject()


def test_ai_settings_choose_a_hugging_face_model_and_its_device(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util
    from importlib.machinery import ModuleSpec

    from minutes.config import Config
    from minutes.llm.settings import LlmSettings

    dialog = window.open_settings()
    dialog.llm_engine.setCurrentIndex(dialog.llm_engine.findData("transformers"))
    assert dialog.hf_model.isEnabled() and not dialog.gguf.isEnabled()
    dialog.hf_model.setText(str(tmp_path / "missing"))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "Hugging Face model" in dialog.problem.text()

    (tmp_path / "Qwen2.5-7B-Instruct").mkdir()
    dialog.hf_model.setText(str(tmp_path / "Qwen2.5-7B-Instruct"))
    dialog.hf_device.setCurrentIndex(dialog.hf_device.findData("cuda"))
    dialog.fallback.setChecked(True)
    real = importlib.util.find_spec

    def without_torch(name: str, *a: Any) -> Any:  # a machine without the optional extra
        return None if name == "torch" else real(name, *a)

    monkeypatch.setattr(importlib.util, "find_spec", without_torch)
    dialog.accept()
    assert "not installed" in dialog.problem.text()

    def with_extra(name: str, *a: Any) -> Any:  # installed, whatever this machine has
        return real(name, *a) or ModuleSpec(name, None)

    monkeypatch.setattr(importlib.util, "find_spec", with_extra)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problem.text()
    llm = LlmSettings.from_config(Config.load())
    assert llm.order == ["transformers", "local"]
    assert llm.transformers_model == str(tmp_path / "Qwen2.5-7B-Instruct")
    assert llm.transformers_device == "cuda"

    again = window.open_settings()
    assert again.llm_engine.currentData() == "transformers" and again.fallback.isChecked()
    assert again.hf_device.currentData() == "cuda" and again.hf_model.isEnabled()
    again.reject()

    # Set on the command line as the fallback, then chosen here: listed once.
    cfg = Config.load()
    settings = LlmSettings.from_config(cfg)
    settings.order = ["local", "transformers"]
    settings.store(cfg)
    cfg.save()
    window.engine.config = Config.load()
    third = window.open_settings()
    third.llm_engine.setCurrentIndex(third.llm_engine.findData("transformers"))
    third.fallback.setChecked(True)
    third.accept()
    assert LlmSettings.from_config(Config.load()).order == ["transformers", "local"]


def test_a_key_without_keyring_is_refused_not_written(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backends import fail

    from minutes.config import config_path

    broken = fail.Keyring()  # type: ignore[no-untyped-call]
    monkeypatch.setattr(keyring, "get_keyring", lambda: broken)
    monkeypatch.setattr(keyring.core, "_keyring_backend", broken)
    dialog = window.open_settings()
    dialog.base_url.setText("http://127.0.0.1:8080/v1")
    dialog.api_key.setText("sk-nowhere")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.isVisible()
    assert "MINUTES_LLM_API_KEY" in dialog.problem.text()
    assert not config_path().exists() or "sk-nowhere" not in config_path().read_text()
    dialog.reject()


# -- the real embedded model ------------------------------------------------------
@pytest.mark.slow
def test_real_05b_model_writes_minutes_in_the_app(window: Any, qtbot: Any, gguf_05b: Path) -> None:
    from dataclasses import replace

    from minutes.llm.settings import LlmSettings

    settings = LlmSettings(local_model=str(gguf_05b), context_size=2048, threads=2)
    config = replace(window.engine.config, extra={**window.engine.config.extra})
    settings.store(config)
    window.engine.apply_config(config)  # "GGUF model file…" in Settings, by path
    session = _open(window, qtbot)
    view = window.minutes
    window.nav.setCurrentRow(MINUTES)
    assert view.generate() is not None
    qtbot.waitUntil(lambda: view.job is None, timeout=600_000)
    assert "could not" not in view.status.text(), view.status.text()
    preview = view.preview.toPlainText()
    assert "요약: " in preview or "제목: " in preview, preview  # the notes streamed in, readable
    saved = load_minutes(session.folder)
    assert saved is not None and saved.model.startswith("qwen2.5-coder-0.5b")
    assert saved.title == "주간 인프라 회의" and saved.attendees == ("김과장", "이대리")
    assert view.title.text() == saved.title
    for item in saved.action_items:  # whatever the small model found is linked to the meeting
        assert item.text and all(0 <= i < 5 for i in item.segment_ids)
    json.dumps(saved.to_dict())


def test_fast_reaches_the_minutes_options(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, summarise_options: list[Any]
) -> None:
    seen = summarise_options
    _open(window, qtbot)
    view = window.minutes
    assert not view.fast.isChecked()  # the whole transcript by default
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    view.fast.setChecked(True)
    monkeypatch.setattr("ui.dialogs.ask", lambda *a: True)  # replace the first minutes
    assert view.generate() is not None
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    assert [o.fast for o in seen] == [False, True]
    assert all(o.template == "weekly_status" for o in seen)


def test_renaming_a_speaker_in_review_renames_attendee_and_owner(window: Any, qtbot: Any) -> None:
    session = _open(window, qtbot)
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    assert view.attendees.text() == "김과장, 이대리"
    label = next(k for k, v in window.review.model.speaker_names.items() if v == "이대리")
    window.review.rename_speaker(label, "이준호")
    assert view.attendees.text() == "김과장, 이준호"
    assert "이준호" in [a.owner for a in view.actions_model.items]
    saved = load_minutes(session.folder)
    assert saved is not None and saved.attendees == ("김과장", "이준호")
    window.review.undo_stack.undo()  # the name goes back, so do the minutes
    assert view.attendees.text() == "김과장, 이대리"
    # Reopened later, the minutes show the names the speakers have now.
    window.open_review(session)
    qtbot.waitUntil(lambda: window.minutes.session is not None)
    assert window.minutes.attendees.text() == "김과장, 이대리"


@pytest.mark.parametrize(
    ("ui", "meeting", "pane", "status"),
    [("en", "ko", "── 회의 내용 정리 (1/1) ──", "Notes, part 1/1"),
     ("ko", "en", "── Notes, part 1/1 ──", "회의 내용 정리 (1/1)"),
     ("ko", "ko", "── 회의 내용 정리 (1/1) ──", "회의 내용 정리 (1/1)")],
)  # fmt: skip
def test_live_pane_headings_follow_the_minutes_language(
    window: Any, qtbot: Any, qapp: Any, ui: str, meeting: str, pane: str, status: str
) -> None:
    """The pane read "초안 …" then "── Notes, part 1/1 ──": its headings are in the language
    of its other lines (the minutes'), the status line in the UI's."""
    from ui import i18n

    i18n.install(qapp, ui)
    try:
        _open(window, qtbot)
        view = window.minutes
        view._clear_live(meeting)
        view._progress(0.0, "loading the language model")
        view._token("초안:\n" if meeting == "ko" else "Draft:\n")
        view._progress(0.1, "action items 1/2")
        view._token('{"task": "보고서 정리"}\n')
        view._progress(0.5, "part 1/1")
        assert view.status.text() == status
        view._token('{"summary": "요약"}')
        view._progress(0.9, "merging")
        view._progress(1.0, "done")
        view._live.close()
        view._show_live()
        text = view.preview.toPlainText()
        assert pane in text, text
        other = "Action items 1/2" if meeting == "ko" else "할 일 찾기 (1/2)"
        assert other not in text and "loading" not in text
    finally:
        i18n.install(qapp, "en")


def test_the_date_is_the_meetings_own_until_minutes_say_otherwise(window: Any, qtbot: Any) -> None:
    """No made-up placeholder date ("2025-05-07 10:00"): the meeting's date is known."""
    from minutes.export._shared import display_date

    session = _open(window, qtbot)
    view = window.minutes
    created = session.meta.created
    assert created and view.minutes is None and view.date.text() == ""
    assert view.date.placeholderText() == display_date(created) != "2025-05-07 10:00"
    # Minutes started by hand, the date left empty: saved with the meeting's date.
    window.nav.setCurrentRow(MINUTES)
    view.summary.setPlainText("짧은 회의")
    view.flush()
    saved = load_minutes(session.folder)
    assert saved is not None and saved.date == created
    window.open_review(session)
    assert view.date.text() == display_date(created)
    # A date typed by the user wins; cleared again, the meeting's date is back.
    view.date.setText("2024-01-02 09:30")
    view.date.textEdited.emit("2024-01-02 09:30")
    view.flush()
    saved = load_minutes(session.folder)
    assert saved is not None and saved.date == "2024-01-02T09:30"
    view.date.setText("")
    view.date.textEdited.emit("")
    view.flush()
    saved = load_minutes(session.folder)
    assert saved is not None and saved.date == created


def test_one_cancel_while_minutes_are_written_and_it_cancels(window: Any, qtbot: Any) -> None:
    """The Minutes page had Cancel next to Generate and the status bar another one."""
    from ui.workers import Job, status_bar_cancels

    session = _open(window, qtbot)
    gate = threading.Event()
    view = _generate(window, qtbot, gate)
    qtbot.waitUntil(lambda: bool(view.preview.toPlainText()), timeout=5000)
    assert view.cancel_button.isVisible() and window.progress.isVisible()
    assert not window.cancel_button.isVisible()  # the status bar shows progress only
    visible = [b for b in window.findChildren(QPushButton)
               if b.isVisible() and b.text() == view.cancel_button.text()]  # fmt: skip
    assert visible == [view.cancel_button]
    window.cancel_jobs()  # what the status bar's Cancel would do: not this job
    assert view.job is not None and not view.job.cancel.cancelled
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.job is None, timeout=5000)
    assert "Cancelled" in view.status.text() and not (session.folder / MINUTES_FILE).exists()
    # the view hears "cancelled" first; the status bar goes idle on the job's "finished"
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5000)
    assert not window.cancel_button.isVisible()
    # Other jobs keep the status bar's Cancel; the live transcript ends with Stop.
    assert status_bar_cancels(Job("Transcribing x.wav", lambda j: None))
    assert not status_bar_cancels(Job("Live transcript", lambda j: None))


def test_time_left_from_this_computers_speed(window: Any, qtbot: Any) -> None:
    """The estimate comes from the rates this computer measured before, counts down, goes
    away with the job, and the run's own rates are kept for the next one."""
    from minutes.llm.pace import SpeedBook

    book = SpeedBook.default()
    book.path.parent.mkdir(parents=True, exist_ok=True)
    book.path.write_text(json.dumps({"fake:fake-llm": {"read_tps": 2.0, "write_tps": 1.0}}))
    _open(window, qtbot)
    gate = threading.Event()
    view = _generate(window, qtbot, gate)
    qtbot.waitUntil(lambda: view.time_left.isVisible(), timeout=5000)
    assert "min left" in view.time_left.text(), view.time_left.text()
    gate.set()
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    assert not view.time_left.isVisible()
    rates = book.rates("fake:fake-llm")
    assert rates is not None and rates.read_tps > 100  # this run's own, not the seeded 2/s


def _so_far_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """summarise as after Stop of a recorded meeting: the minutes of the parts noted
    during it come first, then the model is asked about the rest."""
    from minutes.llm import summarise as module
    from minutes.meeting import ActionItem

    real = module.summarise

    def with_so_far(*args: Any, on_partial: Any = None, **kwargs: Any) -> Any:
        assert on_partial is not None, "the app asks for the minutes so far"
        on_partial(module.MinutesSoFar(
            module.Minutes(title="지금까지의 회의록", summary="앞부분의 요약.",
                           action_items=(ActionItem("보고서 초안 쓰기", "이대리", None, (1,)),),
                           segment_starts={1: 3.0}),
            125.0, 2,
        ))  # fmt: skip
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "summarise", with_so_far)


def test_the_minutes_so_far_show_read_only_until_the_rest_is_read(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _open(window, qtbot)
    _so_far_first(monkeypatch)
    gate = threading.Event()
    view = _generate(window, qtbot, gate)
    qtbot.waitUntil(lambda: view.so_far is not None, timeout=5000)
    assert view.title.text() == "지금까지의 회의록"
    assert view.so_far_note.isVisible() and "from 2:05 on." in view.so_far_note.text()
    assert view.summary.isReadOnly() and view.title.isReadOnly()
    assert not view.export_button.isEnabled() and not view.add_action.isEnabled()
    cell = view.actions_model.index(0, Col.Task)
    assert not view.actions_model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not view.actions_model.setData(cell, "바꿈")
    assert not (session.folder / MINUTES_FILE).exists(), "the minutes so far are not saved"
    assert view.so_far is not None
    view._show_so_far(replace(view.so_far, lines_before=2))  # task lines asked before it
    assert "from 2:05 on, and 2 earlier task line(s)." in view.so_far_note.text()

    gate.set()
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    assert view.so_far is None and not view.so_far_note.isVisible()
    assert not view.summary.isReadOnly() and view.export_button.isEnabled()
    saved = load_minutes(session.folder)
    assert saved is not None and saved.title == view.title.text() != "지금까지의 회의록"
    assert view.actions_model.flags(cell) & Qt.ItemFlag.ItemIsEditable


def test_cancel_after_the_minutes_so_far_brings_back_the_minutes_before(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _open(window, qtbot)
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    before = load_minutes(session.folder)
    assert before is not None
    from minutes.llm.call_cache import FILE

    # The replies kept by the first run would make the second one ask nothing, and end
    # before Cancel: the model is to be asked again.
    (session.folder / FILE).unlink()
    _so_far_first(monkeypatch)
    gate = threading.Event()
    view = _generate(window, qtbot, gate)
    qtbot.waitUntil(lambda: view.so_far is not None, timeout=5000)
    assert view.title.text() == "지금까지의 회의록" and view.job is not None
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.job is None, timeout=5000)
    assert view.so_far is None and view.title.text() == before.title
    shown = view.current_minutes()
    assert shown is not None and shown.summary == before.summary
    assert [a.text for a in shown.action_items] == [a.text for a in before.action_items]
    after = load_minutes(session.folder)
    assert after is not None and (after.title, after.summary) == (before.title, before.summary)
    assert not view.summary.isReadOnly()
