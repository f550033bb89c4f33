"""``bench run --postprocess P`` on a run folder that already holds the same model's predictions
post-processes the stored files (no model is loaded) when P reads no probabilities and the stored
prediction's model identity matches; the result equals post-processing a fresh prediction."""

from __future__ import annotations

import types
from dataclasses import replace
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from helpers.rendering import run_and_render

from tumorbench.api import Case, PostprocessorSpec, Prediction, hookimpl
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.run.options import RunOptions

MODEL = "intensity-baseline"


def unsure_enhancing_to_core(prediction: Prediction, case: Case) -> Prediction:
    """Enhancing voxels whose ET uncertainty is 20 or more become the core (necrosis) label:
    labels and uncertainty only, as a stored prediction has them."""
    labels = np.asarray(prediction.labels).copy()
    et = case.convention.region_mask(labels, "ET")
    unsure = et & (np.asarray(prediction.uncertainty["ET"]) >= 20)
    labels[unsure] = dict(case.convention.paint_order)["TC"]
    return replace(prediction, labels=labels)


def reads_probabilities(prediction: Prediction, case: Case) -> Prediction:
    return prediction


def keep_whole_tumour_only(prediction: Prediction, case: Case) -> Prediction:
    labels = np.asarray(prediction.labels)
    edema = dict(case.convention.paint_order)["WT"]
    return replace(prediction, labels=np.where(labels > 0, edema, 0).astype(np.uint8))


@hookimpl
def tumorbench_postprocessors():  # noqa: ANN201
    return [
        PostprocessorSpec(name="unsure-et", summary="unsure enhancing voxels become core",
                          apply=unsure_enhancing_to_core, needs_probabilities=False),
        PostprocessorSpec(name="needs-p", summary="declares nothing: may read probabilities", apply=reads_probabilities),
        PostprocessorSpec(name="wt-only", summary="every tumour voxel becomes edema", apply=keep_whole_tumour_only),
    ]


@pytest.fixture()
def registry() -> Registry:
    module = types.ModuleType("stored_postprocessors")
    module.tumorbench_postprocessors = tumorbench_postprocessors
    return Registry(get_plugin_manager(entry_points=False, extra=[module]))


@pytest.fixture()
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every model load (each ``ModelSpec.load`` gets its context from ``references._context``)."""
    import tumorbench.prediction.references as references

    calls: list[str] = []
    real = references._context

    def counting(base, params, arg, fold, spec=None):  # noqa: ANN001, ANN202
        calls.append(spec.name if spec is not None else "?")
        return real(base, params, arg, fold, spec)

    monkeypatch.setattr(references, "_context", counting)
    return calls


def _options(out: Path, root: Path, **kw) -> RunOptions:  # noqa: ANN003
    return RunOptions(models=(MODEL,), datasets=("brats18",), out=out, data_roots={"brats18": root}, **kw)


def _arrays(folder: Path) -> dict[str, np.ndarray]:
    return {p.name: np.asarray(nib.load(str(p)).dataobj) for p in sorted(folder.glob("*.nii.gz"))}


def test_stored_predictions_are_post_processed_without_loading_the_model(tmp_path, synthetic_root, registry, loads):
    out = tmp_path / "R"
    run_and_render(_options(out, synthetic_root), registry)
    assert loads == [MODEL]
    summary = run_and_render(_options(out, synthetic_root, postprocess=("unsure-et",)), registry)
    assert loads == [MODEL]  # no model was loaded: the stored files were post-processed
    assert (summary.ok, summary.failed) == (4, 0)
    assert summary.redone == {f"post-processed the stored predictions of {MODEL} (no model loaded)": 4}

    fresh = tmp_path / "fresh"  # the same, predicting afresh
    run_and_render(_options(fresh, synthetic_root, postprocess=("unsure-et",)), registry)
    assert loads == [MODEL, MODEL]
    name = f"{MODEL}+unsure-et"
    reused, predicted = _arrays(out / "predictions" / name / "brats18"), _arrays(fresh / "predictions" / name / "brats18")
    assert sorted(reused) == sorted(predicted) and len(reused) == 4 * 4  # labels and three uncertainty maps
    for file, array in predicted.items():
        np.testing.assert_array_equal(reused[file], array)
    raw = _arrays(out / "predictions" / MODEL / "brats18")
    changed = sum(int((raw[f] != reused[f]).sum()) for f in raw if "_unc_" not in f)
    assert changed > 0  # the post-processor did change labels, so the equality above says something
    a, b = pd.read_csv(out / "metrics.csv"), pd.read_csv(fresh / "metrics.csv")
    a, b = (f[f.model == name].sort_values(["case", "metric_convention", "region", "metric"]).reset_index(drop=True)
            for f in (a, b))
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b)
    # a rerun finds it done
    assert run_and_render(_options(out, synthetic_root, postprocess=("unsure-et",)), registry).skipped == 4
    assert loads == [MODEL, MODEL]


def test_a_post_processor_that_may_read_probabilities_predicts_again(tmp_path, synthetic_root, registry, loads):
    out = tmp_path / "R"
    run_and_render(_options(out, synthetic_root), registry)
    summary = run_and_render(_options(out, synthetic_root, postprocess=("needs-p",)), registry)
    assert loads == [MODEL, MODEL] and summary.redone == {} and summary.ok == 4


def test_another_model_identity_predicts_again(tmp_path, synthetic_root, registry, loads):
    out = tmp_path / "R"
    run_and_render(_options(out, synthetic_root), registry)
    options = _options(out, synthetic_root, postprocess=("unsure-et",), model_params={"wt": "1.5"})
    summary = run_and_render(options, registry)  # other options: the stored prediction is another model's
    assert loads == [MODEL, MODEL] and summary.redone == {} and summary.ok == 4


def test_a_post_processed_folder_prediction_is_recorded_as_written(tmp_path, synthetic_root, registry):
    """A model that reads its predictions from files (folder:) names them as its sources; after a
    post-processor the record names the post-processed files the run wrote, so scoring them again
    gives the scores the run gave."""
    from tumorbench.results.results_store import open_store
    from tumorbench.run.rescore import score_run

    raw = tmp_path / "R"
    run_and_render(_options(raw, synthetic_root), registry)
    folder = raw / "predictions" / MODEL / "brats18"
    out = tmp_path / "F"
    options = replace(_options(out, synthetic_root, postprocess=("wt-only",)), models=(f"folder:{folder}",))
    assert run_and_render(options, registry).ok == 4
    store = open_store(out, create=False)
    try:
        records = store.predictions()
    finally:
        store.close()
    assert all(not Path(f).is_absolute() for r in records for f in r.files)  # written into the run folder
    score_run(out, conventions=["brats-2023"], units="mm", data_roots={}, registry=registry)
    store = open_store(out, create=False)
    try:
        metrics = store.metrics()
    finally:
        store.close()
    dice = metrics[(metrics.metric == "dice") & (metrics.region == "ET")]
    legacy = dice[dice.metric_convention == "brats-legacy"].set_index("case_id").value
    again = dice[dice.metric_convention == "brats-2023"].set_index("case_id").value
    assert len(legacy) == len(again) == 4
    assert (legacy == 0).all() and (again == 0).all()  # wt-only empties ET; every phantom has enhancing tumour
