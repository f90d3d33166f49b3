"""Where the shipped resources (prompts, minutes templates, speaker model) are.

In a source checkout or an editable install they are the repository's
``resources/`` folder. A wheel cannot put files next to the packages outside
them, so it installs them as data files under ``<prefix>/share/minutes/``
(see ``[tool.setuptools.data-files]`` in pyproject.toml).
``MINUTES_RESOURCES`` points elsewhere, for a user's own copy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV = "MINUTES_RESOURCES"
SOURCE_TREE = Path(__file__).resolve().parents[1] / "resources"
INSTALLED = Path(sys.prefix) / "share" / "minutes"


def resources_dir() -> Path:
    """The folder holding ``prompts/`` and ``templates/``: the override, the source tree's
    ``resources/``, else the installed data files."""
    override = os.environ.get(ENV)
    if override:
        return Path(override).expanduser()
    if (SOURCE_TREE / "prompts").is_dir():
        return SOURCE_TREE
    return INSTALLED
