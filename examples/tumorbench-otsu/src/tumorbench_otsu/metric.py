"""Volume similarity added to ``brats-legacy``: ``1 - ||P| - |G|| / (|P| + |G|)`` (1 when both
masks are empty), shown after HD95 in the "Overlap and distance" table."""

from __future__ import annotations

import numpy as np

from tumorbench.api import MetricConventionSpec, MetricDef, MetricInput


def volume_similarity(prediction: np.ndarray, reference: np.ndarray) -> float:
    p, g = int(np.count_nonzero(prediction)), int(np.count_nonzero(reference))
    return 1.0 if p + g == 0 else 1.0 - abs(p - g) / (p + g)


def compute(m: MetricInput) -> dict[str, float]:
    return {"volume_similarity": volume_similarity(m.prediction, m.reference)}


SPEC = MetricConventionSpec(
    name="otsu-volume-similarity",
    summary="volume similarity 1 - ||P|-|G||/(|P|+|G|), added to brats-legacy",
    metrics=(
        MetricDef(
            name="volume_similarity", summary="1 - ||P|-|G||/(|P|+|G|); 1 when both masks are empty",
            higher_is_better=True, worst=lambda shape: 0.0, unit="ratio", group="Overlap and distance", order=25,
        ),
    ),
    compute=compute,
    needs=frozenset(),
    extends="brats-legacy",
)
