"""Predictions and scores kept apart: re-scoring loads no model, and a changed prediction file,
ground truth or checkpoint is noticed; a store written by tumorbench 0.1 is migrated."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import medpy.metric.binary as mb
import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from helpers.rendering import run_and_render, score_and_render
from typer.testing import CliRunner

from tumorbench import hookimpl
from tumorbench.api import get_convention
from tumorbench.cli import build_app
from tumorbench.contract.specs import MetricConventionSpec, MetricDef, ModelSpec
from tumorbench.contract.values import Prediction
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.results.results_store import SCHEMA_VERSION, open_store
from tumorbench.run.options import RunOptions

MODEL = "intensity-baseline"


@pytest.fixture()
def data(tmp_path: Path, synthetic_root: Path) -> Path:
    """A private copy of the phantoms (tests here change files in it)."""
    return Path(shutil.copytree(synthetic_root, tmp_path / "data"))


@pytest.fixture()
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every model load (each ``ModelSpec.load`` call is given its context by ``resolve._context``,
    whether the run loads folds one by one or ``bench score`` reads a folder); the real loader runs."""
    import tumorbench.prediction.references as resolve

    calls: list[str] = []
    real = resolve._context

    def counting(base, params, arg, fold, spec=None):
        calls.append(spec.name if spec is not None else "?")
        return real(base, params, arg, fold, spec)

    monkeypatch.setattr(resolve, "_context", counting)
    return calls


def _options(out: Path, root: Path, **kw) -> RunOptions:
    return RunOptions(models=(MODEL,), datasets=("brats18",), out=out, data_roots={"brats18": root}, **kw)


def _csv(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "metrics.csv")


def _dice_of_files(pred: Path, seg: Path, region: str = "WT") -> float:
    convention = get_convention("brats-2017")
    p = convention.region_mask(np.asarray(nib.load(str(pred)).dataobj), region)
    g = convention.region_mask(np.asarray(nib.load(str(seg)).dataobj), region)
    return float(mb.dc(p, g))


def test_bench_score_and_another_convention_rescore_without_loading_a_model(tmp_path, data, loads):
    out = tmp_path / "run"
    run_and_render(_options(out, data))
    assert loads == [MODEL]
    summary = score_and_render(out, conventions=["brats-2023"], units="voxel", data_roots={})
    assert loads == [MODEL]  # no model was loaded to score again
    assert (summary.ok, summary.rescored, summary.failed) == (4, 4, 0)
    csv = _csv(out)
    assert set(zip(csv.metric_convention, csv.units)) == {("brats-legacy", "mm"), ("qu-brats", "mm"), ("brats-2023", "voxel")}
    # the new scores are those of the written files
    pred_dir = out / "predictions" / MODEL / "brats18"
    for seg in data.rglob("*_seg.nii.gz"):
        case = seg.parent.name
        row = csv[(csv.case == case) & (csv.metric_convention == "brats-2023") & (csv.metric == "dice") & (csv.region == "WT")]
        assert row.value.item() == pytest.approx(_dice_of_files(pred_dir / f"{case}.nii.gz", seg), abs=1e-12)
    # bench run with another convention re-scores the stored predictions too
    again = run_and_render(_options(out, data, metric_conventions=("qu-brats-5",)))
    assert loads == [MODEL]
    assert (again.rescored, again.skipped) == (4, 0)
    assert again.redone == {"scored again: not scored under this convention and unit yet": 4}
    assert run_and_render(_options(out, data)).skipped == 4 and loads == [MODEL]


def test_a_changed_prediction_file_is_predicted_and_scored_again(tmp_path, data, loads):
    out = tmp_path / "run"
    run_and_render(_options(out, data))
    pred_dir = out / "predictions" / MODEL / "brats18"
    first, second = sorted(p.name for p in data.glob("*GG/*"))[:2]
    shutil.copy(pred_dir / f"{second}.nii.gz", pred_dir / f"{first}.nii.gz")  # someone overwrote a prediction
    again = run_and_render(_options(out, data))
    assert (again.ok, again.skipped) == (1, 3)
    assert again.redone == {"predicted again: prediction file changed": 1}
    seg = next(data.glob(f"*GG/{first}/{first}_seg.nii.gz"))
    row = _csv(out).query("case == @first and metric == 'dice' and region == 'WT' and metric_convention == 'brats-legacy'")
    assert row.value.item() == pytest.approx(_dice_of_files(pred_dir / f"{first}.nii.gz", seg), abs=1e-12)


def test_evaluate_notices_a_replaced_prediction(tmp_path, data):
    """The issue's check: evaluate a folder, replace one prediction by its ground truth, evaluate again."""
    preds = tmp_path / "team"
    preds.mkdir()
    segs = sorted(data.rglob("*_seg.nii.gz"))
    for seg in segs:
        labels = nib.load(str(seg))
        shifted = np.roll(np.asarray(labels.dataobj), 2, axis=0).astype(np.uint8)
        nib.save(nib.Nifti1Image(shifted, labels.affine), str(preds / seg.name.replace("_seg", "")))
    args = ["evaluate", str(preds), "-d", "brats18", "--data-root", str(data), "--out", str(tmp_path / "ev")]
    assert CliRunner().invoke(build_app(), args).exit_code == 0
    case = segs[0].parent.name
    before = _csv(tmp_path / "ev").query("case == @case and metric == 'dice' and region == 'WT'").value.item()
    assert before < 0.99
    shutil.copy(segs[0], preds / f"{case}.nii.gz")
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert "predicted again: prediction file changed: 1 case(s)" in result.output
    after = _csv(tmp_path / "ev").query("case == @case and metric == 'dice' and region == 'WT'").value.item()
    assert after == 1.0


def test_a_changed_ground_truth_is_scored_again_without_predicting(tmp_path, data, loads):
    out = tmp_path / "run"
    run_and_render(_options(out, data))
    case_dir = sorted(data.glob("*GG/*"))[0]
    seg_path = case_dir / f"{case_dir.name}_seg.nii.gz"
    seg = nib.load(str(seg_path))
    labels = np.asarray(seg.dataobj).copy()
    labels[labels == 4] = 1  # the annotators relabelled the enhancing tumour
    nib.save(nib.Nifti1Image(labels, seg.affine, seg.header), str(seg_path))
    again = run_and_render(_options(out, data))
    assert loads == [MODEL]  # scored from the stored files: no model loaded
    assert again.rescored == 1 and again.skipped == 3
    assert again.redone == {"scored again: ground truth changed since it was scored": 1}
    row = _csv(out).query("case == @case_dir.name and metric == 'dice' and region == 'ET' and metric_convention == 'brats-legacy'")
    pred = out / "predictions" / MODEL / "brats18" / f"{case_dir.name}.nii.gz"
    assert row.value.item() == pytest.approx(_dice_of_files(pred, seg_path, "ET"), abs=1e-12)


def test_a_changed_checkpoint_is_predicted_again(tmp_path, data):
    store = tmp_path / "models"
    result = CliRunner().invoke(build_app(), ["train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(data), "--store", str(store), "--folds", "2"])
    assert result.exit_code == 0, result.output
    options = RunOptions(models=("intensity-fitted",), datasets=("brats18",), out=tmp_path / "run", data_roots={"brats18": data}, model_store=store)
    first = run_and_render(options)
    assert (first.ok, first.excluded) == (2, 2)  # fold 0 of 2 trained on the other two cases: never scored
    checkpoint = next((store / "intensity-fitted" / "brats18").rglob("checkpoint.json"))
    params = json.loads(checkpoint.read_text())
    checkpoint.write_text(json.dumps(params, indent=4))  # same values, other bytes: still a different file
    again = run_and_render(options)
    assert (again.ok, again.excluded) == (2, 2)
    assert again.redone == {"predicted again: model changed (checkpoint, options or plugin version)": 2}
    assert run_and_render(options).skipped == 2


OLD_SCHEMA = """
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, finished REAL, provenance TEXT NOT NULL);
CREATE TABLE evaluations (
    model TEXT NOT NULL, dataset TEXT NOT NULL, case_id TEXT NOT NULL, metric_convention TEXT NOT NULL, units TEXT NOT NULL,
    label_convention TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'predicted')), reason TEXT,
    seconds REAL, prediction TEXT, run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (model, dataset, case_id, metric_convention, units));
CREATE TABLE metrics (
    model TEXT NOT NULL, dataset TEXT NOT NULL, case_id TEXT NOT NULL, metric_convention TEXT NOT NULL, units TEXT NOT NULL,
    region TEXT NOT NULL, metric TEXT NOT NULL, convention TEXT NOT NULL, value REAL,
    PRIMARY KEY (model, dataset, case_id, metric_convention, units, region, convention, metric));
"""


def test_a_store_written_by_tumorbench_0_1_is_migrated(tmp_path, data, loads):
    out = tmp_path / "old"
    out.mkdir()
    path = out / "results.sqlite"
    with sqlite3.connect(path) as db:  # what tumorbench 0.1 wrote: one evaluation per convention key
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO runs VALUES (1, 0, 1, ?)", (json.dumps({"command": "bench run -m intensity-baseline"}),))
        ids = sorted(p.name for p in data.glob("*GG/*"))
        db.execute("INSERT INTO evaluations VALUES (?,?,?,?,?,?,?,?,?,?,?)", (MODEL, "brats18", ids[0], "brats-legacy", "mm", "brats-2017", "ok", None, 1.0, None, 1))
        db.execute("INSERT INTO evaluations VALUES (?,?,?,?,?,?,?,?,?,?,?)", (MODEL, "brats18", ids[1], "brats-legacy", "mm", "brats-2017", "failed", "boom", 1.0, None, 1))
        rows = [(MODEL, "brats18", ids[0], "brats-legacy", "mm", "WT", "dice", "brats-legacy", 0.75),
                (MODEL, "brats18", ids[0], "brats-legacy", "mm", "WT", "dauc", "qu-brats", 0.5),
                (MODEL, "brats18", ids[1], "brats-legacy", "mm", "WT", "dice", "brats-legacy", 0.0)]
        db.executemany("INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?)", rows)
    store = open_store(out)
    assert store.migrated_from == 0
    assert (out / "results.v0.sqlite").is_file()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    frame = store.metrics()
    got = {(r.case_id, r.metric_convention, r.metric): (r.value, r.metric_status) for r in frame.itertuples()}
    assert got == {(ids[0], "brats-legacy", "dice"): (0.75, "ok"), (ids[0], "qu-brats", "dauc"): (0.5, "ok"),
                   (ids[1], "brats-legacy", "dice"): (0.0, "case-failed")}
    assert {p.case_id: p.status for p in store.predictions()} == {ids[0]: "ok", ids[1]: "failed"}
    store.close()
    # the migrated predictions carry no hashes: the next run predicts them again and says why
    summary = run_and_render(_options(out, data))
    assert summary.redone["predicted again: model identity unknown (store migrated from an older schema)"] == 1
    assert summary.redone["predicted again: failed before"] == 1 and summary.ok == 4


def _bad_plugin():
    """A third-party plugin with a model that paints an unknown label and a metric that fails."""

    class Painter:
        def predict(self, case):
            labels = np.zeros(case.shape, np.uint8)
            labels[case.label.data > 0] = 3  # 3 is not a brats-2017 label
            return Prediction(regions=("WT", "TC", "ET"), labels=labels)

    def broken(m):
        if m.region == "ET":
            raise ZeroDivisionError("division by zero")
        return {"nan_metric": float("nan"), "fine": 1.0}

    class Plugin:
        @hookimpl
        def tumorbench_models(self):
            return [ModelSpec(name="painter", summary="paints label 3", load=lambda ctx: Painter())]

        @hookimpl
        def tumorbench_metric_conventions(self):
            defs = tuple(
                MetricDef(name=n, summary=n, higher_is_better=True, worst=lambda shape: 0.0, group="Extra", order=90 + i)
                for i, n in enumerate(("nan_metric", "fine"))
            )
            return [MetricConventionSpec(name="flaky", summary="fails", metrics=defs, compute=broken, extends="brats-legacy")]

    return Plugin()


def test_unknown_predicted_labels_fail_the_case_and_failed_metrics_are_counted(tmp_path, data):
    registry = Registry(get_plugin_manager(entry_points=False, extra=[_bad_plugin()]))
    out = tmp_path / "run"
    summary = run_and_render(RunOptions(models=("painter", MODEL), datasets=("brats18",), out=out, data_roots={"brats18": data}), registry=registry)
    assert summary.failed == 4
    assert {f[0] for f in summary.failures} == {"painter"}
    assert all(f[3] == f"predict: labels of case {f[2]}: label value(s) [3] not in convention brats-2017 (knows 0,1,2,4)"
               for f in summary.failures), summary.failures[0]
    csv = _csv(out)
    extra = csv[(csv.model == MODEL) & csv.metric.isin(["nan_metric", "fine"])]
    assert set(extra[extra.metric == "nan_metric"].status) == {"failed"}
    assert set(extra[(extra.metric == "fine") & (extra.region != "ET")].status) == {"ok"}
    assert set(extra[(extra.metric == "fine") & (extra.region == "ET")].status) == {"failed"}
    # the convention's own metrics all survive
    assert set(csv[(csv.model == MODEL) & (csv.metric == "dice")].status) == {"ok"}
    text = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert "#### Extra (brats-legacy)" in text
    assert "0.000 ± 0.000 (0.000) \\[4 failed\\]" in text  # nan_metric: every case failed, scored worst-case
    assert "flaky raised ZeroDivisionError: division by zero" in text
    assert "flaky returned nan for nan\\_metric" in text  # Markdown-escaped


def test_evaluate_reads_only_the_label_map_and_the_brain_mask_source(tmp_path, data):
    """A defect in an image evaluate never uses does not fail the case; T1 is read only for uncertainty maps."""
    preds = tmp_path / "team"
    preds.mkdir()
    segs = sorted(data.rglob("*_seg.nii.gz"))
    for seg in segs:
        (preds / seg.name.replace("_seg", "")).write_bytes(seg.read_bytes())
        (seg.parent / f"{seg.parent.name}_flair.nii.gz").write_bytes(b"not a nifti")  # never read by evaluate
    args = ["evaluate", str(preds), "-d", "brats18", "--data-root", str(data)]
    result = CliRunner().invoke(build_app(), [*args, "--out", str(tmp_path / "ev")])
    assert result.exit_code == 0, result.output
    # with an uncertainty map, the brain mask (T1 > 0) is needed: a broken T1 fails the QU metrics only
    first = segs[0].parent.name
    unc = nib.load(str(segs[0]))
    nib.save(nib.Nifti1Image(np.full(unc.shape, 10, np.uint8), unc.affine), str(preds / f"{first}_unc_whole.nii.gz"))
    t1 = segs[0].parent / f"{first}_t1.nii.gz"
    t1.write_bytes(b"broken")
    result = CliRunner().invoke(build_app(), [*args, "--out", str(tmp_path / "ev2")])
    assert result.exit_code == 0, result.output
    csv = _csv(tmp_path / "ev2")
    qu = csv[(csv.case == first) & (csv.metric_convention == "qu-brats")]
    assert set(qu.region) == {"WT"} and set(qu.status) == {"failed"}
    assert set(csv[(csv.case == first) & (csv.metric_convention == "brats-legacy")].status) == {"ok"}
    store = open_store(tmp_path / "ev2")
    reasons = set(store.metrics().query("metric_convention == 'qu-brats'").metric_reason)
    store.close()
    assert len(reasons) == 1 and reasons.pop().startswith(f"{t1}: ")


def test_evaluate_scores_uncertainty_maps_added_after_the_first_evaluation(tmp_path, data):
    """A folder evaluated without uncertainty maps, then given them: the rerun reads the cases
    again and scores them under qu-brats, saying why."""
    preds = tmp_path / "team"
    preds.mkdir()
    segs = sorted(data.rglob("*_seg.nii.gz"))
    for seg in segs:
        nib.save(nib.load(str(seg)), str(preds / seg.name.replace("_seg", "")))
    args = ["evaluate", str(preds), "-d", "brats18", "--data-root", str(data), "--out", str(tmp_path / "ev")]
    assert CliRunner().invoke(build_app(), args).exit_code == 0
    assert "qu-brats" not in set(_csv(tmp_path / "ev").metric_convention)
    case = segs[0].parent.name
    label = nib.load(str(segs[0]))
    nib.save(nib.Nifti1Image(np.zeros(label.shape, np.uint8), label.affine), str(preds / f"{case}_unc_whole.nii.gz"))
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert "predicted again: uncertainty map added beside the prediction: 1 case(s)" in result.output
    qu = _csv(tmp_path / "ev").query("metric_convention == 'qu-brats'")
    assert set(qu.case) == {case} and set(qu.region) == {"WT"}


def test_a_folder_typed_from_two_working_directories_is_two_models(tmp_path, data, monkeypatch):
    """The identity holds the resolved folder, never the text typed: ``folder:preds`` from another
    working directory names other files, and the run reads them instead of keeping the first scores."""
    for name, shift in (("a", 0), ("b", 3)):
        preds = tmp_path / name / "preds"
        preds.mkdir(parents=True)
        for seg in sorted(data.rglob("*_seg.nii.gz")):
            labels = nib.load(str(seg))
            nib.save(nib.Nifti1Image(np.roll(np.asarray(labels.dataobj), shift, axis=0).astype(np.uint8), labels.affine),
                     str(preds / seg.name.replace("_seg", "")))
    out = tmp_path / "run"
    args = ["run", "-m", "folder:preds", "-d", "brats18", "--data-root", str(data), "--out", str(out),
            "--metric-convention", "brats-legacy"]
    monkeypatch.chdir(tmp_path / "a")
    assert CliRunner().invoke(build_app(), args).exit_code == 0
    first = _csv(out).query("metric == 'dice' and region == 'WT'").value
    assert (first == 1.0).all()
    monkeypatch.chdir(tmp_path / "b")
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0 and "predicted again: model changed" in result.output, result.output
    assert (_csv(out).query("metric == 'dice' and region == 'WT'").value < 1.0).all()


def test_a_folder_without_uncertainty_maps_is_not_ranked_under_qu_brats_on_its_failures_alone(tmp_path, data):
    """One case of the folder is missing, so it fails and gets worst-case rows under every default
    convention, qu-brats included; no other case has uncertainty maps. A QU-BraTS table built from
    that failure alone ranked the folder first ("Rank 1, 1 case, 1 failed"): it is left out, and the page says why."""
    preds = tmp_path / "team"
    preds.mkdir()
    segs = sorted(data.rglob("*_seg.nii.gz"))
    for seg in segs[1:]:
        nib.save(nib.load(str(seg)), str(preds / seg.name.replace("_seg", "")))
    args = ["evaluate", str(preds), "-d", "brats18", "--data-root", str(data), "--out", str(tmp_path / "ev")]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 1, result.output  # one case failed
    page = (tmp_path / "ev" / "leaderboard.md").read_text(encoding="utf-8")
    line = next(line for line in page.splitlines() if line.startswith("Not ranked under qu-brats: "))
    assert "team: no case could be scored under it" in line
    assert "### qu-brats" not in page
    assert "### brats-legacy: models predicting WT, TC, ET" in page
