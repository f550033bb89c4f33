"""The example package checked with tumorbench's contract tests (``tumorbench.testing``, a pytest
plugin: its fixtures need no conftest.py), plus a few values of its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tumorbench_otsu.plugin
from tumorbench_otsu.metric import volume_similarity

from tumorbench.api import DatasetOptions, Prediction, save_volume
from tumorbench.testing import (
    check_combiner,
    check_dataset,
    check_metric_convention,
    check_model,
    check_postprocessor,
)


@pytest.fixture
def tumorbench_plugin():
    return tumorbench_otsu.plugin


def test_dataset_layout(tumorbench_registry, tumorbench_source, tmp_path: Path) -> None:
    for case_id in tumorbench_source.case_ids()[:2]:  # the synthetic cases, written in the flat layout
        case = tumorbench_source.load(case_id)
        for m, image in case.images.items():
            save_volume(tmp_path / f"{case_id}_{m}.nii.gz", image.data, image.affine)
        save_volume(tmp_path / f"{case_id}_seg.nii.gz", case.label.data, case.label.affine)
    source = check_dataset(tumorbench_registry.datasets.get("otsu-flat"), DatasetOptions(root=tmp_path))
    assert len(source.case_ids()) == 2


def test_models(tumorbench_registry, tumorbench_case, tumorbench_source, tumorbench_store: Path) -> None:
    plain = check_model(tumorbench_registry.models.get("otsu-flair"), tumorbench_case, tumorbench_store)
    fitted = check_model(tumorbench_registry.models.get("otsu-fitted"), tumorbench_case, tumorbench_store,
                         source=tumorbench_source)
    truth = tumorbench_case.convention.region_mask(tumorbench_case.label.data, "WT")
    for prediction in (plain, fitted):
        got = tumorbench_case.convention.region_mask(prediction.labels, "WT")
        assert 2 * (got & truth).sum() / (got.sum() + truth.sum()) > 0.8


def test_metric(tumorbench_registry) -> None:
    spec = tumorbench_registry.metrics.get("otsu-volume-similarity")
    values = check_metric_convention(spec, registry=tumorbench_registry)
    assert values["perfect"]["volume_similarity"] == 1.0 and values["empty prediction"]["volume_similarity"] == 0.0
    names = [m.name for m in tumorbench_registry.convention("brats-legacy").metrics]
    assert names.index("volume_similarity") == names.index("hd95") + 1
    assert volume_similarity(np.ones(3, bool), np.array([1, 0, 0], bool)) == pytest.approx(1 - 2 / 4)


def test_postprocessor_with_options(tumorbench_registry, tumorbench_case) -> None:
    spec = tumorbench_registry.postprocessors.get("keep-largest")
    wt = tumorbench_case.convention.region_mask(tumorbench_case.label.data, "WT").astype(np.float32)
    speck = np.zeros_like(wt)
    speck[1, 1, 1] = 1.0
    member = Prediction(regions=("WT",), probabilities={"WT": np.maximum(wt, speck)})
    out = check_postprocessor(spec, member, tumorbench_case)
    assert out.labels[1, 1, 1] == 0 and (out.labels > 0).sum() == wt.sum()
    none_kept = check_postprocessor(spec, member, tumorbench_case, {"min_voxels": str(int(wt.sum()) + 1)})
    assert not none_kept.labels.any()


def test_combiner(tumorbench_registry, tumorbench_case) -> None:
    wt = tumorbench_case.convention.region_mask(tumorbench_case.label.data, "WT").astype(np.float32)
    members = [Prediction(regions=("WT",), probabilities={"WT": np.roll(wt, s, axis=0)}) for s in (0, 2)]
    out = check_combiner(tumorbench_registry.combiners.get("max"), members)
    assert np.array_equal(out.probabilities["WT"], np.maximum(members[0].probabilities["WT"], members[1].probabilities["WT"]))


def test_command(tumorbench_registry, tumorbench_case) -> None:
    from typer.testing import CliRunner

    app = tumorbench_registry.commands.get("otsu").app
    result = CliRunner().invoke(app, ["threshold", str(tumorbench_case.images["flair"].path)])
    assert result.exit_code == 0, result.output
    assert "cut" in result.output and "of brain voxels above" in result.output
