"""The nnU-Net v2 raw dataset (``nnunet-raw``): real NIfTI folders in nnU-Net's layout, channels
mapped by ``channel_names``, labels by ``labels``, refusals in one line, detection by loadable
cases, and ``bench evaluate`` of a folder of label maps against it (no torch needed)."""

from __future__ import annotations

import json
import shutil

import nibabel as nib
import numpy as np
import pytest
from helpers.nnunet import (
    CHANNELS_137,
    MODALITY_OF,
    MSD_LABELS,
    REGION_LABELS,
    make_raw_dataset,
    phantom,
    write_nifti,
)
from medpy.metric.binary import dc
from typer.testing import CliRunner

from tumorbench.api import BenchError, DataError, DatasetOptions, Registry
from tumorbench.cli import build_app
from tumorbench_plugins.datasets.layouts import detect
from tumorbench_plugins.datasets.msd import MsdLayout

runner = CliRunner()


def open_raw(root, **params):
    return Registry().datasets.get("nnunet-raw").open(DatasetOptions(root=root, params=params))


def rewrite_json(folder, **changes):
    path = folder / "dataset.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    index.update(changes)
    path.write_text(json.dumps(index), encoding="utf-8")


def one_line_error(call) -> str:
    with pytest.raises(BenchError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    return message


def test_channels_follow_channel_names_and_labels_are_msd(tmp_path):
    folder = make_raw_dataset(tmp_path)
    source = open_raw(folder)
    assert source.case_ids() == ["tiny_000", "tiny_001", "tiny_002", "tiny_003"]
    assert source.convention.name == "msd"  # nnU-Net's BraTS labels: 1 edema, 2 core, 3 enhancing
    case = source.load("tiny_001")
    assert set(case.images) == {"t1", "t1ce", "t2", "flair"}
    for channel, modality in MODALITY_OF.items():  # each modality is its channel's file, read by nibabel
        expected = np.asarray(nib.load(str(folder / "imagesTr" / f"tiny_001_{int(channel):04d}.nii.gz")).dataobj)
        np.testing.assert_array_equal(case.images[modality].data, expected)
    np.testing.assert_array_equal(case.label.data, phantom(seed=1)[1])
    assert case.images["t1"].spacing == pytest.approx((1.0, 1.25, 1.5))


def test_reordered_channels_and_other_spellings(tmp_path):
    names = {"0": "T2F", "1": "T1C", "2": "T1N", "3": "T2W"}  # BraTS 2023 file words, another order
    folder = make_raw_dataset(tmp_path, channel_names=names, cases=1, test_cases=0)
    case = open_raw(folder).load("tiny_000")
    images, _ = phantom(seed=0)
    for channel, modality in {0: "flair", 1: "t1ce", 2: "t1", 3: "t2"}.items():
        np.testing.assert_array_equal(case.images[modality].data, images[channel])


def test_region_based_labels_are_msd(tmp_path):
    folder = make_raw_dataset(tmp_path, labels=REGION_LABELS, regions_class_order=(1, 2, 3), cases=1)
    assert open_raw(folder).convention.name == "msd"


def test_brats2023_labels_are_recognised_by_their_names(tmp_path):
    labels = {"background": 0, "NETC": 1, "SNFH": 2, "ET": 3}
    folder = make_raw_dataset(tmp_path, labels=labels, cases=1, label_map={1: 2, 2: 1})
    source = open_raw(folder)
    assert source.convention.name == "brats-2023"
    msd = phantom(seed=0)[1]
    label = source.load("tiny_000").label.data
    np.testing.assert_array_equal(label == 2, msd == 1)  # SNFH is the msd edema


def test_labels_that_fit_no_convention_are_refused_with_one_line(tmp_path):
    labels = {"background": 0, "edema": 1, "core": 2, "enhancing": 3, "vessel": 4}
    folder = make_raw_dataset(tmp_path, labels=labels, cases=1)
    message = one_line_error(lambda: open_raw(folder))
    assert message.startswith(f"{folder / 'dataset.json'}: labels (1 edema, 2 core, 3 enhancing, 4 vessel) fit no "
                              "installed label convention")
    assert "label_convention=NAME" in message
    named = one_line_error(lambda: open_raw(folder, label_convention="brats-2023"))
    assert named == (f"{folder / 'dataset.json'}: labels use value(s) [4] that label convention brats-2023 lacks "
                     "(knows 0,1,2,3)")


def test_brats2024_labels_need_a_convention_with_the_resection_cavity():
    """nnU-Net's Dataset226 (BraTS 2024 GLI: 1 NETC, 2 SNFH, 3 ET, 4 RC) fits none of the conventions
    up to 2023, and fits one that has the resection cavity as label 4."""
    from tumorbench.api import LabelConvention, get_convention
    from tumorbench_plugins.models.nnunet.dataset_json import label_spec, match_convention

    spec = label_spec({"labels": {"background": 0, "NETC": 1, "SNFH": 2, "ET": 3, "RC": 4}}, "dataset.json")
    older = [get_convention(n) for n in ("brats-2017", "brats-2023", "msd", "brats-2015")]
    with pytest.raises(BenchError, match="fit no installed label convention"):
        match_convention(spec, "dataset.json", conventions=older)
    post = LabelConvention(
        name="post-treatment", summary="1 NETC, 2 SNFH, 3 ET, 4 RC",
        labels={0: "background", 1: "non-enhancing tumour core", 2: "surrounding FLAIR hyperintensity",
                3: "enhancing tumour", 4: "resection cavity"},
        regions={"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,), "RC": (4,)},
        paint_order=(("WT", 2), ("TC", 1), ("ET", 3), ("RC", 4)),
    )
    assert match_convention(spec, "dataset.json", conventions=[*older, post]) is post
    assert match_convention(spec, "dataset.json").name == "brats-2024-gli"  # the installed BraTS 2024 conventions


@pytest.mark.parametrize(("labels", "order", "expected"), [
    ({"background": 0, "NETC": 1, "SNFH": 2, "ET": 3}, None, "brats-2023"),  # also the 2024 MET/SSA/MEN scheme
    ({"background": 0, "ET": 1, "NETC": 2, "CC": 3, "ED": 4}, None, "brats-2024-ped"),
    ({"background": 0, "GTV": 1}, None, "brats-2024-men-rt"),
    ({"background": 0, "whole tumor": [1, 2, 3], "tumor core": [1, 3], "enhancing tumor": [3]}, [2, 1, 3], "brats-2023"),
])
def test_other_brats_label_sets(labels, order, expected):
    """Conventions that share one scheme (brats-2023 and 2024 MET, SSA, MEN) give the first
    installed; one that also knows a value the dataset lacks (GLI's 4) is passed over."""
    from tumorbench_plugins.models.nnunet.dataset_json import label_spec, match_convention

    index = {"labels": labels, **({"regions_class_order": order} if order else {})}
    assert match_convention(label_spec(index, "dataset.json"), "dataset.json").name == expected


def test_named_convention_overrides_the_names(tmp_path):
    folder = make_raw_dataset(tmp_path, labels={"background": 0, "a": 1, "b": 2, "c": 3}, cases=1)
    assert "fit no installed label convention" in one_line_error(lambda: open_raw(folder))
    assert open_raw(folder, label_convention="brats-2023").convention.name == "brats-2023"


def test_regions_of_no_convention_are_refused(tmp_path):
    labels = {"background": 0, "tumour": [1, 2, 3], "odd": [1, 2], "enhancing": [3]}
    folder = make_raw_dataset(tmp_path, labels=labels, regions_class_order=(1, 2, 3), cases=1)
    assert "fit no installed label convention" in one_line_error(lambda: open_raw(folder))
    message = one_line_error(lambda: open_raw(folder, label_convention="msd"))
    assert message.startswith(f"{folder / 'dataset.json'}: regions (tumour [1, 2, 3], odd [1, 2], enhancing [3]) "
                              "are not regions of label convention msd")


@pytest.mark.parametrize(("names", "expected"), [
    ({"0": "CT"}, "channel 0 'CT' is not an MRI sequence tumorbench knows"),
    ({"0": "T1", "1": "T1w"}, "channels 0 and 1 are both t1 ('T1w')"),
    ({"0": "T1", "2": "T2"}, "'channel_names' keys must be 0..1, found [0, 2]"),
])
def test_bad_channel_names_are_refused_with_one_line(tmp_path, names, expected):
    folder = make_raw_dataset(tmp_path, cases=1)
    rewrite_json(folder, channel_names=names)
    assert one_line_error(lambda: open_raw(folder)).startswith(f"{folder / 'dataset.json'}: {expected}")


def test_other_file_endings_and_v1_files_are_refused(tmp_path):
    folder = make_raw_dataset(tmp_path, cases=1)
    rewrite_json(folder, file_ending=".mha")
    assert one_line_error(lambda: open_raw(folder)) == (f"{folder / 'dataset.json'}: file_ending '.mha' is not NIfTI "
                                                       "(tumorbench reads .nii.gz and .nii)")
    index = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    index["modality"] = index.pop("channel_names")
    (folder / "dataset.json").write_text(json.dumps(index), encoding="utf-8")
    assert "nnU-Net v1 / Decathlon file" in one_line_error(lambda: open_raw(folder))


def test_test_cases_load_without_labels(tmp_path):
    folder = make_raw_dataset(tmp_path, cases=2, test_cases=2)
    assert open_raw(folder, subset="test").case_ids() == ["tiny_002", "tiny_003"]
    source = open_raw(folder, subset="all")
    assert source.case_ids() == ["tiny_000", "tiny_001", "tiny_002", "tiny_003"]
    case = source.load("tiny_003")
    assert case.label is None and case.meta["subset"] == "test"
    assert case.reference.shape == (26, 22, 18)
    assert "subset must be one of" in one_line_error(lambda: open_raw(folder, subset="val"))


def test_a_missing_channel_fails_its_case_and_is_not_detected(tmp_path):
    folder = make_raw_dataset(tmp_path, cases=3, test_cases=0)
    (folder / "imagesTr" / "tiny_001_0002.nii.gz").unlink()
    source = open_raw(folder)
    with pytest.raises(DataError, match="tiny_001_0002.nii.gz: missing \\(dataset.json names 4 channels\\)"):
        source.load("tiny_001")
    assert source.load("tiny_000").label is not None
    assert Registry().datasets.get("nnunet-raw").detect(folder) == 2


def test_a_training_case_without_label_map_fails(tmp_path):
    folder = make_raw_dataset(tmp_path, cases=2, test_cases=0)
    (folder / "labelsTr" / "tiny_000.nii.gz").unlink()
    with pytest.raises(DataError, match="tiny_000.nii.gz: missing label map of training case tiny_000"):
        open_raw(folder).load("tiny_000")


def test_explicit_file_lists_of_the_dataset_key(tmp_path):
    data = tmp_path / "elsewhere"
    entries = {}
    for i in range(2):
        images, label = phantom(seed=i)
        files = [write_nifti(data / f"c{i}" / f"c{i}-{m}.nii.gz", images[k]) for k, m in enumerate(("t1n", "t1c", "t2w", "t2f"))]
        seg = write_nifti(data / f"c{i}" / f"c{i}-seg.nii.gz", label)
        entries[f"c{i}"] = {"images": [str(f) for f in files], "label": f"../elsewhere/c{i}/{seg.name}"}  # relative: to the dataset
    folder = tmp_path / "Dataset226_Listed"
    folder.mkdir()
    (folder / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "T1", "1": "T1C", "2": "T2W", "3": "T2F"}, "labels": MSD_LABELS,
        "numTraining": 2, "file_ending": ".nii.gz", "dataset": entries}), encoding="utf-8")
    source = open_raw(folder)
    assert source.case_ids() == ["c0", "c1"]
    case = source.load("c1")
    np.testing.assert_array_equal(case.images["flair"].data, phantom(seed=1)[0][3])
    np.testing.assert_array_equal(case.label.data, phantom(seed=1)[1])


def test_nnunet_raw_parent_folder_picks_the_dataset(tmp_path):
    make_raw_dataset(tmp_path, name="Dataset501_Tiny", cases=1)
    make_raw_dataset(tmp_path, name="Dataset502_Other", cases=2)
    assert "holds several nnU-Net datasets" in one_line_error(lambda: open_raw(tmp_path))
    assert open_raw(tmp_path, dataset="502").case_ids() == ["tiny_000", "tiny_001"]
    assert open_raw(tmp_path, dataset="Dataset501_Tiny").case_ids() == ["tiny_000"]


def test_detection_prefers_nnunet_raw_over_msd(tmp_path):
    """An nnU-Net raw folder is nnunet-raw (4 + 1 loadable cases); the Decathlon layout counts only
    cases its dataset.json lists (none here), not every NIfTI file (16 + 4)."""
    folder = make_raw_dataset(tmp_path, cases=4, test_cases=1)
    assert MsdLayout("all").detect(folder) == 0
    layout, count = detect(folder)
    assert (layout.name, count) == ("nnunet-raw", 5)
    message = one_line_error(lambda: MsdLayout("train").scan(folder))
    assert message == (f"{folder / 'dataset.json'}: lists no training cases "
                       "(an nnU-Net v2 dataset.json: use --dataset nnunet-raw)")


def test_data_check_recognises_the_folder(tmp_path):
    folder = make_raw_dataset(tmp_path, cases=2, test_cases=0)
    result = runner.invoke(build_app(), ["data", "check", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("layout: nnunet-raw")
    assert lines[-1] == "2 cases checked, no problems"


def test_evaluate_scores_a_folder_of_nnunet_style_predictions(tmp_path):
    """``bench evaluate PRED_DIR -d nnunet-raw``: ``<case>.nii.gz`` label maps in the dataset's
    labels; the Dice of each region equals medpy's on the masks made from the files."""
    folder = make_raw_dataset(tmp_path / "raw", cases=2, test_cases=0)
    preds = tmp_path / "preds"
    for i in range(2):
        label = np.asarray(nib.load(str(folder / "labelsTr" / f"tiny_{i:03d}.nii.gz")).dataobj)
        write_nifti(preds / f"tiny_{i:03d}.nii.gz", np.roll(label, 1 + i, axis=0))
    shutil.copy(folder / "dataset.json", preds / "dataset.json")  # nnU-Net writes it beside its predictions
    out = tmp_path / "ev"
    result = runner.invoke(build_app(), ["evaluate", str(preds), "-d", "nnunet-raw", "--data-root", str(folder),
                                         "--out", str(out), "--metric-convention", "brats-legacy"])
    assert result.exit_code == 0, result.output
    import pandas as pd

    rows = pd.read_csv(out / "metrics.csv")
    dice = rows[rows.metric == "dice"].set_index(["case", "region"]).value
    regions = {"WT": (1, 2, 3), "TC": (2, 3), "ET": (3,)}  # msd, as nnU-Net's BraTS labels are
    for i in range(2):
        truth = np.asarray(nib.load(str(folder / "labelsTr" / f"tiny_{i:03d}.nii.gz")).dataobj)
        pred = np.asarray(nib.load(str(preds / f"tiny_{i:03d}.nii.gz")).dataobj)
        for region, values in regions.items():
            expected = dc(np.isin(pred, values), np.isin(truth, values))
            assert dice[(f"tiny_{i:03d}", region)] == pytest.approx(expected, abs=1e-12)


def test_dataset_plugin_passes_the_contract_checks(tmp_path):
    from tumorbench.testing import check_dataset

    folder = make_raw_dataset(tmp_path, cases=2, test_cases=1)
    check_dataset(Registry().datasets.get("nnunet-raw"), DatasetOptions(root=folder, params={"subset": "all"}))


def test_channel_names_of_nnunet_brats_datasets():
    from tumorbench_plugins.models.nnunet.dataset_json import channel_modalities

    assert channel_modalities(CHANNELS_137, "d.json") == ("t1", "t1ce", "t2", "flair")  # Dataset137_BraTS21
    assert channel_modalities({"0": "T1", "1": "T1C", "2": "T2W", "3": "T2F"}, "d.json") == ("t1", "t1ce", "t2", "flair")
    assert channel_modalities({"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"}, "d.json") == ("flair", "t1", "t1ce", "t2")


def test_real_brats_cases_converted_as_nnunet_does_score_as_in_their_own_layout(tmp_path):
    """Two real BraTS 2018 cases converted as nnU-Net's Dataset137 script converts BraTS (channels
    T1, T1ce, T2, Flair; labels 2 -> 1, 1 -> 2, 4 -> 3) read as msd: the same model scores the
    same Dice per case and region as on the original brats18 folder (brats-2017 labels)."""
    from helpers.shared_data import brats2018_cases

    cases = brats2018_cases()[:2]
    original = tmp_path / "brats18" / "HGG"
    raw = tmp_path / "Dataset137_BraTS18"
    original.mkdir(parents=True)
    for folder in cases:
        (original / folder.name).symlink_to(folder, target_is_directory=True)
        for k, modality in enumerate(("t1", "t1ce", "t2", "flair")):
            link = raw / "imagesTr" / f"{folder.name}_{k:04d}.nii.gz"
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(folder / f"{folder.name}_{modality}.nii.gz")
        seg = nib.load(str(folder / f"{folder.name}_seg.nii.gz"))
        labels = np.asarray(seg.dataobj)
        converted = np.select([labels == 2, labels == 1, labels == 4], [1, 2, 3], 0).astype(np.uint8)
        write_nifti(raw / "labelsTr" / f"{folder.name}.nii.gz", converted, seg.affine)
    (raw / "dataset.json").write_text(json.dumps({
        "channel_names": CHANNELS_137, "labels": REGION_LABELS, "regions_class_order": [1, 2, 3],
        "numTraining": 2, "file_ending": ".nii.gz"}), encoding="utf-8")
    import pandas as pd

    scores = {}
    for dataset, root in (("nnunet-raw", raw), ("brats18", original.parent)):
        out = tmp_path / f"run-{dataset}"
        result = runner.invoke(build_app(), ["run", "-m", "intensity-baseline", "-d", dataset, "--data-root", str(root),
                                             "--out", str(out), "--metric-convention", "brats-legacy"])
        assert result.exit_code == 0, result.output
        rows = pd.read_csv(out / "metrics.csv")
        scores[dataset] = rows[rows.metric == "dice"].set_index(["case", "region"]).value.sort_index()
    assert len(scores["brats18"]) == 6 and scores["brats18"].between(0, 1).all()
    pd.testing.assert_series_equal(scores["nnunet-raw"], scores["brats18"], check_exact=False, rtol=0, atol=1e-12)


def test_the_plugin_imports_neither_nnunet_nor_torch():
    """``bench --help`` imports every plugin module: nnU-Net's stays light (nnunetv2 loads with a model)."""
    import subprocess
    import sys

    code = ("import sys; import tumorbench_plugins.models.nnunet.plugin; from tumorbench.cli import build_app; build_app(); "
            "print(sorted(m for m in ('nnunetv2', 'torch', 'SimpleITK', 'batchgenerators', 'acvl_utils') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out.strip() == "[]"
