"""``bench data check`` on bad inputs built from synthetic data: each problem's exact message."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import brats2018_root, synthetic, tree

from tumorbench.errors import BenchError
from tumorbench.io.nifti import save_volume
from tumorbench_plugins.datasets.check import check_folder

CID = "Brats18_TCIA01_000_1"


@pytest.fixture
def brats18(tmp_path):
    root = tmp_path / "brats18"
    synthetic(root, "brats18", cases=2)
    return root, root / "HGG" / CID


def _file(folder, suffix):
    return folder / f"{CID}_{suffix}.nii.gz"


def _rewrite(path, data, affine=None):
    image = nib.load(str(path))
    save_volume(path, data, image.affine if affine is None else affine)


def only_problem(root, dataset=None):
    report = check_folder(root, dataset)
    assert len(report.problems) == 1, report.problems
    return report.problems[0]


def test_clean_folder_has_no_problems(brats18):
    root, _ = brats18
    report = check_folder(root)
    assert report.ok and report.cases == 2 and report.labelled == 2
    assert report.layout.name == "brats18"
    assert report.lines()[-1] == "2 cases checked, no problems"


def test_missing_modality(brats18):
    root, folder = brats18
    _file(folder, "t1ce").unlink()
    assert only_problem(root) == f"{_file(folder, 't1ce')}: missing modality t1ce"


def test_missing_modality_brats23_names_both(tmp_path):
    root = tmp_path / "b23"
    synthetic(root, "brats23", cases=1)
    path = root / "BraTS-GLI-00000-000" / "BraTS-GLI-00000-000-t2f.nii.gz"
    path.unlink()
    assert only_problem(root) == f"{path}: missing modality t2f (flair)"


def test_shape_mismatch(brats18):
    root, folder = brats18
    path = _file(folder, "t2")
    _rewrite(path, np.arange(24 * 24 * 15, dtype=np.int16).reshape(24, 24, 15))  # not constant: that is its own problem
    assert only_problem(root) == f"{path}: shape (24, 24, 15) differs from {CID}_flair.nii.gz (24, 24, 16)"


def test_affine_mismatch(brats18):
    root, folder = brats18
    path = _file(folder, "t1")
    image = nib.load(str(path))
    shifted = image.affine.copy()
    shifted[0, 3] += 5.0
    _rewrite(path, np.asarray(image.dataobj), shifted)
    assert only_problem(root) == f"{path}: affine differs from {CID}_flair.nii.gz"


def test_nan_and_inf(brats18):
    root, folder = brats18
    path = _file(folder, "flair")
    data = np.asarray(nib.load(str(path)).dataobj).astype(np.float32)
    data[1, 2, 3] = np.nan
    data[4, 5, 6] = np.inf
    data[7, 8, 9] = -np.inf
    _rewrite(path, data)
    assert only_problem(root) == f"{path}: NaN or infinite intensities (3 voxels)"


def test_truncated_gzip(brats18):
    root, folder = brats18
    path = _file(folder, "t2")
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    assert only_problem(root) == f"{path}: truncated gzip file"


def test_corrupt_gzip(brats18):
    root, folder = brats18
    path = _file(folder, "t2")
    blob = bytearray(path.read_bytes())
    middle = len(blob) // 2
    blob[middle : middle + 16] = bytes(16)
    path.write_bytes(bytes(blob))
    assert only_problem(root) == f"{path}: corrupt gzip data"


def test_4d_where_3d_expected(brats18):
    root, folder = brats18
    path = _file(folder, "flair")
    data = np.asarray(nib.load(str(path)).dataobj)
    _rewrite(path, np.stack([data, data], axis=-1))
    assert only_problem(root) == f"{path}: expected a 3D image, found shape (24, 24, 16, 2)"


def test_label_outside_convention(brats18):
    root, folder = brats18
    path = _file(folder, "seg")
    label = np.asarray(nib.load(str(path)).dataobj).copy()
    label[0, 0, 0] = 3
    _rewrite(path, label)
    assert only_problem(root) == f"{path}: label value(s) [3] not in convention brats-2017 (knows 0,1,2,4)"


def test_brats23_label_4_is_outside(tmp_path):
    root = tmp_path / "b23"
    synthetic(root, "brats23", cases=1)
    path = root / "BraTS-GLI-00000-000" / "BraTS-GLI-00000-000-seg.nii.gz"
    label = np.asarray(nib.load(str(path)).dataobj).copy()
    label[label == 3] = 4
    _rewrite(path, label)
    assert only_problem(root) == f"{path}: label value(s) [4] not in convention brats-2023 (knows 0,1,2,3)"


def test_file_naming_another_case(brats18):
    root, folder = brats18
    stray = folder / "Brats18_TCIA01_999_1_t1.nii.gz"
    _file(folder, "t1").rename(stray)
    assert only_problem(root) == f"{stray}: file names another case than its folder {CID}"


def test_msd_3d_where_4d_expected(tmp_path):
    root = tmp_path / "msd"
    synthetic(root, "msd-brain", cases=1)
    path = root / "imagesTr" / "BRATS_001.nii.gz"
    data = np.asarray(nib.load(str(path)).dataobj)[..., 0]
    _rewrite(path, data)
    assert only_problem(root) == f"{path}: expected a 4D image with 4 channels, found shape (24, 24, 16)"


def test_msd_missing_label_listed_in_index(tmp_path):
    root = tmp_path / "msd"
    synthetic(root, "msd-brain", cases=1)
    (root / "labelsTr" / "BRATS_001.nii.gz").unlink()
    expected = f"{root / 'labelsTr' / 'BRATS_001.nii.gz'}: missing label map listed in dataset.json"
    assert only_problem(root) == expected


def test_rembrandt_missing_modality(tmp_path):
    root = tmp_path / "rem"
    synthetic(root, "rembrandt", cases=2)
    (root / "HF1001" / "t2.nii.gz").unlink()
    assert only_problem(root) == f"{root / 'HF1001' / 't2.nii.gz'}: missing modality t2"


def test_every_problem_is_listed_one_line_each(brats18):
    root, folder = brats18
    _file(folder, "t1ce").unlink()
    blob = _file(folder, "t2").read_bytes()
    _file(folder, "t2").write_bytes(blob[:100])
    other = root / "HGG" / "Brats18_TCIA01_001_1" / "Brats18_TCIA01_001_1_seg.nii.gz"
    label = np.asarray(nib.load(str(other)).dataobj).copy()
    label[0, 0, 0] = 7
    _rewrite(other, label)
    report = check_folder(root)
    assert report.problems == [
        f"{_file(folder, 't1ce')}: missing modality t1ce",
        f"{_file(folder, 't2')}: truncated gzip file",
        f"{other}: label value(s) [7] not in convention brats-2017 (knows 0,1,2,4)",
    ]
    assert all("\n" not in p for p in report.problems)
    assert report.lines()[-1] == "3 problem(s) found"


def test_loader_raises_the_first_problem(brats18):
    from tumorbench.contract.values import DatasetOptions
    from tumorbench.loading.registry import Registry

    root, folder = brats18
    _file(folder, "t1ce").unlink()
    source = Registry().datasets.get("brats18").open(DatasetOptions(root=root))
    with pytest.raises(BenchError) as info:
        source.load(CID)
    assert str(info.value) == f"{_file(folder, 't1ce')}: missing modality t1ce"
    assert source.load("Brats18_TCIA01_001_1").label is not None  # the other case still loads


def test_dataset_mismatch_says_what_was_found(brats18):
    root, _ = brats18
    problem = only_problem(root, "brats21")  # read as named, and the reason it reads nothing says what it is
    assert problem.startswith(f"{root}: no brats21 case folders found")
    assert "; the folder looks like brats18 (" in problem and problem.endswith(") with 2 cases")


def test_unknown_dataset_and_unknown_layout(tmp_path):
    assert only_problem(tmp_path, "brats99").startswith("unknown dataset layout 'brats99'; known: brats17")
    (tmp_path / "notes").mkdir()
    assert only_problem(tmp_path).startswith(f"{tmp_path}: no known dataset layout found (tried brats17,")


def test_stray_folder_is_reported(brats18):
    root, _ = brats18
    (root / "HGG" / "scratch").mkdir()
    expected = f"{root / 'HGG' / 'scratch'}: folder name is not a brats18 case id (expected like Brats18_TCIA01_201_1)"
    assert only_problem(root) == expected


def test_real_brats2018_is_clean():
    report = check_folder(brats2018_root())
    assert report.ok, report.problems
    assert (report.layout.name, report.cases, report.labelled) == ("brats18", 12, 12)


# ------------------------------------------------------------------ nothing partial is written
def test_generator_failure_leaves_nothing(tmp_path, monkeypatch):
    from tumorbench_plugins.datasets import synthetic as synth

    calls = {"n": 0}
    real = synth.save_volume

    def failing(path, data, affine):
        calls["n"] += 1
        if calls["n"] == 7:
            raise OSError("disk full")
        return real(path, data, affine)

    monkeypatch.setattr(synth, "save_volume", failing)
    with pytest.raises(OSError, match="disk full"):
        synth.generate(tmp_path / "out", {"cases": 2, "size": "16,16,12", "layout": "brats21"})
    assert tree(tmp_path) == []


def test_save_volume_failure_leaves_nothing(tmp_path):
    target = tmp_path / "x.nii.gz"
    with pytest.raises(Exception):  # noqa: B017 - nibabel's own error type for unsupported data
        save_volume(target, np.zeros((2, 2, 2), dtype=object), np.eye(4))
    assert tree(tmp_path) == []


def test_generated_index_is_complete(tmp_path):
    root = tmp_path / "msd"
    synthetic(root, "msd-brain", cases=2, split="validation")
    index = json.loads((root / "dataset.json").read_text(encoding="utf-8"))
    assert index["test"] == ["./imagesTs/BRATS_001.nii.gz", "./imagesTs/BRATS_002.nii.gz"]
    assert index["numTraining"] == 0 and index["modality"]["0"] == "FLAIR"


@pytest.mark.parametrize(
    "values",
    [[0, 1, 2, 4], [0, 3], [0, 1, 200], [-1, 0], [0, 1000], [0.0, 1.0, 2.5], [0.0, 4.0]],
    ids=["ok", "three", "far", "negative", "wide", "fraction", "float-ok"],
)
def test_fast_label_validation_agrees_with_the_convention(values):
    from tumorbench.api import get_convention
    from tumorbench_plugins.datasets.common import validate_label

    convention = get_convention("brats-2017")
    dtype = np.float32 if isinstance(values[0], float) else np.int32
    data = np.zeros((4, 4, 4), dtype)
    data.flat[: len(values)] = values
    try:
        convention.validate(data, "x")
        expected = None
    except BenchError as exc:
        expected = str(exc)
    try:
        validate_label(convention, data, "x")
        got = None
    except BenchError as exc:
        got = str(exc)
    assert got == expected
    assert (expected is None) == (values in ([0, 1, 2, 4], [0.0, 4.0]))


def test_training_case_without_label_is_reported(brats18):
    root, folder = brats18
    seg = _file(folder, "seg")
    seg.rename(folder / "W39_1998.09.19_Segm.nii.gz")  # the BraTS 2020 case 355 quirk
    assert only_problem(root) == f"{seg}: missing label map (1 of 2 cases have one)"


def test_progress_hears_every_case_and_which_ones_have_problems(brats18):
    root, folder = brats18
    _file(folder, "t2").unlink()
    events: list[tuple] = []

    class Recorder:
        def start(self, total):
            events.append(("start", total))

        def advance(self, *, failed, skipped, description):
            events.append((description, failed, skipped))

        def stop(self):
            events.append(("stop",))

    report = check_folder(root, progress=Recorder())
    other = next(p.name for p in (root / "HGG").iterdir() if p.name != CID)
    assert len(report.problems) == 1
    assert events[0] == ("start", 2) and events[-1] == ("stop",)
    assert sorted(events[1:-1]) == sorted([(CID, True, False), (other, False, False)])
