"""The official BraTS 2024 scorer's steps written out plainly, for the tests to compare against.

Written from reading rachitsaluja/BraTS-2024-Metrics at 9a0ab9c (``docs/brats2024.md``), step by
step and slowly: full-size arrays, one label at a time, corner codes in loops, every surface
distance by brute force. It shares no code with ``tumorbench_plugins.metrics.brats2024`` except
the surface-element area table (``_surfels.area_table``, checked on its own).
"""

from __future__ import annotations

import math
import sys

import numpy as np
from scipy import ndimage

from tumorbench_plugins.metrics._surfels import area_table

S18 = ndimage.generate_binary_structure(3, 2)
S26 = np.ones((3, 3, 3), dtype=bool)

# region -> label values, per sub-challenge (the scorers' get_TissueWiseSeg)
TISSUES = {
    "gli": {"WT": (1, 2, 3), "TC": (1, 3), "NETC": (1,), "SNFH": (2,), "ET": (3,), "RC": (4,)},
    "ssa": {"WT": (1, 2, 3), "TC": (1, 3), "NETC": (1,), "ET": (3,)},
    "met": {"WT": (1, 2, 3), "TC": (1, 3), "NETC": (1,), "ET": (3,)},
    "ped": {"WT": (1, 2, 3, 4), "TC": (1, 2, 3), "ET": (1,), "NETC": (2,), "CC": (3,), "ED": (4,)},
    "men-rt": {"GTV": (1,)},
}
SCORED = {
    "gli": ("WT", "TC", "NETC", "SNFH", "ET", "RC"), "ssa": ("WT", "TC", "ET"), "met": ("WT", "TC", "ET"),
    "ped": ("WT", "TC", "ET", "NETC", "CC", "ED"), "men-rt": ("GTV",),
}


def dilation_of(sub: str, region: str) -> int:
    if sub == "gli":
        return 5 if region in ("SFNH", "NETC", "RC") else 3  # the scorer's own spelling
    return {"ssa": 3, "met": 1, "ped": 5, "men-rt": 1}[sub]


def threshold_of(sub: str, region: str) -> float:
    if sub == "gli":
        return 10 if region == "ET" else 20
    return {"ssa": 50, "met": 2, "ped": 10, "men-rt": 50}[sub]


def penalty_of(sub: str, shape) -> float:
    if sub == "men-rt":
        return math.sqrt(sum(s * s for s in shape))
    return 337.0 if sub == "gli" else 374.0


def lesions_by_dilation(mask: np.ndarray, dilation: int) -> np.ndarray:
    """Every voxel numbered by its component of the dilated mask (numbers in C index order,
    as cc3d gives them on the C-ordered array binary_dilation returns)."""
    dilated = ndimage.binary_dilation(mask, structure=S18, iterations=dilation)
    components, count = ndimage.label(dilated, structure=S26)
    out = np.zeros(mask.shape, dtype=np.int64)
    for comp in range(1, count + 1):
        out[(components == comp) & mask] = comp
    return out


def remove_small(lesions: np.ndarray, limit: float) -> np.ndarray:
    values, counts = np.unique(lesions, return_counts=True)
    return np.where(np.isin(lesions, values[counts <= limit]), 0, lesions)


def touching(a: np.ndarray, b: np.ndarray) -> set[tuple[int, int]]:
    pairs = set()
    for la in np.unique(a)[1:]:
        mask_a = a == la
        for lb in np.unique(b)[1:]:
            mask_b = b == lb
            if (ndimage.binary_dilation(mask_a, S18) & mask_b).any() or (ndimage.binary_dilation(mask_b, S18) & mask_a).any():
                pairs.add((int(la), int(lb)))
    return pairs


def relabel(image: np.ndarray, pairs: set[tuple[int, int]]) -> np.ndarray:
    if len(pairs) <= 1:
        return image
    current = int(image.max()) + 1
    new: dict[int, int] = {}
    for _, common in sorted(pairs):
        if common not in new:
            new[common] = current
            current += 1
    mapping: dict[int, int] = {}
    for original, common in sorted(pairs):
        mapping.setdefault(original, new[common])
    out = image.copy()
    for original, value in mapping.items():
        out[image == original] = value
    return out


def reorder(image: np.ndarray) -> np.ndarray:
    out = np.zeros_like(image)
    for rank, value in enumerate([v for v in np.unique(image) if v != 0], start=1):
        out[image == value] = rank
    return out


PARTNERS = {
    "gli": {"NETC": ("ET", "RC"), "ET": ("NETC", "RC"), "RC": ("ET", "NETC"), "SNFH": ("ET", "RC", "NETC")},
    "ssa": {"ET": ("NETC",)}, "met": {"ET": ("NETC",)}, "ped": {}, "men-rt": {},
}


def lesion_maps(sub: str, labels: np.ndarray, spacing, is_prediction: bool) -> dict[str, np.ndarray]:
    """The ``*_cc_combined`` maps of every scored region of one side."""
    voxel = float(np.prod(spacing))
    base = {}
    for region, values in TISSUES[sub].items():
        lesions = lesions_by_dilation(np.isin(labels, values), dilation_of(sub, region))
        if is_prediction:
            limit = threshold_of(sub, region)
            lesions = remove_small(lesions, limit / voxel if sub == "men-rt" else limit)
        base[region] = lesions
    out = {}
    for region in SCORED[sub]:
        partners = PARTNERS[sub].get(region, ())
        image = base[region]
        if partners:
            for partner in partners:
                image = relabel(image, touching(image, base[partner]))
            image = reorder(image)
        out[region] = image
    return out


def corner_codes(values: np.ndarray) -> np.ndarray:
    """The scorer's codes: at each corner, sum of weight x (number mod 256) over the 8 voxels
    around it, weights 128 (offset -1,-1,-1) .. 1 (offset 0,0,0), modulo 256."""
    padded = np.pad(values.astype(np.int64) % 256, 1)
    n = tuple(s + 1 for s in values.shape)
    total = np.zeros(n, dtype=np.int64)
    for a in (0, 1):
        for b in (0, 1):
            for c in (0, 1):
                total += (1 << (7 - (4 * a + 2 * b + c))) * padded[a : a + n[0], b : b + n[1], c : c + n[2]]
    return total % 256


def _areas_in_scorer_order(spacing) -> np.ndarray:
    table = area_table(tuple(float(s) for s in spacing))
    return np.array([table[int(f"{code:08b}"[::-1], 2)] for code in range(256)])


def robust_hd95(gt: np.ndarray, pred: np.ndarray, spacing) -> float:
    """The scorer's surface distance and robust Hausdorff at 95 %, by brute force."""
    if not gt.any() and not pred.any():
        return 0.0  # the scorer tests this before calling the surface distance
    areas = _areas_in_scorer_order(spacing)
    scale = np.asarray(spacing, dtype=float)
    sides = []
    for values in (gt, pred):
        codes = corner_codes(values)
        border = (codes != 0) & (codes != 255)
        sides.append((np.argwhere(border) * scale, areas[codes[border]]))
    (g_pts, g_area), (p_pts, p_area) = sides

    def directed(src, src_area, dst) -> float:
        if len(src) == 0 or len(dst) == 0:
            return math.inf
        nearest = np.sqrt(((src[:, None, :] - dst[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        order = np.lexsort((src_area, nearest))
        cumulative = np.cumsum(src_area[order]) / np.sum(src_area)
        index = int(np.searchsorted(cumulative, 0.95))
        return float(nearest[order][min(index, len(order) - 1)])

    return max(directed(g_pts, g_area, p_pts), directed(p_pts, p_area, g_pts))


def region_scores(sub: str, pred: np.ndarray, gt: np.ndarray, spacing, dilation: int, threshold: float, penalty: float) -> dict:
    """get_LesionWiseScores + get_LesionWiseResults for one region's two numbered maps."""
    voxel = float(np.prod(spacing))
    both_empty = not gt.any() and not pred.any()
    dice = 1.0 if both_empty else 2.0 * np.sum((pred > 0) & (gt > 0)) / (np.sum(pred > 0) + np.sum(gt > 0))
    hd = robust_hd95(gt, pred, spacing)
    i_c, r_c = float(pred.sum()), float(gt.sum())
    tp_voxels = int(np.sum((pred == 1) & (gt == 1)))
    tn = int(np.count_nonzero((pred != 1) & (gt != 1)))
    sensitivity = tp_voxels / (tp_voxels + (r_c - tp_voxels) + sys.float_info.min)
    specificity = tn / (tn + (i_c - tp_voxels) + sys.float_info.min)
    if i_c == 0 and r_c == 0:
        sensitivity = 1.0
    matched: list[int] = []
    rows = []
    for lesion in range(1, int(gt.max()) + 1):
        gt_lesion = gt == lesion
        reach = ndimage.binary_dilation(gt_lesion, structure=S18, iterations=dilation)
        hits = [int(v) for v in np.unique(pred[reach]) if v != 0]
        matched += hits
        pred_lesion = np.isin(pred, hits)
        lesion_dice = 2.0 * np.sum(gt_lesion & pred_lesion) / (np.sum(gt_lesion) + np.sum(pred_lesion))
        lesion_hd = robust_hd95(gt_lesion.astype(int), pred_lesion.astype(int), spacing) if pred_lesion.any() else math.inf
        rows.append((np.sum(gt_lesion) * voxel, lesion_dice, penalty if math.isinf(lesion_hd) else lesion_hd))
    false_positives = [v for v in np.unique(pred) if v != 0 and v not in matched]
    kept = [r for r in rows if r[0] > threshold]
    extra = 0 if sub == "men-rt" else len(false_positives)
    count = len(kept) + extra
    lesion_dice = 1.0 if count == 0 else sum(r[1] for r in kept) / count
    lesion_hd95 = 0.0 if count == 0 else (sum(r[2] for r in kept) + extra * penalty) / count
    return {"dice": float(dice), "hd95": penalty if math.isinf(hd) else hd, "sensitivity": sensitivity,
            "specificity": specificity, "lesion_dice": lesion_dice, "lesion_hd95": lesion_hd95}


def score(sub: str, pred_labels: np.ndarray, ref_labels: np.ndarray, spacing=(1.0, 1.0, 1.0)) -> dict[str, dict]:
    """Every scored region of one case, the long way."""
    pred = lesion_maps(sub, pred_labels, spacing, is_prediction=True)
    ref = lesion_maps(sub, ref_labels, spacing, is_prediction=False)
    penalty = penalty_of(sub, ref_labels.shape)
    return {
        region: region_scores(sub, pred[region], ref[region], spacing, dilation_of(sub, region),
                              threshold_of(sub, region), penalty)
        for region in SCORED[sub]
    }
