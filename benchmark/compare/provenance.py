"""Where a table's numbers came from, and whether a published page still matches them.

- :func:`machine`: the CPU model, core count and GPU (if any) of this machine, recorded by runs.
- :func:`provenance_lines`: the Markdown list under a table (versions, conventions, units,
  commands, case lists, checkpoint hashes, machine), all text escaped.
- :func:`fingerprint`: one SHA-256 over what a results store holds (runs, predictions, metrics).
- :func:`write_manifest` / :func:`check_manifest`: a published folder's ``manifest.json``
  records its sources' fingerprints and every file's SHA-256; ``bench leaderboard --check``
  compares them with the stores and files as they are now.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import BenchError
from .escape import code, md

MANIFEST = "manifest.json"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _gpus() -> list[str]:
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return []
    try:
        out = subprocess.run([tool, "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.stdout.splitlines() if line.strip()] if out.returncode == 0 else []


def machine() -> dict[str, Any]:
    """CPU model, logical cores, GPUs (names from ``nvidia-smi`` when present), OS."""
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "gpus": _gpus(), "os": platform.platform()}


def machine_text(info: Mapping[str, Any] | None, fallback: str | None = None) -> str:
    if not info:
        return fallback or "not recorded"
    gpus = ", ".join(info.get("gpus") or []) or "no GPU"
    return f"{info.get('cpu')} ({info.get('cores')} cores), {gpus}; {info.get('os')}"


def _short(digest: str | None) -> str:
    return (digest or "none")[:12]


def checkpoint_hashes(identities: Iterable[Mapping[str, Any] | None]) -> list[str]:
    """``member: file sha256[:12]`` for every checkpoint named in the given model identities."""
    out: dict[str, None] = {}
    for identity in identities:
        for member, info in ((identity or {}).get("members") or {}).items():
            for path, digest in (info.get("checkpoints") or {}).items():
                out[f"{member}: {path} {_short(digest)}"] = None
    return list(out)


def provenance_lines(runs: Sequence[Mapping[str, Any]], *, dataset: str, convention: str, units: str,
                     checkpoints: Mapping[str, Sequence[str]]) -> list[str]:
    """The Markdown provenance list of one table: one item per contributing run, then checkpoints."""
    lines = ["Provenance:", ""]
    for run in runs:
        p = run["provenance"]
        cases = (p.get("case_lists") or {}).get(dataset) or {}
        plugins = ", ".join(f"{k} {v}" for k, v in sorted((p.get("plugins") or {}).items()))
        lines.append(
            f"- run {md(run['folder'])} #{run['id']}: tumorbench {md(p.get('tumorbench_version', '?'))}; "
            f"command {code(p.get('command') or 'unknown')}; label convention "
            f"{md((p.get('label_conventions') or {}).get(dataset, '?'))}; metric convention {md(convention)}; "
            f"distances in {md(units)}; case list {md(cases.get('n', '?'))} cases, sha256 {md(_short(cases.get('sha256')))}; "
            f"{md(run.get('done') or 0)} of {md(run.get('planned') or 0)} planned cases done"
            f"{' (interrupted)' if run.get('interrupted') else ''}; machine "
            f"{md(machine_text(p.get('machine'), p.get('platform')))}; device {md(p.get('device', '?'))}; plugins: {md(plugins)}"
        )
    for row, items in checkpoints.items():
        if items:
            lines.append(f"- checkpoints of {md(row)}: " + "; ".join(md(i) for i in items))
    return [*lines, ""]


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


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_key(store: Path, directory: Path) -> str:
    """A results store as the manifest names it: relative to the published folder (so that a
    clone elsewhere finds it), absolute only where no relative path leads there."""
    import os

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
    from ..atomic import write_text_atomic

    body = {"sources": dict(sources), "files": dict(sorted(files.items())), "options": dict(options),
            "results": dict(results or {})}
    return write_text_atomic(Path(directory) / MANIFEST, json.dumps(body, indent=2, sort_keys=True) + "\n")


def check_manifest(directory: Path) -> list[str]:
    """Every way a published folder no longer matches its results, one line each (empty: it matches)."""
    from ..store import ResultsStore

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
        from .published import check_reproduced

        problems += check_reproduced(directory, manifest)
    return problems
