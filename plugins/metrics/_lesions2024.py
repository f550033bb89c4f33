"""The lesion rules of the official BraTS 2024 scorer, as array operations (``docs/brats2024.md``).

The official scorer (rachitsaluja/BraTS-2024-Metrics at 9a0ab9c) writes every intermediate map
to NIfTI files and numbers lesions with cc3d. The steps here give the same lesions with the
same numbers; each map lives on its own tight box (:class:`LesionMap`):

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

from ._geometry import bounding_box, hull
from ._surfels import area_table
from .brats2023 import _directed_percentile, compute_hd95

FULL_26 = np.ones((3, 3, 3), dtype=bool)
STRUCTURE_18 = np.sum(np.abs(np.indices((3, 3, 3)) - 1), axis=0) <= 2
"""``ndimage.generate_binary_structure(3, 2)``: the dilation and touching structure of the scorer."""

_OFFSETS_18 = np.argwhere(STRUCTURE_18) - 1

Box = tuple[slice, slice, slice]


# --------------------------------------------------------------------------------------------
# Boxes and lesion maps
# --------------------------------------------------------------------------------------------


def shifted(box: Box, origin: Sequence[int]) -> Box:
    """``box`` moved by ``origin`` (from a sub-array's coordinates to its parent's)."""
    return tuple(slice(s.start + o, s.stop + o) for s, o in zip(box, origin, strict=True))  # type: ignore[return-value]


def intersection(a: Box, b: Box) -> Box | None:
    out = tuple(slice(max(x.start, y.start), min(x.stop, y.stop)) for x, y in zip(a, b, strict=True))
    return None if any(s.start >= s.stop for s in out) else out  # type: ignore[return-value]


@dataclass(frozen=True)
class LesionMap:
    """Lesion numbers (int32, 0 outside lesions) on ``box``, a box of the case's grid; every
    voxel outside the box is 0. ``box`` is None for an empty map."""

    box: Box | None
    data: np.ndarray

    @staticmethod
    def empty() -> LesionMap:
        return LesionMap(None, np.zeros((0, 0, 0), dtype=np.int32))

    def window(self, box: Box) -> np.ndarray:
        """The numbers on ``box`` (a new array; zeros where the map has no data)."""
        out = np.zeros(tuple(s.stop - s.start for s in box), dtype=np.int32)
        if self.box is None:
            return out
        common = intersection(self.box, box)
        if common is not None:
            out[shifted(common, [-s.start for s in box])] = self.data[shifted(common, [-s.start for s in self.box])]
        return out

    def with_data(self, data: np.ndarray) -> LesionMap:
        return LesionMap(self.box, data)

    def max(self) -> int:
        return int(self.data.max()) if self.data.size else 0

    def boxes(self) -> list[Box | None]:
        """Box of each number 1..max on the case's grid (None for a number not present)."""
        from scipy import ndimage

        if self.box is None:
            return []
        origin = [s.start for s in self.box]
        return [None if b is None else shifted(b, origin) for b in ndimage.find_objects(self.data)]

    def tight(self) -> Box | None:
        """The smallest box holding every lesion voxel, on the case's grid."""
        if self.box is None:
            return None
        inner = bounding_box(self.data)
        return None if inner is None else shifted(inner, [s.start for s in self.box])  # type: ignore[arg-type]


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


def merged_lesions(mask: np.ndarray, dilation: int, origin: Sequence[int] = (0, 0, 0)) -> tuple[LesionMap, LesionMap]:
    """(lesions, reach) of a mask whose corner lies at ``origin`` on the case's grid: each voxel
    of the mask numbered by the component of the dilated mask it lies in, and those dilated
    components themselves (each lesion's own ``dilation``-times dilation: they are disjoint).

    Worked on the mask's bounding box grown by ``dilation`` + 1 voxels: the numbering order of
    the components is the same there as in the whole array.
    """
    box = bounding_box(mask, margin=dilation + 1)
    if box is None:
        return LesionMap.empty(), LesionMap.empty()
    inside = np.ascontiguousarray(mask[box], dtype=bool)
    grown = _clustered_reach(inside, dilation) if inside.size > CLUSTER_MIN_VOXELS else None
    if grown is None:
        grown, _ = scan_order_components(dilate(inside, dilation))
    where = shifted(box, origin)  # type: ignore[arg-type]
    return LesionMap(where, np.where(inside, grown, 0).astype(np.int32)), LesionMap(where, grown)


CLUSTER_MIN_VOXELS = 1 << 20
"""Masks on boxes larger than this are dilated cluster by cluster (:func:`_clustered_reach`)."""


def _clustered_reach(mask: np.ndarray, dilation: int) -> np.ndarray | None:
    """:func:`scan_order_components` of the dilated ``mask``, worked cluster by cluster: a box
    spanning a tumour and a far speck is mostly empty, and dilating it whole costs most.

    The mask is cut into blocks of ``2 * dilation + 2`` voxels per axis; blocks joined through
    26-neighbouring occupied blocks form a cluster. Voxels of two clusters are more than
    ``2 * dilation + 1`` apart along some axis, so their dilations neither meet nor touch: each
    cluster is dilated and labelled on its own box, and the components are numbered together
    by their first voxel in index order (as on the whole box). None when there is one cluster.
    """
    from scipy import ndimage

    edge = 2 * dilation + 2
    blocks = tuple(-(-n // edge) for n in mask.shape)
    padded = np.zeros(tuple(b * edge for b in blocks), dtype=bool)
    padded[tuple(slice(0, n) for n in mask.shape)] = mask
    occupied = padded.reshape(blocks[0], edge, blocks[1], edge, blocks[2], edge).any(axis=(1, 3, 5))
    clusters, count = ndimage.label(occupied, structure=FULL_26)
    if count <= 1:
        return None
    out = np.zeros(mask.shape, dtype=np.int32)
    firsts = []
    pieces = []
    for index, block_box in enumerate(ndimage.find_objects(clusters), start=1):
        voxel_box = tuple(
            slice(max(s.start * edge - dilation - 1, 0), min(s.stop * edge + dilation + 1, n))
            for s, n in zip(block_box, mask.shape, strict=True)
        )
        cluster_blocks = clusters == index
        own = np.repeat(np.repeat(np.repeat(cluster_blocks, edge, 0), edge, 1), edge, 2)
        part = mask[voxel_box] & own[voxel_box]
        grown, n = scan_order_components(dilate(part, dilation))
        if n == 0:
            continue
        values, first = np.unique(grown.ravel(), return_index=True)
        coords = np.stack(np.unravel_index(first[values > 0], grown.shape), axis=1) + [s.start for s in voxel_box]
        firsts.append(np.ravel_multi_index(tuple(coords.T), mask.shape))
        pieces.append((voxel_box, grown, n))
    order = np.argsort(np.concatenate(firsts), kind="stable")
    offsets = np.cumsum([0] + [n for _, _, n in pieces])
    numbers = np.empty(order.size, dtype=np.int32)
    numbers[order] = np.arange(1, order.size + 1, dtype=np.int32)
    for piece, (voxel_box, grown, n) in enumerate(pieces):
        table = np.zeros(n + 1, dtype=np.int32)
        table[1:] = numbers[offsets[piece] : offsets[piece] + n]
        target = out[voxel_box]
        hit = grown > 0
        target[hit] = table[grown[hit]]
    return out


def remove_small(lesions: LesionMap, max_voxels: float) -> LesionMap:
    """Erase the lesions of at most ``max_voxels`` voxels; the other numbers are kept (gaps stay)."""
    if lesions.box is None:
        return lesions
    counts = np.bincount(lesions.data.ravel())
    small = counts <= max_voxels
    small[0] = False
    if not small.any():
        return lesions
    return lesions.with_data(np.where(small[lesions.data], 0, lesions.data).astype(np.int32))


def touching_pairs(lesions: LesionMap, other: LesionMap) -> list[tuple[int, int]]:
    """Sorted (lesion, other lesion) pairs with a voxel of ``other`` in the 18-neighbourhood of
    a voxel of the lesion (a voxel of both counts too)."""
    inner = other.tight()
    if inner is None or lesions.box is None:
        return []
    box = tuple(slice(s.start - 1, s.stop + 1) for s in inner)  # may reach past the grid: zeros there
    near = lesions.window(box)  # type: ignore[arg-type]
    if not near.any():
        return []
    other_box = other.window(box)  # type: ignore[arg-type]
    strides = np.array([near.shape[1] * near.shape[2], near.shape[2], 1], dtype=np.int64)
    where = np.nonzero(other_box)  # never on the window's rim, so every neighbour is inside it
    flat = np.stack(where, axis=1) @ strides
    other_values = other_box[where].astype(np.int64)
    base = int(other_values.max()) + 1
    values = near.ravel()
    found = []
    for step in _OFFSETS_18 @ strides:
        hit_values = values.take(flat + step).astype(np.int64)
        hit = hit_values > 0
        found.append(hit_values[hit] * base + other_values[hit])
    codes = np.unique(np.concatenate(found))
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
    values = np.flatnonzero(np.bincount(lesions.ravel()))
    values = values[values > 0]
    if values.size == 0:
        return lesions
    table = np.zeros(int(values[-1]) + 1, dtype=np.int32)
    table[values] = np.arange(1, values.size + 1, dtype=np.int32)
    return table[lesions]


def renumbered(reach: LesionMap, base: LesionMap, final: LesionMap) -> LesionMap:
    """``reach`` (numbered like ``base``) renumbered like ``final``, a renumbering of ``base``
    on the same box that keeps each base lesion whole."""
    if base is final or reach.box is None:
        return reach
    table = np.zeros(reach.max() + 1, dtype=np.int32)
    inside = base.data > 0
    table[base.data[inside]] = final.data[inside]
    return reach.with_data(table[reach.data])


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


def lesion_scores(
    pred: LesionMap,
    ref: LesionMap,
    reach: LesionMap,
    *,
    min_volume: float,
    spacing: tuple[float, float, float],
    penalty: float,
    count_false_positives: bool = True,
    whole_hd95: float | None = None,
) -> LesionResult:
    """Match numbered predicted lesions to numbered reference lesions and score them.

    ``reach`` holds each reference lesion's ``dilation``-times dilation, numbered like it. A
    predicted lesion matches a reference lesion when it has a voxel in the lesion's reach; the
    reference lesion is scored (Dice, and robust HD95 with ``penalty`` when nothing matched)
    against the union of its matches. Reference lesions of volume <= ``min_volume`` (voxel
    count x voxel volume) are left out, their matches included. Predicted lesions matching
    nothing are false positives: each adds a Dice of 0 and an HD95 of ``penalty`` when
    ``count_false_positives``. Nothing to average: Dice 1, HD95 0.

    ``whole_hd95``: the HD95 of the two whole maps when known; it is the HD95 of a single
    reference lesion matched by the single predicted one, both numbered 1 (the same two masks).
    """
    voxel_volume = float(np.prod(spacing))
    pred_boxes = pred.boxes()
    ref_boxes = ref.boxes()
    ref_sizes = np.bincount(ref.data.ravel()) if ref.box is not None else np.zeros(1, dtype=np.int64)
    matches: dict[int, list[int]] = {}
    if reach.box is not None and pred.box is not None:
        predicted_near = pred.window(reach.box)
        both = (reach.data > 0) & (predicted_near > 0)
        base = len(pred_boxes) + 1
        for code in np.unique(reach.data[both].astype(np.int64) * base + predicted_near[both]).tolist():
            matches.setdefault(code // base, []).append(code % base)
    matched = {label for labels in matches.values() for label in labels}
    single = whole_hd95 is not None and len(ref_boxes) == 1 and len(pred_boxes) == 1
    dices: list[float] = []
    hds: list[float] = []
    tp = fn = 0
    for index, box in enumerate(ref_boxes, start=1):
        if box is None or ref_sizes[index] * voxel_volume <= min_volume:
            continue
        labels = matches.get(index)
        if not labels:
            fn += 1
            dices.append(0.0)
            hds.append(penalty)
            continue
        tp += 1
        crop = box
        for label in labels:
            crop = hull(crop, pred_boxes[label - 1])  # type: ignore[arg-type,assignment]
        gt = ref.window(crop) == index
        predicted = np.isin(pred.window(crop), labels)
        overlap = np.count_nonzero(gt & predicted)
        dices.append(2.0 * overlap / (int(ref_sizes[index]) + np.count_nonzero(predicted)))
        hd = whole_hd95 if single else compute_hd95(predicted, gt, spacing=spacing)
        hds.append(hd if math.isfinite(hd) else penalty)  # type: ignore[arg-type]
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


def _surface(lesions: LesionMap, areas: np.ndarray) -> tuple[np.ndarray, np.ndarray, Box] | None:
    """Corner points (case-grid corner coordinates) of a map's scorer surface and their areas."""
    box = lesions.tight()
    if box is None:
        return None
    codes = scorer_codes(lesions.window(box))
    surface = (codes != 0) & (codes != 255)
    points = np.argwhere(surface) + np.array([s.start for s in box])
    return points, areas[codes[surface]], box


def coded_hd95(pred: LesionMap, ref: LesionMap, spacing: tuple[float, float, float]) -> float:
    """The scorer's whole-region HD95: the robust Hausdorff distance (95th percentile, max of the
    two directions) between the surfaces that :func:`scorer_codes` gives the two lesion-numbered
    maps. Both empty: 0; a side with no surface corner (or empty): infinity."""
    areas = _bit_reversed_areas(tuple(float(s) for s in spacing))  # type: ignore[arg-type]
    p, g = _surface(pred, areas), _surface(ref, areas)
    if p is None and g is None:
        return 0.0
    if p is None or g is None or not len(p[0]) or not len(g[0]):
        return math.inf
    whole = hull(p[2], g[2])
    origin = np.array([s.start for s in whole])
    shape = tuple(s.stop - s.start + 1 for s in whole)
    p_pts, g_pts = p[0] - origin, g[0] - origin
    g_to_p = _directed_percentile(g_pts, g[1], p_pts, shape, spacing, 95.0)
    p_to_g = _directed_percentile(p_pts, p[1], g_pts, shape, spacing, 95.0)
    return max(g_to_p, p_to_g)


def legacy_scores(pred: LesionMap, ref: LesionMap, *, size: int, penalty: float, hd95: float) -> LegacyResult:
    """The scorer's whole-region scores of two lesion-numbered maps (``size`` voxels in the image,
    ``hd95`` from :func:`coded_hd95`).

    Dice counts non-zero voxels (1 when both are empty). Sensitivity and specificity follow the
    scorer's arithmetic on the numbered maps: the positives are the SUMS of the lesion numbers,
    a true positive is a voxel numbered 1 in both maps, a true negative a voxel numbered 1 in
    neither (sensitivity 1 when both sums are 0). An infinite HD95 becomes ``penalty``.
    """
    n_p = int(np.count_nonzero(pred.data)) if pred.box is not None else 0
    n_g = int(np.count_nonzero(ref.data)) if ref.box is not None else 0
    p_one = int(np.count_nonzero(pred.data == 1)) if pred.box is not None else 0
    g_one = int(np.count_nonzero(ref.data == 1)) if ref.box is not None else 0
    overlap = tp = 0
    common = intersection(pred.box, ref.box) if pred.box is not None and ref.box is not None else None
    if common is not None:
        p, g = pred.window(common), ref.window(common)
        overlap = int(np.count_nonzero((p > 0) & (g > 0)))
        tp = int(np.count_nonzero((p == 1) & (g == 1)))
    dice = 1.0 if n_p == 0 and n_g == 0 else 2.0 * overlap / (n_p + n_g)
    predicted_sum = float(np.sum(pred.data, dtype=np.float64)) if pred.box is not None else 0.0
    reference_sum = float(np.sum(ref.data, dtype=np.float64)) if ref.box is not None else 0.0
    fp, fn = predicted_sum - tp, reference_sum - tp
    tn = size - (p_one + g_one - tp)
    tiny = sys.float_info.min
    sensitivity = 1.0 * tp / (tp + fn + tiny)
    specificity = 1.0 * tn / (tn + fp + tiny)
    if predicted_sum == 0 and reference_sum == 0:
        sensitivity = 1.0
    return LegacyResult(float(dice), hd95 if math.isfinite(hd95) else penalty, float(sensitivity), float(specificity))
