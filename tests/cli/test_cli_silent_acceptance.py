"""Nothing is accepted silently (issue 24, items 7 and 8): unknown dataset and ``folder:`` option
keys, a forgotten ``-d``, a ``--label-convention`` the dataset's own check ignored, a
``--pred-convention`` that reads labels into the wrong tissues; and the small defaults: BraTS 2023
data scored lesion-wise, ``--data-root`` in one form everywhere, ``bench help``."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.loading.registry import Registry


def bench(*args: object):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def _error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_unknown_dataset_option_keys_are_refused_everywhere(tmp_path: Path, synthetic_root: Path) -> None:
    for args, known in ((["run", "-m", "intensity-baseline", "-d", "synthetic", "--out", tmp_path / "r"], "cases=2"),
                        (["train", "-m", "intensity-fitted", "-d", "synthetic", "--store", tmp_path / "s"], "cases=2"),
                        (["evaluate", tmp_path, "-d", "brats18", "--data-root", synthetic_root, "--out", tmp_path / "e"], "grade=HGG")):
        result = bench(*args, "--dataset-opt", known, "--dataset-opt", "casse=3")
        assert result.exit_code == 2, result.output
        assert "--dataset-opt casse: not a dataset" in _error(result) and "(known: " in _error(result)
    assert not (tmp_path / "r").exists() and not (tmp_path / "s").exists()
    bad_value = bench("run", "-m", "intensity-baseline", "-d", "synthetic", "--dataset-opt", "cases=many", "--out", tmp_path / "r")
    assert bad_value.exit_code == 2 and "--dataset-opt cases=many: expected an integer" in _error(bad_value)


def test_an_experiment_names_an_unknown_dataset_option(tmp_path: Path) -> None:
    from tumorbench.experiment.definition import ExperimentError, load

    path = tmp_path / "e.toml"
    path.write_text('[[datasets]]\nname = "synthetic"\noptions = { cases = 4, difficulty = "hard", colour = "red" }\n'
                    '[[models]]\nmodel = "intensity-baseline"\n', encoding="utf-8")
    with pytest.raises(ExperimentError) as info:
        load(path, Registry())
    assert any("datasets[0].options: --dataset-opt colour: not a dataset synthetic option" in p for p in info.value.problems)


def test_the_declared_synthetic_options_are_the_generator_s() -> None:
    from tumorbench_plugins.datasets.synthetic import DEFAULTS, SyntheticOptions

    assert {f.name for f in dataclasses.fields(SyntheticOptions)} == set(DEFAULTS)


def test_folder_option_keys_are_checked(tmp_path: Path, synthetic_root: Path) -> None:
    result = bench("run", "-m", f"folder:{tmp_path}", "-d", "brats18", "--data-root", synthetic_root, "--model-opt", "convnetion=msd",
                   "--out", tmp_path / "r")
    assert result.exit_code == 2 and "--model-opt convnetion: not a folder option (known: path, convention, name)" in _error(result)


def test_a_dataset_is_required_outside_the_demo(tmp_path: Path) -> None:
    result = bench("run", "-m", "intensity-baseline", "--out", tmp_path / "r")
    assert result.exit_code == 2 and "name a dataset (--dataset NAME" in _error(result)
    result = bench("train", "-m", "intensity-fitted", "--store", tmp_path / "s")
    assert result.exit_code == 2 and "--dataset" in result.output
    assert not (tmp_path / "r").exists() and not (tmp_path / "s").exists()


def _relabel(root: Path, old: int, new: int) -> None:
    for seg in root.rglob("*_seg.nii.gz"):
        image = nib.load(seg)
        data = np.asarray(image.dataobj)
        data = np.where(data == old, new, data).astype(data.dtype)
        nib.save(nib.Nifti1Image(data, image.affine, image.header), seg)


@pytest.fixture
def labels_123(tmp_path: Path, synthetic_root: Path) -> Path:
    """The phantoms in the BraTS 2018 layout with BraTS 2023 labels (enhancing tumour 3, not 4)."""
    root = tmp_path / "data"
    shutil.copytree(synthetic_root, root)
    _relabel(root, 4, 3)
    return root


def _perfect(root: Path, out: Path) -> Path:
    out.mkdir()
    for seg in root.rglob("*_seg.nii.gz"):
        shutil.copy(seg, out / seg.name.replace("_seg", ""))
    return out


def test_label_convention_overrides_the_dataset_s_own_check(tmp_path: Path, labels_123: Path) -> None:
    preds = _perfect(labels_123, tmp_path / "preds")
    refused = bench("evaluate", preds, "-d", "brats18", "--data-root", labels_123, "--out", tmp_path / "a")
    assert refused.exit_code == 1 and "not in convention brats-2017" in refused.output
    done = bench("evaluate", preds, "-d", "brats18", "--data-root", labels_123, "--label-convention", "brats-2023",
                 "--out", tmp_path / "b")
    assert done.exit_code == 0, done.output
    csv = pd.read_csv(tmp_path / "b" / "metrics.csv")
    assert set(csv[csv.metric == "dice"].value) == {1.0}


def test_a_pred_convention_that_reads_the_wrong_tissues_is_warned_about_and_named(tmp_path: Path, labels_123: Path) -> None:
    """Predictions written in brats-2023 (1 NETC, 2 edema, 3 ET) read as msd (1 edema, 2 NETC, 3 ET):
    the values fit both, so only the Dice can tell; TC (1 and 3 in brats-2023) becomes edema + ET."""
    preds = _perfect(labels_123, tmp_path / "preds")
    done = bench("evaluate", preds, "-d", "brats18", "--data-root", labels_123, "--label-convention", "brats-2023",
                 "--pred-convention", "msd", "--out", tmp_path / "r")
    assert done.exit_code == 0, done.output
    warnings = [line for line in done.output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: TC Dice ") and "read as brats-2023" in warnings[0]
    page = (tmp_path / "r" / "leaderboard.md").read_text(encoding="utf-8")
    assert "predictions of folder:preds read as msd labels (--pred-convention)" in page
    assert "- warning (run " in page and "TC Dice" in page
    right = bench("evaluate", preds, "-d", "brats18", "--data-root", labels_123, "--label-convention", "brats-2023",
                  "--pred-convention", "brats-2023", "--out", tmp_path / "ok")
    assert right.exit_code == 0 and "warning:" not in right.output


def test_a_label_error_of_a_prediction_folder_suggests_pred_convention(tmp_path: Path, synthetic_root: Path, labels_123: Path) -> None:
    preds = _perfect(labels_123, tmp_path / "preds")  # labels 1, 2, 3 against brats-2017 data
    result = bench("evaluate", preds, "-d", "brats18", "--data-root", synthetic_root, "--out", tmp_path / "r")
    assert result.exit_code == 1
    assert "--pred-convention NAME" in result.output and "nnU-Net's BraTS labels are msd" in result.output


def test_brats_2023_and_2024_data_are_scored_lesion_wise_by_default() -> None:
    registry = Registry()
    assert registry.default_conventions(["brats23"]) == ["brats-2023", "qu-brats"]
    assert registry.default_conventions(["brats24-gli"]) == ["brats-2024-gli", "qu-brats"]
    assert registry.default_conventions(["brats19"]) == ["brats-legacy", "qu-brats"]
    assert registry.default_conventions(["brats19", "brats23"]) == ["brats-legacy", "brats-2023", "qu-brats"]


def test_brats23_folder_is_scored_with_brats_2023_when_none_is_named(tmp_path: Path) -> None:
    from tumorbench_plugins.datasets.synthetic import generate

    root = generate(tmp_path / "data", {"cases": 2, "size": (32, 32, 24), "seed": 1, "layout": "brats23"})
    preds = tmp_path / "preds"
    preds.mkdir()
    for seg in root.rglob("*-seg.nii.gz"):
        shutil.copy(seg, preds / seg.name.replace("-seg", ""))
    done = bench("evaluate", preds, "-d", "brats23", "--data-root", root, "--out", tmp_path / "r")
    assert done.exit_code == 0, done.output
    assert set(pd.read_csv(tmp_path / "r" / "metrics.csv").metric_convention) == {"brats-2023"}


def test_data_root_takes_a_path_or_name_path_in_every_command(tmp_path: Path, synthetic_root: Path) -> None:
    preds = _perfect(synthetic_root, tmp_path / "preds")
    done = bench("evaluate", preds, "-d", "brats18", "--data-root", f"brats18={synthetic_root}", "--out", tmp_path / "r")
    assert done.exit_code == 0, done.output
    moved = tmp_path / "moved"
    shutil.copytree(synthetic_root, moved)
    rescored = bench("score", tmp_path / "r", "--units", "voxel", "--data-root", moved)
    assert rescored.exit_code == 0, rescored.output
    trained = bench("train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", f"brats18={synthetic_root}", "--folds", "2",
                    "--store", tmp_path / "s")
    assert trained.exit_code == 0, trained.output


def test_bench_help_prints_the_help() -> None:
    top = bench("help")
    assert top.exit_code == 0 and "Usage: bench" in top.output and "leaderboard" in top.output
    sub = bench("help", "models", "show")
    assert sub.exit_code == 0 and "Usage: bench models show" in sub.output
    assert bench("help", "nope").exit_code == 2
