"""What the kill loop checks after every SIGKILL: files parse, nothing is lost, the app starts.

Each check reads files through the app's own loaders (the ones the library,
review and minutes views call), so "valid" means "the app can open it".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def is_atomic_leftover(path: Path) -> bool:
    """A temp file of an interrupted atomic write (`.<name>.<random>.tmp`, see minutes.atomic)."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def check_json_file(path: Path) -> None:
    """Load one JSON file the way the app loads a file of that name; raise if it is broken."""
    from glossary.store import load_user_glossary
    from minutes.capture_disk import read_manifest
    from minutes.config import Config
    from minutes.export.contract import load_document
    from minutes.meeting import load_minutes, minutes_from_json
    from minutes.session import ASR_PARTIAL, Session

    name, folder = path.name, path.parent
    if name == ASR_PARTIAL:
        if checkpoint_until(folder) is None:
            raise ValueError("the ASR checkpoint cannot be resumed from")
        return
    data = json.loads(path.read_text(encoding="utf-8"))  # any JSON file must parse
    if name == "session.json":
        Session.open(folder)
    elif name == "asr.json":
        if Session.open(folder).load_asr() is None:
            raise ValueError("asr.json gives no transcript")
    elif name == "diarization.json":
        Session.open(folder).load_diarization()
    elif name == "corrections.json":
        Session.open(folder).load_corrections()
    elif name == "minutes.json" and (folder / "session.json").is_file():
        load_minutes(folder)
    elif name == "recording.json":
        manifest = read_manifest(folder)
        if not manifest or "state" not in manifest:
            raise ValueError("recording manifest without state")
    elif name == "config.json":
        if not isinstance(data, dict):
            raise ValueError("config is not an object")
        Config(**{k: v for k, v in data.items() if k in Config.__dataclass_fields__})
    elif name == "glossary.json":
        load_user_glossary(path)
    elif name.endswith(".minutes.json"):
        minutes_from_json(path.read_text(encoding="utf-8"))
    elif data.get("schema", "").startswith("minutes.transcript/"):
        load_document(path)


def checkpoint_until(folder: Path) -> float | None:
    """Audio time an unfinished ASR run resumes from, read as the pipeline reads it
    (a line torn by the kill is dropped by the loader); None without a usable checkpoint."""
    from minutes.session import ASR_PARTIAL, Session

    path = folder / ASR_PARTIAL
    if not path.is_file():
        return None
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    checkpoint = Session.open(folder).load_asr_checkpoint(str(header["stage"]["key"]))
    return checkpoint.done_until if checkpoint else None


def scan(folder: Path) -> dict[str, Any]:
    """Every file under `folder`: broken JSON/WAV files and atomic-write leftovers."""
    import soundfile as sf

    corrupt: list[str] = []
    leftovers: list[str] = []
    files = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        files += 1
        rel = str(path.relative_to(folder))
        if is_atomic_leftover(path) or path.suffix == ".partial":
            leftovers.append(rel)
            continue
        try:
            if path.suffix in (".json", ".jsonl"):
                check_json_file(path)
            elif path.suffix == ".wav":
                sf.info(str(path))
        except Exception as exc:
            corrupt.append(f"{rel}: {type(exc).__name__}: {exc}")
    return {"files": files, "corrupt": corrupt, "leftovers": leftovers}


def app_check(data_dir: Path, timeout: float = 120) -> dict[str, Any]:
    """Start the real main window offscreen on `data_dir` (scripts/reliability/app_check.py)."""
    env = {**os.environ, "MINUTES_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("app_check.py"))],
        env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )  # fmt: skip
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"ok": False, "errors": [f"app exited {proc.returncode}: {proc.stderr[-800:]}"]}
    result: dict[str, Any] = json.loads(lines[-1])
    opened = result.get("opened", {})
    result["ok"] = (
        proc.returncode == 0
        and not result["errors"]
        and all(v["opened"] and v["minutes"] for v in opened.values())
    )
    return result
