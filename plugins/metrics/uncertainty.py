"""QU-BraTS uncertainty metrics (BraTS 2019/2020): DAUC, RFTP, RFTN and the per-region score.

Definitions follow ``docs/metrics.md``, "qu-brats" [P]: for each threshold tau keep the voxels with
``U <= tau``; Dice(tau) is the Dice of the kept voxels (no brain mask, both empty -> 1);
FTP(tau) = (TP_all - TP_kept) / (TP_all + eps) and FTN likewise with TN, both counted inside the
brain mask (all ones when none is given); eps is float32 eps. DAUC, RFTP and RFTN are the
trapezoidal areas over tau divided by 100; score = (DAUC + (1 - RFTP) + (1 - RFTN)) / 3.

Two threshold sets, chosen by convention name:

* ``qu-brats`` -- 41 thresholds 100, 97.5, ..., 0 (the default; 100 included, unlike the
  official code under NumPy 2 where 100 silently drops out of ``np.arange``);
* ``qu-brats-5`` -- the 5-point set 100, 75, 50, 25, 0.

The pure functions take ``thresholds=`` for any other set.

Speed [C]: two histograms instead of a pass per threshold. The voxels of G or P (few) are counted
per (category, U) and the brain voxels per U; cumulative sums give the kept TP, |P|, |G| and
brain voxels at every threshold at once, and TN kept = brain kept - (G or P) kept. Integer maps
are counted per value, float maps per index of the first threshold that keeps the voxel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tumorbench.api import BrainMaskRule, MetricConventionSpec, MetricDef, MetricInput, hookimpl, memory_order

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


def _same_order(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """1-D views of same-shaped arrays in one memory order: the order most of them already have,
    so that only the others are copied (one reordering copy of a 240x240x155 mask takes ~11 ms)."""
    order = "F" if 2 * sum(memory_order(a) == "F" for a in arrays) > len(arrays) else "C"
    return [np.asarray(a, order=order).ravel(order=order) for a in arrays]


def _is_integer(values: np.ndarray) -> bool:
    """Integer or boolean maps: ``U <= tau`` <=> ``U <= floor(tau)``, no float copy needed."""
    return bool(np.issubdtype(values.dtype, np.integer) or values.dtype == bool)


def _kept_counts(
    values: np.ndarray, taus: np.ndarray, category: np.ndarray | None = None, n_categories: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """``kept[c, j]``: voxels of category ``c`` with value <= ``taus[j]``; ``total[c]``: all of category ``c``.

    One ``bincount``: integer maps are counted per value (``U <= tau`` <=> ``U <= floor(tau)``),
    float maps per index of the first threshold that keeps the voxel.
    """
    if _is_integer(values):
        # min and max on the map's own (narrow) dtype: cheaper than on the int64 keys
        low = 0 if values.dtype == bool or np.issubdtype(values.dtype, np.unsignedinteger) else min(int(values.min(initial=0)), 0)
        width = int(values.max(initial=0)) - low + 1
        keys = values.astype(np.int64)
        if low:
            keys -= low
        if category is not None:
            keys += width * category.astype(np.int64)
        cumulative = np.cumsum(np.bincount(keys, minlength=n_categories * width).reshape(n_categories, width), axis=1)
        cut = np.floor(taus).astype(np.int64) - low
        kept = np.where(cut >= 0, cumulative[:, np.clip(cut, 0, width - 1)], 0)
        return kept.astype(np.float64), cumulative[:, -1].astype(np.float64)
    m = taus.size
    keys = np.searchsorted(taus, values, side="left")  # first threshold keeping the voxel; m = never
    if category is not None:
        keys += (m + 1) * category.astype(np.int64)
    counts = np.bincount(keys, minlength=n_categories * (m + 1)).reshape(n_categories, m + 1)
    return np.cumsum(counts, axis=1)[:, :m].astype(np.float64), counts.sum(axis=1).astype(np.float64)


def uncertainty_curves(
    pred: np.ndarray,
    ref: np.ndarray,
    uncertainty: np.ndarray,
    *,
    brain_mask: np.ndarray | None = None,
    thresholds: Sequence[float] = THRESHOLDS_41,
) -> UncertaintyCurves:
    """Dice, FTP and FTN at every threshold from two histograms of the uncertainty map."""
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
    flats = _same_order([p, g, u] if b is None else [p, g, u, b])
    pf, gf, uf = flats[:3]

    # 1. the voxels of G or P (few), by category: bit 0 G, bit 1 P, bit 2 brain
    idx = np.flatnonzero(pf | gf)
    category = gf[idx].view(np.uint8) + 2 * pf[idx].view(np.uint8)
    category += 4 * flats[3][idx].view(np.uint8) if b is not None else np.uint8(4)
    kept, total = _kept_counts(uf[idx], taus, category, 8)

    # 2. the brain voxels' uncertainties (many): true negatives are brain voxels outside G and P.
    # Only removed counts are needed, and a voxel with U <= the lowest threshold is never removed.
    if _is_integer(uf):
        lowest = int(np.floor(taus[0]))  # integer U > tau <=> U > floor(tau); no float copy of U
        removable = uf > lowest if lowest >= 0 or np.issubdtype(uf.dtype, np.signedinteger) else None
    else:
        removable = ~(uf <= taus[0])  # NaN is never kept
    if b is not None:
        bf = flats[3]
        n_brain = int(np.count_nonzero(bf))
        if removable is not None and 4 * int(np.count_nonzero(removable)) < n_brain:
            where = np.flatnonzero(removable)  # few uncertain voxels (a confident model's map)
            brain_values = uf[where][bf[where]]
        else:
            brain_values = uf[bf]
    else:
        n_brain = uf.size
        brain_values = uf if removable is None else uf[removable]
    brain_kept, brain_total = _kept_counts(brain_values, taus)
    removed = total[:, None] - kept  # removed[c, j]: category c filtered out at taus[j]
    tn_removed = (brain_total[0] - brain_kept[0]) - (removed[5] + removed[6] + removed[7])
    tn_all = float(n_brain) - (total[5] + total[6] + total[7])

    tp_kept = kept[3] + kept[7]
    p_kept = kept[2] + kept[3] + kept[6] + kept[7]
    g_kept = kept[1] + kept[3] + kept[5] + kept[7]
    denominator = p_kept + g_kept
    dice = np.where(denominator > 0, 2.0 * tp_kept / np.where(denominator > 0, denominator, 1.0), 1.0)
    ftp = removed[7] / (total[7] + EPS)
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


def _t1_nonzero(images) -> np.ndarray:
    return np.asarray(images["t1"]) > 0


T1_BRAIN = BrainMaskRule(
    name="t1-nonzero",
    summary="brain = T1 > 0 (skull-stripped BraTS images are 0 outside the brain)",
    modalities=("t1",),
    compute=_t1_nonzero,
)
"""The QU-BraTS brain mask: where the (skull-stripped) T1 is non-zero."""

GROUP = "Uncertainty (QU-BraTS)"


def _constant(value: float):
    return lambda shape: value


def _spec(convention: str, thresholds: tuple[float, ...], *, default: bool) -> MetricConventionSpec:
    n = len(thresholds)
    metrics = (
        MetricDef(name="dauc", summary=f"area under Dice over {n} uncertainty thresholds / 100", higher_is_better=True,
                  worst=_constant(0.0), group=GROUP, order=110, ranking=True),
        MetricDef(name="rftp", summary=f"area under filtered true positives over {n} thresholds / 100",
                  higher_is_better=False, worst=_constant(1.0), group=GROUP, order=120, ranking=True),
        MetricDef(name="rftn", summary=f"area under filtered true negatives over {n} thresholds / 100",
                  higher_is_better=False, worst=_constant(1.0), group=GROUP, order=130, ranking=True),
        MetricDef(name="qu-score", summary="(DAUC + (1 - RFTP) + (1 - RFTN)) / 3", higher_is_better=True,
                  worst=_constant(0.0), group=GROUP, order=140),
    )

    def compute(m: MetricInput) -> dict[str, float]:
        if m.uncertainty is None:
            raise ValueError(f"region {m.region}: the prediction has no uncertainty map")
        curves = uncertainty_curves(m.prediction, m.reference, m.uncertainty, brain_mask=m.brain_mask, thresholds=thresholds)
        return {"dauc": curves.dauc, "rftp": curves.rftp, "rftn": curves.rftn, "qu-score": curves.score}

    return MetricConventionSpec(
        name=convention,
        summary=f"QU-BraTS 2019/2020 uncertainty metrics over {n} thresholds (100 included)",
        metrics=metrics,
        compute=compute,
        needs=frozenset({"uncertainty", "brain_mask"}),
        brain_mask=T1_BRAIN,
        default=default,
    )


SPECS = tuple(_spec(name, taus, default=name == "qu-brats") for name, taus in CONVENTIONS.items())
"""qu-brats (41 thresholds) is scored by default whenever a prediction has uncertainty maps."""


@hookimpl
def tumorbench_metric_conventions() -> list[MetricConventionSpec]:
    return list(SPECS)
