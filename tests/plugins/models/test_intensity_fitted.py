"""intensity-fitted: the one-read grid search picks what the brute-force search over predictions picks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tumorbench.contract.values import DatasetOptions, TrainRequest
from tumorbench.loading.registry import Registry
from tumorbench_plugins.models.baseline import GRID, IntensityBaseline, _mean_dice, grid_dice, grid_scores


def test_fit_equals_the_brute_force_search_over_full_predictions(tmp_path: Path, synthetic_root: Path,
                                                                synthetic_ids: list[str]) -> None:
    source = Registry().datasets.get("brats18").open(DatasetOptions(root=synthetic_root))
    train_ids = synthetic_ids[:2]
    cases = [source.load(i) for i in train_ids]
    brute = np.array([[_mean_dice(IntensityBaseline(wt=w, et=e), cases) for e in GRID] for w in GRID])
    fast = grid_scores([grid_dice(c) for c in cases])
    np.testing.assert_array_equal(fast, brute)  # the same voxels, so the same Dice to the last bit

    Registry().models.get("intensity-fitted").train(TrainRequest(
        model="intensity-fitted", dataset="brats18", source=source, train_ids=tuple(train_ids),
        val_ids=tuple(synthetic_ids[2:]), fold=0, folds=2, store=tmp_path,
    ))
    fitted = json.loads((tmp_path / "intensity-fitted" / "brats18" / "fold-0" / "checkpoint.json").read_text())
    i, j = np.unravel_index(int(np.argmax(brute)), brute.shape)  # the first best, as a loop with '>' keeps
    assert (fitted["wt"], fitted["et"]) == (GRID[i], GRID[j])
