from pathlib import Path

import pytest

from minutes import modelstore
from minutes.modelstore import ModelError, check_local_folder, resolve


def test_unknown_model_name_explains_options() -> None:
    with pytest.raises(ModelError, match=r"base, tiny\.en"):
        resolve("large-v9")


def test_hub_name_only_when_downloads_allowed() -> None:
    r = resolve("small", allow_download=True)
    assert not r.local and r.path == "small"


def test_local_folder_checks(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        resolve(str(tmp_path / "missing"))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=r"missing model\.bin"):
        check_local_folder(tmp_path)
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelError, match="truncated"):
        check_local_folder(tmp_path)


def test_missing_package_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        modelstore.EMBEDDED,
        "base",
        modelstore.EmbeddedModel(
            "base", "x", ("no_such_pkg_part1", "no_such_pkg_part2"), "0" * 64, 1, True
        ),
    )
    with pytest.raises(ModelError, match=r"not installed.*make install"):
        modelstore.assemble_embedded("base")


@pytest.mark.slow
def test_embedded_base_assembles_verifies_and_detects_corruption(
    base_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINUTES_DATA_DIR", str(tmp_path))
    folder = modelstore.verify_embedded("base")
    assert (folder / "model.bin").stat().st_size == modelstore.EMBEDDED["base"].size
    assert resolve("base").path == str(folder)
    # Flip one byte: the size still matches, only the hash can tell.
    with (folder / "model.bin").open("r+b") as fh:
        fh.seek(1000)
        b = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(ModelError, match="corrupt"):
        modelstore.verify_embedded("base")


def test_tiny_en_is_used_in_place() -> None:
    try:
        path = Path(modelstore.assemble_embedded("tiny.en"))
    except ModelError as exc:
        pytest.skip(f"tiny.en not installed: {exc}")
    check_local_folder(path)


def test_missing_llm_package_says_how_to_get_a_language_model() -> None:
    """A bundle without the GGUF packages: the message names the LLM's requirements
    file and the other ways (a .gguf file, a server), not the Whisper models'."""
    from dataclasses import replace

    from minutes.llm.modelstore import EMBEDDED_LLM, part_files

    model = replace(next(iter(EMBEDDED_LLM.values())), packages=("no_such_llm_part",))
    with pytest.raises(ModelError) as info:
        part_files(model)
    message = str(info.value)
    assert "requirements-llm.txt" in message and "requirements-models.txt" not in message
    assert ".gguf" in message and "Ollama" in message
