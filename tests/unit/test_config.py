"""Config: speakers settings round-trip; bad values fall back without losing the rest."""

from __future__ import annotations

import json
from pathlib import Path

from minutes.config import Config


def test_speaker_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    assert (Config().diarize, Config().speakers) == (False, None)
    Config(language="ko", diarize=True, speakers=3).save(path)
    cfg = Config.load(path)
    assert (cfg.language, cfg.diarize, cfg.speakers) == ("ko", True, 3)


def test_a_bad_number_of_speakers_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    for bad in ("3", 0, -2, True, 2.5):
        path.write_text(json.dumps({"language": "ko", "diarize": 1, "speakers": bad}))
        cfg = Config.load(path)
        assert (cfg.language, cfg.diarize, cfg.speakers) == ("ko", True, None), bad
