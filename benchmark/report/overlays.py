"""Slice overlays of a model's best, median and worst case: the axial slice through the centre of
the ground truth of one region (``--overlay-region``; by default the label convention's first,
for BraTS the whole tumour), on the dataset's first declared modality (for BraTS, FLAIR), with
correct / missed / false-positive voxels in three colours, and that region's uncertainty map
below it, with a colour bar, when the prediction has one. The cases are chosen by that region's
overlap metric; the median panel is always there (with two cases it is the better one, and says so).

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
    """``(kinds, case)`` for the best, median (the lower median's case: the better of the middle
    two) and worst of ``scores`` (higher is better), a case that is two of them named once with
    both (``best and median``). Ties keep case-id order."""
    ordered = sorted(scores, key=lambda c: (-scores[c], c))
    if not ordered:
        return []
    picks = [("best", ordered[0]), ("median", ordered[(len(ordered) - 1) // 2]), ("worst", ordered[-1])]
    kinds: dict[str, list[str]] = {}
    for kind, case in picks:
        kinds.setdefault(case, []).append(kind)
    return [(" and ".join(k) if len(k) < 3 else "best, median and worst", case) for case, k in kinds.items()]


def overlay_pictures(context, dataset: str, row: str, part, metric: str) -> tuple[list[str], object | None]:
    """Page lines and the picture (a plots.Picture, or None with the reason in the lines) for one model row."""
    from tumorbench.io.nifti import load_volume
    from tumorbench.report import plots
    from tumorbench.report.context import ROW_SEPARATOR

    label = context.labels[row]
    run_dir, model = row.split(ROW_SEPARATOR, 1)
    sel = part[(part.row == row) & (part.metric == metric) & (part.status == "ok")]
    chosen = context.options.overlay_region
    if chosen and (sel.region == chosen).any():
        sel = sel[sel.region == chosen]  # the cases are picked by the region shown
    scores = sel.groupby("case_id").value.mean().dropna().to_dict()
    by_region = bool(chosen) and bool((sel.region == chosen).all())
    which = f"{metric} {chosen}" if by_region else f"the mean {metric} over regions"
    short = f"{metric} {chosen}" if by_region else f"mean {metric}"
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
            names = case.convention.region_names
            region = chosen if chosen in names else names[0]  # by default the outermost, which the convention names first
            predicted = case.convention.region_mask(np.asarray(load_volume(path).data), region)
            truth = case.convention.region_mask(np.asarray(case.label.data), region)
            modality = display_modality(context.registry, dataset, case)
            image = case.images[modality]
            z = centre_slice(truth, predicted)
            suffix = f"_unc_{case.convention.uncertainty_suffix(region)}"
            unc_file = next((f for f in record.files[1:] if suffix in Path(f).name), None)
            uncertainty = None
            if unc_file is not None and Path(store.resolve(unc_file)).is_file():
                uncertainty = np.asarray(load_volume(store.resolve(unc_file)).data)[..., z]
            title = (case.convention.region_title(region), modality)
        except Exception as exc:  # noqa: BLE001 - any unreadable input: say so on the page
            return [f"Overlays of {md(label)}: images not available ({md(type(exc).__name__)}: {md(exc)}).", ""], None
        panels.append({
            "image": np.asarray(image.data, dtype=float)[..., z], "truth": truth[..., z], "predicted": predicted[..., z],
            "uncertainty": uncertainty, "label": f"{kind}: {case_id}\n{short} {scores[case_id]:.3f}, slice z={z}",
        })
    region_title, modality = title
    picture = plots.overlays(panels, title=f"{label}: {region_title} ({modality.upper()}, axial slice through its centre)")
    missing = (f" {md(chosen)} is not a region of this label convention; the first region is shown." if chosen and
               chosen != region else "")
    return [f"Overlays of {md(label)} ({md(region_title)}; blue correct, red missed, green false positive; best, median and "
            f"worst case by {md(which)}):{missing}", ""], picture


def display_modality(registry, dataset: str, case) -> str:  # noqa: ANN001
    """The image an overlay is drawn on: the first modality the dataset declares that the case
    has (for BraTS, FLAIR), else the case's first image."""
    try:
        declared = registry.datasets.get(dataset).modalities
    except Exception:  # noqa: BLE001 - a dataset whose plugin is not installed now
        declared = ()
    return next((m for m in declared if m in case.images), next(iter(case.images)))
