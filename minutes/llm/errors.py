"""Errors of the LLM features, with messages written for the user."""

from __future__ import annotations


class LlmError(Exception):
    """An LLM step failed in a way the user can act on (message says how)."""


class EngineUnavailable(LlmError):
    """An engine cannot run here (library or model missing, server down).

    A fallback chain moves on to the next engine when it sees this.
    """
