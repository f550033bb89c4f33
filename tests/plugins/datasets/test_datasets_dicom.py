"""DICOM import: real DICOM series written with SimpleITK from a synthetic volume, then converted."""

from __future__ import annotations

import locale

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import tree

from tumorbench.io.nifti import load_volume

sitk = pytest.importorskip("SimpleITK")

SPACING = (0.9, 0.8, 3.0)
ORIGIN = (-80.0, -95.5, 12.0)
_T = np.deg2rad(10.0)  # a 10-degree rotation about z: oblique, right-handed
DIRECTION = (np.cos(_T), -np.sin(_T), 0.0, np.sin(_T), np.cos(_T), 0.0, 0.0, 0.0, 1.0)


def phantom(seed: int, shape=(12, 16, 10)) -> np.ndarray:
    """Array in SimpleITK's (z, y, x) order."""
    return np.random.default_rng(seed).integers(0, 1200, shape).astype(np.int16)


def write_series(folder, array, patient: str, description: str, series: int):
    """Write ``array`` as one DICOM file per slice with the geometry tags a scanner would set.

    GDCM's writer leaves the process in the C locale; the one before is restored, or later tests
    in this worker would read their subprocesses' output as ASCII."""
    saved = locale.setlocale(locale.LC_ALL)
    try:
        return _write_series(folder, array, patient, description, series)
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def _write_series(folder, array, patient: str, description: str, series: int):
    folder.mkdir(parents=True, exist_ok=True)
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(SPACING)
    image.SetOrigin(ORIGIN)
    image.SetDirection(DIRECTION)
    study = "1.2.826.0.1.3680043.8.498.1"
    series_uid = f"{study}.{series}"
    d = DIRECTION
    orientation = "\\".join(f"{v:.6f}" for v in (d[0], d[3], d[6], d[1], d[4], d[7]))
    writer = sitk.ImageFileWriter()
    writer.KeepOriginalImageUIDOn()
    for k in range(image.GetDepth()):
        slice_ = image[:, :, k]
        position = image.TransformIndexToPhysicalPoint((0, 0, k))
        tags = {
            "0010|0020": patient,
            "0010|0010": patient,
            "0008|103e": description,
            "0008|0060": "MR",
            "0020|000d": study,
            "0020|000e": series_uid,
            "0020|0011": str(series),
            "0008|0016": "1.2.840.10008.5.1.4.1.1.4",
            "0008|0018": f"{series_uid}.{k + 1}",
            "0020|0013": str(k + 1),
            "0020|0032": "\\".join(f"{v:.6f}" for v in position),
            "0020|0037": orientation,
            "0018|0050": str(SPACING[2]),
        }
        for key, value in tags.items():
            slice_.SetMetaData(key, value)
        writer.SetFileName(str(folder / f"IM{k:04d}.dcm"))
        writer.Execute(slice_)
    return image


@pytest.fixture(scope="module")
def tcia(tmp_path_factory):
    """A TCIA-like download: one patient with four modalities and two series that cannot be placed."""
    root = tmp_path_factory.mktemp("tcia") / "REMBRANDT"
    base = root / "HF1000" / "study"
    images = {
        "flair": write_series(base / "s1", phantom(1), "HF1000", "AX FLAIR", 1),
        "t1": write_series(base / "s2", phantom(2), "HF1000", "AX T1", 2),
        "t1ce": write_series(base / "s3", phantom(3), "HF1000", "AX T1 POST GAD", 3),
        "t2": write_series(base / "s4", phantom(4), "HF1000", "AX T2 FSE", 4),
    }
    write_series(base / "s5", phantom(5), "HF1000", "DWI b1000", 5)
    write_series(base / "s6", phantom(6), "HF1000", "T2 repeat", 6)
    return root, images


def test_classify():
    from tumorbench_plugins.datasets.dicom import classify

    cases = {"AX FLAIR": "flair", "T1 SE": "t1", "T1 +C": "t1ce", "SAG T1 POST": "t1ce", "t1_mprage_gd": "t1ce",
             "T2 FSE": "t2", "DWI": None, "3 plane loc": None}
    assert {d: classify(d) for d in cases} == cases


def test_import_keeps_voxels_spacing_and_orientation(tcia, tmp_path):
    from tumorbench_plugins.datasets.dicom import import_series

    src, images = tcia
    dst = tmp_path / "nifti"
    report = import_series(src, dst)
    assert sorted(p.name for p, _ in report.written) == ["flair.nii.gz", "t1.nii.gz", "t1ce.nii.gz", "t2.nii.gz"]
    for modality, original in images.items():
        path = dst / "HF1000" / f"{modality}.nii.gz"
        back = sitk.ReadImage(str(path))
        np.testing.assert_allclose(back.GetSpacing(), SPACING, atol=1e-4)
        np.testing.assert_allclose(back.GetOrigin(), ORIGIN, atol=1e-3)
        np.testing.assert_allclose(back.GetDirection(), DIRECTION, atol=1e-5)
        volume = load_volume(path)
        # voxels: SimpleITK (z, y, x) arrays are NIfTI (x, y, z) arrays transposed
        np.testing.assert_array_equal(volume.data, sitk.GetArrayFromImage(original).T)
        # the NIfTI affine is the DICOM (LPS) geometry expressed in RAS: flip x and y
        lps = np.eye(4)
        lps[:3, :3] = np.asarray(DIRECTION).reshape(3, 3) @ np.diag(SPACING)
        lps[:3, 3] = ORIGIN
        np.testing.assert_allclose(volume.affine, np.diag([-1, -1, 1, 1]) @ lps, atol=1e-3)
        assert volume.spacing == pytest.approx(SPACING, abs=1e-4)
    assert nib.aff2axcodes(load_volume(dst / "HF1000" / "t2.nii.gz").affine) == ("L", "P", "S")


def test_unplaceable_series_are_reported(tcia, tmp_path):
    from tumorbench_plugins.datasets.dicom import import_series

    src, _ = tcia
    report = import_series(src, tmp_path / "out")
    base = src / "HF1000" / "study"
    uid = "1.2.826.0.1.3680043.8.498.1"
    assert report.unplaced == [
        f"{base / 's5'}: series {uid}.5 (DWI b1000): description names none of flair, t1, t1ce, t2",
        f"{base / 's6'}: series {uid}.6 (T2 repeat): patient HF1000 already has t2 from 'AX T2 FSE'",
    ]
    assert report.incomplete == []


def test_imported_folder_is_a_rembrandt_dataset(tcia, tmp_path):
    from tumorbench_plugins.datasets.check import check_folder
    from tumorbench_plugins.datasets.dicom import import_series

    src, _ = tcia
    dst = tmp_path / "rembrandt"
    import_series(src, dst)
    assert tree(dst) == ["HF1000", "HF1000/flair.nii.gz", "HF1000/t1.nii.gz", "HF1000/t1ce.nii.gz", "HF1000/t2.nii.gz"]
    report = check_folder(dst)
    assert report.ok and report.layout.name == "rembrandt" and (report.cases, report.labelled) == (1, 0)


def test_incomplete_patient_is_reported(tmp_path):
    from tumorbench_plugins.datasets.dicom import import_series

    src = tmp_path / "src"
    write_series(src / "a", phantom(1, (4, 6, 5)), "HF2000", "FLAIR", 1)
    report = import_series(src, tmp_path / "dst")
    assert report.incomplete == [f"{tmp_path / 'dst' / 'HF2000'}: no series for t1, t1ce, t2"]
