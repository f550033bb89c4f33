"""The brats-legacy metric convention (official 2017-2022 pipeline: CaPTk calling medpy).

Dice, HD95 (medpy's pooled 95th percentile over connectivity-1 surfaces), sensitivity and
specificity over the whole image, with CaPTk's empty-mask rules (``metrics.md`` section 2).
"""

from __future__ import annotations

import math

import numpy as np
from tumorbench import hookimpl
from tumorbench.types import MetricSpec

from ._geometry import as_mask, medpy_surface, nearest_distances, union_box

CONVENTION = "brats-legacy"


def image_diagonal(shape: tuple[int, ...]) -> float:
    """Diagonal of the image in voxels: the HD95 penalty when exactly one mask is empty."""
    return math.sqrt(sum(s * s for s in shape))


def _counts(pred: np.ndarray, ref: np.ndarray) -> tuple[int, int, int]:
    """(|P|, |G|, |P n G|) of two masks of one shape."""
    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {p.shape} differs from reference shape {g.shape}")
    return int(np.count_nonzero(p)), int(np.count_nonzero(g)), int(np.count_nonzero(p & g))


def compute_dice(pred: np.ndarray, ref: np.ndarray) -> float:
    """2|P n G| / (|P| + |G|); 1 when both are empty."""
    n_p, n_g, tp = _counts(pred, ref)
    if n_p + n_g == 0:
        return 1.0
    return 2.0 * tp / (n_p + n_g)


def compute_sensitivity(pred: np.ndarray, ref: np.ndarray) -> float:
    """TP / (TP + FN); 1 when both are empty, 0 when only the reference is empty."""
    n_p, n_g, tp = _counts(pred, ref)
    if n_g == 0:
        return 1.0 if n_p == 0 else 0.0
    return tp / n_g


def compute_specificity(pred: np.ndarray, ref: np.ndarray) -> float:
    """TN / (TN + FP) over every voxel of the image; 1 when the image has no negatives."""
    n_p, n_g, tp = _counts(pred, ref)
    negatives = int(np.size(ref)) - n_g
    if negatives == 0:
        return 1.0
    true_negatives = negatives - (n_p - tp)
    return true_negatives / negatives


def surface_distances(
    pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """medpy's two directed surface-distance sets (pred -> ref, ref -> pred); both non-empty masks.

    Surfaces are the connectivity-1 borders of each mask (array border outside); a distance is
    the Euclidean distance with ``spacing`` to the nearest border voxel of the other mask [C].
    Computed on the union's bounding box plus one voxel and with a KD-tree: exact, because every
    border voxel of both masks lies in that box and a box edge is either background or the image
    border.
    """
    p, g = as_mask(pred), as_mask(ref)
    spacing = tuple(float(s) for s in (spacing or (1.0,) * p.ndim))
    box = union_box(p, g, margin=1)
    pc, gc = p[box], g[box]
    p_border, g_border = medpy_surface(pc), medpy_surface(gc)
    return nearest_distances(p_border, g_border, spacing), nearest_distances(g_border, p_border, spacing)


def compute_hd95(pred: np.ndarray, ref: np.ndarray, *, spacing: tuple[float, ...] | None = None) -> float:
    """medpy's ``hd95``: 95th percentile (linear) of the pooled surface distances of both directions.

    Both empty: 0. Exactly one empty: the image diagonal in voxels (CaPTk's rule) [P].
    """
    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {p.shape} differs from reference shape {g.shape}")
    p_any, g_any = bool(p.any()), bool(g.any())
    if not p_any and not g_any:
        return 0.0
    if p_any != g_any:
        return image_diagonal(p.shape)
    d_pg, d_gp = surface_distances(p, g, spacing)
    return float(np.percentile(np.concatenate([d_pg, d_gp]), 95))


# Historical public names (kept: other modules and users call them).
def dice(pred: np.ndarray, ref: np.ndarray) -> float:
    """Alias of :func:`compute_dice`."""
    return compute_dice(pred, ref)


def sensitivity(pred: np.ndarray, ref: np.ndarray) -> float:
    """Alias of :func:`compute_sensitivity`."""
    return compute_sensitivity(pred, ref)


def specificity(pred: np.ndarray, ref: np.ndarray) -> float:
    """Alias of :func:`compute_specificity`."""
    return compute_specificity(pred, ref)


def hd95(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...] = (1.0, 1.0, 1.0)) -> float:
    """Alias of :func:`compute_hd95` (spacing may be positional here)."""
    return compute_hd95(pred, ref, spacing=spacing)


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
    _spec("dice", "Dice overlap; 1 when both masks are empty", lambda m: compute_dice(m.prediction, m.reference), True, lambda shape: 0.0),
    _spec(
        "hd95",
        "medpy HD95 (pooled 95th percentile); diagonal when one mask is empty",
        lambda m: compute_hd95(m.prediction, m.reference, spacing=m.spacing),
        False,
        image_diagonal,
        units="distance",
    ),
    _spec("sensitivity", "TP/(TP+FN) over the whole image", lambda m: compute_sensitivity(m.prediction, m.reference), True, lambda shape: 0.0),
    _spec("specificity", "TN/(TN+FP) over the whole image", lambda m: compute_specificity(m.prediction, m.reference), True, lambda shape: 0.0),
]


@hookimpl
def tumorbench_metrics() -> list[MetricSpec]:
    return list(METRICS)
