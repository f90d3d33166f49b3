"""Minutes templates: which sections, their headings, extra instructions.

Shipped templates live in ``resources/templates/minutes/<name>.toml``. A user
copy in ``<data folder>/templates/minutes/<name>.toml`` overrides the shipped
one of the same name (and new names add templates); `copy_for_editing`
puts a shipped template there for the user to change.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from minutes import config
from minutes.llm.errors import LlmError
from minutes.resources import resources_dir

SECTIONS = ("summary", "discussion", "decisions", "action_items", "open_questions")
DEFAULT_TEMPLATE = "general"
_FALLBACK_HEADINGS = {
    "summary": "Summary",
    "discussion": "Discussion",
    "decisions": "Decisions",
    "action_items": "Action items",
    "open_questions": "Open questions",
}


@dataclass(frozen=True)
class Template:
    """One minutes template."""

    name: str
    version: int
    sections: tuple[str, ...]
    instructions: str
    label: Mapping[str, str]
    title: Mapping[str, str]
    headings: Mapping[str, Mapping[str, str]]
    path: Path

    def heading(self, section: str, language: str) -> str:
        """A section's heading in `language` (English, then a built-in fallback)."""
        for lang in (language, "en"):
            text = self.headings.get(lang, {}).get(section)
            if text:
                return text
        return _FALLBACK_HEADINGS.get(section, section)

    def default_title(self, language: str) -> str:
        return self.title.get(language) or self.title.get("en") or "Meeting minutes"

    def display_name(self, language: str) -> str:
        return self.label.get(language) or self.label.get("en") or self.name


def shipped_dir() -> Path:
    return resources_dir() / "templates" / "minutes"


def user_dir() -> Path:
    return config.data_dir() / "templates" / "minutes"


def _paths() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in (shipped_dir(), user_dir()):  # user copies last: they win
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = path
    return found


def list_templates() -> list[str]:
    """Names of all templates, shipped and user-made, general first."""
    names = sorted(_paths())
    return sorted(names, key=lambda n: (n != DEFAULT_TEMPLATE, n))


def load_template(name: str = DEFAULT_TEMPLATE) -> Template:
    """Load a template by name (a user copy wins over the shipped one).

    Raises:
        LlmError: Unknown name or malformed file.
    """
    path = _paths().get(name)
    if path is None:
        raise LlmError(
            f"unknown minutes template {name!r}; choose from {', '.join(list_templates())}"
        )
    return parse_template(path)


def parse_template(path: Path) -> Template:
    """Read and check one template file.

    Raises:
        LlmError: The file is unreadable or names unknown sections.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LlmError(f"cannot read template {path}: {exc}") from exc
    sections = tuple(str(s) for s in data.get("sections") or SECTIONS)
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise LlmError(f"template {path}: unknown sections {unknown}; use {', '.join(SECTIONS)}")
    headings = data.get("headings") or {}
    return Template(
        name=str(data.get("name") or path.stem),
        version=int(data.get("version") or 1),
        sections=sections,
        instructions=str(data.get("instructions") or ""),
        label=dict(data.get("label") or {}),
        title=dict(data.get("title") or {}),
        headings={str(k): dict(v) for k, v in headings.items() if isinstance(v, dict)},
        path=path,
    )


def copy_for_editing(name: str) -> Path:
    """Copy a template into the user's folder (if not there yet) and return its path."""
    template = load_template(name)
    target = user_dir() / f"{name}.toml"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template.path, target)
    return target
