"""Writing files so that a reader never sees half of one: a temporary name, then a rename.

Temporary files are named ``.<name>.tmp.<host>.<pid>.<random><suffix>`` beside their target.
The first atomic write into a folder by a process removes the temporary files there that a
killed process of this machine left behind (its pid is gone), so a SIGKILL leaves nothing for
long; a live writer's files, or another machine's, are never touched. Finished files get the
permissions an ordinary ``open`` would give them (``0666`` less the umask), not ``mkstemp``'s 0600.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
_TMP = re.compile(r"^\..+\.tmp\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+")
_cleaned: set[Path] = set()
_lock = threading.Lock()


def current_umask() -> int:
    """The process umask (read without changing it where the OS allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    with _lock:  # elsewhere: set and restore, under a lock
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def umask_mode(base: int = 0o666) -> int:
    """``base`` less the umask: what ``open`` (0o666) or ``mkdir`` (0o777) would create."""
    return base & ~current_umask()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return True
    return True


def remove_stale_temporaries(directory: Path | str) -> list[Path]:
    """Delete this machine's temporary files (and staging folders) in ``directory`` whose writing
    process is gone.

    Returns what was removed. Runs at most once per folder per process.
    """
    directory = Path(directory)
    key = directory.resolve() if directory.exists() else directory
    with _lock:
        if key in _cleaned:
            return []
        _cleaned.add(key)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _TMP.match(entry.name)
        if match is None or match["host"] != _HOST or int(match["pid"]) == os.getpid():
            continue
        if _alive(int(match["pid"])):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def temporary_prefix(name: str) -> str:
    """The prefix of a temporary file or folder for ``name`` that :func:`remove_stale_temporaries`
    recognises (``tempfile.mkdtemp(dir=..., prefix=temporary_prefix("x"))``)."""
    return f".{name}.tmp.{_HOST}.{os.getpid()}."


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix) to write to.

    When the block succeeds the file gets umask permissions and is renamed over ``path``; when
    it fails it is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    suffix = ".nii.gz" if path.name.endswith(".nii.gz") else path.suffix
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path.name), suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, umask_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
