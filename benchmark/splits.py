"""Seeded k-fold splits of case ids."""

from __future__ import annotations

import numpy as np

from .errors import BenchError


def kfold(case_ids: list[str], folds: int, fold: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """(train, validation) ids of ``fold`` in a seeded ``folds``-way split (order-independent)."""
    if folds < 2:
        raise BenchError(f"--folds must be at least 2, got {folds}")
    if not 0 <= fold < folds:
        raise BenchError(f"--fold must be in 0..{folds - 1}, got {fold}")
    ids = sorted(case_ids)
    if len(ids) < folds:
        raise BenchError(f"{len(ids)} cases cannot be split into {folds} folds")
    order = np.random.default_rng(seed).permutation(len(ids))
    val_positions = set(order[fold::folds].tolist())
    train = [ids[i] for i in range(len(ids)) if i not in val_positions]
    val = [ids[i] for i in sorted(val_positions)]
    return train, val
