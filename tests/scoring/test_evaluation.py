"""Scoring one case under metric conventions: one compute per region and convention, every array
in the reference's memory order, values independent of layouts, and metric failures recorded per
metric while the case's other scores survive."""

from __future__ import annotations

import medpy.metric.binary as mb
import numpy as np
import pytest

from tumorbench.api import get_convention
from tumorbench.contract.metric_conventions import MetricConvention, join
from tumorbench.contract.specs import BrainMaskRule, MetricConventionSpec, MetricDef
from tumorbench.contract.values import Case, MetricInput, Prediction, Volume
from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench.scoring.evaluation import memory_order, score_case, worst_score
from tumorbench_plugins.metrics import legacy, uncertainty


def _case_and_prediction(label_order: str, prediction_order: str, with_t1: bool = True) -> tuple[Case, Prediction]:
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

    images = {"t1": volume(t1)} if with_t1 else {}
    case = Case(case_id="c", images=images, label=volume(label), convention=get_convention("brats-2017"), dataset="d")
    prediction = Prediction(
        regions=("WT", "TC", "ET"),
        labels=np.asarray(predicted, order=prediction_order),
        uncertainty={r: np.asarray(u, order=prediction_order) for r, u in unc.items()},
    )
    return case, prediction


def _zero(shape):
    return 0.0


def _spec(name: str, compute, metrics=("probe",), *, needs=frozenset({"spacing"}), extends=None, brain_mask=None):
    defs = tuple(MetricDef(name=m, summary=m, higher_is_better=True, worst=_zero, order=100 + i) for i, m in enumerate(metrics))
    return MetricConventionSpec(name=name, summary=name, metrics=defs, compute=compute, needs=needs, extends=extends, brain_mask=brain_mask)


def _builtin(*names: str) -> list[MetricConvention]:
    registry = Registry()
    return [registry.convention(n) for n in names]


def test_conventions_see_one_memory_order_and_values_do_not_depend_on_it():
    seen: list[set[str]] = []

    def record(m: MetricInput) -> dict[str, float]:
        seen.append({memory_order(a) for a in (m.prediction, m.reference, m.uncertainty, m.brain_mask)})
        return {"probe": 0.0}

    probe = MetricConvention(spec=(p := _spec("probe", record, needs=frozenset({"uncertainty", "brain_mask"}), brain_mask=uncertainty.T1_BRAIN)), parts=(p,))
    conventions = [probe, *_builtin("brats-legacy", "qu-brats")]
    results = {}
    for label_order in "CF":
        for prediction_order in "CF":
            case, prediction = _case_and_prediction(label_order, prediction_order)
            scores = score_case(case, prediction, conventions)
            results[label_order, prediction_order] = {(s.convention, r.region, r.metric): r.value for s in scores for r in s.rows}
            assert seen[-3:] == [{label_order}] * 3  # one order per region: the reference's
    first = results["C", "C"]
    assert len(first) == 3 * (1 + 4 + 4)
    for values in results.values():
        assert values.keys() == first.keys()
        for key, value in values.items():
            assert value == pytest.approx(first[key], abs=1e-12)


def test_each_convention_computes_once_per_region():
    calls: list[str] = []

    def count(m: MetricInput) -> dict[str, float]:
        calls.append(m.region)
        return {"a": 1.0, "b": 2.0, "c": 3.0}

    spec = _spec("counting", count, ("a", "b", "c"))
    case, prediction = _case_and_prediction("F", "F")
    (score,) = score_case(case, prediction, [join([(spec, "test")], "counting")])
    assert calls == ["WT", "TC", "ET"]
    assert [(r.region, r.metric, r.value) for r in score.rows][:3] == [("WT", "a", 1.0), ("WT", "b", 2.0), ("WT", "c", 3.0)]


def test_legacy_values_equal_medpy_through_score_case():
    case, prediction = _case_and_prediction("F", "C")
    (score,) = score_case(case, prediction, _builtin("brats-legacy"))
    values = {(r.region, r.metric): r.value for r in score.rows}
    conv = case.convention
    for region in ("WT", "TC", "ET"):
        p = conv.region_mask(prediction.labels, region)
        g = conv.region_mask(case.label.data, region)
        assert values[region, "dice"] == pytest.approx(mb.dc(p, g), abs=1e-12)
        assert values[region, "hd95"] == pytest.approx(mb.hd95(p, g, voxelspacing=(1.0, 1.0, 1.5)), abs=1e-9)


def test_a_metric_that_raises_or_returns_nan_fails_alone_and_scores_worst_case():
    def broken(m: MetricInput) -> dict[str, float]:
        if m.region == "TC":
            raise RuntimeError("boom\nsecond line")
        return {"nan_metric": float("nan"), "inf_metric": float("inf"), "good": 0.5}

    spec = _spec("extra", broken, ("nan_metric", "inf_metric", "good", "missing"), extends="brats-legacy")
    pairs = [(legacy.SPEC, "tumorbench"), (spec, "thirdparty")]
    convention = join(pairs, "brats-legacy")
    case, prediction = _case_and_prediction("F", "F")
    (score,) = score_case(case, prediction, [convention])
    rows = {(r.region, r.metric): r for r in score.rows}
    # the convention's own metrics all survive
    assert all(rows[region, m].status == "ok" for region in ("WT", "TC", "ET") for m in ("dice", "hd95", "sensitivity", "specificity"))
    assert rows["WT", "good"].status == "ok" and rows["WT", "good"].value == 0.5
    assert rows["WT", "nan_metric"].status == "failed" and rows["WT", "nan_metric"].reason == "extra returned nan for nan_metric"
    assert rows["WT", "inf_metric"].reason == "extra returned inf for inf_metric"
    assert rows["WT", "missing"].reason == "extra returned no value for missing"
    assert rows["TC", "good"].status == "failed" and rows["TC", "good"].reason == "extra raised RuntimeError: boom second line"
    assert rows["TC", "good"].value == 0.0  # the declared worst value
    assert rows["ET", "good"].status == "ok"


def test_extension_metrics_join_the_convention_in_declared_order():
    def volume_similarity(m: MetricInput) -> dict[str, float]:
        p, g = int(m.prediction.sum()), int(m.reference.sum())
        return {"volume_similarity": 1.0 - abs(p - g) / (p + g) if p + g else 1.0}

    spec = MetricConventionSpec(
        name="volumes", summary="volume similarity", extends="brats-legacy", compute=volume_similarity,
        metrics=(MetricDef(name="volume_similarity", summary="", higher_is_better=True, worst=_zero, group=legacy.OVERLAP_GROUP, order=25),),
    )
    convention = join([(legacy.SPEC, "tumorbench"), (spec, "thirdparty")], "brats-legacy")
    assert [m.name for m in convention.metrics] == ["dice", "hd95", "volume_similarity", "sensitivity", "specificity"]
    assert [(t, [m.name for m in ms]) for t, ms in convention.groups()][0] == (legacy.OVERLAP_GROUP, ["dice", "hd95", "volume_similarity"])
    duplicate = _spec("again", volume_similarity, ("dice",), extends="brats-legacy")
    with pytest.raises(BenchError, match="metric 'dice' is defined twice, by brats-legacy \\(tumorbench\\) and by again \\(x\\)"):
        join([(legacy.SPEC, "tumorbench"), (duplicate, "x")], "brats-legacy")


def test_uncertainty_conventions_skip_predictions_without_maps_and_brain_mask_rules():
    case, prediction = _case_and_prediction("F", "F")
    labels_only = Prediction(regions=prediction.regions, labels=prediction.labels)
    assert [s.convention for s in score_case(case, labels_only, _builtin("brats-legacy", "qu-brats"))] == ["brats-legacy"]
    # a dataset's own rule wins over the convention's T1 rule
    everything = BrainMaskRule(name="all", summary="", modalities=(), compute=lambda images: np.ones((20, 18, 16), bool))
    (own,) = score_case(case, prediction, _builtin("qu-brats"))
    (mine,) = score_case(case, prediction, _builtin("qu-brats"), brain_mask=everything)
    curves = uncertainty.uncertainty_curves(
        case.convention.region_mask(prediction.labels, "WT"), case.convention.region_mask(case.label.data, "WT"),
        prediction.uncertainty["WT"], brain_mask=None,
    )
    assert {r.metric: r.value for r in mine.rows if r.region == "WT"}["rftn"] == pytest.approx(curves.rftn, abs=1e-12)
    assert own.rows != mine.rows
    # no T1: the brain mask cannot be made, so the QU metrics fail with that reason; legacy survives
    no_t1, _ = _case_and_prediction("F", "F", with_t1=False)
    legacy_score, qu = score_case(no_t1, prediction, _builtin("brats-legacy", "qu-brats"))
    assert {r.status for r in legacy_score.rows} == {"ok"}
    assert {r.status for r in qu.rows} == {"failed"}
    assert qu.rows[0].reason == "case c: brain mask rule t1-nonzero needs t1, which the case does not have"


def test_worst_score_uses_each_metrics_worst_value():
    (convention,) = _builtin("brats-legacy")
    score = worst_score((240, 240, 155), ("WT",), convention, "could not load")
    assert {r.metric: r.value for r in score.rows} == {
        "dice": 0.0, "hd95": pytest.approx(373.1286641), "sensitivity": 0.0, "specificity": 0.0,
    }
    assert {r.status for r in score.rows} == {"case-failed"}
