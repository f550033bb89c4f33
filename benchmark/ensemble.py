"""Combining member predictions: average of probabilities (Eq. 1 of Vu et al.) or majority vote.

Ad-hoc ensembles are named on the command line as ``mean(a,b,c)`` or ``vote(a,b,c)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import BenchError
from .labels import REGIONS
from .types import Case, Prediction, Predictor

Combiner = Callable[[Sequence[Prediction]], Prediction]

_ADHOC = re.compile(r"^(?P<method>[a-z]+)\((?P<members>[^()]+)\)$")


def _common_regions(predictions: Sequence[Prediction]) -> tuple[str, ...]:
    regions = set(predictions[0].regions)
    for p in predictions[1:]:
        regions &= set(p.regions)
    return tuple(r for r in REGIONS if r in regions)


def mean_probabilities(predictions: Sequence[Prediction]) -> Prediction:
    """Average each region's probability map over the members (all must give probabilities)."""
    if not predictions:
        raise ValueError("an ensemble needs at least one member prediction")
    if any(not p.probabilities for p in predictions):
        raise BenchError("mean ensemble: every member must give probabilities (use vote for label-only members)")
    regions = _common_regions(predictions)
    averaged = {}
    for region in regions:
        total = np.zeros(np.shape(predictions[0].probabilities[region]), dtype=np.float64)  # type: ignore[index]
        for p in predictions:
            total += p.probabilities[region]  # type: ignore[index]
        averaged[region] = (total / len(predictions)).astype(np.float32)
    return Prediction(regions=regions, probabilities=averaged)


def majority_vote(predictions: Sequence[Prediction]) -> Prediction:
    """Per region, the fraction of members voting for the voxel, thresholded at 0.5 later.

    Members that give probabilities vote with ``p >= 0.5``; the fraction of votes becomes the
    ensemble's probability, so labels follow a strict majority and uncertainty follows agreement.
    Label-only members are not supported here because their regions depend on their convention;
    the runner finalizes every member first, so each has probabilities or region-derived ones.
    """
    if not predictions:
        raise ValueError("an ensemble needs at least one member prediction")
    regions = _common_regions(predictions)
    votes = {}
    for region in regions:
        count = None
        for p in predictions:
            if not p.probabilities or region not in p.probabilities:
                raise BenchError("vote ensemble: a member gave no map for region " + region)
            v = (np.asarray(p.probabilities[region]) >= 0.5).astype(np.float32)
            count = v if count is None else count + v
        fraction = count / len(predictions)  # type: ignore[operator]
        # a tie is not a majority: push exact halves just below the 0.5 threshold
        votes[region] = np.where(fraction == 0.5, np.float32(0.4999), fraction).astype(np.float32)
    return Prediction(regions=regions, probabilities=votes)


COMBINERS: dict[str, Combiner] = {"mean": mean_probabilities, "vote": majority_vote}


def get_combiner(method: str) -> Combiner:
    if method not in COMBINERS:
        raise BenchError(f"unknown ensemble method {method!r} (known: {', '.join(COMBINERS)})")
    return COMBINERS[method]


def parse_adhoc(name: str) -> tuple[str, tuple[str, ...]] | None:
    """``mean(a,b)`` -> ("mean", ("a", "b")); any other name -> None."""
    match = _ADHOC.match(name.replace(" ", ""))
    if not match:
        return None
    members = tuple(m for m in match.group("members").split(",") if m)
    return match.group("method"), members


def with_region_probabilities(prediction: Prediction, case: Case) -> Prediction:
    """A label-only prediction as 0/1 region 'probabilities', so it can join an ensemble."""
    if prediction.probabilities:
        return prediction
    if prediction.labels is None:
        raise ValueError("a prediction needs probabilities or labels")
    masks = case.convention.to_regions(prediction.labels)
    probs = {r: masks[r].astype(np.float32) for r in prediction.regions}
    return Prediction(regions=prediction.regions, probabilities=probs)


@dataclass(frozen=True)
class EnsemblePredictor:
    """Runs every member on a case and combines their predictions."""

    members: tuple[Predictor, ...]
    combine: Combiner

    def predict(self, case: Case) -> Prediction:
        outputs = [with_region_probabilities(m.predict(case), case) for m in self.members]
        return self.combine(outputs)
