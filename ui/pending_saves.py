"""Saves that failed (disk full, folder gone) are kept and retried until they go through.

Every save in the app writes the whole current state (all corrections, all
names, the whole minutes form), so only the newest failed save of each kind
needs to be kept. The user is told once per failure, not at every retry; the
edit itself stays in memory, and is written as soon as a retry succeeds (every
few seconds, at the next edit, or when the window closes).

Thread contract: GUI thread only.
"""

from __future__ import annotations

import errno
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from glossary.errors import GlossaryError

RETRY_MS = 5000
SAVE_ERRORS: tuple[type[Exception], ...] = (OSError, GlossaryError)


def reason(exc: BaseException) -> str:
    """Why a write failed, in the UI language when it is a common cause."""
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
        return QCoreApplication.translate("PendingSaves", "the disk is full")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return QCoreApplication.translate("PendingSaves", "permission denied")
    return getattr(exc, "strerror", None) or str(exc)


class PendingSaves(QObject):
    """Runs saves; keeps the ones that fail and retries them.

    Signals:
        failed(str): A save failed; the message (from `describe`) says why and
            that the edit is kept. Emitted once until that kind of save works again.
        saved(str): A save of that kind went through after having failed.
    """

    failed = Signal(str)
    saved = Signal(str)

    def __init__(self, parent: QObject | None = None, retry_ms: int = RETRY_MS) -> None:
        super().__init__(parent)
        self._pending: dict[str, Callable[[], object]] = {}
        self._describe: dict[str, Callable[[str], str]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(retry_ms)
        self._timer.timeout.connect(self.retry)

    @property
    def pending(self) -> list[str]:
        """The kinds of saves still waiting to be written."""
        return list(self._pending)

    def run(self, kind: str, save: Callable[[], object], describe: Callable[[str], str]) -> bool:
        """Save now; on failure keep `save` for a retry. True when it was written."""
        try:
            save()
        except SAVE_ERRORS as exc:
            first = kind not in self._pending
            self._pending[kind] = save
            self._describe[kind] = describe
            self._timer.start()
            if first:
                self.failed.emit(describe(reason(exc)))
            return False
        if self._pending.pop(kind, None) is not None:
            self.saved.emit(kind)
        if not self._pending:
            self._timer.stop()
        return True

    def retry(self) -> bool:
        """Try every waiting save again (quietly); True when none is left."""
        for kind, save in list(self._pending.items()):
            self.run(kind, save, self._describe[kind])
        return not self._pending
