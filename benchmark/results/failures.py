"""Environment failures (full disk, corrupt store, lock timeout, unwritable output) as the
one-line :class:`BenchError` subclasses of :mod:`tumorbench.errors`, each with its exit code.

Exit codes of ``bench`` (:data:`EXIT_CODES`, and the README's table)::

    0  everything done
    1  done, but some cases failed (``run``, ``evaluate``), or ``data check`` found problems
    2  bad input or usage: the one-line ``error:`` names the file or option (every other BenchError)
    3  corrupt results store (``results.sqlite`` is not a database or is malformed)
    4  lock timeout: another process held the store longer than the busy timeout
    5  no space left (ENOSPC, EDQUOT, the file-size limit, a disk I/O error writing the store)
    6  cannot write an output (permission denied, read-only file system, I/O error)
    7  the results store was written by a newer tumorbench (upgrade; it is neither damaged nor rebuilt)
    8  a plugin ended the process (``os._exit``) while it was imported or predicted: see the one line
  130  interrupted (Ctrl-C)

Use :func:`classified` around code that writes, or :func:`classify` on a caught exception::

    with classified(run_dir / "results.sqlite"):
        ...
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tumorbench.errors import (
    BenchError,
    DiskFullError,
    EnvironmentFailure,
    OutputError,
    StoreCorruptError,
    StoreLockedError,
    StoreTooNewError,
    disk_full,
)

CorruptStoreError = StoreCorruptError
LockTimeoutError = StoreLockedError

EXIT_CODES: dict[int, str] = {
    0: "everything done",
    1: "done, but some cases failed (or data check found problems)",
    2: "bad input or usage (the one-line error names the file or option)",
    StoreCorruptError.exit_code: "corrupt results store",
    StoreLockedError.exit_code: "results store locked by another process past the busy timeout",
    DiskFullError.exit_code: "no space left (disk full, file-size limit, disk I/O error)",
    OutputError.exit_code: "cannot write an output (permission, read-only file system, I/O error)",
    StoreTooNewError.exit_code: "results store written by a newer tumorbench",
    8: "a plugin ended the process (os._exit) while imported or predicting",
    130: "interrupted (Ctrl-C)",
}

_UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}


def exit_code(exc: BaseException) -> int:
    """The exit code for an error the CLI reports: its class's, else 2."""
    return int(getattr(exc, "exit_code", 2))


def classify(exc: BaseException, path: Path | str | None = None) -> EnvironmentFailure | None:
    """The :class:`EnvironmentFailure` ``exc`` amounts to, or None when it is something else.

    ``path`` names the file in the message (an ``OSError``'s own filename otherwise).
    """
    import sqlite3

    from tumorbench.results.results_store import translate

    if isinstance(exc, sqlite3.Error) or isinstance(exc.__cause__, sqlite3.Error):
        failure = translate(exc, Path(path) if path is not None else Path("results.sqlite"))
        return failure if isinstance(failure, EnvironmentFailure) else None
    full = disk_full(exc, path)
    if full is not None:
        return full
    if isinstance(exc, OSError) and exc.errno in _UNWRITABLE:
        where = exc.filename or path or "an output"
        return OutputError(f"{where}: cannot write ({exc.strerror})")
    return None


@contextmanager
def classified(path: Path | str | None = None) -> Iterator[None]:
    """Re-raise disk, store and lock failures inside the block as their :class:`EnvironmentFailure`."""
    try:
        yield
    except BenchError:
        raise
    except Exception as exc:
        failure = classify(exc, path)
        if failure is None:
            raise
        raise failure from exc
