"""Rankings of models over cases, BraTS style, on plain arrays.

``values[m, c, k]`` is model ``m``'s value on case ``c`` for ranking key ``k`` (a metric of one
region, such as Dice of WT); ``higher[k]`` says which way key ``k`` is better; ``failed[m, c]``
marks a case that model ``m`` failed. A failed case, or a value that is missing (NaN), ranks
last whatever its stored value.

- **rank then aggregate** (the BraTS challenges): per case and key, rank the models (ties take
  the smallest rank); per case, the mean over keys; per model, the mean over cases; the final
  rank orders those means (ties again take the smallest rank).
- **aggregate then rank**: per model and key, the mean over cases (failed cases at their
  stored worst-case values, a missing value makes the mean worst); rank the models per key;
  the mean over keys; the final rank orders those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Ranking:
    """One ranking scheme's outcome for ``M`` models.

    Args:
        score: the aggregated number each model is ranked by (lower is better), shape ``(M,)``.
        rank: the final rank, 1 = best, ties share the smallest rank, shape ``(M,)``.
        per_case: rank then aggregate only: each case's mean rank over keys, shape ``(M, C)``.
        per_key: each key's rank per case ``(M, C, K)`` (rank then aggregate) or per model ``(M, K)``.
    """

    score: np.ndarray
    rank: np.ndarray
    per_case: np.ndarray | None
    per_key: np.ndarray


def badness(values: np.ndarray, higher: np.ndarray, failed: np.ndarray | None = None) -> np.ndarray:
    """``values`` turned so that lower is better along the last axis (keys); failed and NaN are +inf."""
    values = np.asarray(values, dtype=float)
    sign = np.where(np.asarray(higher, dtype=bool), -1.0, 1.0)
    bad = values * sign
    bad = np.where(np.isnan(bad), np.inf, bad)
    if failed is not None:
        mask = np.asarray(failed, dtype=bool)
        while mask.ndim < bad.ndim:
            mask = mask[..., None]
        bad = np.where(mask, np.inf, bad)
    return bad


def min_rank(bad: np.ndarray, axis: int = 0) -> np.ndarray:
    """1-based ranks along ``axis`` (lower ``bad`` ranks first), ties share the smallest rank.

    ``+inf`` entries tie with each other and rank after every finite one.
    """
    bad = np.moveaxis(np.asarray(bad, dtype=float), axis, 0)
    # rank = 1 + how many others are strictly better; O(M^2) per slot, and M is small
    better = (bad[None, :, ...] < bad[:, None, ...]).sum(axis=1)
    return np.moveaxis(better + 1.0, 0, axis)


def rank_then_aggregate(values: np.ndarray, higher: np.ndarray, failed: np.ndarray | None = None) -> Ranking:
    """Per case and key rank the models, mean over keys, mean over cases, rank the means."""
    ranks = min_rank(badness(values, higher, failed), axis=0)  # (M, C, K)
    per_case = ranks.mean(axis=2)
    score = per_case.mean(axis=1)
    return Ranking(score=score, rank=min_rank(score), per_case=per_case, per_key=ranks)


def aggregate_then_rank(values: np.ndarray, higher: np.ndarray) -> Ranking:
    """Per model and key the mean over cases (failed cases at their stored worst-case values),
    rank the models per key, mean over keys, rank."""
    values = np.asarray(values, dtype=float)
    means = values.mean(axis=1)  # (M, K); NaN stays NaN and ranks last
    ranks = min_rank(badness(means, higher), axis=0)
    score = ranks.mean(axis=1)
    return Ranking(score=score, rank=min_rank(score), per_case=None, per_key=ranks)
