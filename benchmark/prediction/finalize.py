"""Turn region probabilities into labels and uncertainty maps (Vu et al. 2019, Eq. 2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.values import Prediction

THRESHOLD = 0.5


def uncertainty_from_probability(p: np.ndarray) -> np.ndarray:
    """u = 200 (1 - p) where p >= 0.5, else 200 p; values in [0, 100], 0 most certain (uint8)."""
    p = np.asarray(p, dtype=np.float32)
    u = np.where(p >= THRESHOLD, 200.0 * (1.0 - p), 200.0 * p)
    return np.clip(np.rint(u), 0, 100).astype(np.uint8)


def labels_from_probabilities(
    probabilities: Mapping[str, np.ndarray], convention: LabelConvention, threshold: float = THRESHOLD
) -> np.ndarray:
    """Label map: ET >= t paints the ET label, else TC >= t the core label, else WT >= t edema."""
    return convention.from_regions({region: np.asarray(p) >= threshold for region, p in probabilities.items()})


def finalize(prediction: Prediction, convention: LabelConvention) -> Prediction:
    """Fill in labels and uncertainty maps from probabilities where the model did not give them."""
    labels = prediction.labels
    uncertainty = prediction.uncertainty
    if prediction.probabilities:
        if labels is None:
            labels = labels_from_probabilities(prediction.probabilities, convention)
        if uncertainty is None:
            uncertainty = {r: uncertainty_from_probability(p) for r, p in prediction.probabilities.items()}
    if labels is None:
        raise ValueError("a prediction needs probabilities or labels")
    return replace(prediction, labels=np.asarray(labels, dtype=np.uint8), uncertainty=uncertainty)
