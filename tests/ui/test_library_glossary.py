"""Library (search, rename, delete), glossary editor (edit, CSV/JSON, errors), settings, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from minutes.config import Config
from minutes.session import Session, list_sessions
from tests.ui.helpers import make_session


def test_library_lists_searches_renames_deletes(window: Any, qtbot: Any, answers: dict) -> None:
    root = window.engine.sessions_root
    make_session(root, "Weekly sync")
    make_session(root, "Design review")
    window.library.reload()
    lib = window.library
    assert lib.proxy.rowCount() == 2
    titles = {lib.proxy.index(r, 0).data() for r in range(2)}
    assert titles == {"Weekly sync", "Design review"}
    assert lib.proxy.index(0, 2).data() == "0:20" and lib.proxy.index(0, 3).data() == "ko"
    qtbot.keyClicks(lib.search, "kubernetes")  # in the reviewed transcript, not the title
    assert lib.proxy.rowCount() == 2
    lib.search.setText("design")
    assert lib.proxy.rowCount() == 1
    lib.table.selectRow(0)
    lib.proxy.setData(lib.proxy.index(0, 0), "디자인 리뷰")
    assert {s.meta.title for s in list_sessions(root)} == {"Weekly sync", "디자인 리뷰"}
    lib.search.setText("디자인")
    assert lib.proxy.rowCount() == 1
    answers["ask"] = False
    lib.table.selectRow(0)
    lib.delete_selected()
    assert len(list_sessions(root)) == 2 and "디자인 리뷰" in answers["asked"][0]
    answers["ask"] = True
    lib.delete_selected()
    assert [s.meta.title for s in list_sessions(root)] == ["Weekly sync"]


def test_open_from_library(window: Any, qtbot: Any) -> None:
    session = make_session(window.engine.sessions_root)
    window.library.reload()
    index = window.library.proxy.index(0, 0)
    rect = window.library.table.visualRect(index)
    viewport = window.library.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.review.session is not None
    assert window.review.session.folder == session.folder


def test_glossary_editor(window: Any, qtbot: Any, tmp_path: Path, answers: dict) -> None:
    view = window.glossary
    view.new_term.setText("Kubernetes")
    qtbot.keyClick(view.new_term, Qt.Key.Key_Return)
    assert window.engine.glossary().get("Kubernetes") is not None
    row = view.proxy.index(0, 1)
    assert view.proxy.setData(row, "쿠버네티스 | 쿠베")
    assert window.engine.glossary().get("Kubernetes").variants == ("쿠버네티스", "쿠베")
    # CSV from Excel in CP949, with a category and a note.
    csv = tmp_path / "terms.csv"
    text = "term,variants,category,note\nGitHub,깃허브|깃헙,dev,코드 저장소\n"
    csv.write_bytes(text.encode("cp949"))
    assert view.import_file(csv)
    assert window.engine.glossary().get("GitHub").note == "코드 저장소"
    assert view.proxy.rowCount() == 2
    view.search.setText("저장소")
    assert view.proxy.rowCount() == 1
    view.search.setText("")
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert view.proxy.index(0, 0).data() == "Kubernetes"
    # Bad input gives a clear error naming the file and line.
    bad = tmp_path / "bad.json"
    bad.write_text('{"terms": [', encoding="utf-8")
    errors: list[str] = []
    view.errorOccurred.disconnect()
    view.errorOccurred.connect(errors.append)
    assert not view.import_file(bad)
    assert "bad.json" in errors[0]
    assert not view.proxy.setData(view.proxy.index(0, 0), "GitHub")  # duplicate canonical
    assert "already" in errors[-1]
    out = tmp_path / "out.json"
    assert view.export_file(out) and "깃허브" in out.read_text(encoding="utf-8")
    view.table.selectRow(0)
    view.delete_selected()
    assert window.engine.glossary().get("Kubernetes") is None


def test_settings_saved_to_core_config(window: Any, qtbot: Any, tmp_path: Path) -> None:
    dialog = window.open_settings()
    dialog.language.setCurrentIndex(dialog.language.findData("ko"))
    dialog.model.setCurrentIndex(dialog.model.findData("tiny.en"))
    dialog.hints.setChecked(True)
    dialog.folder.setText(str(tmp_path / "meetings"))
    dialog.accept()
    cfg = Config.load()
    assert (cfg.language, cfg.model, cfg.glossary_hints) == ("ko", "tiny.en", True)
    assert cfg.sessions_root() == tmp_path / "meetings"
    assert window.model_label.text() == "Model: tiny.en"
    assert window.library.model.root == tmp_path / "meetings"


def test_export_dialog(window: Any, qtbot: Any, tmp_path: Path) -> None:
    session = make_session(window.engine.sessions_root)
    window.open_review(Session.open(session.folder))
    window.export_dir = tmp_path / "out"
    window.export_current()
    dialog = window.last_export
    for fmt, box in dialog.checks.items():
        box.setChecked(fmt in ("md", "srt", "docx", "json"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=10_000)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"{dialog.stem.text()}.{f}" for f in ("docx", "json", "md", "srt")]
    assert "Kubernetes" in (tmp_path / "out" / f"{dialog.stem.text()}.md").read_text()
    for box in dialog.checks.values():
        box.setChecked(False)
    dialog.export()
    assert "at least one format" in dialog.status.text()


def test_import_bad_file_is_reported_before_any_thread(
    window: Any, tmp_path: Path, answers: dict
) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    window.import_files([bad])
    assert answers["errors"] and "notes.wav" in answers["errors"][0]
    assert window.runner.jobs == []


def test_a_glossary_edit_reaches_every_meeting(window: Any, qtbot: Any) -> None:
    """A term added while one meeting is open corrects that one (header count included)
    and, in the background, the others; a meeting made elsewhere is brought up to date
    when it is opened."""
    from glossary.terms import Glossary
    from minutes.recheck import correct_session
    from minutes.session import Session
    from minutes.types import Segment, Transcript

    window.engine.config.guided_decoding = False  # the text matcher only: no model here
    root = window.engine.sessions_root
    meetings = []
    for title in ("open one", "other one", "later one"):
        session = Session.create(root, title)
        transcript = Transcript("ko", 3.0, (Segment(0, 0.0, 3.0, "깃허브에 올렸어요"),))
        session.save_asr(transcript, "k", {})
        correct_session(session, transcript, Glossary(), None)
        meetings.append(session)
    opened, other, later = meetings
    window.review.open_session(opened)
    assert "0 changes" in window.review.title.text()

    view = window.glossary
    view.new_term.setText("GitHub")
    qtbot.keyClick(view.new_term, Qt.Key.Key_Return)
    assert view.proxy.setData(view.proxy.index(0, 1), "깃허브")

    qtbot.waitUntil(lambda: "1 changes" in window.review.title.text(), timeout=20_000)
    assert window.review.document().segments[0].text == "GitHub에 올렸어요"
    qtbot.waitUntil(
        lambda: [c.after for c in Session.open(other.folder).load_corrections()] == ["GitHub"],
        timeout=20_000,
    )
    # A meeting the background job has not reached yet (here: its key made stale again)
    # is corrected when opened.
    later.save_corrections([], "an older glossary")
    window.review.open_session(Session.open(later.folder))
    qtbot.waitUntil(lambda: "1 changes" in window.review.title.text(), timeout=20_000)


def test_qt_file_dialogs_speak_korean(window: Any, qtbot: Any, qapp: Any) -> None:
    """Under Xvfb (no desktop file dialog) Qt's own dialog said "Look in:" / "Files of
    type:": Qt 6's Korean catalogue lacks those two labels (they gained a mnemonic), so
    ours carries them. The glossary's Import… dialog, as the app opens it."""
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

    from ui import i18n

    i18n.install(qapp, "ko")
    seen: dict[str, Any] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, look)
            return
        seen["labels"] = [label.text() for label in dialog.findChildren(QLabel)
                          if label.isVisible() and label.text()]  # fmt: skip
        seen["texts"] = [dialog.labelText(x) for x in QFileDialog.DialogLabel]
        dialog.reject()

    try:
        QTimer.singleShot(20, look)
        window.glossary._import_dialog()
        # Its Type column: Qt 6 asks another context than its Korean catalogue has.
        folder = QCoreApplication.translate(
            "QAbstractFileIconProvider", "Folder", "All other platforms"
        )
        unknown = QCoreApplication.translate("NoSuchContext", "Not translated")
    finally:
        i18n.install(qapp, "en")
    assert folder == "폴더" and unknown == "Not translated"  # nothing else is blanked
    assert seen["texts"][:3] == ["다음에서 찾기(&L):", "파일 이름(&N):", "파일 형식(&T):"]
    assert all(not t.isascii() for t in seen["texts"])  # Open and Cancel too
    assert "다음에서 찾기(&L):" in seen["labels"] and "파일 형식(&T):" in seen["labels"]
    assert not any(t.replace("&", "").startswith(("Look in", "Files of")) for t in seen["labels"])
