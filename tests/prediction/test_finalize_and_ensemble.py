"""Labels and uncertainty from probabilities (Eq. 2 of Vu et al.), and the ensemble combiners."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.api import get_convention
from tumorbench.contract.values import Prediction
from tumorbench.errors import BenchError
from tumorbench.prediction.ensemble import majority_vote, mean_probabilities, parse_adhoc
from tumorbench.prediction.finalize import finalize, uncertainty_from_probability


def test_uncertainty_equation_2() -> None:
    p = np.array([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
    # u = 200(1-p) if p >= 0.5 else 200p
    assert uncertainty_from_probability(p).tolist() == [0, 20, 50, 100, 50, 20, 0]


def test_finalize_assembles_labels_in_the_case_convention() -> None:
    probs = {
        "WT": np.array([0.9, 0.9, 0.9, 0.2], np.float32),
        "TC": np.array([0.8, 0.7, 0.1, 0.1], np.float32),
        "ET": np.array([0.6, 0.4, 0.0, 0.0], np.float32),
    }
    pred = Prediction(regions=("WT", "TC", "ET"), probabilities=probs)
    assert finalize(pred, get_convention("brats-2017")).labels.tolist() == [4, 1, 2, 0]
    assert finalize(pred, get_convention("brats-2023")).labels.tolist() == [3, 1, 2, 0]
    assert finalize(pred, get_convention("msd")).labels.tolist() == [3, 2, 1, 0]
    assert finalize(pred, get_convention("brats-2017")).uncertainty["ET"].tolist() == [80, 80, 0, 0]


def test_mean_ensemble_is_the_average() -> None:
    a = Prediction(regions=("WT",), probabilities={"WT": np.array([0.2, 0.9], np.float32)})
    b = Prediction(regions=("WT", "TC"), probabilities={"WT": np.array([0.6, 0.3], np.float32), "TC": np.zeros(2, np.float32)})
    out = mean_probabilities([a, b])
    assert out.regions == ("WT",)
    np.testing.assert_allclose(out.probabilities["WT"], [0.4, 0.6])


def test_vote_is_a_strict_majority() -> None:
    preds = [Prediction(regions=("WT",), probabilities={"WT": np.array(v, np.float32)}) for v in ([1, 1, 0], [1, 0, 0], [0, 1, 1], [1, 0, 1])]
    out = majority_vote(preds)
    # votes: 3/4, 2/4 (tie, not a majority), 2/4
    assert (out.probabilities["WT"] >= 0.5).tolist() == [True, False, False]


def test_adhoc_names() -> None:
    assert parse_adhoc("mean(a, b)") == ("mean", ("a", "b"), {})
    assert parse_adhoc("tunet-ensemble") is None
    with pytest.raises(BenchError):
        mean_probabilities([Prediction(regions=("WT",), labels=np.zeros(2, np.uint8))])
