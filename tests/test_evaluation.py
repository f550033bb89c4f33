"""Scoring one case: every array a metric sees shares the reference's memory order, and the
values do not depend on the layouts the model and the loader happened to produce."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.evaluation import memory_order, score_case
from tumorbench.labels import get_convention
from tumorbench.types import Case, MetricInput, MetricSpec, Prediction, Volume
from tumorbench_plugins.metrics import legacy, uncertainty


def _case_and_prediction(label_order: str, prediction_order: str) -> tuple[Case, Prediction]:
    rng = np.random.default_rng(3)
    shape = (20, 18, 16)
    label = np.zeros(shape, np.uint8)
    label[4:14, 3:12, 2:11] = 2
    label[6:12, 5:10, 4:9] = 1
    label[8:10, 6:9, 5:8] = 4
    predicted = np.roll(label, (1, -1, 1), axis=(0, 1, 2))
    unc = {r: rng.integers(0, 101, shape).astype(np.uint8) for r in ("WT", "TC", "ET")}
    t1 = rng.integers(0, 50, shape).astype(np.int16)

    def volume(a):
        return Volume(data=np.asarray(a, order=label_order), affine=np.eye(4), spacing=(1.0, 1.0, 1.5))

    case = Case(case_id="c", images={"t1": volume(t1)}, label=volume(label), convention=get_convention("brats-2017"), dataset="d")
    prediction = Prediction(
        regions=("WT", "TC", "ET"),
        labels=np.asarray(predicted, order=prediction_order),
        uncertainty={r: np.asarray(u, order=prediction_order) for r, u in unc.items()},
    )
    return case, prediction


def test_metrics_see_one_memory_order_and_values_do_not_depend_on_it():
    seen: list[set[str]] = []

    def record(m: MetricInput) -> float:
        seen.append({memory_order(a) for a in (m.prediction, m.reference, m.uncertainty, m.brain_mask)})
        return 0.0

    probe = MetricSpec(name="probe", summary="records layouts", convention="test", compute=record, higher_is_better=True, worst=lambda shape: 0.0, needs_uncertainty=True)
    metrics = [probe, *legacy.tumorbench_metrics(), *uncertainty.tumorbench_metrics()]
    results = {}
    for label_order in "CF":
        for prediction_order in "CF":
            case, prediction = _case_and_prediction(label_order, prediction_order)
            rows = score_case(case, prediction, metrics)
            results[label_order, prediction_order] = {(r.region, r.metric, r.convention): r.value for r in rows}
            assert seen[-3:] == [{label_order}] * 3  # one order per region: the reference's
    first = results["C", "C"]
    assert len(first) == 3 * len(metrics)
    for values in results.values():
        assert values.keys() == first.keys()
        for key, value in values.items():
            assert value == pytest.approx(first[key], abs=1e-12)
