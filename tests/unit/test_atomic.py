import errno
import json
import os
from pathlib import Path

import pytest

from minutes.atomic import atomic_write_json, atomic_write_text


def test_atomic_write_replaces_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.json"
    atomic_write_json(target, {"x": "한글"})
    atomic_write_json(target, {"x": 2})
    assert json.loads(target.read_text(encoding="utf-8")) == {"x": 2}
    assert [p.name for p in target.parent.iterdir()] == ["b.json"]


def test_failed_write_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "edits.json"
    atomic_write_text(target, "old")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError) as info:
        atomic_write_text(target, "new")
    assert info.value.errno == errno.ENOSPC
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["edits.json"]


def test_new_files_get_normal_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "shared.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "shared.txt").stat().st_mode & 0o777 == 0o644
