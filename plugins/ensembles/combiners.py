"""The built-in ensemble combiners: ``mean``, ``vote``, ``weighted-mean`` and ``staple``.

Each takes the members' region probabilities on the case's grid (label-only members arrive as
0/1 maps) and returns one prediction over the regions every member speaks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tumorbench.api import (
    BenchError,
    CombinerSpec,
    Prediction,
    hookimpl,
    majority_vote,
    mean_probabilities,
)


def _common_regions(predictions: Sequence[Prediction]) -> tuple[str, ...]:
    """The regions every member speaks for, in the first member's order."""
    return tuple(r for r in predictions[0].regions if all(r in p.regions for p in predictions[1:]))


def _maps(predictions: Sequence[Prediction], region: str, method: str) -> list[np.ndarray]:
    out = []
    for p in predictions:
        if not p.probabilities or region not in p.probabilities:
            raise BenchError(f"{method} ensemble: a member gave no map for region {region}")
        out.append(np.asarray(p.probabilities[region], dtype=np.float64))
    return out


@dataclass(frozen=True)
class WeightedMeanOptions:
    """``weights``: one non-negative number per member, in the order the members are named."""

    weights: tuple[float, ...] = ()


def weighted_mean(predictions: Sequence[Prediction], options: WeightedMeanOptions) -> Prediction:
    """Per region, ``sum(w_i p_i) / sum(w_i)``; no weights means equal weights."""
    weights = np.asarray(options.weights or [1.0] * len(predictions), dtype=np.float64)
    if len(weights) != len(predictions):
        raise BenchError(f"weighted-mean: {len(weights)} weights given for {len(predictions)} members")
    if (weights < 0).any() or weights.sum() <= 0:
        raise BenchError(f"weighted-mean: weights {tuple(options.weights)} must be >= 0 with a positive sum")
    regions = _common_regions(predictions)
    out = {}
    for region in regions:
        total = sum(w * m for w, m in zip(weights, _maps(predictions, region, "weighted-mean")))
        out[region] = (total / weights.sum()).astype(np.float32)
    return Prediction(regions=regions, probabilities=out)


@dataclass(frozen=True)
class StapleOptions:
    """``threshold``: a member's map votes for a voxel where it is at least this."""

    threshold: float = 0.5


def staple(predictions: Sequence[Prediction], options: StapleOptions) -> Prediction:
    """STAPLE (Warfield et al. 2004, SimpleITK's ``STAPLEImageFilter``) of the members' region
    masks: the ensemble's probability is STAPLE's posterior probability of each voxel."""
    try:
        import SimpleITK as sitk
    except ImportError:
        raise BenchError("staple ensemble needs SimpleITK (pip install 'tumorbench[dicom]')") from None
    regions = _common_regions(predictions)
    out = {}
    for region in regions:
        masks = [(m >= options.threshold) for m in _maps(predictions, region, "staple")]
        shape = masks[0].shape
        if not any(m.any() for m in masks):
            out[region] = np.zeros(shape, dtype=np.float32)  # STAPLE is undefined without foreground
            continue
        if all(m.all() for m in masks):
            out[region] = np.ones(shape, dtype=np.float32)
            continue
        images = [sitk.GetImageFromArray(m.astype(np.uint8)) for m in masks]
        result = sitk.STAPLE(images, 1.0)
        posterior = sitk.GetArrayFromImage(result).astype(np.float32)
        out[region] = np.clip(np.nan_to_num(posterior, nan=0.0), 0.0, 1.0)
    return Prediction(regions=regions, probabilities=out)


@hookimpl
def tumorbench_combiners() -> list[CombinerSpec]:
    return [
        CombinerSpec(name="mean", summary="average of the members' probabilities (Eq. 1 of Vu et al.)",
                     combine=lambda predictions, options: mean_probabilities(predictions)),
        CombinerSpec(name="vote", summary="majority vote of the members' region masks (a tie is not a majority)",
                     combine=lambda predictions, options: majority_vote(predictions)),
        CombinerSpec(name="weighted-mean", summary="weighted average of the members' probabilities",
                     combine=weighted_mean, options=WeightedMeanOptions),
        CombinerSpec(name="staple", summary="STAPLE of the members' region masks (SimpleITK); posterior probabilities",
                     combine=staple, options=StapleOptions),
    ]
