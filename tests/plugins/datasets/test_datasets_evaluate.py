"""Predictions in each layout's own label convention score like medpy on the same region masks."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.datasets import synthetic
from medpy.metric.binary import dc

from tumorbench.contract.values import MetricInput
from tumorbench.loading.registry import Registry

LAYOUTS = ["brats18", "brats20", "brats23", "msd-brain", "rembrandt"]


@pytest.fixture(scope="module")
def dice_metric():
    convention = Registry().convention("brats-legacy")
    return lambda item: convention.spec.compute(item)["dice"]


def _scores(tmp_path, layout, dice_metric):
    source = synthetic(tmp_path / layout, layout, cases=1)
    case = source.load(source.case_ids()[0])
    prediction = np.roll(case.label.data, 2, axis=0)  # a wrong-by-2-voxels prediction, same convention
    truth = case.convention.to_regions(case.label.data)
    predicted = case.convention.to_regions(prediction)
    scores = {}
    for region in ("WT", "TC", "ET"):
        value = dice_metric(
            MetricInput(prediction=predicted[region], reference=truth[region], spacing=case.images["t1"].spacing,
                        region=region)
        )
        assert value == pytest.approx(dc(predicted[region], truth[region]), abs=1e-12)
        scores[region] = value
    return scores


def test_dice_equals_medpy_in_every_convention_and_agrees_across_layouts(tmp_path, dice_metric):
    results = {layout: _scores(tmp_path, layout, dice_metric) for layout in LAYOUTS}
    reference = results["brats18"]
    assert 0 < reference["ET"] < reference["WT"] < 1
    for layout, scores in results.items():  # same phantom, other convention: same region scores
        assert scores == pytest.approx(reference, abs=1e-12), layout
