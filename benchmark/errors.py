"""The exceptions the CLI turns into a one-line message and a distinct exit code.

Exit codes (documented in the README and :mod:`tumorbench.results.failures`): 0 done; 1 done, but some
cases failed; 2 bad input or usage; 3 corrupt results store; 4 results store locked by another
process; 5 no space left; 6 an output cannot be written.
"""

from __future__ import annotations

import errno

EXIT_CASES_FAILED = 1


class BenchError(Exception):
    """A user-facing error: its message is one line that names the file or input and the cause."""

    exit_code = 2


class MissingCheckpointError(BenchError):
    """A model needs weights that are not in the model store; the message names the train command."""


class DataError(BenchError):
    """A dataset file is unreadable or inconsistent; the message names the file and the cause.

    Raised while a model reads a case's (lazily loaded) images, it is reported as it is, not as
    the model's failure (see :mod:`tumorbench.contract.phases`)."""


class EnvironmentFailure(BenchError):
    """Not the input's fault: the machine (disk, store, lock) stopped the command."""

    exit_code = 6


class OutputError(EnvironmentFailure):
    """An output cannot be written (permission denied, read-only file system, I/O error)."""

    exit_code = 6


class StoreCorruptError(EnvironmentFailure):
    """``results.sqlite`` cannot be read as a results store."""

    exit_code = 3


class StoreTooNewError(BenchError):
    """``results.sqlite`` was written by a newer tumorbench: never called damaged, never rebuilt."""

    exit_code = 7


class StoreLockedError(EnvironmentFailure):
    """Another process held the results store's lock past the busy timeout."""

    exit_code = 4


class DiskFullError(EnvironmentFailure):
    """A write failed for lack of space (or the file-size limit): nothing more can be written."""

    exit_code = 5


NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def disk_full(exc: BaseException, where: object = None) -> DiskFullError | None:
    """The :class:`DiskFullError` an OSError stands for (naming its file, else ``where``), or None."""
    if isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS:
        where = exc.filename or where or "a file"
        return DiskFullError(
            f"{where}: no space left on the device (or over the file-size limit); free some space and rerun: "
            "finished cases are kept"
        )
    return None


def folded(text: object) -> str:
    """``text`` on one line: every run of white space (newlines included) made one space."""
    return " ".join(str(text).split())


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line (``SystemExit: 3``; ``KeyboardInterrupt`` when it says nothing)."""
    text = folded(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def one_line(exc: BaseException) -> str:
    """An exception as one line: a :class:`BenchError`'s message as it is (it already names the
    file and the cause), any other as ``Type: message``."""
    return folded(exc) if isinstance(exc, BenchError) else describe(exc)
