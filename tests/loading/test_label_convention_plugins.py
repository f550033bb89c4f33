"""A label convention is a plugin: a dataset with other labels (a resection cavity outside the
whole tumour, as in BraTS 2024 post-treatment gliomas) runs end to end, its region order,
uncertainty-file names and the regions scored all come from the convention."""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers.rendering import run_and_render

from tumorbench.api import (
    BenchError,
    Case,
    DatasetSpec,
    LabelConvention,
    get_convention,
    hookimpl,
    load_volume,
    save_volume,
)
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.run.options import RunOptions
from tumorbench.testing import check_label_convention

CAVITY = LabelConvention(
    name="toy-post-treatment",
    summary="1 NETC, 2 SNFH, 3 ET, 4 resection cavity (outside the whole tumour)",
    labels={0: "background", 1: "netc", 2: "snfh", 3: "et", 4: "cavity"},
    regions={"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,), "RC": (4,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 3), ("RC", 4)),
    uncertainty_suffixes={"WT": "whole", "TC": "core", "ET": "enhance", "RC": "cavity"},
)
MODALITIES = ("flair", "t1", "t1ce", "t2")


def _cavity_case(case_id: str, source_case: Case, folder: Path) -> None:
    """A brats-2017 phantom relabelled (4 -> 3) with a cavity block (label 4) away from the tumour."""
    label = np.asarray(source_case.label.data).astype(np.uint8)
    label = np.where(label == 4, 3, label)
    cavity = np.zeros_like(label, dtype=bool)
    cavity[2:6, 2:6, 2:6] = True
    assert not (cavity & (label > 0)).any()
    label[cavity] = 4
    affine = source_case.reference.affine
    save_volume(folder / f"{case_id}_seg.nii.gz", label, affine)
    for m in MODALITIES:
        save_volume(folder / f"{case_id}_{m}.nii.gz", np.asarray(source_case.images[m].data), affine)


class CavityFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def case_ids(self) -> list[str]:
        return sorted(p.name[: -len("_seg.nii.gz")] for p in self.root.glob("*_seg.nii.gz"))

    def load(self, case_id: str) -> Case:
        convention = get_convention(CAVITY.name)
        label = load_volume(self.root / f"{case_id}_seg.nii.gz")
        convention.validate(label.data, str(label.path))
        images = {m: load_volume(self.root / f"{case_id}_{m}.nii.gz") for m in MODALITIES}
        return Case(case_id=case_id, images=images, label=label, convention=convention, dataset="cavity")


def _plugin() -> types.ModuleType:
    module = types.ModuleType("cavity_plugin")

    @hookimpl
    def tumorbench_label_conventions():
        return [CAVITY]

    @hookimpl
    def tumorbench_datasets():
        return [DatasetSpec(name="cavity", summary="phantoms with a resection cavity", label_convention=CAVITY.name,
                            open=lambda options: CavityFolder(options.root), modalities=MODALITIES)]

    module.tumorbench_label_conventions = tumorbench_label_conventions
    module.tumorbench_datasets = tumorbench_datasets
    return module


@pytest.fixture
def cavity(tmp_path: Path, tumorbench_source, monkeypatch: pytest.MonkeyPatch):
    """(registry with the plugin, data root, prediction folder of the ground truth itself)."""
    registry = Registry(get_plugin_manager(entry_points=False, extra=[_plugin()]))
    import tumorbench.loading.registry as registry_module

    monkeypatch.setattr(registry_module, "_DEFAULT", [registry])  # get_convention finds the plugin's convention
    root, preds = tmp_path / "data", tmp_path / "preds"
    root.mkdir(), preds.mkdir()
    for case_id in tumorbench_source.case_ids():
        _cavity_case(case_id, tumorbench_source.load(case_id), root)
        truth = load_volume(root / f"{case_id}_seg.nii.gz")
        save_volume(preds / f"{case_id}.nii.gz", np.asarray(truth.data), truth.affine)
        save_volume(preds / f"{case_id}_unc_cavity.nii.gz", np.zeros(truth.shape, np.uint8), truth.affine)
    return registry, root, preds


def test_the_convention_checks_and_orders_its_regions() -> None:
    counts = check_label_convention(CAVITY)
    assert list(counts) == ["WT", "TC", "ET", "RC"]
    masks = CAVITY.to_regions(np.array([0, 1, 2, 3, 4]))
    assert masks["RC"].tolist() == [False, False, False, False, True] and not masks["WT"][4]  # RC is not in WT


def test_a_dataset_with_a_cavity_label_runs_and_scores_its_regions(tmp_path: Path, cavity) -> None:
    registry, root, preds = cavity
    options = RunOptions(models=(f"folder:{preds}", "intensity-baseline"), datasets=("cavity",), out=tmp_path / "run",
                         data_roots={"cavity": root}, metric_conventions=("brats-legacy", "qu-brats"))
    summary = run_and_render(options, registry)
    assert summary.failed == 0
    csv = pd.read_csv(tmp_path / "run" / "metrics.csv")
    legacy = csv[csv.metric_convention == "brats-legacy"]
    folder = legacy[legacy.model == f"folder:{preds}"]
    # the ground truth scored against itself: Dice 1 in every region of the convention, the cavity included
    assert set(folder.region) == {"WT", "TC", "ET", "RC"}
    assert (folder[folder.metric == "dice"].value == 1.0).all()
    # a WT/TC/ET model is scored on those regions only, never on the cavity it does not predict
    assert set(legacy[legacy.model == "intensity-baseline"].region) == {"WT", "TC", "ET"}
    # the cavity's uncertainty map is found by the convention's suffix, and scored
    qu = csv[(csv.metric_convention == "qu-brats") & (csv.model == f"folder:{preds}")]
    assert set(qu.region) == {"RC"}
    written = sorted(p.name for p in (tmp_path / "run" / "predictions" / "intensity-baseline" / "cavity").glob("*_unc_*"))
    assert {name.split("_unc_")[1] for name in written} == {"whole.nii.gz", "core.nii.gz", "enhance.nii.gz"}
    text = (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Model") and "dice WT" in line and "dice RC" in line)
    cells = [c.strip() for c in header.split("|")]
    assert [cells.index(f"dice {r}") for r in ("WT", "TC", "ET", "RC")] == sorted(cells.index(f"dice {r}") for r in ("WT", "TC", "ET", "RC"))


def test_a_model_whose_regions_the_convention_lacks_is_refused_before_any_case(tmp_path: Path, cavity) -> None:
    registry, root, _ = cavity
    spec = registry.models.get("fcn")  # a whole-tumour model: WT is in the convention, so it runs
    assert spec.regions == ("WT",)
    weird = LabelConvention(name="only-gtv", summary="1 gross tumour volume", labels={0: "background", 1: "gtv"},
                            regions={"GTV": (1,)}, paint_order=(("GTV", 1),))
    module = types.ModuleType("gtv_plugin")
    module.tumorbench_label_conventions = hookimpl(lambda: [weird])
    module.tumorbench_datasets = hookimpl(lambda: [DatasetSpec(
        name="gtv", summary="x", label_convention="only-gtv", open=lambda o: CavityFolder(o.root))])
    both = Registry(get_plugin_manager(entry_points=False, extra=[module]))
    options = RunOptions(models=("fcn",), datasets=("gtv",), out=tmp_path / "run", data_roots={"gtv": root})
    with pytest.raises(BenchError, match="label convention only-gtv of dataset gtv has none of them"):
        run_and_render(options, both)
    assert not (tmp_path / "run" / "results.sqlite").exists()


def test_an_unknown_label_convention_names_the_installed_ones() -> None:
    with pytest.raises(BenchError, match=r"unknown label convention 'brats-2099'.*brats-2017"):
        get_convention("brats-2099")
