"""The desktop app (PySide6). Qt lives only in this package; it drives the same core as the CLI."""

from ui.refcount_guard import protect_none

protect_none()  # before any widget exists: PySide6 6.12 on Python 3.11 (see the module)
