"""tunet-postprocess on hand-built probability maps and label maps (no TensorFlow needed)."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.api import get_convention
from tumorbench.contract.values import Case, Prediction, Volume
from tumorbench.loading.registry import Registry
from tumorbench.prediction.finalize import finalize
from tumorbench_plugins.postprocess.tunet import ET_MIN_VOXELS, tunet_postprocess

SHAPE = (20, 20, 20)


def make_case(convention: str = "brats-2017") -> Case:
    volume = Volume(data=np.ones(SHAPE, dtype=np.int16), affine=np.eye(4), spacing=(1.0, 1.0, 1.0))
    return Case(case_id="hand", images={"t1": volume}, label=None, convention=get_convention(convention), dataset="hand")


def probs(wt: np.ndarray, tc: np.ndarray, et: np.ndarray) -> Prediction:
    return Prediction(regions=("WT", "TC", "ET"), probabilities={"WT": wt, "TC": tc, "ET": et})


def test_plugin_is_registered():
    spec = Registry().postprocessors.get("tunet-postprocess")
    assert spec.apply is tunet_postprocess


def test_core_threshold_lowered_until_a_core_is_found():
    case = make_case()
    wt = np.zeros(SHAPE, np.float32)
    wt[5:15, 5:15, 5:15] = 0.9
    tc = np.zeros(SHAPE, np.float32)
    tc[8:12, 8:12, 8:12] = 0.2  # found at 0.1 (not at 0.5 or 0.3)
    tc[2:4, 2:4, 2:4] = 0.07  # would be found at 0.05, but the search stops at 0.1
    et = np.zeros(SHAPE, np.float32)
    finalized = finalize(probs(wt, tc, et), case.convention)
    assert not np.isin(finalized.labels, (1, 4)).any()  # no core at 0.5
    out = tunet_postprocess(finalized, case)
    expected = finalized.labels.copy()
    expected[8:12, 8:12, 8:12] = 1
    np.testing.assert_array_equal(out.labels, expected)
    assert out.uncertainty is finalized.uncertainty  # labels change only


def test_lowest_threshold_and_nothing_found():
    case = make_case()
    wt = np.zeros(SHAPE, np.float32)
    wt[5:15, 5:15, 5:15] = 0.9
    et = np.zeros(SHAPE, np.float32)
    tc = np.full(SHAPE, 0.005, np.float32)
    tc[9, 9, 9] = 0.01  # exactly the last threshold: found
    out = tunet_postprocess(finalize(probs(wt, tc, et), case.convention), case)
    assert int((out.labels == 1).sum()) == 1 and out.labels[9, 9, 9] == 1
    tc[9, 9, 9] = 0.009  # below every threshold: unchanged
    finalized = finalize(probs(wt, tc, et), case.convention)
    np.testing.assert_array_equal(tunet_postprocess(finalized, case).labels, finalized.labels)


def test_existing_core_is_kept():
    case = make_case()
    wt = np.zeros(SHAPE, np.float32)
    wt[5:15, 5:15, 5:15] = 0.9
    tc = np.zeros(SHAPE, np.float32)
    tc[8:12, 8:12, 8:12] = 0.6
    tc[2:4, 2:4, 2:4] = 0.4  # not painted: a core already exists at 0.5
    finalized = finalize(probs(wt, tc, np.zeros(SHAPE, np.float32)), case.convention)
    np.testing.assert_array_equal(tunet_postprocess(finalized, case).labels, finalized.labels)


@pytest.mark.parametrize(
    "convention, et_label, core_label",
    [("brats-2017", 4, 1), ("brats-2023", 3, 1), ("msd", 3, 2)],
)
def test_small_enhancing_tumour_becomes_core(convention: str, et_label: int, core_label: int):
    case = make_case(convention)
    labels = np.zeros(SHAPE, np.uint8)
    flat = labels.reshape(-1)
    flat[: ET_MIN_VOXELS - 1] = et_label  # 499 voxels
    out = tunet_postprocess(Prediction(regions=("WT", "TC", "ET"), labels=labels), case)
    assert int((out.labels == et_label).sum()) == 0
    assert int((out.labels == core_label).sum()) == ET_MIN_VOXELS - 1

    flat[ET_MIN_VOXELS - 1] = et_label  # exactly 500: kept
    out = tunet_postprocess(Prediction(regions=("WT", "TC", "ET"), labels=labels), case)
    np.testing.assert_array_equal(out.labels, labels)


def test_label_only_prediction_gets_only_the_enhancing_rule():
    case = make_case()
    labels = np.zeros(SHAPE, np.uint8)
    labels[5:15, 5:15, 5:15] = 2  # whole tumour, no core: nothing to lower without probabilities
    labels[0, 0, :10] = 4  # 10 voxels of ET -> necrosis
    out = tunet_postprocess(Prediction(regions=("WT", "TC", "ET"), labels=labels), case)
    expected = labels.copy()
    expected[0, 0, :10] = 1
    np.testing.assert_array_equal(out.labels, expected)
    assert ET_MIN_VOXELS == 500  # the paper's constant
