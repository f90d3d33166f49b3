"""The one exception type the export package raises."""

from __future__ import annotations


class ExportError(Exception):
    """An export or import failed; the message names the file and says why."""
