"""The matrix runner: outputs, provenance, resume, failed cases, inference-only sets."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from helpers.rendering import run_and_render

from tumorbench.api import get_convention
from tumorbench.run.options import RunOptions

MODEL = "intensity-baseline"


def _options(tmp_path: Path, root: Path, **kw) -> RunOptions:
    return RunOptions(models=(MODEL,), datasets=("brats18",), out=tmp_path / "run", data_roots={"brats18": root}, **kw)


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    total = a.sum() + b.sum()
    return 1.0 if total == 0 else 2.0 * (a & b).sum() / total


def test_run_writes_predictions_store_csv_and_leaderboard(tmp_path: Path, synthetic_root: Path) -> None:
    summary = run_and_render(_options(tmp_path, synthetic_root, command="bench run -m intensity-baseline"))
    out = tmp_path / "run"
    assert (summary.ok, summary.failed, summary.skipped) == (4, 0, 0)

    csv = pd.read_csv(out / "metrics.csv")
    assert list(csv.columns) == ["model", "dataset", "case", "metric_convention", "units", "region", "metric", "value", "status"]
    assert set(csv.metric_convention) == {"brats-legacy", "qu-brats"} and set(csv.units) == {"mm"} and set(csv.status) == {"ok"}
    assert set(csv.region) == {"WT", "TC", "ET"}
    assert {"dice", "hd95", "sensitivity", "specificity"} <= set(csv.metric)

    # each prediction lies on its case's grid, and the stored Dice is the Dice of the written file
    convention = get_convention("brats-2017")
    for case_dir in sorted(synthetic_root.glob("*GG/*")):
        seg = nib.load(str(case_dir / f"{case_dir.name}_seg.nii.gz"))
        pred = nib.load(str(out / "predictions" / MODEL / "brats18" / f"{case_dir.name}.nii.gz"))
        np.testing.assert_allclose(pred.affine, seg.affine)
        assert pred.shape == seg.shape
        for region in ("WT", "TC", "ET"):
            expected = _dice(convention.region_mask(np.asarray(pred.dataobj), region), convention.region_mask(np.asarray(seg.dataobj), region))
            row = csv[(csv.case == case_dir.name) & (csv.region == region) & (csv.metric == "dice") & (csv.metric_convention == "brats-legacy")]
            assert row.value.item() == pytest.approx(expected, abs=1e-9)
        unc = nib.load(str(out / "predictions" / MODEL / "brats18" / f"{case_dir.name}_unc_whole.nii.gz"))
        assert unc.get_data_dtype() == np.uint8 and 0 <= np.asarray(unc.dataobj).max() <= 100

    text = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert "| intensity-baseline | 4       | 0" in text
    # every table states its metric convention, distance units and label convention underneath
    assert text.count("#### ") == 3  # the three metric tables (one model: no paired tests)
    assert text.count("Metric convention: brats-legacy; distances in mm; label convention: brats-2017.") == 2
    assert "Metric convention: qu-brats; distances in mm; label convention: brats-2017." in text

    with sqlite3.connect(out / "results.sqlite") as db:
        provenance = json.loads(db.execute("SELECT provenance FROM runs").fetchone()[0])
    assert provenance["command"] == "bench run -m intensity-baseline"
    assert provenance["label_conventions"] == {"brats18": "brats-2017"}
    assert provenance["metric_conventions"] == ["brats-legacy", "qu-brats"]
    assert provenance["data_roots"] == {"brats18": str(synthetic_root)}
    assert provenance["plugins"]["model/intensity-baseline"].startswith("tumorbench ")
    assert provenance["case_lists"]["brats18"]["n"] == 4
    assert len(provenance["case_lists"]["brats18"]["sha256"]) == 64


def test_rerun_skips_what_is_done(tmp_path: Path, synthetic_root: Path) -> None:
    run_and_render(_options(tmp_path, synthetic_root))
    before = pd.read_csv(tmp_path / "run" / "metrics.csv")
    again = run_and_render(_options(tmp_path, synthetic_root))
    assert (again.ok, again.skipped) == (0, 4)
    pd.testing.assert_frame_equal(before, pd.read_csv(tmp_path / "run" / "metrics.csv"))


def test_bad_case_is_failed_worst_case_and_the_run_goes_on(tmp_path: Path, synthetic_root: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(synthetic_root, root)
    bad = sorted(root.glob("*GG/*"))[1]
    flair = bad / f"{bad.name}_flair.nii.gz"
    flair.write_bytes(gzip.compress(b"\0" * 4096)[:40])  # truncated gzip

    summary = run_and_render(_options(tmp_path, root))
    assert (summary.ok, summary.failed) == (3, 1)
    model, dataset, case, reason = summary.failures[0]
    assert case == bad.name
    assert reason.startswith(f"{flair}: ")

    csv = pd.read_csv(tmp_path / "run" / "metrics.csv")
    worst = csv[csv.case == bad.name]
    assert set(worst[worst.metric == "dice"].value) == {0.0}
    # the case could not be read: HD95 takes the diagonal of the dataset's other cases' grid (40x40x32)
    np.testing.assert_allclose(worst[worst.metric == "hd95"].value, np.sqrt(40**2 + 40**2 + 32**2))
    assert len(csv[csv.case != bad.name]) == 3 * 3 * (4 + 4)  # legacy metrics + QU-BraTS uncertainty metrics
    assert "Failed cases:" in (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8")

    # fixing the file and rerunning retries only the failed case
    shutil.copy(synthetic_root / bad.parent.name / bad.name / flair.name, flair)
    again = run_and_render(_options(tmp_path, root))
    assert (again.ok, again.skipped, again.failed) == (1, 3, 0)


def test_missing_checkpoint_fails_every_case_with_the_train_command(tmp_path: Path, synthetic_root: Path) -> None:
    options = RunOptions(
        models=("intensity-fitted",), datasets=("brats18",), out=tmp_path / "run",
        data_roots={"brats18": synthetic_root}, model_store=tmp_path / "store",
    )
    summary = run_and_render(options)
    assert summary.failed == 4
    assert {f[3] for f in summary.failures} == {
        f"load: no trained intensity-fitted on brats18 in {tmp_path / 'store'}; make one with: bench train --model "
        f"intensity-fitted --dataset brats18 --data-root {synthetic_root} --fold 0 --folds 4 --store {tmp_path / 'store'}"
        " (then --fold 1..3 as well, so that every case is held out by one fold)"
    }
    # every case failed: the leaderboard shows the worst-case scores, not blanks
    row = next(l for l in (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8").splitlines() if l.startswith("| intensity-fitted"))
    assert row.split("|")[2:5] == [" 4       ", " 4        ", " 0.000 ± 0.000 (0.000) "]


def test_inference_only_set_writes_predictions_without_metrics(tmp_path: Path, synthetic_root: Path) -> None:
    root = tmp_path / "validation"
    shutil.copytree(synthetic_root, root)
    for seg in root.rglob("*_seg.nii.gz"):
        seg.unlink()
    summary = run_and_render(_options(tmp_path, root))
    assert (summary.predicted, summary.ok, summary.failed) == (4, 0, 0)
    assert len(list((tmp_path / "run" / "predictions" / MODEL / "brats18").glob("*_1.nii.gz"))) == 4
    assert pd.read_csv(tmp_path / "run" / "metrics.csv").empty
    assert "the set has no ground truth" in (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8")


def test_adhoc_ensemble_and_voxel_units(tmp_path: Path, synthetic_root: Path) -> None:
    options = RunOptions(
        models=("mean(intensity-baseline,intensity-baseline)",), datasets=("brats18",), out=tmp_path / "run",
        data_roots={"brats18": synthetic_root}, units="voxel",
    )
    run_and_render(options)
    single = run_and_render(_options(tmp_path / "single", synthetic_root, units="voxel"))
    assert single.ok == 4
    a = pd.read_csv(tmp_path / "run" / "metrics.csv")
    b = pd.read_csv(tmp_path / "single" / "run" / "metrics.csv")
    # averaging a model with itself changes nothing
    np.testing.assert_allclose(a.sort_values(["case", "region", "metric"]).value.to_numpy(),
                               b.sort_values(["case", "region", "metric"]).value.to_numpy())
    assert set(a.model) == {"mean(intensity-baseline,intensity-baseline)"}


def test_a_plugin_that_calls_sys_exit_in_predict_fails_its_cases_and_the_run_goes_on(tmp_path: Path, synthetic_root: Path) -> None:
    import sys as _sys

    from tumorbench import hookimpl
    from tumorbench.contract.specs import ModelSpec
    from tumorbench.loading.manager import get_plugin_manager
    from tumorbench.loading.registry import Registry

    class Quitter:
        def predict(self, case):
            _sys.exit(3)

    class Plugin:
        @hookimpl
        def tumorbench_models(self):
            return [ModelSpec(name="quitter", summary="calls sys.exit", load=lambda ctx: Quitter())]

    registry = Registry(get_plugin_manager(entry_points=False, extra=[Plugin()]))
    summary = run_and_render(RunOptions(models=("quitter", MODEL), datasets=("brats18",), out=tmp_path / "run",
                             data_roots={"brats18": synthetic_root}), registry=registry)
    assert (summary.failed, summary.ok) == (4, 4)
    assert {f[3] for f in summary.failures} == {"predict: SystemExit: 3"}


def test_an_adhoc_ensemble_takes_members_named_with_an_argument(tmp_path: Path, synthetic_root: Path) -> None:
    """``mean(folder:A,folder:B)``: each member reads its own folder; A holds the ground truth, B
    nothing, so their mean is 0.5 inside the tumour and thresholds (>= 0.5) back to the truth."""
    truth, empty = tmp_path / "truth", tmp_path / "empty"
    truth.mkdir(), empty.mkdir()
    for case_dir in sorted(synthetic_root.glob("*GG/*")):
        seg = nib.load(str(case_dir / f"{case_dir.name}_seg.nii.gz"))
        nib.save(seg, str(truth / f"{case_dir.name}.nii.gz"))
        nib.save(nib.Nifti1Image(np.zeros(seg.shape, np.uint8), seg.affine), str(empty / f"{case_dir.name}.nii.gz"))
    model = f"mean(folder:{truth},folder:{empty})"
    options = RunOptions(models=(model,), datasets=("brats18",), out=tmp_path / "run", data_roots={"brats18": synthetic_root},
                         metric_conventions=("brats-legacy",))
    summary = run_and_render(options)
    assert (summary.ok, summary.failed) == (4, 0)
    csv = pd.read_csv(tmp_path / "run" / "metrics.csv")
    assert set(csv[csv.metric == "dice"].value) == {1.0}
    with sqlite3.connect(tmp_path / "run" / "results.sqlite") as db:
        identity = json.loads(db.execute("SELECT identity FROM predictions LIMIT 1").fetchone()[0])
    assert sorted(identity["members"]) == sorted([f"folder:{truth}", f"folder:{empty}"])
    assert {m["options"]["arg"] for m in identity["members"].values()} == {str(truth), str(empty)}
    # a member's file changes: the members' files are part of the ensemble's identity, so its cases are predicted again
    first = sorted(empty.glob("*.nii.gz"))[0]
    img = nib.load(str(first))
    nib.save(nib.Nifti1Image(np.full(img.shape, 2, np.uint8), img.affine), str(first))
    again = run_and_render(options)
    assert again.redone["predicted again: model changed (checkpoint, options or plugin version)"] == 4
