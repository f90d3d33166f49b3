"""The core never pulls in Qt, and `import minutes` stays cheap (no model libraries)."""

import subprocess
import sys

HEAVY = [
    "PySide6", "faster_whisper", "ctranslate2", "docx", "onnxruntime", "torch", "llama_cpp",
    "transformers", "pyannote",
]  # fmt: skip


def test_core_imports_no_qt_and_no_heavy_libraries() -> None:
    """Every module of the core packages, found by walking them (none can be forgotten)."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import minutes, glossary\n"
        "names = ['minutes', 'glossary']\n"
        "for pkg in (minutes, glossary):\n"
        "    names += [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        f"    bad = [h for h in {HEAVY!r} if h in sys.modules]\n"
        "    if bad:\n"
        "        print(name, ','.join(bad)); break\n"
        "print(len(names), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at import time: {out.stdout.strip()}"
    assert int(out.stderr.strip().splitlines()[-1]) > 60  # the walk found the modules
