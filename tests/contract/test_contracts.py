"""Every built-in spec passes the contract checks of ``tumorbench.testing`` (the pytest plugin a
plugin author uses), and the checks catch the faults they are for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tumorbench.contract.specs import MetricDef
from tumorbench.contract.values import DatasetOptions, Prediction
from tumorbench.errors import BenchError
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.prediction.finalize import finalize
from tumorbench.testing import (
    ContractError,
    SyntheticSource,
    check_combiner,
    check_dataset,
    check_metric_convention,
    check_model,
    check_model_spec,
    check_postprocessor,
    check_prediction,
    check_untrained,
)

REGISTRY = Registry(get_plugin_manager(entry_points=False))

# tiny options: each model trains in a second or two on the 40x36x28 synthetic cases
SHEN_TINY = {"width": "0.25", "epochs": "1", "steps": "1", "batch": "2", "val_cases": "0", "tile": "9", "crop": "48,48,32"}
TUNET_TINY = {"width": "2", "depth": "2", "grid": "none", "patch": "16,16,16", "batch": "1", "max_epochs": "1", "steps": "1"}


def test_the_pytest_plugin_gives_a_case_on_a_real_grid(tumorbench_case, tumorbench_source: SyntheticSource) -> None:
    case = tumorbench_case
    assert case.shape == (40, 36, 28)
    assert case.reference.spacing == pytest.approx((1.0, 1.2, 1.5))
    assert case.reference.affine[0, 0] == pytest.approx(-1.0)  # x flipped, as scanners write it
    assert Path(case.label.path).is_file() and str(case.label.path).endswith("_seg.nii.gz")
    assert set(np.unique(case.label.data)) == {0, 1, 2, 4}
    assert len(tumorbench_source.case_ids()) == 4


def test_generated_datasets(tmp_path: Path) -> None:
    check_dataset(REGISTRY.datasets.get("synthetic"), DatasetOptions(root=tmp_path, params={"cases": "2", "size": "24,24,20"}))


FOLDER_DATASETS = [name for name in REGISTRY.datasets if REGISTRY.datasets.get(name).needs_root]


@pytest.mark.parametrize("name", FOLDER_DATASETS)
def test_every_folder_dataset(name: str, tmp_path: Path) -> None:
    """Each layout, written by the synthetic generator (nnU-Net's raw layout: by its test helper),
    read back by its dataset plugin."""
    from tumorbench_plugins.datasets.synthetic import generate

    if name == "nnunet-raw":
        from helpers.nnunet import make_raw_dataset

        root = make_raw_dataset(tmp_path, cases=2, test_cases=0)
    else:
        root = generate(tmp_path / name, {"cases": 2, "size": (24, 24, 20), "seed": 1, "layout": name})
    source = check_dataset(REGISTRY.datasets.get(name), DatasetOptions(root=root))
    assert len(source.case_ids()) == 2


def test_every_dataset_is_covered() -> None:
    assert set(FOLDER_DATASETS) | {"synthetic"} == set(REGISTRY.datasets)
    assert len(FOLDER_DATASETS) >= 8


@pytest.mark.parametrize("name", list(REGISTRY.models))
def test_every_model_spec(name: str) -> None:
    check_model_spec(REGISTRY.models.get(name))


NUMPY_TRAINABLE = [n for n in REGISTRY.models if REGISTRY.models.get(n).train and REGISTRY.models.get(n).framework == "numpy"]
TORCH_TRAINABLE = [n for n in REGISTRY.models if REGISTRY.models.get(n).train and REGISTRY.models.get(n).framework == "torch"]
KERAS_TRAINABLE = [n for n in REGISTRY.models if REGISTRY.models.get(n).train and REGISTRY.models.get(n).framework == "keras"]


@pytest.mark.parametrize("name", NUMPY_TRAINABLE)
def test_untrained_numpy_models_refuse_with_the_train_command(name: str, tumorbench_case, tumorbench_store: Path) -> None:
    check_untrained(REGISTRY.models.get(name), tumorbench_case, tumorbench_store)


@pytest.mark.torch
@pytest.mark.parametrize("name", TORCH_TRAINABLE)
def test_untrained_torch_models_refuse_with_the_train_command(name: str, tumorbench_case, tumorbench_store: Path) -> None:
    pytest.importorskip("torch")
    check_untrained(REGISTRY.models.get(name), tumorbench_case, tumorbench_store)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", KERAS_TRAINABLE)
def test_untrained_keras_models_refuse_with_the_train_command(name: str, tumorbench_case, tumorbench_store: Path) -> None:
    pytest.importorskip("keras")
    check_untrained(REGISTRY.models.get(name), tumorbench_case, tumorbench_store)


def test_every_metric_convention() -> None:
    for spec in REGISTRY.metrics.specs():
        values = check_metric_convention(spec, registry=REGISTRY)
        assert set(values["perfect"]) == {m.name for m in spec.metrics}
    legacy = check_metric_convention(REGISTRY.metrics.get("brats-legacy"))
    assert legacy["perfect"]["dice"] == 1.0 and legacy["disjoint"]["dice"] == 0.0


def test_numpy_models(tumorbench_case, tumorbench_source, tumorbench_store: Path) -> None:
    baseline = check_model(REGISTRY.models.get("intensity-baseline"), tumorbench_case, tumorbench_store)
    assert baseline.labels.shape == tumorbench_case.shape
    check_model(REGISTRY.models.get("intensity-fitted"), tumorbench_case, tumorbench_store, source=tumorbench_source)
    assert (tumorbench_store / "intensity-fitted" / "tumorbench-testing" / "fold-0" / "checkpoint.json").is_file()


def test_folder_model_reads_what_it_is_given(tumorbench_case, tmp_path: Path) -> None:
    from tumorbench.io.nifti import save_volume

    save_volume(tmp_path / f"{tumorbench_case.case_id}.nii.gz", tumorbench_case.label.data, tumorbench_case.reference.affine)
    out = check_model(REGISTRY.models.get("folder"), tumorbench_case, tmp_path / "store", params={"arg": str(tmp_path)})
    assert np.array_equal(out.labels, tumorbench_case.label.data)


@pytest.mark.torch
@pytest.mark.slow
@pytest.mark.parametrize("name", ["fcn", "fifcn-dice"])
def test_shen_models(name: str, tumorbench_case, tumorbench_source, tumorbench_store: Path) -> None:
    pytest.importorskip("torch")
    check_model(REGISTRY.models.get(name), tumorbench_case, tumorbench_store, params=SHEN_TINY, source=tumorbench_source)


@pytest.mark.tensorflow
@pytest.mark.slow
def test_tunet_model(tumorbench_case, tumorbench_source, tumorbench_store: Path) -> None:
    pytest.importorskip("keras")
    check_model(REGISTRY.models.get("tunet-seb"), tumorbench_case, tumorbench_store, params=TUNET_TINY,
                source=tumorbench_source, deterministic_training=False)


def _member(case, shift: int) -> Prediction:
    masks = case.convention.to_regions(case.label.data)
    return Prediction(regions=("WT", "TC", "ET"),
                      probabilities={r: np.roll(m, shift, axis=0).astype(np.float32) * 0.9 for r, m in masks.items()})


def test_postprocessors(tumorbench_case) -> None:
    for spec in REGISTRY.postprocessors.specs():
        check_postprocessor(spec, _member(tumorbench_case, 1), tumorbench_case)
    # with options: no enhancing tumour survives a threshold above the case's enhancing volume
    spec = REGISTRY.postprocessors.get("tunet-postprocess")
    out = check_postprocessor(spec, _member(tumorbench_case, 0), tumorbench_case, {"et_min_voxels": "100000"})
    assert not tumorbench_case.convention.region_mask(out.labels, "ET").any()


def test_combiners(tumorbench_case) -> None:
    members = [_member(tumorbench_case, s) for s in (0, 1, 2)]
    for spec in REGISTRY.combiners.specs():
        check_combiner(spec, members)
    weighted = check_combiner(REGISTRY.combiners.get("weighted-mean"), members, {"weights": "3,1,0"})
    expected = (3 * members[0].probabilities["WT"] + members[1].probabilities["WT"]) / 4
    np.testing.assert_allclose(weighted.probabilities["WT"], expected, rtol=1e-6)


def test_staple_agrees_with_simpleitk_on_disagreeing_members(tumorbench_case) -> None:
    sitk = pytest.importorskip("SimpleITK")
    members = [_member(tumorbench_case, s) for s in (0, 1, 3)]
    out = check_combiner(REGISTRY.combiners.get("staple"), members)
    images = [sitk.GetImageFromArray((m.probabilities["WT"] >= 0.5).astype(np.uint8)) for m in members]
    reference = sitk.GetArrayFromImage(sitk.STAPLEImageFilter().Execute(images))
    np.testing.assert_allclose(out.probabilities["WT"], reference, atol=1e-6)


# ------------------------------------------------------------------ the checks catch faults


def test_a_wrong_shape_or_range_is_caught(tumorbench_case) -> None:
    wrong = Prediction(regions=("WT",), probabilities={"WT": np.zeros((3, 3, 3), np.float32)})
    with pytest.raises(ContractError, match="shape"):
        check_prediction(wrong, tumorbench_case, ("WT",))
    over = Prediction(regions=("WT",), probabilities={"WT": np.full(tumorbench_case.shape, 1.5, np.float32)})
    with pytest.raises(ContractError, match=r"outside \[0, 1\]"):
        check_prediction(over, tumorbench_case, ("WT",))
    doubles = Prediction(regions=("WT",), probabilities={"WT": np.zeros(tumorbench_case.shape)})
    with pytest.raises(ContractError, match="float32"):
        check_prediction(doubles, tumorbench_case, ("WT",))


def test_a_wrong_direction_or_a_missing_metric_is_caught() -> None:
    legacy = REGISTRY.metrics.get("brats-legacy")
    flipped = replace(legacy, metrics=tuple(replace(m, higher_is_better=not m.higher_is_better) if m.name == "dice" else m
                                            for m in legacy.metrics))
    with pytest.raises(ContractError, match="dice"):
        check_metric_convention(flipped)
    extra = replace(legacy, metrics=(*legacy.metrics, MetricDef(name="volume", summary="", higher_is_better=True, worst=lambda s: 0.0)))
    with pytest.raises(ContractError, match="left out"):
        check_metric_convention(extra)


def test_a_post_processor_that_edits_its_input_is_caught(tumorbench_case) -> None:
    from tumorbench.contract.specs import PostprocessorSpec

    def clobber(prediction, case):
        prediction.labels[...] = 0
        return prediction

    with pytest.raises(ContractError, match="in place"):
        check_postprocessor(PostprocessorSpec(name="bad", summary="", apply=clobber), _member(tumorbench_case, 0), tumorbench_case)


def test_a_model_that_predicts_without_its_checkpoint_is_caught(tumorbench_case, tumorbench_source, tumorbench_store) -> None:
    fitted = REGISTRY.models.get("intensity-fitted")
    baseline = REGISTRY.models.get("intensity-baseline")
    lenient = replace(fitted, load=baseline.load)  # ignores the store
    with pytest.raises(ContractError, match="without a trained checkpoint"):
        check_model(lenient, tumorbench_case, tumorbench_store, source=tumorbench_source)


def test_finalized_output_is_what_the_runner_writes(tumorbench_case) -> None:
    member = _member(tumorbench_case, 0)
    assert np.array_equal(check_prediction(member, tumorbench_case, ("WT", "TC", "ET")).labels,
                          finalize(member, tumorbench_case.convention).labels)
    with pytest.raises(BenchError):
        check_combiner(REGISTRY.combiners.get("weighted-mean"), [member, member], {"weights": "1,2,3"})
