"""A published folder's ``manifest.json``: its sources' fingerprints and every file's SHA-256,
checked by ``bench leaderboard --check``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tumorbench.errors import BenchError
from tumorbench.io.hashing import sha256_bytes


def fingerprint(store) -> str:
    """SHA-256 over what a page shows of a store: its predictions and metric rows, the runs that
    wrote them and any interrupted run. A rerun that finds everything done changes nothing."""
    digest = hashlib.sha256()
    records = store.predictions()
    used = {r.run_id for r in records}
    for run in store.runs():
        if run["id"] in used or run["interrupted"]:
            digest.update(json.dumps([run["id"], run["planned"], run["done"], run["interrupted"]], default=str).encode())
    for record in records:
        digest.update(json.dumps(
            [record.model, record.dataset, record.case_id, record.status, record.prediction_sha256,
             record.reference_sha256, record.identity_sha256], default=str).encode())
    metrics = store.metrics()
    if not metrics.empty:
        metrics = metrics.sort_values(list(metrics.columns[:7]), kind="stable")
        digest.update(metrics.to_csv(index=False).encode())
    return digest.hexdigest()

def source_key(store: Path, directory: Path) -> str:
    """A results store as the manifest names it: relative to the published folder (so that a
    clone elsewhere finds it), absolute only where no relative path leads there."""

    try:
        return Path(os.path.relpath(Path(store).resolve(), Path(directory).resolve())).as_posix()
    except ValueError:  # another drive
        return str(Path(store).resolve())

def write_manifest(
    directory: Path, *, sources: Mapping[str, str], files: Mapping[str, str], options: Mapping[str, Any],
    results: Mapping[str, str] | None = None,
) -> Path:
    """``<directory>/manifest.json``: source store paths (see :func:`source_key`) and fingerprints, file hashes, options,
    and the result files (``results/<run>.sql``) the pages can be rebuilt from."""
    from tumorbench.io.atomic import write_text_atomic

    body = {"sources": dict(sources), "files": dict(sorted(files.items())), "options": dict(options),
            "results": dict(results or {})}
    return write_text_atomic(Path(directory) / MANIFEST, json.dumps(body, indent=2, sort_keys=True) + "\n")

def check_manifest(directory: Path) -> list[str]:
    """Every way a published folder no longer matches its results, one line each (empty: it matches)."""
    from tumorbench.results.results_store import ResultsStore

    directory = Path(directory)
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BenchError(f"{path}: no manifest (publish with bench leaderboard --publish {directory} first)") from exc
    except ValueError as exc:
        raise BenchError(f"{path}: not a readable manifest ({exc})") from exc
    problems = []
    portable = bool(manifest.get("results"))  # the results travel with the pages: rebuild from them
    for source, expected in (manifest.get("sources") or {}).items():
        store_path = Path(source) if Path(source).is_absolute() else directory / source
        if not store_path.is_file():
            if not portable:
                problems.append(f"{store_path}: results store is gone")
            continue
        store = ResultsStore(store_path, create=False)
        try:
            if fingerprint(store) != expected:
                problems.append(f"{store_path}: results changed since the page was published")
        finally:
            store.close()
    for name, expected in (manifest.get("files") or {}).items():
        file = directory / name
        if not file.is_file():
            problems.append(f"{file}: missing")
        elif sha256_bytes(file.read_bytes()) != expected:
            problems.append(f"{file}: edited since it was published")
    if portable and not problems:
        from tumorbench.report.published import check_reproduced

        problems += check_reproduced(directory, manifest)
    return problems

MANIFEST = "manifest.json"
