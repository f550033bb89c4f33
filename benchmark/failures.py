"""Environment failures (full disk, corrupt store, lock timeout, unwritable output) as one-line
:class:`BenchError` subclasses with distinct exit codes, for the CLI and the results store.

Exit codes of ``bench`` (:data:`EXIT_CODES`):

    0  everything done
    1  done, but some cases failed (``run``, ``evaluate``), or ``data check`` found problems
    2  bad input or usage: the one-line ``error:`` names the file or option (every other BenchError)
    3  disk full (ENOSPC, EDQUOT): nothing half-written is left; free space and rerun to resume
    4  corrupt results store (``results.sqlite`` is not a database or is malformed)
    5  lock timeout: another process held the store longer than the busy timeout
    6  cannot write an output (permission denied, read-only file system, I/O error)
  130  interrupted (Ctrl-C)

Use :func:`classified` around code that writes, or :func:`classify` on a caught exception::

    with classified(run_dir / "results.sqlite"):
        store.add(...)
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BenchError


class EnvironmentFailure(BenchError):
    """Not the input's fault: the machine (disk, store, lock) stopped the command."""

    exit_code = 6


class DiskFullError(EnvironmentFailure):
    exit_code = 3


class CorruptStoreError(EnvironmentFailure):
    exit_code = 4


class LockTimeoutError(EnvironmentFailure):
    exit_code = 5


class OutputError(EnvironmentFailure):
    exit_code = 6


EXIT_CODES: dict[int, str] = {
    0: "everything done",
    1: "done, but some cases failed (or data check found problems)",
    2: "bad input or usage (the one-line error names the file or option)",
    DiskFullError.exit_code: "disk full",
    CorruptStoreError.exit_code: "corrupt results store",
    LockTimeoutError.exit_code: "results store locked by another process past the busy timeout",
    OutputError.exit_code: "cannot write an output (permission, read-only file system, I/O error)",
    130: "interrupted (Ctrl-C)",
}

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}
_CORRUPT_WORDS = ("file is not a database", "malformed", "file is encrypted", "not a database", "disk image")
_LOCK_WORDS = ("database is locked", "database table is locked", "locking protocol")


def exit_code(exc: BaseException) -> int:
    """The exit code for an error the CLI reports: its class's, else 2."""
    return int(getattr(exc, "exit_code", 2))


def _where(path: Path | str | None, exc: BaseException) -> str:
    name = path if path is not None else getattr(exc, "filename", None)
    return f"{name}: " if name else ""


def classify(exc: BaseException, path: Path | str | None = None) -> EnvironmentFailure | None:
    """The :class:`EnvironmentFailure` ``exc`` amounts to, or None when it is something else.

    ``path`` names the file in the message (an ``OSError``'s own filename otherwise).
    """
    import sqlite3

    where = _where(path, exc)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if any(w in text for w in _LOCK_WORDS):
            return LockTimeoutError(f"{where}results store locked by another process past the busy timeout "
                                    f"({exc}); wait for it to finish, then rerun")
        if "database or disk is full" in text or "disk is full" in text:
            return DiskFullError(f"{where}disk full while writing the results store ({exc}); free space and rerun")
        if "disk i/o error" in text or "readonly" in text or "unable to open" in text:
            return OutputError(f"{where}cannot write the results store ({exc})")
    if isinstance(exc, sqlite3.DatabaseError) and any(w in str(exc).lower() for w in _CORRUPT_WORDS):
        return CorruptStoreError(f"{where}corrupt results store ({exc}); move it aside to start afresh")
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in _DISK_FULL:
            return DiskFullError(f"{where}no space left on the device ({exc.strerror}); nothing half-written "
                                 "was kept; free space and rerun to resume")
        if exc.errno in _UNWRITABLE:
            return OutputError(f"{where}cannot write ({exc.strerror})")
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
