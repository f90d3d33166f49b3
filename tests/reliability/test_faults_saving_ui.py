"""Saving on a full disk: review decisions, speaker names, glossary, minutes, exports.

Each case runs twice: with ENOSPC injected at the fsync of the atomic write, and
on a real tiny tmpfs filled to the last byte (skipped where `mount` is not
allowed). The user must read a clear message once, the previous file must be
intact, the edit must stay in memory, and it must be saved once space is freed.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytestqt", reason="UI tests need pytest-qt and PySide6")
from PySide6.QtCore import Qt

from glossary.store import GlossaryStore
from minutes.meeting import MINUTES_FILE, load_minutes
from minutes.session import Session
from minutes.types import CorrectionStatus
from tests.reliability.test_faults_recording import small_tmpfs
from tests.ui import conftest as ui
from tests.ui.helpers import GLOSSARY, make_meeting
from tests.ui.test_minutes_view import _generate

_app_setup, answers, engine, window = ui._app_setup, ui.answers, ui.engine, ui.window


class Disk:
    """Where the meeting and the glossary live, and a switch that makes that disk full."""

    def __init__(self, root: Path, fill: Callable[[], None], free: Callable[[], None]) -> None:
        self.root, self.fill, self.free = root, fill, free


@pytest.fixture(params=["injected", "tmpfs"])
def disk(request: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    if request.param == "injected":
        real_fsync = os.fsync
        full = {"on": False}

        def fsync(fd: int) -> None:
            if full["on"]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        yield Disk(tmp_path / "disk", lambda: full.update(on=True),
                   lambda: full.update(on=False))  # fmt: skip
        return
    with small_tmpfs(tmp_path, "4m") as root:
        filler = root / "filler.bin"

        def fill() -> None:
            with filler.open("ab") as fh, contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()

        yield Disk(root, fill, lambda: filler.unlink(missing_ok=True))


def _open_meeting(window: Any, qtbot: Any, disk: Disk) -> Session:
    window.engine.config.sessions_folder = str(disk.root / "meetings")
    window.engine.glossary_store = GlossaryStore(disk.root / "glossary.json")
    window.engine.glossary_store.save(GLOSSARY)
    session = make_meeting(disk.root / "meetings")
    window.library.reload()
    window.open_review(session)
    qtbot.waitUntil(lambda: window.review.model.rowCount() == 5)
    return session


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_review_decision_on_a_full_disk_is_kept_then_saved(
    window: Any, qtbot: Any, disk: Disk, answers: dict[str, Any]
) -> None:
    session = _open_meeting(window, qtbot, disk)
    review = window.review
    path = session.folder / "corrections.json"
    before = path.read_bytes()
    disk.fill()
    first = review.current()
    review.accept_current()
    review.undo_stack.undo()  # more edits while still full: no second dialog
    review.undo_stack.redo()
    assert len(answers["errors"]) == 1
    message = answers["errors"][0]
    assert "Cannot save the review: the disk is full" in message and "stay in the window" in message
    assert path.read_bytes() == before and _no_temp_files(session.folder)
    assert review.model.correction(first.id).status is CorrectionStatus.ACCEPTED  # in memory
    assert review.saves.pending and review.saves._timer.isActive()  # retried by itself
    disk.free()
    assert review.saves.retry() and not review.saves.pending
    saved = {c.id: c.status for c in Session.open(session.folder).load_corrections()}
    assert saved == {c.id: c.status for c in review.model.corrections}
    assert saved[first.id] is CorrectionStatus.ACCEPTED
    assert len(answers["errors"]) == 1


def test_speaker_names_on_a_full_disk_are_kept_then_saved(
    window: Any, qtbot: Any, disk: Disk, answers: dict[str, Any]
) -> None:
    session = _open_meeting(window, qtbot, disk)
    before = (session.folder / "session.json").read_bytes()
    disk.fill()
    window.review.rename_speaker("SPEAKER_0", "박부장")
    assert "Cannot save the speaker names: the disk is full" in answers["errors"][-1]
    assert (session.folder / "session.json").read_bytes() == before
    assert window.review.model.speaker_names["SPEAKER_0"] == "박부장"
    disk.free()
    assert window.review.saves.retry()
    assert Session.open(session.folder).meta.speaker_names["SPEAKER_0"] == "박부장"


def test_glossary_edit_on_a_full_disk_is_kept_then_saved(
    window: Any, qtbot: Any, disk: Disk, answers: dict[str, Any]
) -> None:
    _open_meeting(window, qtbot, disk)
    store = window.engine.glossary_store
    before = store.path.read_bytes()
    disk.fill()
    view = window.glossary
    view.new_term.setText("Terraform")
    qtbot.keyClick(view.new_term, Qt.Key.Key_Return)
    assert "Cannot save the glossary: the disk is full" in answers["errors"][-1]
    assert store.path.read_bytes() == before
    assert "Terraform" in [t.canonical for t in view.model.glossary]
    changed: list[Any] = []
    view.glossaryChanged.connect(changed.append)
    disk.free()
    assert view.saves.retry()
    assert "Terraform" in [t.canonical for t in store.load()]
    assert changed  # the open meeting is re-corrected with the saved glossary


def test_minutes_edit_on_a_full_disk_is_kept_then_saved(
    window: Any, qtbot: Any, disk: Disk, answers: dict[str, Any]
) -> None:
    session = _open_meeting(window, qtbot, disk)
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    before = (session.folder / MINUTES_FILE).read_bytes()
    disk.fill()
    view.summary.setPlainText("디스크가 가득 찬 동안 고친 요약")
    view.flush()
    assert "Cannot save the minutes: the disk is full" in answers["errors"][-1]
    assert (session.folder / MINUTES_FILE).read_bytes() == before
    assert view.summary.toPlainText() == "디스크가 가득 찬 동안 고친 요약"
    disk.free()
    assert view.saves.retry()
    assert load_minutes(session.folder).summary == "디스크가 가득 찬 동안 고친 요약"  # type: ignore[union-attr]


def test_quitting_with_unsaved_changes_asks_first(
    window: Any, qtbot: Any, disk: Disk, answers: dict[str, Any]
) -> None:
    session = _open_meeting(window, qtbot, disk)
    disk.fill()
    window.review.accept_current()
    answers["ask"] = False
    window.close()
    assert window.isVisible() and "could not be saved" in answers["asked"][-1]
    disk.free()
    answers["asked"].clear()
    window.close()  # the retry at close succeeds: no question, nothing lost
    assert not window.isVisible() and answers["asked"] == []
    assert any(c.status is CorrectionStatus.ACCEPTED
               for c in Session.open(session.folder).load_corrections())  # fmt: skip


def test_export_on_a_full_disk_leaves_no_half_file(
    window: Any, qtbot: Any, disk: Disk
) -> None:
    _open_meeting(window, qtbot, disk)
    out = disk.root / "exports"
    out.mkdir()
    window.export_dir = out
    window.export_current()
    dialog = window.last_export
    for fmt, box in dialog.checks.items():
        box.setChecked(fmt in ("docx", "md"))
    disk.fill()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=10_000)
    assert "disk is full" in dialog.status.text()
    assert list(out.iterdir()) == []  # no half file under the final name, no temp file
    disk.free()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=10_000)
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".md"]


def test_save_failure_reads_in_korean(
    window: Any, qtbot: Any, answers: dict[str, Any], qapp: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import i18n

    session = _open_meeting(window, qtbot, Disk(tmp_path, lambda: None, lambda: None))
    i18n.install(qapp, "ko")
    try:
        monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(
            OSError(errno.ENOSPC, "No space left on device")))  # fmt: skip
        window.review.accept_current()
    finally:
        i18n.install(qapp, "en")
    assert "디스크가 가득 찼습니다" in answers["errors"][-1]
    assert "검토 내용을 저장할 수 없습니다" in answers["errors"][-1]
    monkeypatch.undo()
    assert window.review.saves.retry() and Session.open(session.folder).load_corrections()


def test_minutes_export_on_a_full_disk_leaves_no_half_file(
    window: Any, qtbot: Any, disk: Disk
) -> None:
    _open_meeting(window, qtbot, disk)
    view = _generate(window, qtbot)
    qtbot.waitUntil(lambda: view.job is None, timeout=10_000)
    out = disk.root / "minutes-out"
    out.mkdir()
    view.export_dir = out
    view.export()
    dialog = view.last_export
    dialog.folder.setText(str(out))
    disk.fill()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=20_000)
    assert "disk is full" in dialog.status.text()
    assert list(out.iterdir()) == []
    disk.free()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=20_000)
    assert len(list(out.iterdir())) == len(dialog.written) > 0
