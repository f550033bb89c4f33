"""SHA-256 of files, bytes, arrays and JSON values: the one file hasher the store and tasks use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

FileHash = tuple[str, int, int, int, int, str]  # resolved path, size, mtime_ns, inode, ctime_ns, sha256: what the store caches


class FileHasher:
    """SHA-256 of files, and one SHA-256 over several (their names and contents). ``cached(path,
    (size, mtime_ns, inode, ctime_ns))`` may give a digest computed before for a file with that
    stamp (the results store keeps them); every digest computed here is listed in :attr:`computed`.
    The stamp holds what a user cannot set back (inode, ctime) beside what they can (mtime): a file
    edited in place with its size and mtime restored is read again."""

    def __init__(self, cached: Callable[[str, tuple[int, int, int, int]], str | None] | None = None) -> None:
        self.cached = cached
        self.computed: list[FileHash] = []

    def file(self, path: Path | str) -> str | None:
        """The file's SHA-256, or None when it does not exist."""
        path = Path(path)
        try:
            stat = path.stat()
        except OSError:
            return None
        key = str(path.resolve())
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)
        if self.cached is not None and (known := self.cached(key, stamp)) is not None:
            return known
        digest = sha256_file(path)
        self.computed.append((key, *stamp, digest))
        return digest

    def files(self, paths: Sequence[Path | str], base: Path) -> str | None:
        """One SHA-256 over several files (relative paths lie in ``base``); None when any is missing."""
        parts = []
        for path in paths:
            digest = self.file(path if Path(path).is_absolute() else Path(base) / path)
            if digest is None:
                return None
            parts.append(f"{Path(path).name}:{digest}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def bytes_hash(array: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes."""
    data = np.ascontiguousarray(array)
    return hashlib.sha256(str((data.dtype.str, data.shape)).encode() + data.tobytes()).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
