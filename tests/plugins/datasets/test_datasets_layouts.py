"""Every dataset layout: ids, canonical modalities, label conventions, detection, inference-only sets."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import brats2018_root, synthetic

from tumorbench.api import get_convention
from tumorbench.contract.values import DatasetOptions
from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench_plugins.datasets.layouts import detect

LAYOUTS = ["brats17", "brats18", "brats19", "brats20", "brats21", "brats23", "msd-brain", "rembrandt"]

# (layout, split) -> (first case id, the file its FLAIR image is read from, relative to the root)
EXPECTED = {
    ("brats17", "training"): ("Brats17_TCIA_000_1", "HGG/Brats17_TCIA_000_1/Brats17_TCIA_000_1_flair.nii.gz"),
    ("brats17", "validation"): ("Brats17_CBICA_AAA_1", "Brats17_CBICA_AAA_1/Brats17_CBICA_AAA_1_flair.nii.gz"),
    ("brats18", "training"): ("Brats18_TCIA01_000_1", "HGG/Brats18_TCIA01_000_1/Brats18_TCIA01_000_1_flair.nii.gz"),
    ("brats18", "validation"): ("Brats18_CBICA_AAA_1", "Brats18_CBICA_AAA_1/Brats18_CBICA_AAA_1_flair.nii.gz"),
    ("brats19", "training"): ("BraTS19_TCIA01_000_1", "HGG/BraTS19_TCIA01_000_1/BraTS19_TCIA01_000_1_flair.nii.gz"),
    ("brats19", "validation"): ("BraTS19_CBICA_AAA_1", "BraTS19_CBICA_AAA_1/BraTS19_CBICA_AAA_1_flair.nii.gz"),
    ("brats20", "training"): ("BraTS20_Training_001", "BraTS20_Training_001/BraTS20_Training_001_flair.nii.gz"),
    ("brats20", "validation"): ("BraTS20_Validation_001", "BraTS20_Validation_001/BraTS20_Validation_001_flair.nii.gz"),
    ("brats21", "training"): ("BraTS2021_00000", "BraTS2021_00000/BraTS2021_00000_flair.nii.gz"),
    ("brats21", "validation"): ("BraTS2021_00000", "BraTS2021_00000/BraTS2021_00000_flair.nii.gz"),
    ("brats23", "training"): ("BraTS-GLI-00000-000", "BraTS-GLI-00000-000/BraTS-GLI-00000-000-t2f.nii.gz"),
    ("brats23", "validation"): ("BraTS-GLI-00000-000", "BraTS-GLI-00000-000/BraTS-GLI-00000-000-t2f.nii.gz"),
    ("msd-brain", "training"): ("BRATS_001", "imagesTr/BRATS_001.nii.gz"),
    ("msd-brain", "validation"): ("BRATS_001", "imagesTs/BRATS_001.nii.gz"),
    ("rembrandt", "training"): ("HF1000", "HF1000/flair.nii.gz"),
    ("rembrandt", "validation"): ("HF1000", "HF1000/flair.nii.gz"),
}
CONVENTIONS = {"brats23": "brats-2023", "msd-brain": "msd"}


@pytest.fixture(scope="module")
def reference_regions(tmp_path_factory):
    """Region masks and FLAIR of the default synthetic layout: every layout must give the same."""
    source = synthetic(tmp_path_factory.mktemp("ref") / "data", "synthetic")
    case = source.load(source.case_ids()[0])
    assert case.convention.name == "brats-2017"
    return case.convention.to_regions(case.label.data), case.images


@pytest.mark.parametrize("split", ["training", "validation"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_loads_with_canonical_modalities(tmp_path, layout, split, reference_regions):
    root = tmp_path / "data"
    source = synthetic(root, layout, split)
    first_id, flair_file = EXPECTED[(layout, split)]
    assert source.case_ids()[0] == first_id and len(source.case_ids()) == 2
    case = source.load(first_id)
    assert list(case.images) == ["flair", "t1", "t1ce", "t2"]
    assert case.convention.name == CONVENTIONS.get(layout, "brats-2017")
    # the FLAIR volume really comes from the layout's FLAIR file (channel 0 of the MSD 4D image)
    raw = np.asarray(nib.load(str(root / flair_file)).dataobj)
    raw = raw[..., 0] if raw.ndim == 4 else raw
    np.testing.assert_array_equal(case.images["flair"].data, raw)
    ref_regions, ref_images = reference_regions
    for modality in ("flair", "t1", "t1ce", "t2"):  # same phantom whatever the layout
        np.testing.assert_array_equal(case.images[modality].data, ref_images[modality].data)
    if split == "validation":
        assert case.label is None
        assert case.reference is case.images["flair"]
    else:
        regions = case.convention.to_regions(case.label.data)
        for region in ("WT", "TC", "ET"):
            np.testing.assert_array_equal(regions[region], ref_regions[region])
        assert ref_regions["ET"].any() and ref_regions["TC"].sum() > ref_regions["ET"].sum()
    found = detect(root)
    assert found is not None and found[0].name == layout and found[1] == 2


def test_label_values_follow_each_convention(tmp_path):
    """Hand-checked: the same tumour is 1,2,4 in BraTS 2017-2022, 1,2,3 in 2023 and MSD, with
    the MSD meaning of 1 (edema) and 2 (non-enhancing) swapped relative to BraTS."""
    legacy = synthetic(tmp_path / "a", "brats20").load("BraTS20_Training_001").label.data
    brats23 = synthetic(tmp_path / "b", "brats23").load("BraTS-GLI-00000-000").label.data
    msd = synthetic(tmp_path / "c", "msd-brain").load("BRATS_001").label.data
    assert set(np.unique(legacy)) == {0, 1, 2, 4}
    assert set(np.unique(brats23)) == {0, 1, 2, 3}
    assert set(np.unique(msd)) == {0, 1, 2, 3}
    np.testing.assert_array_equal(legacy == 2, msd == 1)  # edema
    np.testing.assert_array_equal(legacy == 1, msd == 2)  # necrosis / non-enhancing
    np.testing.assert_array_equal(legacy == 4, brats23 == 3)  # enhancing
    np.testing.assert_array_equal(legacy == 1, brats23 == 1)


def test_msd_channels_follow_dataset_json_names(tmp_path):
    """A 4D file whose dataset.json lists the channels in another order still maps by name."""
    root = tmp_path / "msd"
    source = synthetic(root, "msd-brain", cases=1)
    case = source.load("BRATS_001")
    before = {m: case.images[m].data for m in ("flair", "t1", "t1ce", "t2")}  # images load lazily: read them now
    path = root / "imagesTr" / "BRATS_001.nii.gz"
    image = nib.load(str(path))
    data = np.asarray(image.dataobj)
    order = [3, 2, 1, 0]  # T2w, t1gd, T1w, FLAIR
    nib.save(nib.Nifti1Image(data[..., order], image.affine), str(path))
    index = json.loads((root / "dataset.json").read_text(encoding="utf-8"))
    index["modality"] = {"0": "T2w", "1": "t1gd", "2": "T1w", "3": "FLAIR"}
    (root / "dataset.json").write_text(json.dumps(index), encoding="utf-8")
    after = synthetic_reopen(root).load("BRATS_001")
    for modality in ("flair", "t1", "t1ce", "t2"):
        np.testing.assert_array_equal(after.images[modality].data, before[modality])


def synthetic_reopen(root):
    from tumorbench_plugins.datasets.msd import open_msd

    return open_msd(DatasetOptions(root=root))


def test_msd_parent_folder_and_subsets(tmp_path):
    from tumorbench_plugins.datasets.msd import open_msd

    task = tmp_path / "Task01_BrainTumour"
    synthetic(task, "msd-brain", cases=2)
    assert open_msd(DatasetOptions(root=tmp_path)).case_ids() == ["BRATS_001", "BRATS_002"]
    with pytest.raises(BenchError, match=r"dataset.json: lists no test cases$"):
        open_msd(DatasetOptions(root=task, params={"subset": "test"})).case_ids()


def test_registry_lists_every_dataset():
    names = set(Registry().datasets)
    assert {*LAYOUTS, "synthetic"} <= names


def test_real_brats2018_training(tmp_path):
    root = brats2018_root()
    spec = Registry().datasets.get("brats18")
    source = spec.open(DatasetOptions(root=root))
    ids = source.case_ids()
    assert len(ids) == 12 and all(i.startswith("Brats18_TCIA") for i in ids)
    case = source.load(ids[0])
    assert case.meta["grade"] in ("HGG", "LGG")
    assert case.shape == (240, 240, 155)
    assert case.images["flair"].data.dtype == np.int16  # native dtype, no float64 copy
    assert set(np.unique(case.label.data)) <= {0, 1, 2, 4}
    assert detect(root)[0].name == "brats18"


def test_dataset_needs_root_and_names_it(tmp_path):
    spec = Registry().datasets.get("brats21")
    with pytest.raises(BenchError, match=r"^dataset brats21 needs --data-root"):
        spec.open(DatasetOptions(root=None))
    with pytest.raises(BenchError, match=r"no brats21 case folders found \(expected folders named like BraTS2021_00000"):
        spec.open(DatasetOptions(root=tmp_path)).case_ids()


def test_unknown_case_is_named(tmp_path):
    source = synthetic(tmp_path / "d", "brats21", cases=1)
    with pytest.raises(BenchError, match=r"no case 'nope' in this brats21 folder$"):
        source.load("nope")


def test_rembrandt_convention_option(tmp_path):
    from tumorbench_plugins.datasets.rembrandt import open_rembrandt

    synthetic(tmp_path / "r", "rembrandt", cases=1)
    source = open_rembrandt(DatasetOptions(root=tmp_path / "r", params={"convention": "brats-2015"}))
    assert source.load("HF1000").convention is get_convention("brats-2015")


def test_hard_phantoms_defeat_the_best_per_voxel_intensity_rule(tmp_path):
    """The best thresholds of the intensity baseline (grid-searched on the very cases scored, an
    oracle) segment easy phantoms almost perfectly and hard ones clearly worse."""
    from tumorbench_plugins.models.baseline import GRID, IntensityBaseline, _mean_dice

    best = {}
    for difficulty in ("easy", "hard"):
        source = synthetic(tmp_path / difficulty, "synthetic", cases=3, size="48,48,40", difficulty=difficulty)
        cases = [source.load(i) for i in source.case_ids()]
        best[difficulty] = max(_mean_dice(IntensityBaseline(wt=w, et=e), cases) for w in GRID for e in GRID)
    assert best["easy"] > 0.9
    assert best["hard"] < best["easy"] - 0.1


def test_unknown_difficulty_is_named(tmp_path):
    with pytest.raises(BenchError, match="difficulty must be easy or hard, got 'extreme'"):
        synthetic(tmp_path, "synthetic", difficulty="extreme")
