"""Invertible preprocessing: canonical orientation, z-score, brain box crop/paste, resampling."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import brats2018_root, synthetic

from tumorbench.api import get_convention
from tumorbench.contract.values import Case, Volume
from tumorbench.models.preprocess import (
    Box,
    brain_box,
    centred_box,
    crop,
    from_canonical,
    from_canonical_array,
    paste,
    resample,
    to_canonical,
    to_canonical_array,
    zscore,
)


def _nib_canonical(volume: Volume):
    """Independent reference: nibabel's own closest-canonical image."""
    image = nib.as_closest_canonical(nib.Nifti1Image(np.asarray(volume.data), volume.affine))
    return np.asarray(image.dataobj), image.affine


def _assert_round_trip(case: Case) -> Case:
    canon = to_canonical(case)
    for modality, volume in case.images.items():
        reference_data, reference_affine = _nib_canonical(volume)
        np.testing.assert_array_equal(canon.images[modality].data, reference_data)
        np.testing.assert_allclose(canon.images[modality].affine, reference_affine, atol=1e-6)
        assert nib.aff2axcodes(canon.images[modality].affine) == ("R", "A", "S")
        back = from_canonical_array(canon.images[modality].data, volume.affine)
        np.testing.assert_array_equal(back, volume.data)
        columns = np.linalg.norm(reference_affine[:3, :3], axis=0)  # spacing follows the axes
        assert canon.images[modality].spacing == pytest.approx(tuple(columns))
    stacked = canon.stack(list(case.images))  # channel axis in front
    np.testing.assert_array_equal(from_canonical(stacked, case), case.stack(list(case.images)))
    if case.label is not None:
        np.testing.assert_array_equal(from_canonical(canon.label.data, case), case.label.data)
    return canon


def test_real_brats2018_is_lps_and_round_trips():
    from tumorbench_plugins.datasets.brats import layout
    from tumorbench_plugins.datasets.common import FolderDataset

    source = FolderDataset(layout("brats18"), brats2018_root())
    case = source.load(source.case_ids()[0])
    assert nib.aff2axcodes(case.images["flair"].affine) == ("L", "P", "S")
    canon = _assert_round_trip(case)
    # same world position for the same voxel: the corner (0,0,0) of the original is (X-1, Y-1, 0)
    x, y, _ = case.shape
    world = case.images["t1"].affine @ [0, 0, 0, 1]
    np.testing.assert_allclose(canon.images["t1"].affine @ [x - 1, y - 1, 0, 1], world, atol=1e-6)


@pytest.mark.parametrize("orientation", ["ras", "lps"])
def test_synthetic_round_trips(tmp_path, orientation):
    source = synthetic(tmp_path / "d", "msd-brain", cases=1, orientation=orientation)
    case = source.load("BRATS_001")
    assert nib.aff2axcodes(case.images["flair"].affine) == tuple(orientation.upper())
    canon = _assert_round_trip(case)
    if orientation == "ras":  # already canonical: nothing moves
        np.testing.assert_array_equal(canon.images["flair"].data, case.images["flair"].data)
    else:  # LPS: x and y reversed
        np.testing.assert_array_equal(canon.images["flair"].data, case.images["flair"].data[::-1, ::-1, :])


def test_permuted_oblique_axes_round_trip():
    rng = np.random.default_rng(3)
    data = rng.integers(0, 100, (5, 6, 7)).astype(np.int16)
    # voxel axes point to P, S, L with a small rotation: axis order and signs both change
    affine = np.array([[0, 0, -1.2, 10], [-0.9, 0.05, 0, 20], [0.02, 1.1, 0, -5], [0, 0, 0, 1]], dtype=float)
    volume = Volume(data=data, affine=affine, spacing=(0.9, 1.1, 1.2))
    case = Case(case_id="c", images={"t1": volume}, label=None, convention=get_convention("brats-2017"), dataset="x")
    canon = _assert_round_trip(case)
    assert canon.shape == (7, 5, 6)
    np.testing.assert_array_equal(to_canonical_array(data, affine), canon.images["t1"].data)


def test_zscore_hand_values():
    channels = np.zeros((2, 2, 2, 2), np.float32)
    channels[0, 0, 0, :] = [2, 4]
    channels[0, 1, 0, 0] = 6
    channels[1, 0, 0, 0] = 10  # second channel: only one of the three brain voxels is non-zero
    out = zscore(channels)
    sd = np.sqrt(8 / 3)  # values 2, 4, 6: mean 4, population sd sqrt(8/3)
    np.testing.assert_allclose(out[0, 0, 0, :], [-2 / sd, 0], rtol=1e-6)
    np.testing.assert_allclose(out[0, 1, 0, 0], 2 / sd, rtol=1e-6)
    # channel 1 over the same three brain voxels: 10, 0, 0 -> mean 10/3, sd sqrt(200/9)
    np.testing.assert_allclose(out[1, 0, 0, 0], (10 - 10 / 3) / np.sqrt(200 / 9), rtol=1e-6)
    assert out[0, 1, 1, 1] == 0 and out[1, 1, 1, 1] == 0  # outside the brain stays 0


def test_brain_box_crop_paste():
    data = np.zeros((1, 10, 12, 8), np.float32)
    data[0, 3:6, 4:9, 2:3] = 1
    box = brain_box(data, margin=2)
    assert box == Box((1, 2, 0), (8, 11, 5))
    cropped = crop(data, box)
    assert cropped.shape == (1, 7, 9, 5) and cropped.sum() == data.sum()
    np.testing.assert_array_equal(paste(cropped, box, data.shape), data)
    assert brain_box(np.zeros((1, 4, 4, 4))) == Box((0, 0, 0), (4, 4, 4))


def test_centred_box_pads_where_larger_than_image():
    inner = Box((2, 2, 2), (6, 6, 6))
    box = centred_box(inner, (4, 12, 2), (20, 10, 20))
    assert box == Box((2, 0, 3), (6, 12, 5))
    data = np.arange(20 * 10 * 20, dtype=np.int32).reshape(20, 10, 20)
    cropped = crop(data, box)
    assert cropped.shape == (4, 12, 2)
    assert (cropped[:, 10:, :] == 0).all()  # beyond the image: zero padding
    np.testing.assert_array_equal(paste(cropped, box, data.shape)[2:6, :, 3:5], data[2:6, :, 3:5])


def test_resample_constant_and_label_round_trip():
    ones = np.ones((10, 10, 10), np.uint8)
    assert resample(ones, (16, 20, 7), order=0).min() == 1
    assert resample(ones.astype(np.float32), (16, 20, 7), order=1).min() == pytest.approx(1)
    label = np.random.default_rng(0).integers(0, 5, (6, 7, 8)).astype(np.uint8)
    up = resample(label, (12, 14, 16), order=0)
    np.testing.assert_array_equal(up[::2, ::2, ::2], label)
    np.testing.assert_array_equal(resample(up, (6, 7, 8), order=0), label)
    assert resample(np.stack([label, label]), (3, 7, 4), order=0).shape == (2, 3, 7, 4)


def test_full_pipeline_returns_labels_to_the_case_grid(tmp_path):
    """canonical -> brain box -> resample x2 -> back -> paste -> case grid is the identity."""
    source = synthetic(tmp_path / "d", "brats18", cases=1)
    case = source.load(source.case_ids()[0])
    canon = to_canonical(case)
    x = canon.stack(["flair", "t1", "t1ce", "t2"])
    box = brain_box(x, margin=1)
    label = crop(canon.label.data, box)
    there = resample(label, tuple(2 * s for s in box.shape), order=0)
    back = paste(resample(there, box.shape, order=0), box, canon.shape)
    np.testing.assert_array_equal(from_canonical(back, case), case.label.data)
