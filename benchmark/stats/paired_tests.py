"""Paired tests between models on per-case values, and Holm's correction.

- :func:`wilcoxon_p`: the Wilcoxon signed-rank test (scipy), two-sided, zero differences
  dropped; the exact distribution for up to 50 differences without ties, else the normal
  approximation with tie correction (never scipy's random resampling, so pages are
  reproducible); 1.0 when every paired difference is zero (nothing to test).
- :func:`permutation_p`: a seeded sign-flip permutation test of the mean paired difference
  (for ranks: swapping two models' labels on a case swaps their ranks there), two-sided,
  vectorised as one matrix product for many pairs at once. p = (1 + #{|T*| >= |T|}) / (1 + P).
- :func:`holm`: Holm's step-down adjustment (NaN p-values are left out and stay NaN).
- :func:`significance`: per ordered pair, whether the row model is significantly better.
"""

from __future__ import annotations

import numpy as np

PERMUTATIONS = 10_000


def wilcoxon_p(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of paired ``x`` and ``y`` (zero differences dropped)."""
    from scipy.stats import wilcoxon

    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    d = d[~np.isnan(d)]
    if d.size == 0 or not np.any(d != 0):
        return 1.0
    d = d[d != 0]
    magnitudes = np.abs(d)
    exact = d.size <= 50 and np.unique(magnitudes).size == magnitudes.size
    return float(wilcoxon(d, alternative="two-sided", method="exact" if exact else "approx").pvalue)


def sign_flips(n_cases: int, permutations: int = PERMUTATIONS, seed: int = 0) -> np.ndarray:
    """``(permutations, n_cases)`` random signs (+1/-1) from a seeded generator."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2, size=(permutations, n_cases), dtype=np.int8).astype(np.float64) * 2.0 - 1.0


def permutation_p(differences: np.ndarray, permutations: int = PERMUTATIONS, seed: int = 0) -> np.ndarray:
    """Two-sided sign-flip p-values of the mean of each column of ``differences`` ``(C, T)``.

    All columns share the same seeded sign flips. A 1-D input is one test.
    """
    d = np.asarray(differences, dtype=float)
    single = d.ndim == 1
    d = d[:, None] if single else d
    observed = np.abs(d.mean(axis=0))
    flips = sign_flips(d.shape[0], permutations, seed)
    null = np.abs(flips @ d) / d.shape[0]  # (P, T)
    tolerance = 1e-12 * np.maximum(1.0, observed)
    extreme = (null >= observed[None, :] - tolerance[None, :]).sum(axis=0)
    p = (1.0 + extreme) / (1.0 + permutations)
    return p[0:1] if single else p


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values (the same order as ``p``); NaN entries stay NaN and do not count."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = valid.size
    if m == 0:
        return out
    order = valid[np.argsort(p[valid], kind="stable")]
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = adjusted
    return out


def significance(better_p: np.ndarray, mean_difference: np.ndarray, alpha: float = 0.05) -> np.ndarray:
    """``(M, M)`` boolean: row model significantly better than column model.

    ``better_p[i, j]`` is the (adjusted) p-value of the pair, symmetric; ``mean_difference[i, j]``
    is how much better ``i`` is than ``j`` on average (positive: ``i`` better).
    """
    p = np.asarray(better_p, dtype=float)
    return (p < alpha) & (np.asarray(mean_difference, dtype=float) > 0)
