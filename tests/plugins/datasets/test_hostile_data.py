"""Hostile dataset files, built at test time: NaN/inf/fractional labels, constant modalities,
size bombs, symlink loops. Each gives its exact one-line report; none a traceback."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import synthetic
from helpers.rendering import run_and_render

from tumorbench.errors import BenchError
from tumorbench.io.nifti import load_volume, save_volume
from tumorbench.run.options import RunOptions
from tumorbench_plugins.datasets.check import check_folder

CID = "Brats18_TCIA01_000_1"


@pytest.fixture
def brats18(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "brats18"
    synthetic(root, "brats18", cases=2)
    return root, root / "HGG" / CID


def _file(folder: Path, suffix: str) -> Path:
    return folder / f"{CID}_{suffix}.nii.gz"


def _rewrite(path: Path, data: np.ndarray) -> None:
    save_volume(path, data, nib.load(str(path)).affine)


def _problems(root: Path) -> list[str]:
    return check_folder(root).problems


KNOWS = "not in convention brats-2017 (knows 0,1,2,4)"


def test_label_nan_and_infinity_are_counted_not_a_traceback(brats18: tuple[Path, Path]) -> None:
    root, folder = brats18
    seg = _file(folder, "seg")
    labels = nib.load(str(seg)).get_fdata().astype(np.float32)
    labels.flat[:12] = np.nan
    labels.flat[12:15] = np.inf
    labels.flat[15] = -np.inf
    _rewrite(seg, labels)
    assert _problems(root) == [f"{seg}: NaN in 12 voxels; +inf in 3 voxels; -inf in 1 voxel {KNOWS}"]


def test_fractional_label_is_named_as_it_is(brats18: tuple[Path, Path]) -> None:
    root, folder = brats18
    seg = _file(folder, "seg")
    labels = nib.load(str(seg)).get_fdata().astype(np.float32)
    labels.flat[0] = 1.5
    _rewrite(seg, labels)
    assert _problems(root) == [f"{seg}: label value(s) [1.5] {KNOWS}"]


def test_data_check_cli_prints_the_report_with_a_nan_label(brats18: tuple[Path, Path]) -> None:
    root, folder = brats18
    seg = _file(folder, "seg")
    labels = nib.load(str(seg)).get_fdata()
    labels.flat[100:102] = np.nan
    _rewrite(seg, labels)
    result = subprocess.run([sys.executable, "-m", "tumorbench", "data", "check", str(root)], capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{seg}: NaN in 2 voxels {KNOWS}" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "1 problem(s) found"


@pytest.mark.parametrize(("value", "message"), [(0, "all-zero image"), (7, "constant image (every voxel 7)")])
def test_constant_modality_is_flagged(brats18: tuple[Path, Path], value: int, message: str) -> None:
    root, folder = brats18
    flair = _file(folder, "flair")
    _rewrite(flair, np.full(nib.load(str(flair)).shape, value, np.int16))
    assert _problems(root) == [f"{flair}: {message}"]


def test_a_run_fails_the_case_whose_flair_is_all_zero(tmp_path: Path, synthetic_root: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(synthetic_root, root)
    bad = sorted(root.glob("*GG/*"))[0]
    flair = bad / f"{bad.name}_flair.nii.gz"
    _rewrite(flair, np.zeros(nib.load(str(flair)).shape, np.float32))
    summary = run_and_render(RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=tmp_path / "run",
                             data_roots={"brats18": root}))
    assert (summary.ok, summary.failed) == (3, 1)
    assert summary.failures[0][2:] == (bad.name, f"{flair}: all-zero image")


def _header_only(path: Path, shape: tuple[int, ...], dtype: type = np.int16, payload: bytes = b"") -> Path:
    """A NIfTI file that declares ``shape`` but holds only ``payload`` after its header."""
    header = nib.Nifti1Header()
    header.set_data_dtype(dtype)
    header.set_data_shape(shape)
    header["vox_offset"] = 352
    raw = header.binaryblock + b"\0" * 4 + payload
    path.write_bytes(gzip.compress(raw) if path.name.endswith(".gz") else raw)
    return path


def test_header_over_the_default_cap_is_refused_before_decompressing(tmp_path: Path) -> None:
    path = _header_only(tmp_path / "bomb.nii.gz", (2048, 2048, 1024))
    tracemalloc.start()
    try:
        with pytest.raises(BenchError) as info:
            load_volume(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == (f"{path}: header declares 2048x2048x1024 = 4,294,967,296 voxels, over the cap of "
                               "134,217,728 (TUMORBENCH_MAX_VOXELS raises it)")
    assert peak < 2**20


def test_a_real_gzip_bomb_under_a_lowered_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """64^3 float64 zeros: 2 MiB of data in a few kB of gzip; a 1 MiB byte cap refuses it."""
    path = tmp_path / "zeros.nii.gz"
    nib.save(nib.Nifti1Image(np.zeros((64, 64, 64), np.float64), np.eye(4)), str(path))
    assert path.stat().st_size < 20_000
    monkeypatch.setenv("TUMORBENCH_MAX_BYTES", "1M")
    tracemalloc.start()
    try:
        with pytest.raises(BenchError) as info:
            load_volume(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == (f"{path}: header declares 64x64x64 float64, 2,097,152 bytes to load, over the cap "
                               "of 1,048,576 (TUMORBENCH_MAX_BYTES raises it)")
    assert peak < 2**20  # half of what loading would take
    monkeypatch.setenv("TUMORBENCH_MAX_BYTES", "3M")
    assert load_volume(path).shape == (64, 64, 64)  # the cap is the only reason


def test_scaling_counts_the_float32_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "scaled.nii"
    image = nib.Nifti1Image(np.arange(32**3, dtype=np.int16).reshape(32, 32, 32), np.eye(4))
    image.header.set_slope_inter(2.0, 1.0)
    nib.save(image, str(path))
    monkeypatch.setenv("TUMORBENCH_MAX_BYTES", str(32**3 * 6 - 1))  # int16 + float32 copy, less one byte
    with pytest.raises(BenchError, match="196,608 bytes to load"):
        load_volume(path)
    monkeypatch.setenv("TUMORBENCH_MAX_BYTES", str(32**3 * 6))
    assert load_volume(path).data.dtype == np.float32


def test_bad_cap_setting_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUMORBENCH_MAX_VOXELS", "lots")
    with pytest.raises(BenchError, match=r"^TUMORBENCH_MAX_VOXELS='lots': expected a positive integer"):
        load_volume(_header_only(tmp_path / "x.nii", (2, 2, 2), payload=b"\0" * 16))


def test_huge_data_offset_is_refused_without_reading(tmp_path: Path) -> None:
    header = nib.Nifti1Header()
    header.set_data_shape((2, 2, 2))
    header["vox_offset"] = 3e38
    path = tmp_path / "offset.nii"
    path.write_bytes(header.binaryblock + b"\0" * 20)
    with pytest.raises(BenchError, match=r"header's data offset 3e\+38 is not a plausible position"):
        load_volume(path)


def test_symlink_loop_is_named_as_a_loop(brats18: tuple[Path, Path]) -> None:
    root, folder = brats18
    flair = _file(folder, "flair")
    flair.unlink()
    os.symlink(flair.name, flair)  # points at itself
    assert _problems(root) == [f"{flair}: symlink loop"]


def test_broken_symlink_names_its_target(brats18: tuple[Path, Path]) -> None:
    root, folder = brats18
    t2 = _file(folder, "t2")
    t2.unlink()
    os.symlink("/nonexistent/t2.nii.gz", t2)
    assert _problems(root) == [f"{t2}: broken symbolic link to /nonexistent/t2.nii.gz"]


def test_data_root_that_is_a_symlink_loop(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    os.symlink(b, a)
    os.symlink(a, b)
    assert check_folder(a).problems == [f"{a}: symlink loop"]


def test_a_case_folder_that_is_a_symlink_loop_is_named(brats18: tuple[Path, Path]) -> None:
    root, folder = brats18
    shutil.rmtree(folder)
    os.symlink(folder.name, folder)
    report = check_folder(root)
    assert report.cases == 1  # the other case
    assert report.problems == [f"{folder}: symlink loop"]


def test_a_looping_image_in_a_flat_layout_is_reported_once(tmp_path: Path) -> None:
    root = tmp_path / "b23"
    synthetic(root, "brats23", cases=1)
    path = root / "BraTS-GLI-00000-000" / "BraTS-GLI-00000-000-t1n.nii.gz"
    path.unlink()
    os.symlink(path.name, path)
    assert check_folder(root).problems == [f"{path}: symlink loop"]


def test_a_case_id_under_both_grades_is_reported_and_refused(tmp_path: Path, synthetic_root: Path) -> None:
    """The same case id under HGG/ and LGG/: the scan used to keep the last, and the HGG
    prediction was scored against the LGG truth. data check names both folders; a run refuses."""
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    data = tmp_path / "data"
    shutil.copytree(synthetic_root, data)
    hgg = sorted((data / "HGG").iterdir())[0]
    (data / "LGG").mkdir(exist_ok=True)
    shutil.copytree(hgg, data / "LGG" / hgg.name)
    app = build_app()
    check = CliRunner().invoke(app, ["data", "check", str(data), "--dataset", "brats18"])
    assert check.exit_code == 1, check.output
    assert f"case id '{hgg.name}' is found twice ({data / 'HGG' / hgg.name} and {data / 'LGG' / hgg.name})" in check.output
    run = CliRunner().invoke(app, ["run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(data),
                                   "--out", str(tmp_path / "run")])
    assert run.exit_code == 2 and "is found twice" in run.output
    assert not (tmp_path / "run" / "results.sqlite").exists()
