"""``bench data check`` and ``bench data import-dicom`` through their Typer app."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers.datasets import brats2018_root, synthetic, tree
from typer.testing import CliRunner

from tumorbench.contract.specs import CommandSpec
from tumorbench_plugins.datasets.data_cli import app, tumorbench_commands

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_command_spec_is_the_data_group():
    (spec,) = tumorbench_commands()
    assert isinstance(spec, CommandSpec) and spec.name == "data" and spec.app is app
    result = invoke("--help")
    assert result.exit_code == 0 and "check" in result.output and "import-dicom" in result.output


def test_registry_mounts_it():
    from tumorbench.loading.manager import get_plugin_manager

    specs = [s for group in get_plugin_manager().hook.tumorbench_commands() for s in group]
    assert "data" in [s.name for s in specs]


def test_check_clean_synthetic_msd(tmp_path):
    root = tmp_path / "msd"
    synthetic(root, "msd-brain", cases=3)
    result = invoke("check", root)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("layout: msd-brain (Medical Segmentation Decathlon Task01")
    assert lines[1] == "cases: 3 (3 with labels)"
    assert lines[2] == "label convention: msd (Medical Segmentation Decathlon Task01: 1 edema, 2 non-enhancing, 3 enhancing)"
    assert lines[-1] == "3 cases checked, no problems"


def test_check_validation_set_says_inference_only(tmp_path):
    root = tmp_path / "v"
    synthetic(root, "brats20", split="validation", cases=2)
    result = invoke("check", root, "--dataset", "brats20")
    assert result.exit_code == 0
    assert "cases: 2 (0 with labels; 2 inference only)" in result.output.splitlines()


def test_check_bad_folder_lists_each_problem_and_fails(tmp_path):
    root = tmp_path / "b"
    synthetic(root, "brats23", cases=2)
    missing = root / "BraTS-GLI-00001-000" / "BraTS-GLI-00001-000-t1n.nii.gz"
    missing.unlink()
    truncated = root / "BraTS-GLI-00000-000" / "BraTS-GLI-00000-000-t2w.nii.gz"
    truncated.write_bytes(truncated.read_bytes()[:200])
    before = tree(tmp_path)
    result = invoke("check", root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("layout: brats23 (")
    assert lines[3:] == [
        f"{truncated}: truncated gzip file",
        f"{missing}: missing modality t1n (t1)",
        "2 problem(s) found",
    ]
    assert tree(tmp_path) == before  # checking writes nothing


def test_check_mismatch_and_missing_folder(tmp_path):
    root = tmp_path / "r"
    synthetic(root, "rembrandt", cases=1)
    result = invoke("check", root, "--dataset", "msd-brain")  # a named layout is the one checked
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("layout: msd-brain (")
    assert lines[3].startswith(f"{root / 'dataset.json'}: file not found (an MSD task folder carries a dataset.json); "
                               "the folder looks like rembrandt (")
    result = invoke("check", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{tmp_path / 'nowhere'}: folder not found"


def test_check_real_brats2018():
    result = invoke("check", brats2018_root(), "--dataset", "brats18")
    assert result.exit_code == 0, result.output
    assert "cases: 12 (12 with labels)" in result.output.splitlines()


def test_import_dicom_command(tmp_path):
    pytest.importorskip("SimpleITK")
    from test_datasets_dicom import phantom, write_series

    src = tmp_path / "src"
    for n, description in enumerate(["FLAIR", "T1", "T1 post", "T2", "ADC map"], start=1):
        write_series(src / f"s{n}", phantom(n, (3, 5, 4)), "HF0900", description, n)
    dst = tmp_path / "dst"
    result = invoke("import-dicom", src, dst)
    assert result.exit_code == 0, result.output
    assert f"wrote {dst / 'HF0900' / 't1ce.nii.gz'} from series 'T1 post'" in result.output
    assert "not placed: " in result.output and "(ADC map): description names none of flair, t1, t1ce, t2" in result.output
    assert result.output.splitlines()[-1] == "4 series written for 1 patients, 1 not placed"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("import-dicom", empty, tmp_path / "dst2")
    assert result.exit_code == 1 and not (tmp_path / "dst2").exists()
    result = invoke("import-dicom", tmp_path / "none", tmp_path / "dst3")
    assert result.exit_code == 1 and f"{tmp_path / 'none'}: DICOM folder not found" in result.output


def test_plugin_modules_import_no_heavy_frameworks():
    code = (
        "import sys, tumorbench_plugins.datasets.data_cli, tumorbench_plugins.datasets.msd, "
        "tumorbench_plugins.datasets.brats23, tumorbench_plugins.datasets.rembrandt, "
        "tumorbench_plugins.datasets.synthetic; "
        "print(sorted(m for m in ('torch', 'tensorflow', 'keras', 'SimpleITK', 'scipy', 'nibabel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out.strip() == "[]"


def test_split_writes_a_manifest_matching_kfold(tmp_path):
    from tumorbench.models.splits import kfold, manifest_fold, read_manifest

    root = tmp_path / "d"
    source = synthetic(root, "brats21", cases=7)
    out = tmp_path / "splits" / "brats21.json"
    result = invoke("split", root, "--out", out, "--folds", "3", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}: brats21, 7 cases, kfold train/validation 4/3, 5/2, 5/2"
    manifest = read_manifest(out)
    for fold in range(3):
        assert manifest_fold(manifest, fold, source.case_ids()) == kfold(source.case_ids(), 3, fold, seed=4)
    result = invoke("split", root, "--out", tmp_path / "p.json", "--paper", "shen2017-rembrandt")
    assert result.exit_code == 1
    assert "error: split shen2017-rembrandt needs 56 cases (46 + 10), found 7" in result.output
    assert not (tmp_path / "p.json").exists()
