"""User configuration and folders.

Nothing happens at import time: folders are resolved and created only when a
function asks for them. `MINUTES_DATA_DIR` overrides the data folder (tests,
portable installs). Secrets (API keys) never live here; they go to the OS
keyring.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from minutes.atomic import atomic_write_json

logger = logging.getLogger(__name__)

APP_NAME = "minutes"


def data_dir() -> Path:
    """The user data folder (models, glossary, sessions, profiles)."""
    override = os.environ.get("MINUTES_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return data_dir() / "config.json"


def models_dir() -> Path:
    return data_dir() / "models"


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def voices_dir() -> Path:
    """Saved voice profiles (one file per named person)."""
    return data_dir() / "voices"


def glossary_path() -> Path:
    return data_dir() / "glossary.json"


@dataclass
class Config:
    """Settings shared by the CLI and the GUI (window state lives in Qt)."""

    model: str = "base"  # "base", "tiny.en", a local folder, or a hub model name
    language: str = "auto"  # "ko", "en" or "auto"
    glossary_hints: bool = False  # pass glossary terms to Whisper as hotwords
    guided_decoding: bool = True  # re-decode where a glossary term is plausible (minutes.guided)
    batch_size: int = 8
    beam_size: int = 5
    cpu_threads: int = 0  # 0 = all cores
    allow_download: bool = False  # hub downloads only when the user opts in
    sessions_folder: str | None = None
    diarize: bool = False  # find speakers (who spoke when) after transcription
    speakers: int | None = None  # exact number of speakers when diarizing; None = automatic
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.diarize = bool(self.diarize)
        n = self.speakers
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            logger.warning("ignoring config speakers=%r: not a positive whole number", n)
            self.speakers = None

    @classmethod
    def load(cls, path: Path | None = None) -> Config:
        """Read the config; a missing or broken file gives defaults (logged)."""
        path = path or config_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            logger.warning("ignoring unreadable config %s: %s", path, exc)
            return cls()
        if not isinstance(raw, dict):
            logger.warning("ignoring config %s: not a JSON object", path)
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        try:
            return cls(**values)
        except TypeError as exc:
            logger.warning("ignoring config %s: %s", path, exc)
            return cls()

    def save(self, path: Path | None = None) -> None:
        atomic_write_json(path or config_path(), asdict(self))

    def sessions_root(self) -> Path:
        return Path(self.sessions_folder).expanduser() if self.sessions_folder else sessions_dir()
