"""What a command says when the store or the operating system stops it: one line, an exit code.

Why one place: a full disk, a read-only folder, a lock file that cannot be opened or damage with
no good copy can surface from any command, at open or mid-way (a bucket read late, a save). Each
becomes `reader: <file>: <reason>` on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import errno

from library.safetext import one_line

_HINTS = {
    errno.ENOSPC: "the disk is full; free some space and try again (nothing half-written was kept)",
    errno.EDQUOT: "the disk quota is exhausted; free some space and try again",
    errno.EROFS: "the file system is read-only; use --read-only to read the library",
    errno.EACCES: "permission denied; use --read-only to read the library",
    errno.EPERM: "operation not permitted; use --read-only to read the library",
}


def describe(err: BaseException) -> str:
    """The one line for a store or OS error."""
    from library import StoreError

    if isinstance(err, StoreError):
        return one_line(str(err), 1000)
    if isinstance(err, OSError):
        where = err.filename if err.filename is not None else ""
        hint = _HINTS.get(err.errno or 0) or (err.strerror or str(err))
        return one_line(f"{where}: {hint}" if where else hint, 1000)
    return one_line(str(err), 1000)
