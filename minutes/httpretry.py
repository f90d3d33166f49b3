"""What the OpenAI-compatible clients (ASR and LLM servers) share about retrying and keys.

Retried: a status in `RETRY_STATUS` (a busy or restarting server), a connection
error or a timeout. The wait doubles from the configured backoff, or is what the
server's Retry-After asks, never more than `MAX_BACKOFF_S`.
"""

from __future__ import annotations

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_BACKOFF_S = 30.0


def retry_after(header: str | None) -> float | None:
    """Seconds from a Retry-After header (the seconds form), or None."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None


def backoff_delay(attempt: int, backoff_s: float, asked: float | None) -> float:
    """How long to wait before attempt `attempt + 1` (0-based `attempt` just failed)."""
    return min(asked if asked is not None else backoff_s * 2**attempt, MAX_BACKOFF_S)


def auth_headers(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def redact(text: str, key: str | None) -> str:
    """Server text with our API key blanked out: some proxies echo the Authorization
    header in their error bodies, and those reach messages and logs."""
    return text.replace(key, "[API key]") if key else text
