"""Published leaderboard folders that check themselves anywhere: the results they were made from
travel with them as text, and ``bench leaderboard --check DIR`` rebuilds every page from that text
and compares it with the committed one.

``publish_folder`` writes, beside the pages, ``results/<run>.sql`` (each results store as SQL
text: small, diffable, no binary in git) and ``results/<run>.csv`` (one row per metric value
with its status, fold and model identity, for people: the provenance columns of ``bench
export`` repeat the run's provenance on every row, 3.5 MB for 84 cases; they are in the ``.sql``);
the manifest records them with the options the pages were made
with. The check loads each ``.sql`` into a temporary store at the same relative path, renders the
pages again (no images are read: overlays need the data, which a published folder does not
carry: pages published with overlays check only where the images are where the results say),
and reports every page, table or file that differs, or any result file that was edited.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tumorbench.errors import BenchError
from tumorbench.io.hashing import sha256_bytes
from tumorbench.report.context import BoardOptions
from tumorbench.report.leaderboard import build_pages
from tumorbench.report.manifest import MANIFEST, fingerprint
from tumorbench.report.pages import publish as publish_pages
from tumorbench.results.results_store import ResultsStore


def publish_folder(stores: Sequence[ResultsStore], directory: Path, options: BoardOptions | None = None, *, registry=None) -> list[Path]:
    """Pages with their CSV and PNG files, the results they were made from as text
    (``results/<run>.sql`` and ``.csv``), and ``manifest.json`` for ``--check``, inside ``directory``."""
    from dataclasses import replace

    from tumorbench.io.hashing import sha256_bytes
    from tumorbench.report.manifest import fingerprint, source_key, write_manifest

    directory = Path(directory)
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MANIFEST).is_file():
        raise BenchError(f"{directory}: not a published folder (it holds files but no {MANIFEST}); publish into a new "
                         "or empty folder, or one published before")

    options = replace(options or BoardOptions(), files=True)
    written = publish_pages(build_pages(stores, options, registry=registry), directory)
    results = dump_results(stores, directory)
    files = {p.name: sha256_bytes(p.read_bytes()) for p in written}
    for name in results:
        for suffix in (".sql", ".csv"):
            rel = name[: -len(".sql")] + suffix
            files[rel] = sha256_bytes((Path(directory) / rel).read_bytes())
    sources = {source_key(s.path, directory): fingerprint(s) for s in stores}
    runs = [{"results": name, "run": run, "source": source_key(s.path, directory)}
            for (name, run), s in zip(results.items(), stores, strict=True)]
    write_manifest(directory, sources=sources, files=files, options=options_record(options, directory), results=results,
                   runs=runs)
    return written


RESULTS = "results"


def store_text(store) -> str:  # noqa: ANN001 - a ResultsStore
    """The store as SQL statements that rebuild it (schema, rows, version), deterministic."""
    db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        lines = [line for line in db.iterdump() if not line.startswith(("BEGIN TRANSACTION", "COMMIT"))]
        version = db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()
    lines = [line for line in lines if "file_hashes" not in line or line.startswith("CREATE TABLE")]
    return "\n".join(["BEGIN TRANSACTION;", *lines, f"PRAGMA user_version = {version};", "COMMIT;", ""])


def run_name(store) -> str:  # noqa: ANN001
    """The run folder as the pages name it."""
    return store.run_dir


PUBLISHED_COLUMNS = (
    "model", "dataset", "case_id", "metric_convention", "units", "region", "metric", "value", "metric_status",
    "metric_reason", "status", "fold", "run_id", "model_identity_sha256",
)


def dump_results(stores: Sequence, directory: Path) -> dict[str, str]:
    """``results/<run>.sql`` and ``results/<run>.csv`` for every store; {file name: run path}."""
    from tumorbench.io.atomic import write_text_atomic
    from tumorbench.results.export import long_form

    out = {}
    for store in stores:
        name = run_name(store)
        stem = name.strip("/").replace(os.sep, "__").replace("/", "__")
        sql = Path(directory) / RESULTS / f"{stem}.sql"
        write_text_atomic(sql, store_text(store))
        frame = long_form([store])
        write_text_atomic(sql.with_suffix(".csv"), frame[[c for c in PUBLISHED_COLUMNS if c in frame]].to_csv(index=False))
        out[f"{RESULTS}/{stem}.sql"] = name
    return out


def options_record(options, directory: Path | None = None) -> dict[str, Any]:  # noqa: ANN001 - a BoardOptions
    """Everything a page depends on besides the results, as JSON values (reported-rows files
    relative to the published ``directory``, so that a check from anywhere finds them)."""
    from tumorbench.report.manifest import source_key

    return {
        "units": options.units,
        "conventions": list(options.conventions) if options.conventions else None,
        "datasets": list(options.datasets) if options.datasets else None,
        "metrics": list(options.metrics) if options.metrics else None,
        "rank_by": list(options.rank_by),
        "reported": [source_key(p, directory) if directory is not None and Path(p).exists() else str(p) for p in options.reported],
        "built_in_reported": options.built_in_reported,
        "permutations": options.permutations,
        "bootstrap": options.samples,
        "seed": options.seed,
        "overlays": options.overlays,
        **({"overlay_region": options.overlay_region} if options.overlay_region else {}),
        "preamble": options.preamble,
    }


def _reported_path(path: Path, base: Path, directory: Path | None = None) -> Path:
    """A reported-rows file a manifest names, as it is found now: relative to the published
    ``directory`` (as manifests record it now), as recorded (or under ``base``, the working
    directory: older manifests), else the installed plugins' file of the same name (the seed
    papers' files, which older pages name where tumorbench 0.1 kept them, ``benchmark/reported/``)."""
    if path.is_absolute():
        return path
    if directory is not None and (directory / path).is_file():
        return directory / path
    if path.exists():
        return path
    if (base / path).exists():
        return base / path
    from tumorbench.report.reported import built_in_files

    return next((f for f in built_in_files() if f.name == path.name), base / path)


def _options_from(record: Mapping[str, Any], base: Path, directory: Path | None = None):
    from tumorbench.report.context import BoardOptions

    def tup(value):
        return tuple(value) if value else None

    reported = [_reported_path(Path(name), base, directory) for name in record.get("reported") or []]
    return BoardOptions(
        units=record.get("units", "mm"), conventions=tup(record.get("conventions")), datasets=tup(record.get("datasets")),
        metrics=tup(record.get("metrics")), rank_by=tuple(record.get("rank_by") or ()), reported=tuple(reported),
        built_in_reported=bool(record.get("built_in_reported", True)), permutations=int(record.get("permutations", 10_000)),
        samples=int(record.get("bootstrap", 1_000)), seed=int(record.get("seed", 0)), files=True,
        overlays=bool(record.get("overlays", False)), preamble=str(record.get("preamble") or ""),
        overlay_region=record.get("overlay_region") or None,
    )


def published_runs(manifest: Mapping[str, Any]) -> list[dict[str, str]]:
    """The run folders a manifest's pages were made from, in the order they were given: its ``runs``
    list, or (manifests before tumorbench 0.2) its ``results`` map with each run's source store
    where the ``sources`` map lists as many stores."""
    if manifest.get("runs"):
        return [dict(r) for r in manifest["runs"]]
    results = list((manifest.get("results") or {}).items())
    sources = list(manifest.get("sources") or {})
    return [{"results": name, "run": run, "source": sources[i] if len(sources) == len(results) else ""}
            for i, (name, run) in enumerate(results)]


def check_reproduced(directory: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Rebuild the pages from ``results/*.sql`` and list every difference (empty: all match).

    The stores are rebuilt in the order the pages were made from them, in a scratch folder (so the
    working directory does not matter); overlays are drawn again from the images and predictions
    the results name, the predictions read from the run folder the manifest names (relative to
    the published folder). Publish with ``--no-overlays`` for pages that check where the run
    folders and images are not."""
    from tumorbench.io.hashing import sha256_bytes
    from tumorbench.report.leaderboard import build_pages
    from tumorbench.results.results_store import RESULTS_FILE, ResultsStore

    directory = Path(directory).resolve()
    problems = []
    runs = published_runs(manifest)
    hashes: Mapping[str, str] = manifest.get("files") or {}
    for item in runs:
        file = directory / item["results"]
        if not file.is_file():
            problems.append(f"{file}: missing")
        elif item["results"] in hashes and sha256_bytes(file.read_bytes()) != hashes[item["results"]]:
            problems.append(f"{file}: results edited since the pages were published")
    if problems:
        return problems
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        stores = []
        try:
            os.chdir(tmp)
            for index, item in enumerate(runs):
                run = item["run"]
                folder = Path(run) if not Path(run).is_absolute() else Path(f"run-{index}")
                folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(folder / RESULTS_FILE)
                try:
                    db.executescript((directory / item["results"]).read_text(encoding="utf-8"))
                finally:
                    db.close()
                store = ResultsStore(folder / RESULTS_FILE, create=False)
                store.shown_as = run  # the pages name the run folder as they did when published
                store.files_at = _run_folder(directory, item, here)
                stores.append(store)
            options = _options_from(manifest.get("options") or {}, here, directory)
            pages = build_pages(stores, options)
        finally:
            for store in stores:
                store.close()
            os.chdir(here)
    for page in pages:
        targets = {f"{page.stem}.md": page.text.encode("utf-8"), **page.assets}
        for name, data in targets.items():
            if not name.endswith((".md", ".csv")):
                continue  # pictures: checked by their recorded hashes
            file = directory / name
            if not file.is_file():
                problems.append(f"{file}: missing (the results now make this page)")
            elif file.read_bytes() != data:
                where = first_difference(file.read_bytes(), data)
                hint = ("; overlays are drawn from the run folder's images and predictions, which must be where the "
                        "results say (or publish with --no-overlays)") if "Overlays of" in where else ""
                problems.append(f"{file}: differs from the page its results make now ({where}){hint}")
    return problems


def _run_folder(directory: Path, item: Mapping[str, str], here: Path) -> Path | None:
    """Where the run folder's files (predictions) are now: its store's path relative to the published
    folder, else the run's name as given (absolute, or relative to the working directory)."""
    candidates = []
    source = item.get("source")
    if source:
        candidates.append(Path(source) if Path(source).is_absolute() else directory / source)
    run = Path(item["run"])
    candidates.append((run if run.is_absolute() else here / run) / "results.sqlite")
    return next((store.parent for store in candidates if store.parent.is_dir()), None)


def first_difference(published: bytes, rebuilt: bytes) -> str:
    """Where two versions of a page first differ, as a short clause: the line and both texts."""
    old = published.decode("utf-8", "replace").splitlines()
    new = rebuilt.decode("utf-8", "replace").splitlines()
    for number, (a, b) in enumerate(zip(old, new, strict=False), start=1):
        if a != b:
            return f"line {number}: published {_clip(a)!r}, now {_clip(b)!r}"
    longer, which = (old, "published") if len(old) > len(new) else (new, "now")
    number = min(len(old), len(new)) + 1
    return f"line {number}: only {which} has {_clip(longer[number - 1])!r}"


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def check_manifest(directory: Path) -> list[str]:
    """Every way a published folder no longer matches its results, one line each (empty: it matches)."""
    directory = Path(directory)
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BenchError(f"{path}: no manifest (publish with bench leaderboard --publish {directory} first)") from exc
    except ValueError as exc:
        raise BenchError(f"{path}: not a readable manifest ({exc})") from exc
    problems = []
    portable = bool(manifest.get("results") or manifest.get("runs"))  # the results travel with the pages: rebuild from them
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
        problems += check_reproduced(directory, manifest)
    return problems
