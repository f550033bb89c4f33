"""``max``: the voxel-wise maximum of the members' probabilities (a union of their masks)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tumorbench.api import REGIONS, Prediction


def maximum(predictions: Sequence[Prediction], options: None) -> Prediction:
    regions = tuple(r for r in REGIONS if all(r in p.regions for p in predictions))
    out = {r: np.max([np.asarray(p.probabilities[r]) for p in predictions], axis=0).astype(np.float32) for r in regions}
    return Prediction(regions=regions, probabilities=out)
