"""The exceptions whose message is written for the user (no traceback needed).

Each stage raises its own error type with a message that says what is wrong
and how to fix it; front ends catch `USER_ERRORS` and show the message.
"""

from __future__ import annotations

from glossary.errors import GlossaryError
from minutes.asr.base import AsrUnavailable
from minutes.audio import AudioError
from minutes.diarize.types import DiarizationError
from minutes.export.errors import ExportError
from minutes.llm.errors import LlmError
from minutes.modelstore import ModelError
from minutes.session import SessionError

USER_ERRORS: tuple[type[Exception], ...] = (
    AudioError,
    ModelError,
    SessionError,
    GlossaryError,
    ExportError,
    DiarizationError,
    LlmError,
    AsrUnavailable,
)
