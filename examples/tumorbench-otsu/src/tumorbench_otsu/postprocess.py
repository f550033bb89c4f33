"""``keep-largest``: keep the largest connected whole-tumour components, drop the rest."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tumorbench.api import Case, Prediction


@dataclass(frozen=True)
class KeepLargestOptions:
    """``components``: how many of the largest whole-tumour components to keep;
    ``min_voxels``: a kept component smaller than this is dropped too."""

    components: int = 1
    min_voxels: int = 0


def keep_largest(prediction: Prediction, case: Case, options: KeepLargestOptions) -> Prediction:
    from scipy import ndimage

    labels = np.asarray(prediction.labels)
    whole = case.convention.region_mask(labels, "WT")
    components, n = ndimage.label(whole)
    if n == 0:
        return prediction
    sizes = np.bincount(components.ravel())[1:]
    order = np.argsort(sizes)[::-1][: max(options.components, 0)]
    keep = [k + 1 for k in order if sizes[k] >= options.min_voxels]
    out = labels.copy()
    out[whole & ~np.isin(components, keep)] = 0
    return replace(prediction, labels=out.astype(np.uint8))
