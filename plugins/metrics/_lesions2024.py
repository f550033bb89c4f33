"""The lesion rules of the official BraTS 2024 scorer, as array operations (``docs/brats2024.md``).

The official scorer (rachitsaluja/BraTS-2024-Metrics at 9a0ab9c) writes every intermediate map
to NIfTI files and numbers lesions with cc3d on arrays read by nibabel. The steps here give the
same lesions with the same numbers, on a box around the tumour:

1. :func:`merged_lesions` -- 26-connected components, joined when their ``dilation``-times
   18-connected dilations touch; numbered as cc3d numbers the dilated mask, which scipy returns
   in C order: by first voxel in index order with the LAST axis fastest;
2. :func:`remove_small` -- predicted lesions of at most the minimum size are erased (numbers kept);
3. :func:`touching_pairs`, :func:`combine` -- lesions of one tissue that touch lesions of another
   tissue are renumbered together, with every quirk of the official relabelling (nothing happens
   for a single touching pair; a lesion follows the lowest-numbered lesion it touches);
4. :func:`reorder` -- numbers made consecutive, in the order of their values;
5. :func:`lesion_scores` -- matching, lesion-wise Dice and HD95, false positives;
6. :func:`legacy_scores` -- the "legacy" Dice, HD95, sensitivity and specificity the scorer
   reports, computed like it on the lesion-numbered maps (:func:`coded_hd95`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._geometry import as_mask, bounding_box, hull
from ._surfels import area_table
from .brats2023 import _directed_percentile, compute_hd95

FULL_26 = np.ones((3, 3, 3), dtype=bool)
STRUCTURE_18 = np.sum(np.abs(np.indices((3, 3, 3)) - 1), axis=0) <= 2
"""``ndimage.generate_binary_structure(3, 2)``: the dilation and touching structure of the scorer."""

_OFFSETS_18 = np.argwhere(STRUCTURE_18) - 1


# --------------------------------------------------------------------------------------------
# Lesion maps
# --------------------------------------------------------------------------------------------


def scan_order_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """26-connected components numbered by first voxel in index order, last axis fastest (int32).

    cc3d numbers components in memory order; the scorer labels the output of
    ``ndimage.binary_dilation``, which is C-ordered whatever its input, so its numbers follow
    this order. (``ndimage.label`` numbers in index order whatever the memory order.)
    """
    from scipy import ndimage

    labels, count = ndimage.label(np.asarray(mask, dtype=bool), structure=FULL_26, output=np.int32)
    return labels, int(count)


def dilate(mask: np.ndarray, iterations: int) -> np.ndarray:
    """``iterations`` binary dilations with the 18-connected structure (0: unchanged)."""
    from scipy import ndimage

    if iterations <= 0:
        return np.asarray(mask, dtype=bool)
    return ndimage.binary_dilation(mask, structure=STRUCTURE_18, iterations=iterations)


def merged_lesions(mask: np.ndarray, dilation: int) -> np.ndarray:
    """Each voxel of ``mask`` labelled with the component of the dilated mask it lies in."""
    grown, _ = scan_order_components(dilate(mask, dilation))
    return np.where(mask, grown, 0).astype(np.int32)


def remove_small(lesions: np.ndarray, max_voxels: float) -> np.ndarray:
    """Erase the lesions of at most ``max_voxels`` voxels; the other numbers are kept (gaps stay)."""
    if not lesions.any():
        return lesions
    counts = np.bincount(lesions.ravel())
    small = counts <= max_voxels
    small[0] = False
    return np.where(small[lesions], 0, lesions) if small.any() else lesions


def touching_pairs(lesions: np.ndarray, other: np.ndarray) -> list[tuple[int, int]]:
    """Sorted (lesion, other lesion) pairs with a voxel of ``other`` in the 18-neighbourhood of
    a voxel of the lesion (a voxel of both counts too)."""
    where = np.nonzero(other)
    if where[0].size == 0 or not lesions.any():
        return []
    padded = np.pad(lesions, 1)
    points = np.stack(where, axis=1) + 1
    other_values = other[where].astype(np.int64)
    found = []
    for offset in _OFFSETS_18:
        near = padded[tuple((points + offset).T)].astype(np.int64)
        hit = near > 0
        found.append(near[hit] * (int(other.max()) + 1) + other_values[hit])
    codes = np.unique(np.concatenate(found))
    base = int(other.max()) + 1
    return [(int(c // base), int(c % base)) for c in codes]


def combine(lesions: np.ndarray, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """The official relabelling of ``lesions`` by the lesions of another tissue they touch.

    With at most one touching pair the map is unchanged. Otherwise each lesion number of the
    other tissue, in the order it first appears among the sorted pairs, gets a new number above
    the current largest; each touching lesion takes the new number of the lowest-numbered
    lesion it touches. Lesions touching the same lowest-numbered lesion are thereby one lesion.
    """
    if len(pairs) <= 1:
        return lesions
    ordered = sorted(pairs)
    top = int(lesions.max())
    new_of_other: dict[int, int] = {}
    for _, other in ordered:
        if other not in new_of_other:
            top += 1
            new_of_other[other] = top
    table = np.arange(int(lesions.max()) + 1, dtype=np.int64)
    assigned: set[int] = set()
    for lesion, other in ordered:
        if lesion not in assigned:
            assigned.add(lesion)
            table[lesion] = new_of_other[other]
    return table[lesions].astype(np.int32)


def reorder(lesions: np.ndarray) -> np.ndarray:
    """Lesion numbers made 1..n in the order of their values."""
    values = np.unique(lesions)
    values = values[values > 0]
    if values.size == 0:
        return lesions
    table = np.zeros(int(values[-1]) + 1, dtype=np.int32)
    table[values] = np.arange(1, values.size + 1, dtype=np.int32)
    return table[lesions]


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LesionResult:
    """Lesion-wise scores of one region, and the counts the scorer reports beside them."""

    dice: float
    hd95: float
    true_positives: int
    false_positives: int
    false_negatives: int


def _boxes(lesions: np.ndarray) -> list[tuple[slice, ...] | None]:
    from scipy import ndimage

    return list(ndimage.find_objects(lesions))


def _grown(box: tuple[slice, ...], margin: int, shape: tuple[int, ...]) -> tuple[slice, ...]:
    return tuple(slice(max(s.start - margin, 0), min(s.stop + margin, n)) for s, n in zip(box, shape, strict=True))


def lesion_scores(
    pred: np.ndarray,
    ref: np.ndarray,
    *,
    dilation: int,
    min_volume: float,
    spacing: tuple[float, float, float],
    penalty: float,
    count_false_positives: bool = True,
) -> LesionResult:
    """Match numbered predicted lesions to numbered reference lesions and score them.

    A predicted lesion matches a reference lesion when it has a voxel inside the reference
    lesion's ``dilation``-times dilation; the reference lesion is scored (Dice, and robust HD95
    with ``penalty`` when nothing matched) against the union of its matches. Reference lesions of
    volume <= ``min_volume`` (voxel count x voxel volume) are left out, their matches
    included. Predicted lesions matching nothing are false positives: each adds a Dice of 0 and
    an HD95 of ``penalty`` when ``count_false_positives``. Nothing to average: Dice 1, HD95 0.
    """
    voxel_volume = float(np.prod(spacing))
    pred_boxes = _boxes(pred)
    matched: set[int] = set()
    dices: list[float] = []
    hds: list[float] = []
    tp = fn = 0
    for index, box in enumerate(_boxes(ref), start=1):
        if box is None:
            continue
        grown = _grown(box, dilation, ref.shape)
        lesion = ref[grown] == index
        labels = np.unique(pred[grown][dilate(lesion, dilation)])
        labels = labels[labels > 0]
        matched.update(int(v) for v in labels)
        if np.count_nonzero(lesion) * voxel_volume <= min_volume:
            continue
        if labels.size == 0:
            fn += 1
            dices.append(0.0)
            hds.append(penalty)
            continue
        tp += 1
        crop = box
        for label in labels:
            crop = hull(crop, pred_boxes[int(label) - 1])  # type: ignore[arg-type]
        gt = ref[crop] == index
        predicted = np.isin(pred[crop], labels)
        both = np.count_nonzero(gt & predicted)
        dices.append(2.0 * both / (np.count_nonzero(gt) + np.count_nonzero(predicted)))
        hd = compute_hd95(predicted, gt, spacing=spacing)
        hds.append(hd if math.isfinite(hd) else penalty)
    false_positives = sum(1 for i, b in enumerate(pred_boxes, start=1) if b is not None and i not in matched)
    extra = false_positives if count_false_positives else 0
    count = len(dices) + extra
    if count == 0:
        return LesionResult(1.0, 0.0, tp, false_positives, fn)
    return LesionResult(sum(dices) / count, (sum(hds) + penalty * extra) / count, tp, false_positives, fn)


@dataclass(frozen=True)
class LegacyResult:
    """The whole-region scores the official scorer reports as Legacy_Dice, Legacy_HD95,
    Sensitivity and Specificity."""

    dice: float
    hd95: float
    sensitivity: float
    specificity: float


def _bit_reversed_areas(spacing: tuple[float, float, float]) -> np.ndarray:
    """Area of each surface code in the scorer's bit order (weight 128 on the voxel at offset
    (-1, -1, -1), 1 on (0, 0, 0)): ``_surfels`` uses the reverse bit order."""
    table = area_table(spacing)
    reverse = np.array([int(f"{code:08b}"[::-1], 2) for code in range(256)])
    return table[reverse]


def scorer_codes(values: np.ndarray) -> np.ndarray:
    """The scorer's corner codes of a lesion-numbered map (one more corner than voxels per axis).

    The scorer casts the map to uint8 and correlates it with the weights 128..1, keeping uint8:
    each code is ``sum(weight x (number mod 256)) mod 256``. For a 0/1 map this is the usual
    neighbour code; where lesions are numbered 2 and up the codes, and so the surface, change.
    """
    padded = np.pad(np.asarray(values, dtype=np.int64) % 256, 1).astype(np.uint8)
    n = tuple(s - 1 for s in padded.shape)
    codes = np.zeros(n, dtype=np.uint8)
    for bit, (a, b, c) in enumerate(np.ndindex(2, 2, 2)):
        weight = np.uint8(1 << (7 - bit))
        codes += padded[a : a + n[0], b : b + n[1], c : c + n[2]] * weight
    return codes


def coded_hd95(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, float, float]) -> float:
    """The scorer's whole-region HD95: the robust Hausdorff distance (95th percentile, max of the
    two directions) between the surfaces that :func:`scorer_codes` gives the two lesion-numbered
    maps. Both empty: 0; a side with no surface corner: infinity."""
    if not pred.any() and not ref.any():
        return 0.0
    box = bounding_box(np.logical_or(pred, ref))
    assert box is not None
    p_codes, g_codes = scorer_codes(pred[box]), scorer_codes(ref[box])
    p_surface = (p_codes != 0) & (p_codes != 255)
    g_surface = (g_codes != 0) & (g_codes != 255)
    if not p_surface.any() or not g_surface.any():
        return math.inf
    areas = _bit_reversed_areas(tuple(float(s) for s in spacing))  # type: ignore[arg-type]
    p_pts, g_pts = np.argwhere(p_surface), np.argwhere(g_surface)
    shape = p_codes.shape
    g_to_p = _directed_percentile(g_pts, areas[g_codes[g_surface]], p_pts, shape, spacing, 95.0)
    p_to_g = _directed_percentile(p_pts, areas[p_codes[p_surface]], g_pts, shape, spacing, 95.0)
    return max(g_to_p, p_to_g)


def legacy_scores(pred: np.ndarray, ref: np.ndarray, *, spacing: tuple[float, float, float], size: int,
                  penalty: float) -> LegacyResult:
    """The scorer's whole-region scores of two lesion-numbered maps (cropped; ``size`` voxels in
    the whole image).

    Dice counts non-zero voxels (1 when both are empty). Sensitivity and specificity follow the
    scorer's arithmetic on the numbered maps: the positives are the SUMS of the lesion numbers,
    a true positive is a voxel numbered 1 in both maps, a true negative a voxel numbered 1 in
    neither (sensitivity 1 when both sums are 0). HD95: :func:`coded_hd95`, infinity -> ``penalty``.
    """
    p_any, g_any = pred > 0, ref > 0
    n_p, n_g = int(np.count_nonzero(p_any)), int(np.count_nonzero(g_any))
    dice = 1.0 if n_p == 0 and n_g == 0 else 2.0 * np.count_nonzero(p_any & g_any) / (n_p + n_g)
    hd = coded_hd95(pred, ref, spacing)
    predicted_sum, reference_sum = float(np.sum(pred, dtype=np.float64)), float(np.sum(ref, dtype=np.float64))
    p_one, g_one = pred == 1, ref == 1
    tp = int(np.count_nonzero(p_one & g_one))
    fp, fn = predicted_sum - tp, reference_sum - tp
    tn = size - int(np.count_nonzero(p_one | g_one))
    tiny = sys.float_info.min
    sensitivity = 1.0 * tp / (tp + fn + tiny)
    specificity = 1.0 * tn / (tn + fp + tiny)
    if predicted_sum == 0 and reference_sum == 0:
        sensitivity = 1.0
    return LegacyResult(float(dice), hd if math.isfinite(hd) else penalty, float(sensitivity), float(specificity))


def as_mask_pair(pred: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two boolean masks of one 3-D shape, or ValueError."""
    p, g = as_mask(pred), as_mask(ref)
    if p.shape != g.shape or p.ndim != 3:
        raise ValueError(f"need two 3-D masks of one shape, got {p.shape} and {g.shape}")
    return p, g
