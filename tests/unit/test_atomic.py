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


def test_temp_files_left_by_a_killed_writer_are_cleaned_up_later(tmp_path: Path) -> None:
    import os
    import time

    from minutes.atomic import STALE_TEMP_SECONDS, atomic_write_json

    target = tmp_path / "session.json"
    old = tmp_path / ".session.json.abc123.tmp"  # a writer killed an hour ago
    young = tmp_path / ".session.json.def456.tmp"  # another writer, still running
    other = tmp_path / ".glossary.json.abc123.tmp"  # not this file's
    for path in (old, young, other):
        path.write_text("{")
    past = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    atomic_write_json(target, {"a": [1, 2]})
    assert not old.exists() and young.exists() and other.exists()
    assert target.read_text() == '{\n  "a": [\n    1,\n    2\n  ]\n}\n'
