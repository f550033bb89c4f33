"""Scoring one case: region masks from label maps, then every selected metric per region."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .labels import REGIONS
from .store import MetricRow
from .types import Case, MetricInput, MetricSpec, Prediction

UNITS = ("mm", "voxel")


def metric_spacing(case: Case, units: str) -> tuple[float, float, float]:
    """Header spacing for ``mm``; ones for ``voxel`` (the official legacy pipeline's units)."""
    if units == "voxel":
        return (1.0, 1.0, 1.0)
    return tuple(float(s) for s in case.reference.spacing)  # type: ignore[return-value]


def memory_order(array: np.ndarray) -> str:
    """``"F"`` for a Fortran-ordered array (what nibabel returns), else ``"C"``."""
    return "F" if array.flags.f_contiguous and not array.flags.c_contiguous else "C"


def brain_mask(case: Case) -> np.ndarray | None:
    """The QU-BraTS brain mask: T1 > 0 (None when the case has no T1)."""
    t1 = case.images.get("t1")
    return None if t1 is None else np.asarray(t1.data) > 0


def score_case(
    case: Case,
    prediction: Prediction,
    metrics: Sequence[MetricSpec],
    *,
    units: str = "mm",
) -> list[MetricRow]:
    """Every metric for every region the prediction speaks for; the case must have a label."""
    if case.label is None:
        raise ValueError(f"case {case.case_id} has no ground truth to score against")
    if prediction.labels is None:
        raise ValueError("score a finalized prediction (labels set)")
    spacing = metric_spacing(case, units)
    label = np.asarray(case.label.data)
    # every array the metrics see shares the reference's memory order: one copy here per case
    # instead of a reordering copy inside every metric that walks several arrays together
    order = memory_order(label)
    reference = case.convention.to_regions(label)
    predicted = case.convention.to_regions(np.asarray(prediction.labels, order=order))
    brain = None
    rows: list[MetricRow] = []
    for region in REGIONS:
        if region not in prediction.regions:
            continue
        uncertainty = (prediction.uncertainty or {}).get(region)
        if uncertainty is not None:
            uncertainty = np.asarray(uncertainty, order=order)
            if brain is None:
                brain = brain_mask(case)
                brain = None if brain is None else np.asarray(brain, order=order)
        item = MetricInput(
            prediction=predicted[region],
            reference=reference[region],
            spacing=spacing,
            region=region,
            uncertainty=uncertainty,
            brain_mask=brain,
        )
        for spec in metrics:
            if spec.needs_uncertainty and uncertainty is None:
                continue
            rows.append(MetricRow(region, spec.name, spec.convention, float(spec.compute(item))))
    return rows


def worst_rows(
    shape: tuple[int, ...], regions: Sequence[str], metrics: Sequence[MetricSpec]
) -> list[MetricRow]:
    """Worst-case values for a failed case: Dice 0, HD95 the convention's penalty, and so on."""
    return [
        MetricRow(region, spec.name, spec.convention, float(spec.worst(tuple(shape))))
        for region in REGIONS
        if region in regions
        for spec in metrics
    ]
