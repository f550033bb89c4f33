"""The long form of one or more run folders: every metric row with its prediction's hashes and
model identity and its runs' provenance, one column each, for ``bench export``.

A row names the run that computed its score (``run_id``, ``command``, ``plugins``, versions,
machine: a re-scoring run when the score was computed again from stored predictions) and the run
that made its prediction (``prediction_run_id``, ``prediction_command``; the model options,
post-processing, device and seed are that run's)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tumorbench.errors import BenchError

FORMATS = ("csv", "parquet", "json")


def long_form(stores: Sequence):
    """A DataFrame: the metric rows of every store with ``run_dir`` and provenance columns."""
    import pandas as pd

    frames = []
    for store in stores:
        metrics = store.metrics()
        run_dir = store.run_dir
        if metrics.empty:
            continue
        records = {(r.model, r.dataset, r.case_id): r for r in store.predictions()}
        runs = {r["id"]: r for r in store.runs()}
        extra = []
        for model, dataset, case_id, run_id, prediction_run_id in zip(
            metrics.model, metrics.dataset, metrics.case_id, metrics.run_id, metrics.prediction_run_id
        ):
            record = records.get((model, dataset, case_id))
            run = runs.get(int(run_id)) or {"provenance": {}}  # the run that computed the score
            p = run["provenance"]
            q = (runs.get(int(prediction_run_id)) or {"provenance": {}})["provenance"]  # the run that predicted
            identity = (record.identity if record else None) or {}
            extra.append({
                "run_dir": run_dir,
                "prediction_files": json.dumps(list(record.files) if record else []),
                "prediction_sha256": record.prediction_sha256 if record else None,
                "reference_sha256": record.reference_sha256 if record else None,
                "model_identity_sha256": record.identity_sha256 if record else None,
                "checkpoints": json.dumps({m: i.get("checkpoints") for m, i in (identity.get("members") or {}).items()}, sort_keys=True),
                "fold": identity.get("fold"),
                "prediction_seconds": record.seconds if record else None,
                "tumorbench_version": p.get("tumorbench_version"),
                "command": p.get("command"),
                "plugins": json.dumps(p.get("plugins") or {}, sort_keys=True),
                "model_params": json.dumps(q.get("model_params") or {}, sort_keys=True),
                "dataset_params": json.dumps(p.get("dataset_params") or {}, sort_keys=True),
                "data_root": (p.get("data_roots") or {}).get(dataset),
                "postprocess": json.dumps(q.get("postprocess") or []),
                "case_list_n": ((p.get("case_lists") or {}).get(dataset) or {}).get("n"),
                "case_list_sha256": ((p.get("case_lists") or {}).get(dataset) or {}).get("sha256"),
                "device": q.get("device"),
                "seed": q.get("seed"),
                "machine": json.dumps(p.get("machine") or p.get("platform")),
                "python": p.get("python"),
                "run_started": run.get("started"),
                "run_interrupted": run.get("interrupted"),
                "prediction_command": q.get("command"),
                "prediction_tumorbench_version": q.get("tumorbench_version"),
            })
        frames.append(pd.concat([metrics.reset_index(drop=True), pd.DataFrame(extra)], axis=1))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def write_export(frame, path: Path, fmt: str) -> Path:
    """Write ``frame`` as csv, parquet or json (records) atomically."""
    from tumorbench.io.atomic import atomic_path

    if fmt not in FORMATS:
        raise BenchError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise BenchError("--format parquet needs pyarrow (pip install 'tumorbench[parquet]', in 'all'); csv and json need "
                             "nothing more") from exc
    with atomic_path(path) as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        elif fmt == "json":
            frame.to_json(tmp, orient="records", indent=1)
        else:
            frame.to_parquet(tmp, index=False)
    return Path(path)


CHALLENGE_STATISTICS = ("mean", "std", "25quantile", "median", "75quantile")
"""The rows the BraTS challenges' scorers (Synapse) add under their per-case rows."""


def challenge_table(metrics, conventions: dict):  # noqa: ANN001 - DataFrames and MetricConventions
    """One run's rows of one (model, dataset, metric convention, units), as the BraTS challenge
    scorers write their per-case CSV: one row per case (``scan_id``; a case that failed is marked
    ``*`` and keeps its worst-case values, as the CaPTk scorer marks a case it could not score),
    one column per metric and region named ``<Metric>_<Region>`` with the metric's official name
    (``MetricDef.report_name``: ``Dice``, ``Hausdorff95``, ``LesionWise_Dice`` ...), metrics in the
    convention's order and regions in alphabetical order as the scorers' pivot leaves them, then
    the statistics rows (mean, std, quartiles)."""
    import pandas as pd

    convention = conventions.get(str(metrics.metric_convention.iloc[0]))
    names = {m.name: (m.report_name or m.name) for m in convention.metrics} if convention is not None else {}
    order = [m.name for m in convention.metrics] if convention is not None else sorted(set(metrics.metric))
    frame = metrics.assign(scan_id=[c + ("*" if s == "failed" else "") for c, s in zip(metrics.case_id, metrics.status, strict=True)])
    table = frame.pivot_table(index="scan_id", columns=["metric", "region"], values="value", aggfunc="first")
    columns = [(m, r) for m in order for r in sorted(set(frame.region)) if (m, r) in table.columns]
    table = table[columns]
    table.columns = [f"{names.get(m, m)}_{r}" for m, r in columns]
    table = table.sort_index()
    stats = pd.DataFrame(
        [table.mean(), table.std(), table.quantile(0.25), table.median(), table.quantile(0.75)], index=list(CHALLENGE_STATISTICS),
    )
    out = pd.concat([table, stats])
    out.index.name = "scan_id"
    return out


def challenge_tables(stores: Sequence, registry, *, units: str | None = None) -> dict[str, object]:  # noqa: ANN001
    """``{file name: table}`` of :func:`challenge_table` for every run folder, model, dataset,
    metric convention and distance unit (``units``: only these)."""
    from tumorbench.io.paths import safe_file_stem

    conventions = {}
    out: dict[str, object] = {}
    for store in stores:
        metrics = store.metrics()
        if units is not None:
            metrics = metrics[metrics.units == units]
        for (model, dataset, convention, unit), part in metrics.groupby(
            ["model", "dataset", "metric_convention", "units"], sort=True,
        ):
            if convention not in conventions:
                try:
                    conventions[convention] = registry.metric_convention(convention)
                except BenchError:
                    conventions[convention] = None  # scored by a plugin that is not installed now: own names
            run = Path(store.run_dir).name
            stem = safe_file_stem(f"{run}__{model}__{dataset}__{convention}__{unit}")
            out[f"{stem}.csv"] = challenge_table(part, conventions)
    return out


def write_challenge_tables(tables: dict, directory: Path) -> list[Path]:
    """Each table as ``<directory>/<name>`` (atomic writes); the files written."""
    from tumorbench.io.atomic import atomic_path

    written = []
    for name, table in tables.items():
        with atomic_path(Path(directory) / name) as tmp:
            table.to_csv(tmp)
        written.append(Path(directory) / name)
    return written
