"""QU-BraTS DAUC / RFTP / RFTN: the hand-checkable case of docs/metrics.md and a per-threshold loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tumorbench.contract.values import MetricInput
from tumorbench_plugins.metrics import uncertainty as unc
from tumorbench_plugins.metrics.uncertainty import (
    THRESHOLDS_5,
    THRESHOLDS_41,
    compute_dauc,
    compute_qu_score,
    compute_rftn,
    compute_rftp,
)

EPS32 = float(np.finfo(np.float32).eps)

G = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], bool)
P = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0], bool)
U = np.array([10, 60, 90, 80, 95, 0, 30, 70, 100, 50], np.uint8)


def loop_reference(p, g, u, brain, thresholds):
    """Straightforward per-threshold evaluation, written from docs/metrics.md (qu-brats)."""
    b = np.ones_like(g, bool) if brain is None else brain.astype(bool)
    p, g = p.astype(bool), g.astype(bool)
    tp_all = np.sum(b & g & p)
    tn_all = np.sum(b & ~g & ~p)
    rows = []
    for tau in sorted(thresholds):
        keep = u <= tau
        pk, gk = p & keep, g & keep
        denom = pk.sum() + gk.sum()
        d = 1.0 if denom == 0 else 2.0 * (pk & gk).sum() / denom
        ftp = (tp_all - np.sum(b & g & p & keep)) / (tp_all + EPS32)
        ftn = (tn_all - np.sum(b & ~g & ~p & keep)) / (tn_all + EPS32)
        rows.append((tau, d, ftp, ftn))
    t, d, ftp, ftn = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    area = lambda y: np.trapezoid(y, t) / 100.0  # noqa: E731
    return area(d), area(ftp), area(ftn)


def test_curve_values_of_the_hand_checkable_case():
    curves = unc.uncertainty_curves(P, G, U, thresholds=THRESHOLDS_5)
    assert list(curves.thresholds) == [0, 25, 50, 75, 100]
    np.testing.assert_allclose(curves.dice, [1, 1, 1, 1, 0.75], atol=1e-12)
    np.testing.assert_allclose(curves.ftp, [1, 2 / 3, 2 / 3, 1 / 3, 0], atol=1e-6)
    np.testing.assert_allclose(curves.ftn, [0.8, 0.8, 0.4, 0.2, 0], atol=1e-6)


@pytest.mark.parametrize(
    "thresholds, dauc, rftp, rftn, score",
    [
        (THRESHOLDS_5, 0.968750, 0.541667, 0.450000, 0.659028),
        (THRESHOLDS_41, 0.957232, 0.520833, 0.490000, 0.648800),
    ],
)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_hand_checkable_case_of_metrics_md(thresholds, dauc, rftp, rftn, score, dtype):
    u = U.astype(dtype)
    assert compute_dauc(P, G, u, thresholds=thresholds) == pytest.approx(dauc, abs=1e-6)
    assert compute_rftp(P, G, u, thresholds=thresholds) == pytest.approx(rftp, abs=1e-6)
    assert compute_rftn(P, G, u, thresholds=thresholds) == pytest.approx(rftn, abs=1e-6)
    assert compute_qu_score(P, G, u, thresholds=thresholds) == pytest.approx(score, abs=1e-6)


def test_default_set_has_41_points_with_100_included():
    assert len(THRESHOLDS_41) == 41 and THRESHOLDS_41[0] == 100.0 and THRESHOLDS_41[-1] == 0.0
    assert np.allclose(np.diff(THRESHOLDS_41), -2.5)


@settings(max_examples=250, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 7), st.integers(1, 7), st.integers(1, 5)),
    seed=st.integers(0, 2**32 - 1),
    integer_map=st.booleans(),
    with_brain=st.booleans(),
    five=st.booleans(),
    sparse=st.booleans(),
)
def test_one_pass_equals_per_threshold_loop(shape, seed, integer_map, with_brain, five, sparse):
    rng = np.random.default_rng(seed)
    g = rng.random(shape) < 0.4
    p = rng.random(shape) < 0.4
    u = rng.integers(0, 101, shape).astype(np.uint8) if integer_map else rng.random(shape) * 100
    if not integer_map:
        u.flat[: u.size // 3] = rng.choice(THRESHOLDS_41, u.size // 3)  # values exactly on thresholds
    u[rng.random(shape) < (0.9 if sparse else 0.3)] = 0  # sparse: a confident model's map
    brain = rng.random(shape) < 0.8 if with_brain else None
    thresholds = THRESHOLDS_5 if five else THRESHOLDS_41
    dauc, rftp, rftn = loop_reference(p, g, u, brain, thresholds)
    curves = unc.uncertainty_curves(p, g, u, brain_mask=brain, thresholds=thresholds)
    assert curves.dauc == pytest.approx(dauc, abs=1e-6)
    assert curves.rftp == pytest.approx(rftp, abs=1e-6)
    assert curves.rftn == pytest.approx(rftn, abs=1e-6)


def test_brain_mask_and_memory_layouts_on_a_larger_volume():
    rng = np.random.default_rng(3)
    shape = (30, 28, 20)
    g = np.zeros(shape, bool)
    g[8:20, 8:18, 5:15] = True
    p = np.roll(g, 2, axis=0)
    u = np.zeros(shape, np.uint8)
    u[6:24, 6:22, 3:17] = rng.integers(0, 101, (18, 16, 14))
    brain = np.zeros(shape, bool)
    brain[2:28, 2:26, 1:19] = True
    expected = loop_reference(p, g, u, brain, THRESHOLDS_41)
    f = np.asfortranarray
    strided = np.zeros((30, 28, 40), bool)[:, :, ::2]
    strided[...] = brain
    for layout in [(p, g, u, brain), (f(p), g, u, f(brain)), (p, g, u, f(brain)), (f(p), f(g), f(u), brain), (p, f(g), u, strided)]:
        got = unc.uncertainty_curves(layout[0], layout[1], layout[2], brain_mask=layout[3])
        assert (got.dauc, got.rftp, got.rftn) == pytest.approx(expected, abs=1e-9)


def test_specs_two_conventions_need_uncertainty_and_a_brain_mask():
    specs = {s.name: s for s in unc.tumorbench_metric_conventions()}
    assert set(specs) == {"qu-brats", "qu-brats-5"}
    assert specs["qu-brats"].default and not specs["qu-brats-5"].default
    for spec in specs.values():
        assert spec.needs == {"uncertainty", "brain_mask"} and spec.brain_mask is unc.T1_BRAIN
        assert [m.name for m in spec.metrics] == ["dauc", "rftp", "rftn", "qu-score"]
    metrics = {m.name: m for m in specs["qu-brats"].metrics}
    assert metrics["rftp"].higher_is_better is False and metrics["dauc"].higher_is_better
    assert metrics["rftp"].worst((4, 4, 4)) == 1.0 and metrics["dauc"].worst((4, 4, 4)) == 0.0
    m = MetricInput(prediction=P, reference=G, spacing=(1.0, 1.0, 1.0), region="WT", uncertainty=U)
    assert specs["qu-brats"].compute(m)["dauc"] == pytest.approx(0.957232, abs=1e-6)
    assert specs["qu-brats-5"].compute(m)["qu-score"] == pytest.approx(0.659028, abs=1e-6)
    with pytest.raises(ValueError, match="no uncertainty"):
        specs["qu-brats"].compute(MetricInput(prediction=P, reference=G, spacing=(1, 1, 1), region="ET"))
    t1 = np.array([[[0, 3], [7, 0]]], dtype=np.int16)
    assert unc.T1_BRAIN.compute({"t1": t1}).tolist() == [[[False, True], [True, False]]]
