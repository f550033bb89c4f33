"""The long form of one or more run folders: every metric row with its prediction's hashes and
model identity and its run's provenance, one column each, for ``bench export``."""

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
        for model, dataset, case_id, run_id in zip(metrics.model, metrics.dataset, metrics.case_id, metrics.run_id):
            record = records.get((model, dataset, case_id))
            run = runs.get(int(run_id)) or {"provenance": {}}
            p = run["provenance"]
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
                "model_params": json.dumps(p.get("model_params") or {}, sort_keys=True),
                "dataset_params": json.dumps(p.get("dataset_params") or {}, sort_keys=True),
                "data_root": (p.get("data_roots") or {}).get(dataset),
                "postprocess": json.dumps(p.get("postprocess") or []),
                "case_list_n": ((p.get("case_lists") or {}).get(dataset) or {}).get("n"),
                "case_list_sha256": ((p.get("case_lists") or {}).get(dataset) or {}).get("sha256"),
                "device": p.get("device"),
                "seed": p.get("seed"),
                "machine": json.dumps(p.get("machine") or p.get("platform")),
                "python": p.get("python"),
                "run_started": run.get("started"),
                "run_interrupted": run.get("interrupted"),
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
