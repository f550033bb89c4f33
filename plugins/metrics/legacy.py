"""The brats-legacy metric convention (official 2017-2022 pipeline: CaPTk calling medpy).

Dice, HD95 (medpy's pooled 95th percentile over connectivity-1 surfaces), sensitivity and
specificity over the whole image, with CaPTk's empty-mask rules (``docs/metrics.md``, "brats-legacy").
"""

from __future__ import annotations

import math

import numpy as np

from tumorbench.api import MetricConventionSpec, MetricDef, MetricInput, hookimpl

from ._geometry import (
    as_mask,
    border_coordinates,
    bounding_box,
    hull,
    near_distances,
    pooled_percentile,
)

CONVENTION = "brats-legacy"


def image_diagonal(shape: tuple[int, ...]) -> float:
    """Diagonal of the image in voxels: the HD95 penalty when exactly one mask is empty."""
    return math.sqrt(sum(s * s for s in shape))


def _counts(pred: np.ndarray, ref: np.ndarray) -> tuple[int, int, int]:
    """(|P|, |G|, |P n G|) of two masks of one shape; the intersection is counted on G's box."""
    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {p.shape} differs from reference shape {g.shape}")
    box = bounding_box(g)
    tp = 0 if box is None else int(np.count_nonzero(p[box] & g[box]))
    return int(np.count_nonzero(p)), int(np.count_nonzero(g)), tp


def _dice(n_p: int, n_g: int, tp: int) -> float:
    return 1.0 if n_p + n_g == 0 else 2.0 * tp / (n_p + n_g)


def _sensitivity(n_p: int, n_g: int, tp: int) -> float:
    if n_g == 0:
        return 1.0 if n_p == 0 else 0.0
    return tp / n_g


def _specificity(n_p: int, n_g: int, tp: int, size: int) -> float:
    negatives = size - n_g
    return 1.0 if negatives == 0 else (negatives - (n_p - tp)) / negatives


def compute_dice(pred: np.ndarray, ref: np.ndarray) -> float:
    """2|P n G| / (|P| + |G|); 1 when both are empty."""
    return _dice(*_counts(pred, ref))


def compute_sensitivity(pred: np.ndarray, ref: np.ndarray) -> float:
    """TP / (TP + FN); 1 when both are empty, 0 when only the reference is empty."""
    return _sensitivity(*_counts(pred, ref))


def compute_specificity(pred: np.ndarray, ref: np.ndarray) -> float:
    """TN / (TN + FP) over every voxel of the image; 1 when the image has no negatives."""
    return _specificity(*_counts(pred, ref), int(np.size(ref)))


def _border_points(mask: np.ndarray) -> tuple[np.ndarray, tuple[slice, ...]]:
    """Coordinates of the medpy border voxels of a non-empty mask, and its box (+1 voxel).

    The box edge is either background or the image border, which medpy treats as outside.
    """
    box = bounding_box(mask, margin=1)
    start = np.array([s.start for s in box])
    return border_coordinates(mask[box]) + start, box


def _directed(
    p: np.ndarray, g: np.ndarray, spacing: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(pred -> ref, ref -> pred) distances with ``inf`` beyond the grid shells, and the border points."""
    p_pts, p_box = _border_points(p)
    g_pts, g_box = _border_points(g)
    box = hull(p_box, g_box)
    origin = np.array([s.start for s in box])
    shape = tuple(s.stop - s.start for s in box)
    p_pts, g_pts = p_pts - origin, g_pts - origin
    return near_distances(p_pts, g_pts, shape, spacing), near_distances(g_pts, p_pts, shape, spacing), p_pts, g_pts


def compute_hd95(pred: np.ndarray, ref: np.ndarray, *, spacing: tuple[float, ...] | None = None) -> float:
    """medpy's ``hd95``: 95th percentile (linear) of the pooled surface distances of both directions.

    Both empty: 0. Exactly one empty: the image diagonal in voxels (CaPTk's rule) [P].
    Distances beyond the grid shells are resolved (KD-tree) only as far as the two order
    statistics the interpolation reads need them (:func:`pooled_percentile`).
    """
    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {p.shape} differs from reference shape {g.shape}")
    p_any, g_any = bool(p.any()), bool(g.any())
    if not p_any and not g_any:
        return 0.0
    if p_any != g_any:
        return image_diagonal(p.shape)
    spacing = tuple(float(s) for s in (spacing or (1.0,) * p.ndim))
    d_pg, d_gp, p_pts, g_pts = _directed(p, g, spacing)
    return pooled_percentile([(d_pg, p_pts, g_pts), (d_gp, g_pts, p_pts)], spacing, 95.0)


def overlap_scores(pred: np.ndarray, ref: np.ndarray) -> dict[str, float]:
    """Dice, sensitivity and specificity from one count of the two masks."""
    n_p, n_g, tp = _counts(pred, ref)
    return {
        "dice": _dice(n_p, n_g, tp),
        "sensitivity": _sensitivity(n_p, n_g, tp),
        "specificity": _specificity(n_p, n_g, tp, int(np.size(ref))),
    }


def compute(m: MetricInput) -> dict[str, float]:
    """Every brats-legacy metric of one region."""
    return {**overlap_scores(m.prediction, m.reference), "hd95": compute_hd95(m.prediction, m.reference, spacing=m.spacing)}


def _zero(shape: tuple[int, ...]) -> float:
    return 0.0


OVERLAP_GROUP = "Overlap and distance"
RATES_GROUP = "Sensitivity and specificity"

DICE = MetricDef(
    name="dice", summary="Dice overlap; 1 when both masks are empty", higher_is_better=True, worst=_zero,
    group=OVERLAP_GROUP, order=10, ranking=True, report_name="Dice",
)
SENSITIVITY = MetricDef(
    name="sensitivity", summary="TP/(TP+FN) over the whole image", higher_is_better=True, worst=_zero,
    group=RATES_GROUP, order=30, report_name="Sensitivity",
)
SPECIFICITY = MetricDef(
    name="specificity", summary="TN/(TN+FP) over the whole image", higher_is_better=True, worst=_zero,
    group=RATES_GROUP, order=40, report_name="Specificity",
)
METRICS = (
    DICE,
    MetricDef(
        name="hd95", summary="medpy HD95 (pooled 95th percentile); diagonal when one mask is empty",
        higher_is_better=False, worst=image_diagonal, unit="distance", group=OVERLAP_GROUP, order=20, ranking=True,
        report_name="Hausdorff95",
    ),
    SENSITIVITY,
    SPECIFICITY,
)

SPEC = MetricConventionSpec(
    name=CONVENTION,
    summary="BraTS 2017-2022: CaPTk calling medpy (HD95 = image diagonal when one mask is empty)",
    metrics=METRICS,
    compute=compute,
    default=True,
)


@hookimpl
def tumorbench_metric_conventions() -> list[MetricConventionSpec]:
    return [SPEC]
