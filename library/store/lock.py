"""One writer per library directory: an exclusive `flock` on `<dir>/lock`, held while open.

Why flock: the kernel releases it when the process dies (even on SIGKILL), so a crashed reader
never leaves a stale lock behind. The error message names the holder's pid, which the kernel's
lock table (`/proc/locks`) gives where there is one; elsewhere the holder writes its pid into the
file. Why not always the file: it was the one write every writable open made, a page each time,
for a number the kernel already keeps (and keeps right: a file can hold a stale pid).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from library.store.atomic import sweep_temporary_files
from library.store.damage import StoreUnwritable
from library.store.errors import StoreLocked

LOCK_NAME = "lock"
LOCK_PID_PATIENCE = 1.0  # seconds a losing opener waits for the holder's pid to be written
PROC_LOCKS = Path(
    "/proc/locks"
)  # Linux: one line per lock, "1: FLOCK ADVISORY WRITE <pid> <dev>:<inode> ..."
READ_ONLY_HINT = "`reader --read-only` (or READER_READ_ONLY=1)"


class WriterLock:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, *, wait: bool = False) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:  # a read-only file system, a folder that is not ours
            raise StoreUnwritable(
                f"{self.path}: cannot take the writer lock ({err.strerror or err}); "
                f"the library can be read with {READ_ONLY_HINT}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            pid = self.holder_pid(patience=LOCK_PID_PATIENCE)
            who = f"pid {pid}" if pid else "its pid was not written yet"
            raise StoreLocked(
                f"{self.path.parent}: library is open in another reader process ({who}); "
                f"close the other one, or read it with {READ_ONLY_HINT}"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        if kernel_lock_table():
            if os.fstat(fd).st_size:  # a pid an older program wrote: not ours
                os.ftruncate(fd, 0)
        else:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        sweep_temporary_files(self.path.parent)  # what writers killed mid-write left behind

    def holder_pid(self, *, patience: float = 0.0) -> int | None:
        """The holder's pid: from the kernel's lock table, else from the file. A holder writes it
        there just after taking the lock, so a process that lost the race may read an empty file:
        it reads again for up to `patience` seconds."""
        pid = flock_holder(self.path)
        if pid:
            return pid
        deadline = time.monotonic() + patience
        while True:
            try:
                text = self.path.read_text(encoding="ascii", errors="replace").strip()
            except OSError:
                text = ""
            if text.isdigit():
                return int(text)
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)

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


def kernel_lock_table() -> bool:
    """Whether the kernel lists its locks with their holders' pids (`/proc/locks`)."""
    return os.access(PROC_LOCKS, os.R_OK)


def flock_holder(path: Path) -> int | None:
    """The pid holding an exclusive flock on `path`, from `/proc/locks`; None when there is no
    such table, no such lock, or the holder is not visible from here (pid 0: another namespace)."""
    try:
        st = os.stat(path)
        text = PROC_LOCKS.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}"
    exact: list[str] = []
    same_inode: list[str] = []  # an overlay file system shows the device of the layer below
    for line in text.splitlines():
        fields = line.split()
        # "<n>: FLOCK ADVISORY WRITE <pid> <major>:<minor>:<inode> <start> <end>"; a waiter's
        # line has "->" after the number, and is not the holder.
        if len(fields) < 6 or fields[1] != "FLOCK" or fields[3] != "WRITE":
            continue
        dev, _, inode = fields[5].rpartition(":")
        if inode == str(st.st_ino):
            (exact if dev == device else same_inode).append(fields[4])
    found = exact or (same_inode if len(same_inode) == 1 else [])
    pid = found[0] if found else ""
    return int(pid) if pid.isdigit() and int(pid) > 0 else None
