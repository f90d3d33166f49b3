"""The desktop app (PySide6). Qt lives only in this package; it drives the same core as the CLI."""
