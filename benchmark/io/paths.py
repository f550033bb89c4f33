"""Saying exactly why a path cannot be used: absent, a broken symbolic link, or a symlink loop."""

from __future__ import annotations

import errno
import os
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
