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


def _flat(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """1-D views of same-shaped arrays in one common memory order (copies only when layouts differ)."""
    if all(a.flags.c_contiguous for a in arrays):
        return [a.ravel(order="C") for a in arrays]
    if all(a.flags.f_contiguous for a in arrays):
        return [a.ravel(order="F") for a in arrays]
    return [np.ascontiguousarray(a).ravel() for a in arrays]


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
    arrays = [p, g, u] + ([as_mask(brain_mask)] if brain_mask is not None else [])
    if brain_mask is not None and arrays[3].shape != p.shape:
        raise ValueError(f"brain mask shape {arrays[3].shape} differs from {p.shape}")
    flat = _flat(arrays)
    pf, gf, uf = flat[0], flat[1], flat[2]
    bf = flat[3] if brain_mask is not None else None

    # voxels whose kept/removed status can change, or that are in G or P
    changing = pf | gf
    changing |= uf > taus[0]
    idx = np.flatnonzero(changing)
    ps, gs, us = pf[idx], gf[idx], uf[idx]
    bs = bf[idx] if bf is not None else np.ones(idx.size, dtype=bool)
    n_brain = int(np.count_nonzero(bf)) if bf is not None else int(pf.size)

    # first threshold index keeping each voxel (U <= tau); len(taus) = never kept
    if np.issubdtype(us.dtype, np.integer) or us.dtype == bool:
        # exact for integer maps: U <= tau  <=>  U <= floor(tau)
        first = np.searchsorted(taus, np.arange(0, int(us.max(initial=0)) + 1), side="left")
        bins = first[np.clip(us.astype(np.int64), 0, None)]
    else:
        bins = np.searchsorted(taus, us, side="left")
    m = taus.size

    def kept(selector: np.ndarray) -> np.ndarray:
        return np.cumsum(np.bincount(bins[selector], minlength=m + 1))[:m].astype(np.float64)

    both = ps & gs
    tp_kept, p_kept, g_kept = kept(both), kept(ps), kept(gs)
    denominator = p_kept + g_kept
    dice = np.where(denominator > 0, 2.0 * tp_kept / np.where(denominator > 0, denominator, 1.0), 1.0)

    tp_brain = both & bs
    tp_all = float(np.count_nonzero(tp_brain))
    ftp = (tp_all - kept(tp_brain)) / (tp_all + EPS)

    tn_changing = bs & ~ps & ~gs
    tn_all = float(n_brain - int(np.count_nonzero(bs & (ps | gs))))
    tn_removed = float(np.count_nonzero(tn_changing)) - kept(tn_changing)
    ftn = tn_removed / (tn_all + EPS)
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
    return uncertainty_curves(
        m.prediction, m.reference, m.uncertainty, brain_mask=m.brain_mask, thresholds=thresholds
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
