"""A published folder's ``manifest.json``: its sources' fingerprints and every file's SHA-256,
checked by ``bench leaderboard --check``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def fingerprint(store) -> str:
    """SHA-256 over what a page shows of a store: its predictions and metric rows, the runs that
    wrote them (predicted or scored) and any interrupted run. A rerun that finds everything done changes nothing."""
    digest = hashlib.sha256()
    records = store.predictions()
    metrics = store.metrics()
    used = {r.run_id for r in records} | ({int(i) for i in metrics.run_id} if not metrics.empty else set())
    for run in store.runs():
        if run["id"] in used or run["interrupted"]:
            digest.update(json.dumps([run["id"], run["planned"], run["done"], run["interrupted"]], default=str).encode())
    for record in records:
        digest.update(json.dumps(
            [record.model, record.dataset, record.case_id, record.status, record.prediction_sha256,
             record.reference_sha256, record.identity_sha256], default=str).encode())
    if not metrics.empty:
        metrics = metrics.drop(columns=["prediction_run_id"])  # the prediction records above say it
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
    results: Mapping[str, str] | None = None, runs: list[Mapping[str, str]] | None = None,
) -> Path:
    """``<directory>/manifest.json``: source store paths (see :func:`source_key`) and fingerprints, file hashes, options,
    and the result files (``results/<run>.sql``) the pages can be rebuilt from.

    ``runs`` lists the run folders in the order the pages were made from them (``results``: the
    result file of each run folder, ``run``: the name the pages give it, ``source``: its store as
    :func:`source_key` names it): the order decides which model is A and which B in a paired test,
    so the check rebuilds in that order, never in a sorted one."""
    from tumorbench.io.atomic import write_text_atomic

    body = {"files": dict(sorted(files.items())), "options": dict(sorted(options.items())),
            "results": dict(results or {}), "runs": [dict(r) for r in runs or []], "sources": dict(sources)}
    return write_text_atomic(Path(directory) / MANIFEST, json.dumps(body, indent=2) + "\n")
