"""Slice overlays of a model's best, median and worst case: the FLAIR slice through the centre of
the ground-truth whole tumour, correct / missed / false-positive voxels in three colours, and the
whole-tumour uncertainty map beside it when the prediction has one.

The images are read the way the run read them: the dataset, its root and parameters from the
run's provenance, the prediction from the files its record names (relative ones inside the run
folder). What cannot be read is said on the page, one line per model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tumorbench.report.escape import md


def _source(cache: dict, registry, dataset: str, provenance) -> object:
    from tumorbench.contract.values import DatasetOptions

    root = (provenance.get("data_roots") or {}).get(dataset)
    params = dict(provenance.get("dataset_params") or {})
    key = (dataset, root, tuple(sorted(params.items())))
    if key not in cache:
        spec = registry.datasets.get(dataset)
        cache[key] = spec.open(DatasetOptions(root=Path(root) if root else None, params=params))
    return cache[key]


def centre_slice(mask: np.ndarray, fallback: np.ndarray | None = None) -> int:
    """The axial index (last axis) through the centre of ``mask``, else of ``fallback``, else the middle."""
    for m in (mask, fallback):
        if m is not None and np.any(m):
            return int(round(float(np.nonzero(m)[-1].mean())))
    return int(mask.shape[-1] // 2)


def pick_cases(scores: dict[str, float]) -> list[tuple[str, str]]:
    """``(kind, case)`` for the best, median and worst of ``scores`` (higher is better); fewer when
    there are fewer cases. Ties keep case-id order."""
    ordered = sorted(scores, key=lambda c: (-scores[c], c))
    if not ordered:
        return []
    picks = [("best", ordered[0]), ("median", ordered[(len(ordered) - 1) // 2]), ("worst", ordered[-1])]
    out, seen = [], set()
    for kind, case in picks:
        if case not in seen:
            out.append((kind, case))
            seen.add(case)
    return out


def overlay_pictures(context, dataset: str, row: str, part, metric: str) -> tuple[list[str], bytes | None]:
    """Page lines and the PNG (or None, with the reason in the lines) for one model row."""
    from tumorbench.io.nifti import load_volume
    from tumorbench.report import plots
    from tumorbench.report.context import ROW_SEPARATOR

    label = context.labels[row]
    run_dir, model = row.split(ROW_SEPARATOR, 1)
    sel = part[(part.row == row) & (part.metric == metric) & (part.status == "ok")]
    scores = sel.groupby("case_id").value.mean().dropna().to_dict()
    if not scores:
        return [f"Overlays of {md(label)}: not available (no case with a prediction).", ""], None
    store = context.store_of[run_dir]
    cache = context.sources
    panels = []
    for kind, case_id in pick_cases(scores):
        record = context.records.get((run_dir, model, dataset, case_id))
        try:
            if record is None or not record.files:
                raise LookupError("the run wrote no prediction files (--no-predictions)")
            run = context.runs[run_dir].get(record.run_id) or {}
            source = _source(cache, context.registry, dataset, run.get("provenance") or {})
            case = source.load(case_id)
            if case.label is None:
                raise LookupError("the case has no ground truth")
            path = store.resolve(record.files[0])
            if not Path(path).is_file():
                raise LookupError(f"{path}: prediction file is missing")
            predicted = case.convention.to_regions(np.asarray(load_volume(path).data))["WT"]
            truth = case.convention.to_regions(np.asarray(case.label.data))["WT"]
            image = case.images.get("flair") or next(iter(case.images.values()))
            z = centre_slice(truth, predicted)
            unc_file = next((f for f in record.files[1:] if "_unc_whole" in Path(f).name), None)
            uncertainty = None
            if unc_file is not None and Path(store.resolve(unc_file)).is_file():
                uncertainty = np.asarray(load_volume(store.resolve(unc_file)).data)[..., z]
        except Exception as exc:  # noqa: BLE001 - any unreadable input: say so on the page
            return [f"Overlays of {md(label)}: images not available ({md(type(exc).__name__)}: {md(exc)}).", ""], None
        panels.append({
            "flair": np.asarray(image.data, dtype=float)[..., z], "truth": truth[..., z], "predicted": predicted[..., z],
            "uncertainty": uncertainty, "label": f"{kind}: {case_id}\nmean {metric} {scores[case_id]:.3f}, slice z={z}",
        })
    png, _ = plots.overlays(panels, title=f"{label}: whole tumour (FLAIR, axial)")
    return [f"Overlays of {md(label)} (whole tumour; blue correct, red missed, green false positive; best, median and "
            f"worst case by the mean {md(metric)} over regions):", ""], png
