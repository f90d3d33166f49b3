"""The core never pulls in Qt, and `import minutes` stays cheap (no model libraries)."""

import subprocess
import sys

CORE_MODULES = [
    "minutes",
    "minutes.types",
    "minutes.progress",
    "minutes.atomic",
    "minutes.config",
    "minutes.audio",
    "minutes.asr",
    "minutes.modelstore",
    "minutes.session",
    "minutes.pipeline",
    "minutes.correct",
    "minutes.cli",
    "minutes.errors",
    "minutes.repetition",
    "minutes.export",
    "glossary",
    "glossary.terms",
    "glossary.matcher",
    "glossary.io",
    "glossary.hints",
]
HEAVY = ["PySide6", "faster_whisper", "ctranslate2", "docx", "onnxruntime", "torch", "llama_cpp"]


def test_core_imports_no_qt_and_no_heavy_libraries() -> None:
    code = (
        "import importlib, sys\n"
        f"for m in {CORE_MODULES!r}: importlib.import_module(m)\n"
        f"bad = [h for h in {HEAVY!r} if h in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at import time: {out.stdout.strip()}"
