"""Paths: saying exactly why one cannot be used (absent, a broken symbolic link, a symlink loop),
and file names made from any text."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from pathlib import Path


def absent_reason(path: Path | str, what: str = "file") -> str:
    """Why ``path`` is not a usable ``what``: ``symlink loop``, ``broken symbolic link to X``,
    ``not a file`` or ``file not found`` (``folder not found`` with ``what="folder"``)."""
    path = Path(path)
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"broken symbolic link to {target}"
        return f"{what} not found"
    return f"not a {what}"


def is_link_trouble(path: Path | str) -> bool:
    """True for a symbolic link that does not lead to anything (broken, or a loop)."""
    path = Path(path)
    return path.is_symlink() and not path.exists()


_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._+-]+")
MAX_STEM = 120


def safe_file_stem(name: object) -> str:
    """A file or folder name from any text: letters, digits and ``._+-`` only, never ``.`` or
    ``..`` (leading and trailing dots and underscores go), never empty (``unnamed``). A longer
    name than :data:`MAX_STEM` keeps its start and ends with 8 hex digits of its SHA-256, so that
    two long names never share a file."""
    stem = _UNSAFE_FILE_CHARS.sub("_", str(name)).strip("._") or "unnamed"
    if len(stem) > MAX_STEM:
        stem = f"{stem[:MAX_STEM - 9]}-{hashlib.sha256(str(name).encode()).hexdigest()[:8]}"
    return stem
