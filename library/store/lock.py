"""One writer per library directory: an exclusive `flock` on `<dir>/lock`, held while open.

Why flock: the kernel releases it when the process dies (even on SIGKILL), so a crashed reader
never leaves a stale lock behind. The holder writes its pid into the file for the error message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from library.store.errors import StoreLocked

LOCK_NAME = "lock"


class WriterLock:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, *, wait: bool = False) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            pid = self.holder_pid()
            who = f"pid {pid}" if pid else "pid unknown"
            raise StoreLocked(
                f"{self.path.parent}: library is open in another reader process ({who}); "
                "use --read-only to read it, or close the other one"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def holder_pid(self) -> int | None:
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
            return int(text) if text.isdigit() else None
        except OSError:
            return None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None
