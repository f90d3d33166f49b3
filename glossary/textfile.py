"""Read a small user-supplied text file and decode it, with clear errors.

Korean Excel saves CSV as CP949 (a superset of EUC-KR) unless told
otherwise; newer versions write UTF-8 with a BOM, and "Unicode text" is
UTF-16. Anything else (images, archives, junk) must fail with a
`GlossaryError` that names the file, not with a UnicodeDecodeError.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from glossary.errors import GlossaryError

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Control characters other than tab and line ends: a sign of binary data. One regex
# scan instead of a per-character loop (most of the load time of a 20,000-term file).
_BAD_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_bytes(path: str | Path) -> bytes:
    """Read a glossary file, refusing missing, unreadable or oversized files.

    Raises:
        GlossaryError: Naming the file and what is wrong with it.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise GlossaryError(
                f"file is too large ({size // 1024} KiB, at most {MAX_FILE_BYTES // 1024} KiB)",
                path=path,
            )
        return path.read_bytes()
    except GlossaryError:
        raise
    except FileNotFoundError:
        raise GlossaryError("file not found", path=path) from None
    except IsADirectoryError:
        raise GlossaryError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read file ({exc.strerror or exc})", path=path) from None


def decode_text(data: bytes, *, path: str | Path, legacy: bool = True) -> tuple[str, str]:
    """Decode file bytes, detecting the encoding.

    Args:
        data: The file's bytes.
        path: Used in error messages.
        legacy: Also try CP949 (Korean Windows/Excel) when UTF-8 fails.

    Returns:
        (text, encoding name).

    Raises:
        GlossaryError: For binary data or text in no supported encoding,
            with the line of the first bad byte.
    """
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _decode(data[3:], "utf-8", path), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode(data, "utf-16", path), "utf-16"
    elif b"\x00" in data:
        nul_line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise GlossaryError("binary data, not a text file", path=path, line=nul_line)
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if not legacy:
                raise _bad_bytes(data, exc, path, "not valid UTF-8 text") from None
            try:
                text, encoding = data.decode("cp949"), "cp949"
            except UnicodeDecodeError:
                raise _bad_bytes(
                    data, exc, path, "not valid UTF-8 or CP949 (EUC-KR) text"
                ) from None
    if _BAD_CONTROL.search(text):
        for number, line in enumerate(text.splitlines(), start=1):
            if any(ch < " " and ch not in _ALLOWED_CONTROLS for ch in line):
                raise GlossaryError("binary data, not a text file", path=path, line=number)
    logger.debug("%s decoded as %s", path, encoding)
    return text, encoding


def _decode(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _bad_bytes(data, exc, path, f"not valid {encoding.upper()} text") from None


def _bad_bytes(
    data: bytes, exc: UnicodeDecodeError, path: str | Path, reason: str
) -> GlossaryError:
    line = data[: exc.start].count(b"\n") + 1
    return GlossaryError(reason, path=path, line=line)
