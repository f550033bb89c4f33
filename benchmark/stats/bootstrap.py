"""A seeded bootstrap over cases: 95 % intervals for each model's rank and mean values.

Resampling cases never changes a case's per-model ranks, so each bootstrap sample is a
weighted mean of the per-case mean ranks (rank then aggregate) and of the values, computed for
all samples at once as matrix products of the resampling counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tumorbench.stats.ranking import min_rank

SAMPLES = 1_000


@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap outcome for ``M`` models and ``K`` keys over ``B`` samples.

    Args:
        ranks: each sample's final rank per model, ``(B, M)``.
        means: each sample's mean value per model and key, ``(B, M, K)``.
    """

    ranks: np.ndarray
    means: np.ndarray

    def rank_interval(self, level: float = 0.95) -> np.ndarray:
        """``(M, 2)`` percentile interval of each model's rank."""
        return _interval(self.ranks, level)

    def mean_interval(self, level: float = 0.95) -> np.ndarray:
        """``(M, K, 2)`` percentile interval of each model's mean per key."""
        return _interval(self.means, level)

    def rank_frequencies(self) -> np.ndarray:
        """``(M, M)``: share of samples in which model ``m`` took rank ``r + 1``."""
        m = self.ranks.shape[1]
        counts = np.stack([(self.ranks == r + 1).sum(axis=0) for r in range(m)], axis=1)
        return counts / max(1, self.ranks.shape[0])


def _interval(samples: np.ndarray, level: float) -> np.ndarray:
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.nanpercentile(samples, [tail, 100.0 - tail], axis=0)
    return np.stack([low, high], axis=-1)


def resample_counts(n_cases: int, samples: int = SAMPLES, seed: int = 0) -> np.ndarray:
    """``(samples, n_cases)``: how often each case is drawn in each seeded bootstrap sample."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_cases, size=(samples, n_cases))
    flat = draws + n_cases * np.arange(samples)[:, None]
    return np.bincount(flat.ravel(), minlength=samples * n_cases).reshape(samples, n_cases).astype(float)


def bootstrap(per_case_rank: np.ndarray, values: np.ndarray, samples: int = SAMPLES, seed: int = 0) -> Bootstrap:
    """Bootstrap of cases.

    Args:
        per_case_rank: ``(M, C)`` each case's mean rank over keys (rank then aggregate).
        values: ``(M, C, K)`` the per-case values.
    """
    per_case_rank = np.asarray(per_case_rank, dtype=float)
    values = np.asarray(values, dtype=float)
    n_cases = per_case_rank.shape[1]
    weights = resample_counts(n_cases, samples, seed) / n_cases
    mean_rank = weights @ per_case_rank.T  # (B, M)
    ranks = min_rank(mean_rank, axis=1)
    means = np.einsum("bc,mck->bmk", weights, values)
    return Bootstrap(ranks=ranks, means=means)
