"""Shared fixtures. Real-data tests read ../shared/data by path and skip when it is absent."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "jfk.flac"
# The public-domain sample's words (JFK's inaugural address), for WER bounds: int8 ASR
# output differs between CPUs, so tests bound the error instead of expecting one string.
JFK_REFERENCE = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)


@pytest.fixture(autouse=True)
def isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own user data folder, never the real one."""
    folder = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("MINUTES_DATA_DIR", str(folder))
    # Nor the machine's own sound server: tests that record system audio start their own
    # (tests/pulse_server.py), the others see none, wherever they run.
    monkeypatch.setenv("PULSE_SERVER", f"unix:{folder / 'no-sound-server'}")
    return folder


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    from bench.corpus import SPEECH, available

    if not available():
        pytest.skip(f"shared speech data not found at {SPEECH} (set MINUTES_SPEECH_DATA)")
    return SPEECH


@pytest.fixture(scope="session")
def base_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded multilingual base model, assembled once per test run."""
    from minutes import modelstore

    old = os.environ.get("MINUTES_DATA_DIR")
    os.environ["MINUTES_DATA_DIR"] = str(tmp_path_factory.mktemp("models"))
    try:
        return Path(modelstore.assemble_embedded("base"))
    except modelstore.ModelError as exc:
        pytest.skip(f"embedded base model not installed: {exc}")
    finally:
        if old is None:
            os.environ.pop("MINUTES_DATA_DIR", None)
        else:
            os.environ["MINUTES_DATA_DIR"] = old


@pytest.fixture(scope="session")
def base_transcriber(base_model_dir: Path) -> Iterator[object]:
    from minutes.asr import WhisperTranscriber

    yield WhisperTranscriber(str(base_model_dir), name="base")


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """An in-memory OS keyring, so no test touches the real one."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    store: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            store.pop((service, username), None)

    old = keyring.get_keyring()
    keyring.set_keyring(Memory())  # type: ignore[no-untyped-call]
    yield store
    keyring.set_keyring(old)


@pytest.fixture(scope="session")
def gguf_05b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded Qwen2.5-Coder 0.5B GGUF, assembled once (skips when not installed)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (see requirements-llm.txt / Makefile)")
    import platformdirs

    from minutes.llm import modelstore
    from minutes.modelstore import ModelError

    model = modelstore.EMBEDDED_LLM["qwen2.5-coder-0.5b"]
    assembled = Path(platformdirs.user_data_dir("minutes", appauthor=False)) / "models" / "llm"
    ready = assembled / model.file_name
    if ready.is_file() and ready.stat().st_size == model.size:
        return ready  # already assembled by `make install` or the benchmarks
    old = os.environ.get("MINUTES_DATA_DIR")
    os.environ["MINUTES_DATA_DIR"] = str(tmp_path_factory.mktemp("llm-models"))
    try:
        return modelstore.assemble_gguf("0.5b")
    except ModelError as exc:
        pytest.skip(f"embedded 0.5B GGUF packages not installed: {exc}")
    finally:
        if old is None:
            os.environ.pop("MINUTES_DATA_DIR", None)
        else:
            os.environ["MINUTES_DATA_DIR"] = old


@pytest.fixture
def summarise_options(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The `SummariseOptions` of every `summarise` call (the real one still runs)."""
    from minutes.llm import summarise as summarise_mod

    seen: list[Any] = []
    real = summarise_mod.summarise

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["options"])
        return real(*args, **kwargs)

    monkeypatch.setattr(summarise_mod, "summarise", spy)
    return seen
