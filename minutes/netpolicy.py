"""Nothing leaves this computer unless the user said so: which server URLs are local.

Shared by the ASR and LLM endpoints: a server on this machine may be used once
configured; one on another computer also needs the user's explicit "allow remote".
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse


def is_loopback_url(url: str) -> bool:
    """True for URLs that stay on this machine (localhost, 127.0.0.0/8, ::1)."""
    host = (urlparse(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_http_url(url: str) -> str:
    """The URL without a trailing slash, or ValueError saying what is wrong with it."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"not an http(s) URL: {url!r} (for example http://gpu-server:8000/v1)")
    return url.strip().rstrip("/")
