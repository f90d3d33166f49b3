"""Model files missing or truncated: Whisper folders, embedded models, GGUF, the speaker ONNX.

Every case must end in a user error (USER_ERRORS) whose message says how to fix
it, and the CLI must exit with status 1 and that message instead of a traceback.
Truncated copies are made in tmp from the real files (only their first bytes
are read: no 491 MB copy).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from minutes import modelstore
from minutes.diarize import embedder
from minutes.diarize.embedder import VoiceEncoder
from minutes.diarize.types import DiarizationError
from minutes.errors import USER_ERRORS
from minutes.llm import modelstore as llm_store
from minutes.llm.engines import open_engine
from minutes.llm.errors import EngineUnavailable
from minutes.llm.settings import LlmSettings
from minutes.modelstore import ModelError

ROOT = Path(__file__).resolve().parents[2]
ONNX = ROOT / "resources" / "models" / embedder.MODEL_FILENAME
JFK = ROOT / "resources" / "samples" / "jfk.flac"


def head_copy(src: Path, dst: Path, n_bytes: int) -> Path:
    """The first `n_bytes` of `src` as `dst`: a truncated file, cheaply."""
    with src.open("rb") as fh:
        dst.write_bytes(fh.read(n_bytes))
    return dst


@pytest.fixture(scope="module")
def tiny_en() -> Path:
    try:
        return Path(modelstore.assemble_embedded("tiny.en"))
    except ModelError as exc:
        pytest.skip(f"tiny.en not installed: {exc}")


def whisper_copy(tiny_en: Path, dst: Path, model_bytes: int | None) -> Path:
    """tiny.en's folder in tmp; model.bin left out (None) or cut to `model_bytes`."""
    dst.mkdir()
    for f in tiny_en.iterdir():
        if f.name != "model.bin":
            shutil.copyfile(f, dst / f.name)
    if model_bytes is not None:
        head_copy(tiny_en / "model.bin", dst / "model.bin", model_bytes)
    return dst


# -- Whisper ---------------------------------------------------------------------------
def test_whisper_folder_without_model_bin(tiny_en: Path, tmp_path: Path) -> None:
    folder = whisper_copy(tiny_en, tmp_path / "tiny", None)
    with pytest.raises(ModelError, match=r"missing model\.bin.*Convert"):
        modelstore.resolve(str(folder))


def test_truncated_whisper_model_is_a_clear_error(tiny_en: Path, tmp_path: Path) -> None:
    from minutes.asr import WhisperTranscriber

    folder = whisper_copy(tiny_en, tmp_path / "tiny", 10_000_000)
    modelstore.resolve(str(folder))  # passes the cheap checks: only loading can tell
    with pytest.raises(ModelError) as info:
        WhisperTranscriber(str(folder), name="tiny-cut")._load()
    message = str(info.value)
    assert isinstance(info.value, USER_ERRORS)
    assert str(folder) in message and "minutes models --verify" in message


def test_cli_transcribe_with_a_truncated_model_exits_cleanly(
    tiny_en: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from minutes.cli import main

    folder = whisper_copy(tiny_en, tmp_path / "tiny", 10_000_000)
    code = main(["-q", "transcribe", str(JFK), "--model", str(folder), "--language", "en",
                 "--out", str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "error: Cannot load the Whisper model" in err
    assert "minutes models --verify" in err and "Traceback" not in err


def test_damaged_embedded_tiny_en_is_reported_by_models(
    tiny_en: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = whisper_copy(tiny_en, tmp_path / "pkg", 1_000_000)
    monkeypatch.setattr(modelstore, "_embedded_sources",
                        lambda m: (folder, [folder / "model.bin"]) if m.name == "tiny.en"
                        else (_ for _ in ()).throw(ModelError("not installed here")))  # fmt: skip
    with pytest.raises(ModelError, match=r"'tiny.en' is damaged.*make install"):
        modelstore.assemble_embedded("tiny.en")
    from minutes.cli import cmd_models

    class Args:
        verify = False

    monkeypatch.setattr(llm_store, "list_llm_models", lambda verify=False: [])
    assert cmd_models(Args()) == 1  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "tiny.en" in out and "MISSING" in out and "is damaged" in out


def _fake_split_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> list[Path]:
    """The embedded 'base' model replaced by two small parts in tmp (same code path)."""
    parts = [tmp_path / "p1" / "model.bin.part1", tmp_path / "p2" / "model.bin.part2"]
    half = len(content) // 2
    for part, data in zip(parts, (content[:half], content[half:]), strict=True):
        part.parent.mkdir()
        part.write_bytes(data)
    (parts[0].parent / "config.json").write_text("{}")
    digest = hashlib.sha256(content).hexdigest()
    fake = modelstore.EmbeddedModel("base", "fake", ("a", "b"), digest, len(content), True)
    monkeypatch.setitem(modelstore.EMBEDDED, "base", fake)
    monkeypatch.setattr(modelstore, "_embedded_sources", lambda m: (parts[0].parent, parts))
    monkeypatch.setattr(modelstore, "_check_free_space", lambda folder, needed: None)
    return parts


def test_split_whisper_model_truncation_is_detected_or_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = bytes(range(256)) * 64
    parts = _fake_split_model(tmp_path, monkeypatch, content)
    folder = modelstore.verify_embedded("base")
    binary = folder / "model.bin"
    # The assembled file cut short (a disk problem): rebuilt from the parts on next use.
    with binary.open("r+b") as fh:
        fh.truncate(1000)
    assert modelstore.verify_embedded("base") == folder
    assert binary.read_bytes() == content
    # Same size, different bytes: only the sha256 of --verify can tell.
    binary.write_bytes(content[::-1])
    with pytest.raises(ModelError, match=r"corrupt.*minutes models --verify"):
        modelstore.verify_embedded("base")
    # A part cut short (a broken install): not assembled, told to reinstall.
    binary.unlink()
    with parts[1].open("r+b") as fh:
        fh.truncate(10)
    with pytest.raises(ModelError, match=r"parts add up to .*Reinstall"):
        modelstore.assemble_embedded("base")
    assert not binary.exists()


# -- GGUF --------------------------------------------------------------------------------
def test_missing_gguf_path_says_so() -> None:
    with pytest.raises(ModelError, match=r"/nowhere/model\.gguf does not exist.*Settings"):
        llm_store.resolve_gguf("/nowhere/model.gguf")
    with pytest.raises(EngineUnavailable, match="does not exist"):
        open_engine(LlmSettings(), "/nowhere/model.gguf")


def test_not_a_gguf_file(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"<html>download interrupted</html>")
    with pytest.raises(ModelError, match="is not a GGUF model file"):
        llm_store.resolve_gguf(str(bad))


def _gguf_head() -> Path:
    model = llm_store.EMBEDDED_LLM["qwen2.5-coder-0.5b"]
    try:
        return llm_store.part_files(model)[0]
    except ModelError as exc:
        pytest.skip(f"embedded 0.5B model not installed: {exc}")


@pytest.mark.parametrize("source", ["real-0.5b-head", "fake-header"])
def test_truncated_gguf_is_a_clear_error(tmp_path: Path, source: str) -> None:
    pytest.importorskip("llama_cpp")
    path = tmp_path / "cut.gguf"
    if source == "fake-header":  # magic, version 3, 10 tensors, 5 metadata keys, then nothing
        path.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + (10).to_bytes(8, "little")
                         + (5).to_bytes(8, "little"))  # fmt: skip
    else:
        head_copy(_gguf_head(), path, 4_000_000)  # header and some tensors of the real model
    settings = LlmSettings(local_model=str(path), context_size=512, threads=1)
    with pytest.raises(EngineUnavailable) as info:
        open_engine(settings, "local")
    message = str(info.value)
    assert isinstance(info.value, USER_ERRORS)
    assert str(path) in message and "damaged or truncated" in message
    assert "choose another .gguf file" in message


def _fake_gguf_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes) -> None:
    parts = []
    for i, start in enumerate(range(0, len(content), 1000), start=1):
        part = tmp_path / "parts" / f"part{i:02d}.bin"
        part.parent.mkdir(exist_ok=True)
        part.write_bytes(content[start : start + 1000])
        parts.append(part)
    real = llm_store.EMBEDDED_LLM["qwen2.5-coder-0.5b"]
    fake = llm_store.EmbeddedGguf(real.name, "fake", ("x",) * len(parts),
                                  hashlib.sha256(content).hexdigest(), len(content),
                                  "chatml", 4096)  # fmt: skip
    monkeypatch.setitem(llm_store.EMBEDDED_LLM, real.name, fake)
    monkeypatch.setattr(llm_store, "part_files", lambda m: parts)
    monkeypatch.setattr(llm_store, "_check_free_space", lambda folder, needed: None)


def test_assembled_gguf_truncation_and_corruption_are_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"GGUF" + bytes(range(256)) * 20
    _fake_gguf_model(tmp_path, monkeypatch, content)
    target = llm_store.assemble_gguf("0.5b")
    # Truncated after assembly: the size check catches it and it is rebuilt, hash-checked.
    with target.open("r+b") as fh:
        fh.truncate(100)
    assert llm_store.assemble_gguf("0.5b").read_bytes() == content
    # Same size, wrong bytes: `minutes models --verify` (verify=True) says corrupt.
    target.write_bytes(content[:-1] + b"!")
    with pytest.raises(ModelError, match=r"corrupt.*Delete"):
        llm_store.assemble_gguf("0.5b", verify=True)
    [status] = [s for s in llm_store.list_llm_models(verify=True) if s.name == "qwen2.5-coder-0.5b"]
    assert not status.verified and "corrupt" in (status.problem or "")
    # A damaged part: the hash taken while joining fails, no model and no .partial left.
    target.unlink()
    part = tmp_path / "parts" / "part02.bin"
    part.write_bytes(b"\0" * part.stat().st_size)
    with pytest.raises(ModelError, match="corrupt"):
        llm_store.assemble_gguf("0.5b")
    assert list(target.parent.iterdir()) == []


# -- the speaker model (Resemblyzer ONNX) -------------------------------------------------
def test_missing_speaker_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedder, "MODEL_FILENAME", "not-installed.onnx")
    monkeypatch.delenv(embedder.MODEL_ENV, raising=False)
    with pytest.raises(DiarizationError, match=r"missing.*make install"):
        embedder.default_model_path()
    with pytest.raises(DiarizationError, match=r"gone\.onnx is missing.*make install"):
        VoiceEncoder(tmp_path / "gone.onnx")._load()


def test_truncated_speaker_model(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    cut = head_copy(ONNX, tmp_path / embedder.MODEL_FILENAME, 100_000)
    with pytest.raises(DiarizationError) as info:
        VoiceEncoder(cut)._load()
    assert isinstance(info.value, USER_ERRORS)
    assert str(cut) in str(info.value) and "damaged or truncated" in str(info.value)
