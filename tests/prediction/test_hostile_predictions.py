"""Predictions that would score as if right: a label value a cast would turn into a known one
(int16 260 -> uint8 4, float 1.7 -> 1), probabilities that are NaN or outside [0, 1], uncertainty
that is NaN, an ensemble member whose bad values its mean would hide, a post-processor that returns
such labels. Each fails its case with one line; none is ever scored."""

from __future__ import annotations

import types
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from helpers.rendering import run_and_render

from tumorbench.api import ModelSpec, PostprocessorSpec, Prediction, hookimpl
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.run.options import RunOptions


@dataclass(frozen=True)
class Hostile:
    kind: str = "int16-260"


def _prediction(kind: str, case) -> Prediction:  # noqa: ANN001
    shape = case.shape
    truth = np.asarray(case.label.data)
    regions = ("WT", "TC", "ET")
    if kind == "int16-260":  # 260 % 256 == 4: the ET label, once cast to uint8
        return Prediction(regions=regions, labels=np.where(truth == 4, 260, truth.astype(np.int16)))
    if kind == "float-1.7":
        return Prediction(regions=regions, labels=np.where(truth == 1, 1.7, truth).astype(np.float32))
    probs = {r: case.convention.region_mask(truth, r).astype(np.float32) for r in regions}
    if kind == "all-nan":
        return Prediction(regions=regions, probabilities={r: np.full(shape, np.nan, np.float32) for r in regions})
    if kind == "seven":
        return Prediction(regions=regions, probabilities={**probs, "WT": probs["WT"] * 7.0})
    if kind == "minus-three":
        return Prediction(regions=regions, probabilities={**probs, "ET": probs["ET"] - 3.0})
    if kind == "nan-uncertainty":
        unc = np.zeros(shape, np.float32)
        unc[0, 0, 0] = np.nan
        return Prediction(regions=regions, probabilities=probs, uncertainty={r: unc for r in regions})
    if kind == "truth":
        return Prediction(regions=regions, probabilities=probs)
    raise AssertionError(kind)


class HostilePredictor:
    def __init__(self, kind: str) -> None:
        self.kind = kind

    def predict(self, case):  # noqa: ANN001, ANN201
        return _prediction(self.kind, case)


def _plus_260(prediction: Prediction, case) -> Prediction:  # noqa: ANN001
    labels = np.asarray(prediction.labels).astype(np.int16)
    return replace(prediction, labels=np.where(labels == 4, np.int16(260), labels))


def _registry() -> Registry:
    module = types.ModuleType("hostile_predictions")
    module.tumorbench_models = hookimpl(lambda: [ModelSpec(
        name="hostile", summary="crafted predictions", options=Hostile,
        load=lambda ctx: HostilePredictor(ctx.options.kind))])
    module.tumorbench_postprocessors = hookimpl(lambda: [PostprocessorSpec(
        name="plus-260", summary="ET as 260", apply=_plus_260)])
    return Registry(get_plugin_manager(entry_points=False, extra=[module]))


@pytest.mark.parametrize(("model", "kind", "reason"), [
    ("hostile", "int16-260", r"label value\(s\) \[260\] not in convention brats-2017"),
    ("hostile", "float-1.7", r"label value\(s\) \[1\.70*\d*\] not in convention brats-2017"),
    ("hostile", "all-nan", r"WT probabilities of case .* are not finite in \d+ voxels"),
    ("hostile", "seven", r"WT probabilities of case .* lie outside \[0, 1\] \(min 0, max 7\)"),
    ("hostile", "minus-three", r"ET probabilities of case .* lie outside \[0, 1\] \(min -3, max -2\)"),
    ("hostile", "nan-uncertainty", r"WT uncertainty of case .* are not finite in 1 voxel"),
    ("mean(hostile,hostile)", "seven", r"WT probabilities of case .* lie outside \[0, 1\]"),
])
def test_a_prediction_that_is_not_what_it_claims_fails_its_case(
    tmp_path: Path, synthetic_root: Path, model: str, kind: str, reason: str,
) -> None:
    summary = run_and_render(RunOptions(models=(model,), datasets=("brats18",), out=tmp_path / "run",
                                        data_roots={"brats18": synthetic_root}, model_params={"kind": kind},
                                        metric_conventions=("brats-legacy",)), _registry())
    assert (summary.ok, summary.failed) == (0, 4)
    import re

    assert all(re.search(reason, f[3]) for f in summary.failures), summary.failures
    page = (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8")
    assert "| 4       | 4" in page  # 4 cases, 4 failed: scored worst-case, never as predicted


def test_a_post_processor_returning_an_unknown_label_fails_its_case(tmp_path: Path, synthetic_root: Path) -> None:
    summary = run_and_render(RunOptions(models=("hostile",), datasets=("brats18",), out=tmp_path / "run",
                                        data_roots={"brats18": synthetic_root}, model_params={"kind": "truth"},
                                        postprocess=("plus-260",), metric_conventions=("brats-legacy",)), _registry())
    assert summary.failed == 4
    assert all(f[3].startswith("postprocess plus-260: labels of case") and "[260]" in f[3] for f in summary.failures)


def test_the_same_model_told_the_truth_scores_perfectly(tmp_path: Path, synthetic_root: Path) -> None:
    """The control: the crafted model is not broken itself."""
    import pandas as pd

    summary = run_and_render(RunOptions(models=("hostile",), datasets=("brats18",), out=tmp_path / "run",
                                        data_roots={"brats18": synthetic_root}, model_params={"kind": "truth"},
                                        metric_conventions=("brats-legacy",)), _registry())
    assert (summary.ok, summary.failed) == (4, 0)
    csv = pd.read_csv(tmp_path / "run" / "metrics.csv")
    assert set(csv[csv.metric == "dice"].value) == {1.0}


def test_a_folder_uncertainty_map_holding_nan_fails_its_case(tmp_path: Path, synthetic_root: Path) -> None:
    """``min < 0 or max > 100`` is false for NaN: the range check must treat NaN as outside."""
    import nibabel as nib

    preds = tmp_path / "preds"
    preds.mkdir()
    for case_dir in sorted(synthetic_root.glob("*GG/*")):
        seg = nib.load(str(case_dir / f"{case_dir.name}_seg.nii.gz"))
        nib.save(seg, str(preds / f"{case_dir.name}.nii.gz"))
        unc = np.zeros(seg.shape, np.float32)
        unc[1, 1, 1] = np.nan
        nib.save(nib.Nifti1Image(unc, seg.affine), str(preds / f"{case_dir.name}_unc_whole.nii.gz"))
    summary = run_and_render(RunOptions(models=(f"folder:{preds}",), datasets=("brats18",), out=tmp_path / "run",
                                        data_roots={"brats18": synthetic_root}))
    assert (summary.ok, summary.failed) == (0, 4)
    assert all("not finite in 1 voxel" in f[3] for f in summary.failures), summary.failures
