"""SHA-256 of files, bytes, arrays and JSON values: the one file hasher the store and tasks use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FileHash = tuple[str, int, int, str]  # resolved path, size, mtime_ns, sha256: what the store caches

class Hasher:
    """SHA-256 of files as the store computes them, remembering each for the store's cache."""

    def __init__(self) -> None:
        self.seen: list[FileHash] = []

    def file(self, path: Path | str) -> str | None:
        path = Path(path)
        try:
            stat = path.stat()
        except OSError:
            return None
        digest = sha256_file(path)
        self.seen.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns, digest))
        return digest

    def files(self, paths: Sequence[Path | str], run_dir: Path) -> str | None:
        """One SHA-256 over several files (names and contents), like ``ResultsStore.files_hash``."""
        parts = []
        for path in paths:
            digest = self.file(path if Path(path).is_absolute() else Path(run_dir) / path)
            if digest is None:
                return None
            parts.append(f"{Path(path).name}:{digest}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

def bytes_hash(array: np.ndarray) -> str:
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
