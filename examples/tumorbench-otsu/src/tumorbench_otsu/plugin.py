"""Whole tumour = FLAIR voxels above Otsu's threshold of the brain's FLAIR histogram."""

from __future__ import annotations

import numpy as np

from tumorbench import hookimpl
from tumorbench.types import Case, ModelContext, ModelSpec, Prediction


def otsu_threshold(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold: the cut maximising the between-class variance of the histogram."""
    hist, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * centres)
    total_w, total_m = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_m * weight - mean * total_w) ** 2 / (weight * (total_w - weight))
    return float(centres[np.nanargmax(between[:-1])])


class OtsuFlair:
    def predict(self, case: Case) -> Prediction:
        flair = np.asarray(case.images["flair"].data, dtype=np.float32)
        brain = flair > 0
        cut = otsu_threshold(flair[brain])
        # a second Otsu split inside the bright class isolates the hyperintense lesion
        cut = otsu_threshold(flair[brain & (flair > cut)])
        return Prediction(regions=("WT",), probabilities={"WT": (flair > cut).astype(np.float32)})


def load(context: ModelContext) -> OtsuFlair:
    return OtsuFlair()


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [ModelSpec(name="otsu-flair", summary="two-level Otsu threshold of FLAIR (whole tumour)", load=load)]
