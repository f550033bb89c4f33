"""Scoring one case: region masks from label maps, then every metric convention per region.

A convention's ``compute`` returns all of its metrics for one region at once. A metric that
raises, or returns NaN or infinity, is recorded as failed with its name and the reason and
scored worst-case; the case's other metrics, regions and conventions are kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tumorbench.contract.metric_conventions import MetricConvention
from tumorbench.contract.specs import BrainMaskRule, MetricConventionSpec
from tumorbench.contract.values import Case, MetricInput, Prediction
from tumorbench.errors import BenchError, one_line


@dataclass(frozen=True)
class MetricRow:
    """One metric value of one case and region; ``failed`` rows hold the worst value and why."""

    region: str
    metric: str
    value: float
    status: str = "ok"
    reason: str | None = None


UNITS = ("mm", "voxel")


@dataclass(frozen=True)
class ConventionScore:
    """The metric rows of one case under one metric convention."""

    convention: str
    rows: tuple[MetricRow, ...]


def metric_spacing(case: Case, units: str) -> tuple[float, float, float]:
    """Header spacing for ``mm``; ones for ``voxel`` (the official legacy pipeline's units)."""
    if units == "voxel":
        return (1.0, 1.0, 1.0)
    return tuple(float(s) for s in case.reference.spacing)  # type: ignore[return-value]


def memory_order(array: np.ndarray) -> str:
    """``"F"`` for a Fortran-ordered array (what nibabel returns), else ``"C"``."""
    return "F" if array.flags.f_contiguous and not array.flags.c_contiguous else "C"


def make_brain_mask(case: Case, rule: BrainMaskRule) -> np.ndarray:
    """The brain mask ``rule`` makes from the case's images (only the modalities it names are read)."""
    missing = [m for m in rule.modalities if m not in case.images]
    if missing:
        raise BenchError(
            f"case {case.case_id}: brain mask rule {rule.name} needs {', '.join(missing)}, which the case does not have"
        )
    mask = np.asarray(rule.compute({m: case.images[m].data for m in rule.modalities}), dtype=bool)
    if mask.shape != case.shape:
        raise BenchError(f"case {case.case_id}: brain mask rule {rule.name} gave shape {mask.shape}, not {case.shape}")
    return mask


def _part_rows(part: MetricConventionSpec, item: MetricInput, shape: tuple[int, ...]) -> list[MetricRow]:
    """One spec's metrics of one region; failures become worst-case rows with their reason."""
    try:
        values: Mapping[str, float] = part.compute(item)
        error = None
    except Exception as exc:  # one metric's bug must not lose the case's other scores
        values, error = {}, f"{part.name} raised {one_line(exc)}"
    rows = []
    for metric in part.metrics:
        reason = error
        value = values.get(metric.name) if error is None else None
        if reason is None:
            if value is None:
                reason = f"{part.name} returned no value for {metric.name}"
            else:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    reason = f"{part.name} returned a non-number for {metric.name}: {value!r}"
                else:
                    if not math.isfinite(value):
                        reason = f"{part.name} returned {value} for {metric.name}"
        if reason is None:
            rows.append(MetricRow(item.region, metric.name, float(value)))  # type: ignore[arg-type]
        else:
            rows.append(MetricRow(item.region, metric.name, float(metric.worst(shape)), "failed", reason))
    return rows


def score_case(
    case: Case,
    prediction: Prediction,
    conventions: Sequence[MetricConvention],
    *,
    units: str = "mm",
    brain_mask: BrainMaskRule | None = None,
) -> list[ConventionScore]:
    """Every convention's metrics for every region the prediction speaks for.

    A convention that needs uncertainty maps is scored for the regions that have one, and not at
    all for a prediction without maps. ``brain_mask`` is the dataset's rule, if it has one.
    """
    if case.label is None:
        raise ValueError(f"case {case.case_id} has no ground truth to score against")
    if prediction.labels is None:
        raise ValueError("score a finalized prediction (labels set)")
    spacing = metric_spacing(case, units)
    label = np.asarray(case.label.data)
    shape = tuple(label.shape)
    # every array a convention sees shares the reference's memory order: one copy here per case
    # instead of a reordering copy inside every metric that walks several arrays together
    order = memory_order(label)
    reference = case.convention.to_regions(label)
    predicted_labels = np.asarray(prediction.labels, order=order)
    predicted = case.convention.to_regions(predicted_labels)
    uncertainty = {r: np.asarray(u, order=order) for r, u in (prediction.uncertainty or {}).items()}
    masks: dict[str, np.ndarray | BaseException] = {}
    scores = []
    for convention in conventions:
        regions = [r for r in case.convention.region_names if r in prediction.regions]
        if convention.needs_uncertainty:
            regions = [r for r in regions if r in uncertainty]
            if not regions:
                continue
        mask: np.ndarray | None = None
        rows: list[MetricRow] = []
        if "brain_mask" in convention.spec.needs:
            rule = convention.brain_mask_rule(brain_mask)
            if rule is not None:
                if rule.name not in masks:
                    try:
                        masks[rule.name] = np.asarray(make_brain_mask(case, rule), order=order)
                    except Exception as exc:  # noqa: BLE001 - recorded per metric below
                        masks[rule.name] = exc
                found = masks[rule.name]
                if isinstance(found, BaseException):
                    rows = [
                        MetricRow(r, m.name, float(m.worst(shape)), "failed", one_line(found))
                        for r in regions
                        for m in convention.metrics
                    ]
                    scores.append(ConventionScore(convention.name, tuple(rows)))
                    continue
                mask = found
        for region in regions:
            item = MetricInput(
                prediction=predicted[region],
                reference=reference[region],
                spacing=spacing,
                region=region,
                uncertainty=uncertainty.get(region) if convention.needs_uncertainty else None,
                brain_mask=mask,
                prediction_labels=predicted_labels,
                reference_labels=label,
                units=units,
            )
            for part in convention.parts:
                rows += _part_rows(part, item, shape)
        scores.append(ConventionScore(convention.name, tuple(rows)))
    return scores


def worst_score(shape: tuple[int, ...], regions: Sequence[str], convention: MetricConvention, reason: str) -> ConventionScore:
    """Worst-case rows for a case that failed, for each of ``regions`` in the order given: Dice 0,
    HD95 the convention's penalty, and so on."""
    rows = tuple(
        MetricRow(region, m.name, float(m.worst(tuple(shape))), "case-failed", reason)
        for region in dict.fromkeys(regions)
        for m in convention.metrics
    )
    return ConventionScore(convention.name, rows)
