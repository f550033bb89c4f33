"""QU-BraTS uncertainty metrics (BraTS 2019/2020): DAUC, RFTP, RFTN and the per-region score.

Definitions follow ``metrics.md`` section 4 [P]: for each threshold tau keep the voxels with
``U <= tau``; Dice(tau) is the Dice of the kept voxels (no brain mask, both empty -> 1);
FTP(tau) = (TP_all - TP_kept) / (TP_all + eps) and FTN likewise with TN, both counted inside the
brain mask (all ones when none is given); eps is float32 eps. DAUC, RFTP and RFTN are the
trapezoidal areas over tau divided by 100; score = (DAUC + (1 - RFTP) + (1 - RFTN)) / 3.

Two threshold sets, chosen by convention name:

* ``qu-brats`` -- 41 thresholds 100, 97.5, ..., 0 (the default; 100 included, unlike the
  official code under NumPy 2 where 100 silently drops out of ``np.arange``);
* ``qu-brats-5`` -- the 5-point set 100, 75, 50, 25, 0.

The pure functions take ``thresholds=`` for any other set.

Speed [C]: one pass. Every voxel that is in G, in P, or has U above the smallest threshold gets
the index of the first threshold that keeps it; counts per index, summed cumulatively, give
TP/|P|/|G|/TN kept at every threshold at once. Voxels outside that set are kept at every
threshold and only add a constant to TN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tumorbench import hookimpl
from tumorbench.types import MetricInput, MetricSpec

from ._geometry import as_mask
from ._memo import shared

THRESHOLDS_41: tuple[float, ...] = tuple(100.0 - 2.5 * i for i in range(41))
"""100, 97.5, ..., 2.5, 0: the default QU-BraTS set (n = 40 steps)."""

THRESHOLDS_5: tuple[float, ...] = (100.0, 75.0, 50.0, 25.0, 0.0)
"""The 5-point set."""

CONVENTIONS: dict[str, tuple[float, ...]] = {"qu-brats": THRESHOLDS_41, "qu-brats-5": THRESHOLDS_5}
"""Convention name -> threshold set."""

EPS = float(np.finfo(np.float32).eps)
"""1.1920929e-07, the epsilon of the official ratios."""


@dataclass(frozen=True)
class UncertaintyCurves:
    """Dice, FTP and FTN at each threshold (ascending), and their normalised areas."""

    thresholds: np.ndarray
    dice: np.ndarray
    ftp: np.ndarray
    ftn: np.ndarray

    def _area(self, values: np.ndarray) -> float:
        t = self.thresholds
        return float(np.sum((t[1:] - t[:-1]) * (values[1:] + values[:-1]) / 2.0) / 100.0)

    @property
    def dauc(self) -> float:
        return self._area(self.dice)

    @property
    def rftp(self) -> float:
        return self._area(self.ftp)

    @property
    def rftn(self) -> float:
        return self._area(self.ftn)

    @property
    def score(self) -> float:
        return (self.dauc + (1.0 - self.rftp) + (1.0 - self.rftn)) / 3.0


def _same_order(arrays: Sequence[np.ndarray]) -> tuple[list[np.ndarray], str]:
    """1-D views of same-shaped arrays in one memory order (copies only those laid out otherwise)."""
    order = "F" if arrays[0].flags.f_contiguous and not arrays[0].flags.c_contiguous else "C"
    contiguous = "f_contiguous" if order == "F" else "c_contiguous"
    return [
        (a if getattr(a.flags, contiguous) else np.asarray(a, order=order)).ravel(order=order) for a in arrays
    ], order


def _gather(array: np.ndarray, flat_index: np.ndarray, order: str) -> np.ndarray:
    """``array`` at positions given as flat indices in ``order``, without copying the whole array."""
    for own, contiguous in (("C", array.flags.c_contiguous), ("F", array.flags.f_contiguous)):
        if contiguous:
            flat = array.ravel(order=own)
            if own == order:
                return flat[flat_index]
            if flat_index.size > array.size // 8:  # dense: one reordering copy is cheaper
                return np.asarray(array, order=order).ravel(order=order)[flat_index]
            multi = np.unravel_index(flat_index, array.shape, order=order)
            return flat[np.ravel_multi_index(multi, array.shape, order=own)]
    return array[np.unravel_index(flat_index, array.shape, order=order)]


def uncertainty_curves(
    pred: np.ndarray,
    ref: np.ndarray,
    uncertainty: np.ndarray,
    *,
    brain_mask: np.ndarray | None = None,
    thresholds: Sequence[float] = THRESHOLDS_41,
) -> UncertaintyCurves:
    """Dice, FTP and FTN at every threshold in one pass over the voxels."""
    p, g = as_mask(pred), as_mask(ref)
    u = np.asarray(uncertainty)
    if not (p.shape == g.shape == u.shape):
        raise ValueError(f"shapes differ: prediction {p.shape}, reference {g.shape}, uncertainty {u.shape}")
    taus = np.unique(np.asarray(thresholds, dtype=np.float64))  # ascending, no duplicates
    if taus.size < 2:
        raise ValueError("need at least two distinct thresholds")
    b = as_mask(brain_mask) if brain_mask is not None else None
    if b is not None and b.shape != p.shape:
        raise ValueError(f"brain mask shape {b.shape} differs from {p.shape}")
    (pf, gf, uf), order = _same_order([p, g, u])

    # voxels whose kept/removed status can change, or that are in G or P; every other voxel is
    # kept at every threshold and only adds to TN
    changing = pf | gf
    if np.issubdtype(uf.dtype, np.integer) or uf.dtype == bool:
        lowest = int(np.floor(taus[0]))  # integer U > tau  <=>  U > floor(tau); no float copy of U
        changing |= uf > lowest if lowest >= 0 else True
    else:
        changing |= uf > taus[0]
    idx = np.flatnonzero(changing)
    us = uf[idx]
    category = gf[idx].view(np.uint8) + 2 * pf[idx].view(np.uint8)  # bit 0: G, bit 1: P, bit 2: brain
    if b is not None:
        category += 4 * _gather(b, idx, order).view(np.uint8)
        n_brain = int(np.count_nonzero(b))
    else:
        category += 4
        n_brain = int(p.size)

    m = taus.size
    if np.issubdtype(us.dtype, np.integer) or us.dtype == bool:
        # integer maps: count per (category, value), then U <= tau  <=>  U <= floor(tau)
        values = us.astype(np.int64)
        np.maximum(values, 0, out=values)
        width = int(values.max(initial=0)) + 1
        values += width * category.astype(np.int64)
        per_value = np.bincount(values, minlength=8 * width).reshape(8, width)
        cumulative = np.cumsum(per_value, axis=1)
        cut = np.floor(taus).astype(np.int64)
        kept = np.where(cut >= 0, cumulative[:, np.clip(cut, 0, width - 1)], 0).astype(np.float64)
        total = cumulative[:, -1].astype(np.float64)
    else:
        # index of the first threshold keeping each voxel (U <= tau); m = never kept
        bins = np.searchsorted(taus, us, side="left")
        counts = np.bincount(bins + (m + 1) * category.astype(np.int64), minlength=8 * (m + 1)).reshape(8, m + 1)
        kept = np.cumsum(counts, axis=1)[:, :m].astype(np.float64)  # kept[c, j]: category c kept at taus[j]
        total = counts.sum(axis=1).astype(np.float64)

    tp_kept = kept[3] + kept[7]
    p_kept = kept[2] + kept[3] + kept[6] + kept[7]
    g_kept = kept[1] + kept[3] + kept[5] + kept[7]
    denominator = p_kept + g_kept
    dice = np.where(denominator > 0, 2.0 * tp_kept / np.where(denominator > 0, denominator, 1.0), 1.0)
    ftp = (total[7] - kept[7]) / (total[7] + EPS)
    tn_all = float(n_brain) - (total[5] + total[6] + total[7])
    ftn = (total[4] - kept[4]) / (tn_all + EPS)
    return UncertaintyCurves(thresholds=taus, dice=dice, ftp=ftp, ftn=ftn)


def compute_dauc(pred, ref, uncertainty, *, brain_mask=None, thresholds=THRESHOLDS_41) -> float:
    """Area under Dice(tau) / 100 (higher is better)."""
    return uncertainty_curves(pred, ref, uncertainty, brain_mask=brain_mask, thresholds=thresholds).dauc


def compute_rftp(pred, ref, uncertainty, *, brain_mask=None, thresholds=THRESHOLDS_41) -> float:
    """Area under the filtered-true-positive ratio / 100 (lower is better)."""
    return uncertainty_curves(pred, ref, uncertainty, brain_mask=brain_mask, thresholds=thresholds).rftp


def compute_rftn(pred, ref, uncertainty, *, brain_mask=None, thresholds=THRESHOLDS_41) -> float:
    """Area under the filtered-true-negative ratio / 100 (lower is better)."""
    return uncertainty_curves(pred, ref, uncertainty, brain_mask=brain_mask, thresholds=thresholds).rftn


def compute_qu_score(pred, ref, uncertainty, *, brain_mask=None, thresholds=THRESHOLDS_41) -> float:
    """(DAUC + (1 - RFTP) + (1 - RFTN)) / 3 (higher is better)."""
    return uncertainty_curves(pred, ref, uncertainty, brain_mask=brain_mask, thresholds=thresholds).score


def _from_input(m: MetricInput, thresholds: tuple[float, ...]) -> UncertaintyCurves:
    if m.uncertainty is None:
        raise ValueError(f"region {m.region}: the prediction has no uncertainty map")
    return shared(
        m,
        ("qu-curves", thresholds),
        lambda: uncertainty_curves(
            m.prediction, m.reference, m.uncertainty, brain_mask=m.brain_mask, thresholds=thresholds
        ),
    )


def _specs(convention: str, thresholds: tuple[float, ...]) -> list[MetricSpec]:
    n = len(thresholds)
    rows = [
        ("dauc", f"area under Dice over {n} uncertainty thresholds / 100", "dauc", True, 0.0),
        ("rftp", f"area under filtered true positives over {n} thresholds / 100", "rftp", False, 1.0),
        ("rftn", f"area under filtered true negatives over {n} thresholds / 100", "rftn", False, 1.0),
        ("qu-score", "(DAUC + (1 - RFTP) + (1 - RFTN)) / 3", "score", True, 0.0),
    ]
    return [
        MetricSpec(
            name=name,
            summary=summary,
            convention=convention,
            compute=lambda m, attr=attr: getattr(_from_input(m, thresholds), attr),
            higher_is_better=higher,
            worst=lambda shape, worst=worst: worst,
            needs_uncertainty=True,
        )
        for name, summary, attr, higher, worst in rows
    ]


@hookimpl
def tumorbench_metrics() -> list[MetricSpec]:
    return [spec for convention, taus in CONVENTIONS.items() for spec in _specs(convention, taus)]
