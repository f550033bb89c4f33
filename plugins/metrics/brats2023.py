"""The brats-2023 metric convention: robust HD95 on surface elements and lesion-wise Dice / HD95.

Metric names (convention ``brats-2023``):

* ``dice``, ``sensitivity``, ``specificity`` -- as in brats-legacy;
* ``hd95`` -- robust Hausdorff (``docs/metrics.md``, "brats-2023") [P]: surface elements at voxel corners
  weighted by their area (see :mod:`._surfels`), the nearest-rank 95th percentile of each
  direction's area-weighted distances, the MAX of the two directions. Both empty: 0; one empty:
  374;
* ``lesion_dice``, ``lesion_hd95`` -- the BraTS 2023 lesion-wise scores (26-connected lesions,
  ground-truth lesions merged by dilation, matching by touching the dilated lesion, small
  ground-truth lesions dropped, unmatched predicted components counted as false positives).

Lesion volume threshold: ``min_volume`` is compared with voxel count x voxel volume in the run's
units (mm^3 with header spacing, voxels with voxel units); on 1 mm BraTS data both are voxels.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tumorbench.api import MetricConventionSpec, MetricDef, MetricInput, hookimpl

from . import legacy
from ._geometry import as_mask, bounding_box, fill_far, hull, near_distances, union_box
from ._surfels import area_table, corner_codes

CONVENTION = "brats-2023"
EMPTY_PENALTY = 374.0
"""HD95 when exactly one side is empty, and per false-positive lesion."""

GLIOMA_DILATION = 3
"""Dilation iterations (18-connected structure) that merge and match glioma lesions."""

GLIOMA_MIN_VOLUME = 50.0
"""Ground-truth lesions of at most this volume are dropped."""

_CONNECTIVITY_26 = np.ones((3, 3, 3), dtype=bool)
_CONNECTIVITY_18 = np.sum(np.abs(np.indices((3, 3, 3)) - 1), axis=0) <= 2
"""The 18-connected 3x3x3 structure (``ndimage.generate_binary_structure(3, 2)``)."""


def surface_elements(mask: np.ndarray, spacing: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Corner coordinates (in the corner grid of ``mask``, C order) of its surface elements and their areas."""
    codes = corner_codes(mask)
    surface = (codes != 0) & (codes != 255)
    return np.argwhere(surface), area_table(spacing)[codes[surface]]


def _nearest_rank_sorted(distances: np.ndarray, areas: np.ndarray, total: float, percent: float) -> int:
    """Index (into the stably sorted order) of the first distance whose cumulative area reaches ``percent``."""
    cumulative = np.cumsum(areas) / total
    return int(np.searchsorted(cumulative, percent / 100.0))


def nearest_rank(distances: np.ndarray, areas: np.ndarray, percent: float = 95.0) -> float:
    """Smallest distance whose cumulative area fraction (in increasing distance) reaches ``percent``."""
    if distances.size == 0:
        return float("inf")
    order = np.argsort(distances, kind="stable")
    index = min(_nearest_rank_sorted(distances[order], areas[order], float(np.sum(areas)), percent), distances.size - 1)
    return float(distances[order][index])


def _directed_percentile(
    sources: np.ndarray, areas: np.ndarray, targets: np.ndarray, shape: tuple[int, ...], spacing, percent: float
) -> float:
    """Area-weighted nearest-rank percentile of source -> target distances; the KD-tree only runs
    when the percentile lies beyond the grid shells (all shell distances are smaller)."""
    distances = near_distances(sources, targets, shape, spacing)
    finite = np.isfinite(distances)
    near = np.flatnonzero(finite)
    order = near[np.argsort(distances[near], kind="stable")]
    index = _nearest_rank_sorted(distances[order], areas[order], float(np.sum(areas)), percent)
    if index < order.size:
        return float(distances[order][index])
    return nearest_rank(fill_far(distances, sources, targets, spacing), areas, percent)


def compute_hd95(
    pred: np.ndarray, ref: np.ndarray, *, spacing: tuple[float, ...] | None = None, percent: float = 95.0
) -> float:
    """Robust Hausdorff distance at ``percent`` (95) on corner surface elements, max of both directions.

    Both empty: 0. Exactly one empty: 374 [P].
    """
    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape or p.ndim != 3:
        raise ValueError(f"need two 3-D masks of one shape, got {p.shape} and {g.shape}")
    spacing = tuple(float(s) for s in (spacing or (1.0, 1.0, 1.0)))
    p_box, g_box = bounding_box(p), bounding_box(g)
    if p_box is None and g_box is None:
        return 0.0
    if p_box is None or g_box is None:
        return EMPTY_PENALTY
    box = hull(p_box, g_box)
    origin = np.array([s.start for s in box])
    shape = tuple(s.stop - s.start + 1 for s in box)  # corner grid of the hull
    p_pts, p_areas = surface_elements(p[p_box], spacing)
    g_pts, g_areas = surface_elements(g[g_box], spacing)
    p_pts += np.array([s.start for s in p_box]) - origin
    g_pts += np.array([s.start for s in g_box]) - origin
    g_to_p = _directed_percentile(g_pts, g_areas, p_pts, shape, spacing, percent)
    p_to_g = _directed_percentile(p_pts, p_areas, g_pts, shape, spacing, percent)
    return max(g_to_p, p_to_g)


def _dilate(mask: np.ndarray, iterations: int) -> np.ndarray:
    from scipy import ndimage

    return ndimage.binary_dilation(mask, structure=_CONNECTIVITY_18, iterations=iterations) if iterations else mask


def lesion_wise(
    pred: np.ndarray,
    ref: np.ndarray,
    *,
    spacing: tuple[float, ...] | None = None,
    dilation: int = GLIOMA_DILATION,
    min_volume: float = GLIOMA_MIN_VOLUME,
) -> tuple[float, float]:
    """(LesionWise Dice, LesionWise HD95) of one region, BraTS 2023 rules (``docs/metrics.md``, "brats-2023").

    Lesions are 26-connected components. Ground-truth components joined by the ``dilation``-times
    18-connected dilation form one lesion. A predicted component matches a lesion when it touches
    the lesion's own dilation; the lesion is scored with the union of its matched components
    (Dice, and robust HD95 with empty -> 374). Lesions of volume <= ``min_volume`` are dropped,
    and components they matched count neither way. Predicted components matching no lesion are
    false positives (Dice 0, HD95 374). Score = sum / (#lesions + #FP); nothing at all: (1, 0).
    """
    from scipy import ndimage  # deferred: keeps plugin registration fast

    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape or p.ndim != 3:
        raise ValueError(f"need two 3-D masks of one shape, got {p.shape} and {g.shape}")
    spacing = tuple(float(s) for s in (spacing or (1.0, 1.0, 1.0)))
    voxel_volume = float(np.prod(spacing))
    box = union_box(p, g, margin=dilation + 1)
    if box is None:
        return 1.0, 0.0
    pc, gc = p[box], g[box]  # dilations and components are unchanged by this crop
    pred_cc, n_pred = ndimage.label(pc, structure=_CONNECTIVITY_26)
    merged_cc, n_merged = ndimage.label(_dilate(gc, dilation), structure=_CONNECTIVITY_26)
    lesions = np.where(gc, merged_cc, 0)

    matched: set[int] = set()
    dices: list[float] = []
    hds: list[float] = []
    for index, lesion_box in enumerate(ndimage.find_objects(lesions), start=1):
        if lesion_box is None:
            continue
        grown = tuple(
            slice(max(s.start - dilation, 0), min(s.stop + dilation, n)) for s, n in zip(lesion_box, lesions.shape, strict=True)
        )
        lesion = lesions[grown] == index
        labels = np.unique(pred_cc[grown][_dilate(lesion, dilation)])
        labels = labels[labels > 0]
        matched.update(int(v) for v in labels)
        if np.count_nonzero(lesion) * voxel_volume <= min_volume:
            continue
        gt_lesion = lesions == index
        pred_lesion = np.isin(pred_cc, labels) if labels.size else np.zeros_like(gt_lesion)
        dices.append(legacy.compute_dice(pred_lesion, gt_lesion))
        hd = compute_hd95(pred_lesion, gt_lesion, spacing=spacing)
        hds.append(EMPTY_PENALTY if not np.isfinite(hd) else hd)
    false_positives = n_pred - len(matched)
    count = len(dices) + false_positives
    if count == 0:
        return 1.0, 0.0
    return sum(dices) / count, (sum(hds) + EMPTY_PENALTY * false_positives) / count


def compute(m: MetricInput) -> dict[str, float]:
    """Every brats-2023 metric of one region: one count, one robust HD95, one lesion matching."""
    lesion_dice, lesion_hd95 = lesion_wise(m.prediction, m.reference, spacing=m.spacing)
    return {
        **legacy.overlap_scores(m.prediction, m.reference),
        "hd95": compute_hd95(m.prediction, m.reference, spacing=m.spacing),
        "lesion_dice": lesion_dice,
        "lesion_hd95": lesion_hd95,
    }


def _penalty(shape: tuple[int, ...]) -> float:
    return EMPTY_PENALTY


LESION_GROUP = "Lesion-wise"

METRICS = (
    replace(legacy.DICE, ranking=False),  # 2023 ranks by the lesion-wise scores
    MetricDef(
        name="hd95",
        summary="robust HD95 on corner surface elements, max of both directions; 374 when one mask is empty",
        higher_is_better=False, worst=_penalty, unit="distance", group=legacy.OVERLAP_GROUP, order=20,
        report_name="Hausdorff95",
    ),
    legacy.SENSITIVITY,
    legacy.SPECIFICITY,
    MetricDef(
        name="lesion_dice",
        summary="BraTS 2023 lesion-wise Dice (glioma rules: dilation 3, lesions over 50 mm^3)",
        higher_is_better=True, worst=legacy.DICE.worst, group=LESION_GROUP, order=50, ranking=True,
        report_name="LesionWise_Dice",
    ),
    MetricDef(
        name="lesion_hd95",
        summary="BraTS 2023 lesion-wise robust HD95 (374 per missed or false-positive lesion)",
        higher_is_better=False, worst=_penalty, unit="distance", group=LESION_GROUP, order=60, ranking=True,
        report_name="LesionWise_Hausdorff95",
    ),
)
"""Dice, sensitivity and specificity keep the legacy definitions and empty rules."""

SPEC = MetricConventionSpec(
    name=CONVENTION,
    summary="BraTS 2023: robust HD95 on surface elements (374 penalty) and lesion-wise Dice / HD95",
    metrics=METRICS,
    compute=compute,
)


@hookimpl
def tumorbench_metric_conventions() -> list[MetricConventionSpec]:
    return [SPEC]
