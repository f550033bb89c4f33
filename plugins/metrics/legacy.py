"""The brats-legacy metric convention (official 2017-2022 pipeline: CaPTk calling medpy).

Dice, HD95 (medpy's pooled 95th percentile over connectivity-1 surfaces), sensitivity and
specificity over the whole image, with CaPTk's empty-mask rules (``metrics.md`` section 2).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from tumorbench import hookimpl
from tumorbench.types import MetricSpec

CONVENTION = "brats-legacy"


def image_diagonal(shape: tuple[int, ...]) -> float:
    """Diagonal of the image in voxels: the HD95 penalty when exactly one mask is empty."""
    return math.sqrt(sum(s * s for s in shape))


def dice(pred: np.ndarray, ref: np.ndarray) -> float:
    """2|P n G| / (|P| + |G|); 1 when both are empty."""
    p, g = np.asarray(pred, bool), np.asarray(ref, bool)
    total = int(p.sum()) + int(g.sum())
    if total == 0:
        return 1.0
    return 2.0 * int(np.logical_and(p, g).sum()) / total


def sensitivity(pred: np.ndarray, ref: np.ndarray) -> float:
    """TP / (TP + FN); 1 when both are empty, 0 when only the reference is empty."""
    p, g = np.asarray(pred, bool), np.asarray(ref, bool)
    positives = int(g.sum())
    if positives == 0:
        return 1.0 if not p.any() else 0.0
    return int(np.logical_and(p, g).sum()) / positives


def specificity(pred: np.ndarray, ref: np.ndarray) -> float:
    """TN / (TN + FP) over every voxel; 1 when the image has no negatives."""
    p, g = np.asarray(pred, bool), np.asarray(ref, bool)
    negatives = int((~g).sum())
    if negatives == 0:
        return 1.0
    return int(np.logical_and(~p, ~g).sum()) / negatives


def _crop_to_union(p: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Crop both masks to their union's bounding box plus one voxel (clamped to the image).

    Exact for medpy's surface distances: surface voxels on the image border stay on the crop's
    border, every other surface voxel keeps a background neighbour, and every surface voxel of
    both masks lies in the crop, so nearest distances are unchanged.
    """
    union = p | g
    slices = []
    for axis in range(union.ndim):
        other = tuple(a for a in range(union.ndim) if a != axis)
        nz = np.flatnonzero(union.any(axis=other))
        slices.append(slice(max(int(nz[0]) - 1, 0), min(int(nz[-1]) + 2, union.shape[axis])))
    box = tuple(slices)
    return p[box], g[box]


def _surface_distances(a: np.ndarray, b: np.ndarray, spacing: tuple[float, ...]) -> np.ndarray:
    """Distances from each surface voxel of ``a`` to the nearest surface voxel of ``b`` (medpy)."""
    footprint = ndimage.generate_binary_structure(a.ndim, 1)
    a_border = a ^ ndimage.binary_erosion(a, structure=footprint, iterations=1)
    b_border = b ^ ndimage.binary_erosion(b, structure=footprint, iterations=1)
    dt = ndimage.distance_transform_edt(~b_border, sampling=spacing)
    return dt[a_border]


def hd95(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...] = (1.0, 1.0, 1.0)) -> float:
    """medpy's hd95: 95th percentile (linear) of the pooled surface distances of both directions.

    Both empty: 0. Exactly one empty: the image diagonal in voxels (CaPTk's rule).
    """
    p, g = np.asarray(pred, bool), np.asarray(ref, bool)
    p_any, g_any = bool(p.any()), bool(g.any())
    if not p_any and not g_any:
        return 0.0
    if p_any != g_any:
        return image_diagonal(p.shape)
    pc, gc = _crop_to_union(p, g)
    distances = np.concatenate([_surface_distances(pc, gc, spacing), _surface_distances(gc, pc, spacing)])
    return float(np.percentile(distances, 95))


def _spec(name: str, summary: str, fn, higher: bool, worst, units: str = "") -> MetricSpec:
    return MetricSpec(
        name=name,
        summary=summary,
        convention=CONVENTION,
        compute=fn,
        higher_is_better=higher,
        worst=worst,
        units=units,
    )


METRICS = [
    _spec("dice", "Dice overlap; 1 when both masks are empty", lambda m: dice(m.prediction, m.reference), True, lambda shape: 0.0),
    _spec(
        "hd95",
        "medpy HD95 (pooled 95th percentile); diagonal when one mask is empty",
        lambda m: hd95(m.prediction, m.reference, m.spacing),
        False,
        image_diagonal,
        units="distance",
    ),
    _spec("sensitivity", "TP/(TP+FN) over the whole image", lambda m: sensitivity(m.prediction, m.reference), True, lambda shape: 0.0),
    _spec("specificity", "TN/(TN+FP) over the whole image", lambda m: specificity(m.prediction, m.reference), True, lambda shape: 0.0),
]


@hookimpl
def tumorbench_metrics() -> list[MetricSpec]:
    return list(METRICS)
