"""A trained nnU-Net v2 results folder as the ``nnunet:PATH`` model, end to end through the CLI.

The results folder is made at test time (small plans, random weights, nnU-Net's own network
builder), and every output is compared with nnU-Net's own prediction of the same case: its
predictor reading the raw files with its own reader, writing its segmentation with its own writer
and its probabilities as ``.npz`` (the independent reference).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from helpers.nnunet import REGION_LABELS, make_raw_dataset, make_results_folder, nnunet_reference
from medpy.metric.binary import dc
from typer.testing import CliRunner

from tumorbench.api import BenchError, DatasetOptions, ModelContext, Registry, get_convention
from tumorbench.cli import build_app

pytest.importorskip("nnunetv2", reason="nnU-Net v2 is not installed (scripts/setup-env installs it)")
pytestmark = pytest.mark.torch

runner = CliRunner()
CASES = ("tiny_000", "tiny_001", "tiny_002", "tiny_003")
SPLITS = [(("tiny_002", "tiny_003"), ("tiny_000", "tiny_001")), (("tiny_000", "tiny_001"), ("tiny_002", "tiny_003"))]
HELD_OUT_BY = {"tiny_000": 0, "tiny_001": 0, "tiny_002": 1, "tiny_003": 1}
MSD = {"WT": (1, 2, 3), "TC": (2, 3), "ET": (3,)}


def bench(*args: str):
    return runner.invoke(build_app(), [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """A raw dataset (4 training cases, 1 test case), a two-fold results folder with
    splits_final.json beside it, and nnU-Net's own predictions of every case by each fold."""
    root = tmp_path_factory.mktemp("nnunet")
    raw = make_raw_dataset(root / "nnUNet_raw")
    results = make_results_folder(root / "nnUNet_results", raw, folds=(0, 1), splits=SPLITS)
    refs = {k: nnunet_reference(results, raw, CASES, root / f"reference_fold{k}", (k,)) for k in (0, 1)}
    return {"root": root, "raw": raw, "results": results, "fold0": refs[0], "fold1": refs[1]}


def read(path: Path) -> np.ndarray:
    return np.asarray(nib.load(str(path)).dataobj)


def reference_probabilities(folder: Path, case: str) -> np.ndarray:
    """nnU-Net's saved probabilities (c, z, y, x) as (c, x, y, z)."""
    return np.load(folder / f"{case}.npz")["probabilities"].transpose(0, 3, 2, 1)


def load_model(results: Path, fold: int | None, **params: str):
    spec = Registry().models.get("nnunet")
    return spec.load(ModelContext(dataset="nnunet-raw", store=Path("unused"), fold=fold, device="cpu",
                                  params={"arg": str(results), **params}))


def open_raw(raw: Path, **params: str):
    return Registry().datasets.get("nnunet-raw").open(DatasetOptions(root=raw, params=params))


def predictions(out: Path) -> Path:
    (folder,) = (out / "predictions").glob("*/*")
    return folder


def test_run_scores_each_case_with_the_fold_that_held_it_out(tiny):
    """``bench run --model nnunet:PATH``: splits_final.json (beside the results folder) decides the
    folds; each case's labels are exactly nnU-Net's own segmentation by that fold."""
    out = tiny["root"] / "run"
    result = bench("run", "--model", f"nnunet:{tiny['results']}", "--dataset", "nnunet-raw", "--data-root",
                   tiny["raw"], "--out", out, "--device", "cpu")
    assert result.exit_code == 0, result.output
    verdicts = json.loads((out / "eligibility.json").read_text(encoding="utf-8"))
    assert set(next(iter(next(iter(verdicts.values())).values())).values()) == {"held-out"}
    folder = predictions(out)
    for case, fold in HELD_OUT_BY.items():
        np.testing.assert_array_equal(read(folder / f"{case}.nii.gz"), read(tiny[f"fold{fold}"] / f"{case}.nii.gz"))
        assert read(folder / f"{case}_unc_whole.nii.gz").max() <= 100
    with sqlite3.connect(out / "results.sqlite") as db:
        identity = json.loads(db.execute("SELECT identity FROM predictions LIMIT 1").fetchone()[0])
    (member,) = identity["members"].values()
    hashes = {Path(p).name if "fold_" not in p else "/".join(Path(p).parts[-2:]): h for p, h in member["checkpoints"].items()}
    for name in ("dataset.json", "plans.json", "fold_0/checkpoint_final.pth", "fold_1/checkpoint_final.pth"):
        assert hashes[name] == hashlib.sha256((tiny["results"] / name).read_bytes()).hexdigest()
    scores = pd.read_csv(out / "metrics.csv")
    assert set(scores.case) == set(CASES) and set(scores.status) == {"ok"}


def test_region_probabilities_are_sums_of_nnunets_softmax(tiny):
    """WT = p(edema) + p(core) + p(enhancing), TC = p(core) + p(enhancing), ET = p(enhancing) of
    nnU-Net's own softmax, on the case's grid; labels are nnU-Net's argmax."""
    model = load_model(tiny["results"], fold=0)
    case = open_raw(tiny["raw"]).load("tiny_001")
    prediction = model.predict(case)
    probs = reference_probabilities(tiny["fold0"], "tiny_001")
    assert prediction.regions == ("WT", "TC", "ET")
    for region, values in MSD.items():
        expected = sum(probs[v] for v in values)
        np.testing.assert_allclose(prediction.probabilities[region], expected, atol=1e-5)
        assert prediction.probabilities[region].dtype == np.float32
    np.testing.assert_array_equal(prediction.labels, read(tiny["fold0"] / "tiny_001.nii.gz"))


def test_labels_follow_the_case_convention(tiny):
    """On data in another convention (--label-convention brats-2023 here) nnU-Net's msd labels are
    relabelled region by region: msd 1 edema -> 2, 2 core -> 1, 3 enhancing -> 3."""
    model = load_model(tiny["results"], fold=0)
    case = open_raw(tiny["raw"]).load("tiny_000")
    from dataclasses import replace

    brats = replace(case, convention=get_convention("brats-2023"))
    own = read(tiny["fold0"] / "tiny_000.nii.gz")
    expected = np.select([own == 1, own == 2, own == 3], [2, 1, 3], 0)
    np.testing.assert_array_equal(model.predict(brats).labels, expected)


def test_region_based_model_returns_its_sigmoid_regions(tiny):
    """A model trained on nnU-Net's region-based BraTS labels (Dataset137: whole tumour [1,2,3],
    tumour core [2,3], enhancing [3], regions_class_order 1,2,3): its outputs are the regions."""
    root = tiny["root"] / "regions"
    raw = make_raw_dataset(root / "raw", cases=1, test_cases=0, labels=REGION_LABELS, regions_class_order=(1, 2, 3))
    results = make_results_folder(root / "results", raw, folds=(0,), seed=5)
    reference = nnunet_reference(results, raw, ["tiny_000"], root / "reference", (0,))
    prediction = load_model(results, fold=0).predict(open_raw(raw).load("tiny_000"))
    probs = reference_probabilities(reference, "tiny_000")
    for i, region in enumerate(("WT", "TC", "ET")):
        np.testing.assert_allclose(prediction.probabilities[region], probs[i], atol=1e-5)
    np.testing.assert_array_equal(prediction.labels, read(reference / "tiny_000.nii.gz"))


def test_reoriented_reader_matches_nnunet(tiny):
    """plans.json naming NibabelIOWithReorient: the channels are fed in RAS order (the phantom's x
    axis is flipped) and the outputs put back on the case's grid, as nnU-Net's own reader does."""
    root = tiny["root"] / "reorient"
    results = make_results_folder(root / "results", tiny["raw"], folds=(0,), reader="NibabelIOWithReorient", seed=7)
    reference = nnunet_reference(results, tiny["raw"], ["tiny_002"], root / "reference", (0,))
    prediction = load_model(results, fold=0).predict(open_raw(tiny["raw"]).load("tiny_002"))
    np.testing.assert_array_equal(prediction.labels, read(reference / "tiny_002.nii.gz"))
    own = read(reference / "tiny_002.nii.gz")
    assert own.shape == (26, 22, 18)


def test_ensemble_with_intensity_baseline_averages_probabilities(tiny):
    """``mean(nnunet:PATH,intensity-baseline)``: per case the held-out fold's probabilities and the
    baseline's are averaged; labels threshold the mean at 0.5 and uncertainty is 200 p / 200 (1-p)."""
    out = tiny["root"] / "ensemble"
    ref = f"mean(nnunet:{tiny['results']},intensity-baseline)"
    result = bench("run", "--model", ref, "--dataset", "nnunet-raw", "--data-root", tiny["raw"], "--out", out,
                   "--device", "cpu")
    assert result.exit_code == 0, result.output
    folder = predictions(out)
    case = open_raw(tiny["raw"]).load("tiny_002")
    baseline = Registry().models.get("intensity-baseline").load(
        ModelContext(dataset="nnunet-raw", store=Path("unused"), device="cpu")).predict(case)
    probs = reference_probabilities(tiny["fold1"], "tiny_002")
    mean = {r: (sum(probs[v] for v in values) + baseline.probabilities[r]) / 2 for r, values in MSD.items()}
    expected = np.zeros(case.shape, np.uint8)  # msd: paint WT 1, TC 2, ET 3
    for region, value in (("WT", 1), ("TC", 2), ("ET", 3)):
        expected[mean[region] >= 0.5] = value
    got = read(folder / "tiny_002.nii.gz")
    assert np.mean(got == expected) > 0.999  # float32 sums: a voxel may sit on the threshold
    p = mean["WT"]
    uncertainty = np.clip(np.rint(np.where(p >= 0.5, 200 * (1 - p), 200 * p)), 0, 100)
    assert np.abs(read(folder / "tiny_002_unc_whole.nii.gz").astype(float) - uncertainty).max() <= 1


def test_without_splits_the_training_data_is_unknown_and_folds_average(tiny):
    """No splits_final.json anywhere: every case is 'training data unknown' and predicted by all
    folds through nnU-Net's own fold ensemble (the mean of the folds' logits)."""
    root = tiny["root"] / "nosplits"
    results = root / "Dataset501_Tiny" / tiny["results"].name
    shutil.copytree(tiny["results"], results)
    reference = nnunet_reference(results, tiny["raw"], ["tiny_003"], root / "reference", (0, 1))
    out = root / "run"
    result = bench("run", "--model", f"nnunet:{results}", "--dataset", "nnunet-raw", "--data-root", tiny["raw"],
                   "--out", out, "--device", "cpu")
    assert result.exit_code == 0, result.output
    verdicts = json.loads((out / "eligibility.json").read_text(encoding="utf-8"))
    assert set(next(iter(next(iter(verdicts.values())).values())).values()) == {"training-data-unknown"}
    np.testing.assert_array_equal(read(predictions(out) / "tiny_003.nii.gz"), read(reference / "tiny_003.nii.gz"))


def test_a_case_every_fold_trained_on_is_excluded(tiny):
    """``--model-opt splits=PATH``: tiny_000 is in both folds' training cases, so it is not scored."""
    splits = tiny["root"] / "other_splits.json"
    splits.write_text(json.dumps([{"train": ["tiny_000", "tiny_002"], "val": ["tiny_001", "tiny_003"]},
                                  {"train": ["tiny_000", "tiny_001"], "val": ["tiny_002", "tiny_003"]}]), encoding="utf-8")
    out = tiny["root"] / "excluded"
    result = bench("run", "--model", f"nnunet:{tiny['results']}", "--dataset", "nnunet-raw", "--data-root",
                   tiny["raw"], "--out", out, "--device", "cpu", "--model-opt", f"splits={splits}")
    assert result.exit_code == 0, result.output
    verdicts = next(iter(next(iter(json.loads((out / "eligibility.json").read_text(encoding="utf-8")).values())).values()))
    assert verdicts["tiny_000"] == "excluded"
    assert {verdicts[c] for c in ("tiny_001", "tiny_002", "tiny_003")} == {"held-out"}
    assert "tiny_000" not in set(pd.read_csv(out / "metrics.csv").case)
    # fold 1 trained on tiny_001 in this split: fold 0 alone predicts it
    np.testing.assert_array_equal(read(predictions(out) / "tiny_001.nii.gz"), read(tiny["fold0"] / "tiny_001.nii.gz"))


def test_fold_all_trained_on_every_case_of_the_split(tiny):
    """``fold_all`` trained on every case splits_final.json names: those are excluded, and a test
    case (imagesTs) is predicted by it."""
    root = tiny["root"] / "foldall"
    results = make_results_folder(root / "results", tiny["raw"], folds=("all",), splits=SPLITS, seed=3)
    out = root / "run"
    result = bench("run", "--model", f"nnunet:{results}", "--dataset", "nnunet-raw", "--data-root", tiny["raw"],
                   "--dataset-opt", "subset=all", "--out", out, "--device", "cpu")
    assert result.exit_code == 0, result.output
    verdicts = next(iter(next(iter(json.loads((out / "eligibility.json").read_text(encoding="utf-8")).values())).values()))
    assert {verdicts[c] for c in CASES} == {"excluded"}
    assert verdicts["tiny_004"] == "held-out"
    assert (predictions(out) / "tiny_004.nii.gz").is_file()


def test_evaluate_scores_nnunets_own_prediction_folder(tiny):
    """``bench evaluate`` of a folder of nnU-Net predictions (``<case>.nii.gz`` as nnU-Net writes
    them, with its dataset.json and plans.json beside): Dice equals medpy's on the files' masks."""
    preds = tiny["root"] / "crossval"
    preds.mkdir()
    for case, fold in HELD_OUT_BY.items():
        shutil.copy(tiny[f"fold{fold}"] / f"{case}.nii.gz", preds / f"{case}.nii.gz")
    for extra in ("dataset.json", "plans.json"):
        shutil.copy(tiny["fold0"] / extra, preds / extra)
    out = tiny["root"] / "evaluate"
    result = bench("evaluate", preds, "-d", "nnunet-raw", "--data-root", tiny["raw"], "--out", out,
                   "--metric-convention", "brats-legacy")
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out / "metrics.csv")
    dice = rows[rows.metric == "dice"].set_index(["case", "region"]).value
    for case in CASES:
        truth = read(tiny["raw"] / "labelsTr" / f"{case}.nii.gz")
        pred = read(preds / f"{case}.nii.gz")
        for region, values in MSD.items():
            expected = dc(np.isin(pred, values), np.isin(truth, values))
            assert dice[(case, region)] == pytest.approx(expected, abs=1e-12)


def test_bad_results_folders_are_one_line(tiny, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny["results"], broken)
    (broken / "plans.json").unlink()
    with pytest.raises(BenchError, match=r"plans.json: file not found \(an nnU-Net v2 results folder carries plans.json\)"):
        load_model(broken, fold=None)
    with pytest.raises(BenchError, match=r"fold_7/checkpoint_final.pth: file not found \(--model-opt folds=7\)"):
        load_model(tiny["results"], fold=None, folds="7")
    with pytest.raises(BenchError, match="no fold_<k>/checkpoint_best.pth"):
        load_model(tiny["results"], fold=None, checkpoint="checkpoint_best.pth")
    corrupt = tmp_path / "corrupt"
    shutil.copytree(tiny["results"], corrupt)
    (corrupt / "fold_0" / "checkpoint_final.pth").write_bytes(b"not a checkpoint")
    with pytest.raises(BenchError, match=r"nnU-Net could not load fold_0/checkpoint_final.pth \("):
        load_model(corrupt, fold=0)
    result = bench("run", "--model", "nnunet", "--dataset", "nnunet-raw", "--data-root", tiny["raw"],
                   "--out", tmp_path / "r", "--device", "cpu")
    assert result.exit_code != 0
    assert "name it as nnunet:PATH" in result.output


def test_a_missing_extra_names_the_install_command(tiny, tmp_path):
    """Without nnunetv2 importable the run fails with one line naming ``pip install 'tumorbench[nnunet]'``."""
    code = ("import sys; sys.modules['nnunetv2'] = None; from tumorbench.cli import main; "
            "sys.argv = ['bench'] + sys.argv[1:]; main()")
    args = ["run", "--model", f"nnunet:{tiny['results']}", "--dataset", "nnunet-raw", "--data-root", str(tiny["raw"]),
            "--out", str(tmp_path / "r"), "--device", "cpu", "--fold", "0"]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "pip install 'tumorbench[nnunet]'" in line]
    assert lines and "model nnunet needs nnU-Net v2, which is not installed" in lines[0]
