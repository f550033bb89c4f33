"""Combining member predictions with a combiner plugin (``tumorbench_combiners``).

The two basic combiners live here because models use them too (TuNet averages its folds):
average of probabilities (Eq. 1 of Vu et al.) and majority vote. Ad-hoc ensembles are named on
the command line as ``METHOD(a,b,c)``, with the combiner's options as
``METHOD[key=value;key=value](a,b,c)`` (``weighted-mean[weights=2,1,1](a,b,c)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tumorbench.contract.phases import on_grid
from tumorbench.contract.values import Case, Prediction, Predictor
from tumorbench.errors import BenchError

if TYPE_CHECKING:
    from tumorbench.loading.registry import Registry

Combiner = Callable[[Sequence[Prediction]], Prediction]

_ADHOC = re.compile(r"^(?P<method>[a-z][a-z0-9_-]*)(\[(?P<options>[^\[\]]*)\])?\((?P<members>[^()]+)\)$")


def _common_regions(predictions: Sequence[Prediction]) -> tuple[str, ...]:
    """The regions every member speaks for, in the first member's order."""
    return tuple(r for r in predictions[0].regions if all(r in p.regions for p in predictions[1:]))


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


def get_combiner(method: str, registry: Registry | None = None, options: Mapping[str, Any] | None = None) -> Combiner:
    """The registered combiner ``method`` with its ``options`` parsed, as a one-argument function."""
    from tumorbench.contract.options import parse_options
    from tumorbench.loading.registry import Registry

    spec = (registry or Registry()).combiners.get(method)
    parsed = parse_options(spec.options, options, owner=f"ensemble method {method}", flag=f"{method}[...]")

    def combine(predictions: Sequence[Prediction]) -> Prediction:
        if not predictions:
            raise ValueError("an ensemble needs at least one member prediction")
        return spec.combine(predictions, parsed)

    return combine


def parse_adhoc(name: str) -> tuple[str, tuple[str, ...], dict[str, str]] | None:
    """``mean(a,b)`` -> ("mean", ("a", "b"), {}); ``weighted-mean[weights=2,1](a,b)`` ->
    ("weighted-mean", ("a", "b"), {"weights": "2,1"}); any other name -> None."""
    match = _ADHOC.match(name.replace(" ", ""))
    if not match:
        return None
    members = tuple(m for m in match.group("members").split(",") if m)
    options: dict[str, str] = {}
    for item in (match.group("options") or "").split(";"):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise BenchError(f"{name}: ensemble option {item!r} is not key=value")
        options[key] = value
    return match.group("method"), members, options


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
    """Runs every member on a case and combines their predictions. Each member's prediction is
    checked as a lone model's is (grid, finite probabilities in [0, 1], known labels) before the
    combiner sees it: a mean could hide a member's 7.0 and -5.0 behind their average of 1."""

    members: tuple[Predictor, ...]
    combine: Combiner

    def predict(self, case: Case) -> Prediction:
        outputs = [with_region_probabilities(on_grid(m.predict(case), case), case) for m in self.members]
        return self.combine(outputs)
