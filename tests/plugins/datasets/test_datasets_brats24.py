"""BraTS 2024 sub-challenge label conventions and folder layouts: regions as the official scorer
builds them, paint orders for WT/TC/ET models, reading each layout, detection on evidence."""

from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from helpers.datasets import synthetic

from tumorbench.errors import BenchError
from tumorbench_plugins.datasets import brats24
from tumorbench_plugins.datasets.check import check_folder
from tumorbench_plugins.datasets.common import FolderDataset
from tumorbench_plugins.datasets.layouts import detect
from tumorbench_plugins.labels import brats2024 as labels
from tumorbench_plugins.metrics import brats2024 as metrics


def test_label_conventions_match_the_scorers_regions():
    for sub in metrics.SUB_CHALLENGES:
        convention = labels.convention(sub.name)
        assert tuple(convention.regions) == sub.regions  # the order the scorer reports them in
        for region in sub.regions:
            assert convention.regions[region] == sub.tissues[region]
    gli = labels.GLI
    assert 4 not in gli.regions["WT"] and gli.regions["TC"] == (1, 3) and gli.regions["RC"] == (4,)
    assert labels.PED.regions["ET"] == (1,) and labels.PED.regions["ED"] == (4,) and labels.PED.regions["TC"] == (1, 2, 3)
    assert labels.MEN_RT.regions == {"GTV": (1,)}


def label_map() -> np.ndarray:
    out = np.zeros((6, 6, 6), dtype=np.uint8)
    out[1:5, 1:5, 1:5] = 2  # edema
    out[2:4, 2:4, 2:4] = 1  # core
    out[2, 2, 2] = 3  # enhancing
    return out


@pytest.mark.parametrize(
    ("convention", "edema", "core", "enhancing"),
    [(labels.GLI, 2, 1, 3), (labels.PED, 4, 2, 1), (labels.MET, 2, 1, 3), (labels.SSA, 2, 1, 3), (labels.MEN, 2, 1, 3)],
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_a_wt_tc_et_model_paints_into_each_convention(convention, edema, core, enhancing):
    truth = label_map()
    masks = {"WT": truth > 0, "TC": (truth == 1) | (truth == 3), "ET": truth == 3}
    painted = convention.from_regions(masks)
    expected = np.select([truth == 3, truth == 1, truth == 2], [enhancing, core, edema], 0)
    np.testing.assert_array_equal(painted, expected)
    for region in ("WT", "TC", "ET"):
        np.testing.assert_array_equal(convention.region_mask(painted, region), masks[region])


def test_a_tissue_model_paints_gli_tissues_including_the_cavity():
    truth = label_map()
    truth[4, 4, 4] = 4  # a resection cavity voxel, outside WT
    masks = {r: labels.GLI.region_mask(truth, r) for r in labels.GLI.regions}
    np.testing.assert_array_equal(labels.GLI.from_regions(masks), truth)
    assert not masks["WT"][4, 4, 4]


def test_every_layout_reads_its_synthetic_cases(tmp_path: Path):
    for layout in brats24.LAYOUTS:
        source = synthetic(tmp_path / layout.name, layout.name)
        case = source.load(source.case_ids()[0])
        assert case.convention == labels.convention(layout.convention)
        assert tuple(case.images) == layout.modalities
        assert check_folder(tmp_path / layout.name, layout.name).ok


def test_men_rt_files_and_ids(tmp_path: Path):
    source = synthetic(tmp_path / "rt", "brats24-men-rt", spacing="0.5")
    assert source.case_ids() == ["BraTS-MEN-RT-0001-1", "BraTS-MEN-RT-0002-1"]
    folder = tmp_path / "rt" / "BraTS-MEN-RT-0001-1"
    assert sorted(p.name for p in folder.iterdir()) == ["BraTS-MEN-RT-0001-1_gtv.nii.gz", "BraTS-MEN-RT-0001-1_t1c.nii.gz"]
    case = source.load("BraTS-MEN-RT-0001-1")
    assert set(np.unique(case.label.data)) == {0, 1}
    assert detect(tmp_path / "rt")[0].name == "brats24-men-rt"


def _write_case(root: Path, case_id: str, shape: tuple[int, int, int], label: np.ndarray | None) -> None:
    folder = root / case_id
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for suffix in ("t1c", "t1n", "t2f", "t2w"):
        nib.save(nib.Nifti1Image(rng.integers(1, 100, shape).astype(np.int16), np.eye(4)), folder / f"{case_id}-{suffix}.nii.gz")
    if label is not None:
        nib.save(nib.Nifti1Image(label.astype(np.uint8), np.eye(4)), folder / f"{case_id}-seg.nii.gz")


def test_gli_is_detected_by_the_post_treatment_grid_and_read_when_named(tmp_path: Path):
    shape = (20, 20, 16)
    cavity = np.zeros(shape, np.uint8)
    cavity[5:9, 5:9, 5:9] = 2
    cavity[10:12, 10:12, 10:12] = 4
    _write_case(tmp_path / "b", "BraTS-GLI-02000-000", shape, cavity)
    # a label 4 is no evidence (BraTS 2021 labels in the 2023 layout look the same): brats23,
    # whose check reports the 4 naming the file
    assert detect(tmp_path / "b")[0].name == "brats23"
    problems = check_folder(tmp_path / "b").problems
    assert any("BraTS-GLI-02000-000-seg.nii.gz" in p and "label value(s) [4]" in p for p in problems)
    report = check_folder(tmp_path / "b", "brats24-gli")  # named: read as GLI 2024
    assert report.ok and report.lines()[2].startswith("label convention: brats-2024-gli")
    _write_case(tmp_path / "c", "BraTS-GLI-02001-000", brats24.GLI_POST_TREATMENT_SHAPE, None)  # validation: no seg
    assert detect(tmp_path / "c")[0].name == "brats24-gli"


@pytest.mark.parametrize("name", ["brats24-met", "brats24-ped"])
def test_2023_named_folders_detect_as_brats23_and_read_as_named(tmp_path: Path, name: str):
    synthetic(tmp_path / "met", name)
    assert detect(tmp_path / "met")[0].name == "brats23"  # same folder names: a tie goes to the generic layout
    assert check_folder(tmp_path / "met", name).ok
    report = check_folder(tmp_path / "met", "brats24-gli")  # reads no case of this folder
    assert not report.ok and "looks like brats23" in report.problems[0]


def test_a_missing_gtv_modality_is_named(tmp_path: Path):
    synthetic(tmp_path / "rt", "brats24-men-rt")
    (tmp_path / "rt" / "BraTS-MEN-RT-0001-1" / "BraTS-MEN-RT-0001-1_t1c.nii.gz").unlink()
    problems = check_folder(tmp_path / "rt").problems
    assert any(p.endswith("BraTS-MEN-RT-0001-1_t1c.nii.gz: missing modality t1c (t1ce)") for p in problems)
    source = FolderDataset(brats24.MEN_RT, tmp_path / "rt")
    assert source.case_ids() == ["BraTS-MEN-RT-0001-1", "BraTS-MEN-RT-0002-1"]  # listed; loading names the file
    with pytest.raises(BenchError, match="missing modality t1c"):
        source.load("BraTS-MEN-RT-0001-1")


def test_bench_run_scores_the_gli_regions_and_the_cavity_end_to_end(tmp_path: Path):
    """A GLI post-treatment folder, scored by ``bench run`` under brats-2024-gli: the truth itself
    as predictions (``folder:``) is perfect in all six regions, the resection cavity included, and
    a WT/TC/ET model is scored on those three only. The label maps reach the metric through the runner."""
    import pandas as pd
    from typer.testing import CliRunner

    from tumorbench.cli import build_app
    from tumorbench_plugins.datasets.synthetic import generate

    root = generate(tmp_path / "data", {"cases": 2, "size": (40, 40, 32), "seed": 1, "layout": "brats24-gli"})
    preds = tmp_path / "preds"
    preds.mkdir()
    for seg in root.rglob("*-seg.nii.gz"):
        nib.save(nib.load(str(seg)), str(preds / seg.name.replace("-seg", "")))
    out = tmp_path / "run"
    result = CliRunner().invoke(build_app(), [
        "run", "-m", f"folder:{preds}", "-m", "intensity-baseline", "-d", "brats24-gli", "--data-root", str(root),
        "--metric-convention", "brats-2024-gli", "--out", str(out)])
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(out / "metrics.csv")
    truth = csv[csv.model == f"folder:{preds}"]
    assert set(truth.region) == {"WT", "TC", "NETC", "SNFH", "ET", "RC"}
    assert set(truth[truth.metric.isin(["dice", "lesion_dice"])].value) == {1.0}
    assert set(csv[csv.model == "intensity-baseline"].region) == {"WT", "TC", "ET"}
