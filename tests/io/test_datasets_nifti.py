"""NIfTI loading against nibabel as the reference: native dtype, scaling, byte order, errors."""

from __future__ import annotations

import glob
import gzip

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import brats2018_root, tree

from tumorbench.errors import BenchError
from tumorbench.io.nifti import GZIP_BACKEND, load_volume, save_volume

AFFINE = np.array([[-1.0, 0, 0, 10], [0, -1.0, 0, 239], [0, 0, 1.5, -3], [0, 0, 0, 1]])


def _reference(path):
    image = nib.load(str(path))
    return np.asarray(image.dataobj), image.affine, image.header.get_zooms()


def test_isal_backend_is_used():
    assert GZIP_BACKEND == "isal"


def test_real_files_equal_nibabel():
    files = sorted(glob.glob(str(brats2018_root() / "*" / "*" / "*.nii.gz")))[:5]
    assert len(files) == 5
    for path in files:
        volume = load_volume(path)
        data, affine, zooms = _reference(path)
        assert volume.data.dtype == data.dtype  # native (int16 images, uint8 labels), no float64
        np.testing.assert_array_equal(volume.data, data)
        np.testing.assert_array_equal(volume.affine, affine)
        assert volume.spacing == tuple(float(z) for z in zooms[:3])
        assert volume.data.flags.writeable


@pytest.mark.parametrize("dtype", [np.int16, np.uint8, np.float32, np.float64, np.int32, np.uint16])
@pytest.mark.parametrize("suffix", [".nii.gz", ".nii"])
def test_dtypes_and_suffixes(tmp_path, dtype, suffix):
    data = (np.random.default_rng(1).random((7, 5, 3)) * 200).astype(dtype)
    path = save_volume(tmp_path / f"x{suffix}", data, AFFINE)
    volume = load_volume(path)
    assert volume.data.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(volume.data, data)
    np.testing.assert_array_equal(volume.affine, nib.load(str(path)).affine)
    assert volume.spacing == (1.0, 1.0, 1.5)


def test_scaled_integers_read_as_nibabel_scales_them(tmp_path):
    raw = np.arange(60, dtype=np.int16).reshape(5, 4, 3)
    image = nib.Nifti1Image(raw, AFFINE)
    image.header.set_slope_inter(0.25, -3.0)
    path = tmp_path / "scaled.nii.gz"
    nib.save(image, str(path))
    volume = load_volume(path)
    assert volume.data.dtype == np.float32
    np.testing.assert_allclose(volume.data, raw * 0.25 - 3.0)  # hand-computed
    np.testing.assert_allclose(volume.data, nib.load(str(path)).get_fdata())


def test_big_endian_file(tmp_path):
    data = np.arange(24, dtype=">i2").reshape(2, 3, 4)
    header = nib.Nifti1Header(endianness=">")
    header.set_data_dtype(">i2")
    image = nib.Nifti1Image(data, AFFINE, header=header)
    path = tmp_path / "be.nii.gz"
    nib.save(image, str(path))
    assert nib.load(str(path)).header.endianness == ">"
    volume = load_volume(path)
    assert volume.data.dtype == np.dtype("int16") and volume.data.dtype.isnative
    np.testing.assert_array_equal(volume.data, np.arange(24).reshape(2, 3, 4))


def test_4d_allowed_when_asked(tmp_path):
    data = np.zeros((4, 3, 2, 4), np.float32)
    data[..., 2] = 7
    path = save_volume(tmp_path / "four.nii.gz", data, AFFINE)
    volume = load_volume(path, expect_3d=False)
    assert volume.shape == (4, 3, 2, 4) and (volume.data[..., 2] == 7).all()
    with pytest.raises(BenchError) as info:
        load_volume(path)
    assert str(info.value) == f"{path}: expected a 3D image, found shape (4, 3, 2, 4)"


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda blob: blob[: len(blob) // 2], "truncated gzip file"),
        (lambda blob: blob[:-4], "truncated gzip file"),
        (lambda blob: blob[:-8] + bytes([blob[-8] ^ 0xFF]) + blob[-7:], "corrupt gzip data"),
        (lambda blob: b"\x1f\x8b" + b"junk" * 20, "corrupt gzip data"),
        (lambda blob: gzip.compress(b"n" * 10), "not a NIfTI image (file shorter than a NIfTI-1 header)"),
    ],
    ids=["half", "no-trailer", "crc", "not-deflate", "short"],
)
def test_bad_files_name_file_and_cause(tmp_path, make, cause):
    good = save_volume(tmp_path / "good.nii.gz", np.ones((20, 20, 20), np.int16), AFFINE)
    bad = tmp_path / "bad.nii.gz"
    bad.write_bytes(make(good.read_bytes()))
    with pytest.raises(BenchError) as info:
        load_volume(bad)
    assert str(info.value) == f"{bad}: {cause}"


def test_header_claims_more_data_than_stored(tmp_path):
    path = save_volume(tmp_path / "x.nii", np.ones((4, 4, 4), np.int16), AFFINE)
    blob = path.read_bytes()
    path.write_bytes(blob[:-10])
    with pytest.raises(BenchError) as info:
        load_volume(path)
    assert str(info.value) == f"{path}: truncated file (118 of 128 data bytes)"


def test_missing_file(tmp_path):
    with pytest.raises(BenchError) as info:
        load_volume(tmp_path / "nope.nii.gz")
    assert str(info.value) == f"{tmp_path / 'nope.nii.gz'}: file not found"


def test_save_is_atomic_and_leaves_no_temporary(tmp_path):
    save_volume(tmp_path / "a" / "x.nii.gz", np.zeros((2, 2, 2), np.uint8), AFFINE)
    assert tree(tmp_path) == ["a", "a/x.nii.gz"]


def test_nifti2_goes_through_nibabel(tmp_path):
    raw = np.arange(60, dtype=np.int16).reshape(5, 4, 3)
    image = nib.Nifti2Image(raw, AFFINE)
    image.header.set_slope_inter(2.0, 1.0)
    path = tmp_path / "two.nii.gz"
    nib.save(image, str(path))
    volume = load_volume(path)
    np.testing.assert_allclose(volume.data, raw * 2.0 + 1.0)
    np.testing.assert_array_equal(volume.affine, nib.load(str(path)).affine)
