"""Layout detection scores a folder by the cases a layout can load, not by the files it counts,
and a dataset named with ``--dataset`` is always the one checked.

The folders here are an nnU-Net raw dataset (``dataset.json`` with ``channel_names``,
``imagesTr/<case>_0000.nii.gz`` ... ``_0003``, ``labelsTr/<case>.nii.gz``: four cases in sixteen
image files, which MSD Task01's layout once claimed by counting files) and the same cases in a
layout only a test plugin reads; a second test plugin's detector claims every folder and reads none.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers.plugin_dists import bench, make_distribution

from tumorbench.api import BenchError, DatasetOptions, save_volume
from tumorbench.testing import synthetic_arrays
from tumorbench_plugins.datasets.check import check_folder
from tumorbench_plugins.datasets.layouts import all_layouts, detect
from tumorbench_plugins.datasets.msd import MsdLayout, open_msd
from tumorbench_plugins.datasets.synthetic import generate

CHANNELS = {"0": "FLAIR", "1": "T1w", "2": "T1gd", "3": "T2w"}
ORDER = ("flair", "t1", "t1ce", "t2")
IDS = ("BRATS_001", "BRATS_002", "BRATS_003", "BRATS_004")


def nnunet_raw(root: Path) -> Path:
    """An nnU-Net v2 raw dataset of four cases (labels 1 NCR, 2 ED, 3 ET: brats-2023)."""
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    affine = np.diag([1.0, 1.0, 1.0, 1.0])
    for k, case_id in enumerate(IDS):
        images, label = synthetic_arrays(k)
        for channel, modality in enumerate(ORDER):
            save_volume(root / "imagesTr" / f"{case_id}_{channel:04d}.nii.gz", images[modality], affine)
        save_volume(root / "labelsTr" / f"{case_id}.nii.gz", np.where(label == 4, 3, label).astype(np.uint8), affine)
    index = {"channel_names": CHANNELS, "labels": {"background": 0, "NCR": 1, "ED": 2, "ET": 3},
             "numTraining": len(IDS), "file_ending": ".nii.gz"}
    (root / "dataset.json").write_text(json.dumps(index), encoding="utf-8")
    return root


def test_an_nnunet_folder_is_read_by_the_layout_that_loads_it(tmp_path: Path) -> None:
    from tumorbench_plugins.datasets.layouts import readable

    root = nnunet_raw(tmp_path / "Dataset001_BrainTumour")
    msd = MsdLayout("all")
    assert readable(msd, root) == (0, 0)  # its scan loads no case of it
    found = detect(root)
    assert found is not None and found[0].name == "nnunet-raw" and found[1] == 4
    report = check_folder(root)
    assert report.layout.name == "nnunet-raw" and report.cases == 4 and report.ok, report.problems
    with pytest.raises(BenchError, match=r"dataset.json: lists no training cases \(an nnU-Net v2 dataset.json"):
        open_msd(DatasetOptions(root=root)).case_ids()
    with pytest.raises(BenchError, match=r"dataset.json: lists no training or test cases"):
        msd.scan(root)


def test_a_folder_no_layout_reads_is_no_known_layout(tmp_path: Path) -> None:
    root = tmp_path / "notes"
    (root / "imagesTr").mkdir(parents=True)
    (root / "dataset.json").write_text(json.dumps({"training": []}), encoding="utf-8")  # MSD's index, listing nothing
    assert detect(root) is None
    assert check_folder(root).problems == [f"{root}: no known dataset layout found (tried {', '.join(_every_name())})"]


def _every_name() -> list[str]:
    from tumorbench_plugins.datasets.layouts import every_layout

    return list(every_layout())


def test_a_layout_with_broken_cases_is_still_found_and_a_readable_one_wins(tmp_path: Path) -> None:
    from tumorbench_plugins.datasets.layouts import readable

    root = generate(tmp_path / "b", {"cases": 2, "size": (24, 24, 16), "seed": 1, "layout": "brats18"})
    brats18 = all_layouts()["brats18"]
    assert readable(brats18, root) == (2, 2)
    flair = next(root.glob("*GG/*/*_flair.nii.gz"))
    flair.unlink()
    assert readable(brats18, root) == (1, 2)  # one case now misses a modality
    found = detect(root)
    assert found is not None and found[0].name == "brats18" and found[1] == 2
    for other in root.glob("*GG/*/*_flair.nii.gz"):
        other.unlink()
    found = detect(root)  # no case loads: the layout that finds them is still named, to list the problems
    assert found is not None and found[0].name == "brats18"
    assert sum("missing modality flair" in p for p in check_folder(root).problems) == 2


def test_a_named_dataset_always_wins(tmp_path: Path) -> None:
    met = generate(tmp_path / "met", {"cases": 2, "size": (24, 24, 16), "seed": 1, "layout": "brats24-met"})
    assert detect(met)[0].name == "brats23"  # the same folder names: a tie goes to the generic layout
    report = check_folder(met, "brats24-met")  # named: read as what it is
    assert report.layout.name == "brats24-met" and report.ok and report.cases == 2
    root = generate(tmp_path / "b", {"cases": 2, "size": (24, 24, 16), "seed": 1, "layout": "brats18"})
    report = check_folder(root, "brats19")  # named, though brats19's ids are not these: read as brats19
    assert report.layout.name == "brats19" and not report.ok
    assert report.problems[0].endswith(f"the folder looks like {all_layouts()['brats18'].describe()} with 2 cases")
    report = check_folder(root, "msd-brain")  # reads nothing: says why, and what the folder looks like
    assert report.layout.name == "msd-brain"
    assert report.problems == [
        f"{root / 'dataset.json'}: file not found (an MSD task folder carries a dataset.json); "
        f"the folder looks like {all_layouts()['brats18'].describe()} with 2 cases"
    ]


NNUNET_PLUGIN = '''
import json
from pathlib import Path

from tumorbench.api import BenchError, Case, DatasetSpec, get_convention, hookimpl, load_volume

NAMES = {"flair": "flair", "t1w": "t1", "t1gd": "t1ce", "t2w": "t2"}


class Raw:
    def __init__(self, root):
        self.root = Path(root)
        index = self.root / "dataset.json"
        try:
            self.channels = {NAMES[v.lower()]: int(k) for k, v in json.loads(index.read_text())["channel_names"].items()}
        except (OSError, ValueError, KeyError) as exc:
            raise BenchError(f"{index}: not an nnU-Net raw index ({type(exc).__name__})") from exc
        self.ids = sorted(p.name[: -len("_0000.nii.gz")] for p in (self.root / "images").glob("*_0000.nii.gz"))

    def case_ids(self):
        return list(self.ids)

    def load(self, case_id):
        images = {m: load_volume(self.root / "images" / f"{case_id}_{c:04d}.nii.gz") for m, c in self.channels.items()}
        label = load_volume(self.root / "labels" / f"{case_id}.nii.gz")
        return Case(case_id=case_id, images=images, label=label, convention=get_convention("brats-2023"), dataset="my-export")


def files(root):
    return sum(1 for _ in Path(root).glob("images/*.nii.gz"))  # counts files, not cases


@hookimpl
def tumorbench_datasets():
    return [
        DatasetSpec(name="my-export", summary="an nnU-Net-like export (images/, labels/)", label_convention="brats-2023",
                    open=lambda options: Raw(options.root), detect=files),
        DatasetSpec(name="my-greedy", summary="claims every folder, reads none", label_convention="brats-2023",
                    open=lambda options: Raw(Path(options.root) / "nowhere"), detect=lambda root: 10**6),
    ]
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    make_distribution(folder, "my-nnunet", "0.2.0", "my_nnunet_raw", NNUNET_PLUGIN, {"tumorbench.datasets": "my-nnunet"})
    return folder


def my_export(root: Path) -> Path:
    """The nnU-Net folder's cases as images/ and labels/: a layout only the test plugin reads."""
    nnunet_raw(root)
    (root / "imagesTr").rename(root / "images")
    (root / "labelsTr").rename(root / "labels")
    return root


def test_the_plugin_that_loads_the_cases_is_detected(site: Path, tmp_path: Path) -> None:
    root = my_export(tmp_path / "export")
    result = bench(site, "data", "check", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["layout: my-export (an nnU-Net-like export (images/, labels/))", "cases: 4 (4 with labels)"]
    split = bench(site, "data", "split", str(root), "--folds", "2", "--out", str(tmp_path / "split.json"))
    assert split.returncode == 0, split.stderr
    assert "my-export, 4 cases" in split.stdout
    manifest = json.loads((tmp_path / "split.json").read_text(encoding="utf-8"))
    assert sorted(i for fold in manifest["folds"] for i in fold["validation"]) == list(IDS)
    # the greedy plugin (its detector claims a million cases) reads none of either folder
    raw = bench(site, "data", "check", str(nnunet_raw(tmp_path / "raw")))
    assert raw.returncode == 0 and raw.stdout.splitlines()[0].startswith("layout: nnunet-raw (")


def test_a_named_plugin_dataset_wins_over_detection(site: Path, tmp_path: Path) -> None:
    root = generate(tmp_path / "b", {"cases": 2, "size": (24, 24, 16), "seed": 1, "layout": "brats18"})
    result = bench(site, "data", "check", str(root), "--dataset", "my-export")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "layout: my-export (an nnU-Net-like export (images/, labels/))"
    assert "not an nnU-Net raw index" in result.stdout and "the folder looks like brats18" in result.stdout
    raw = nnunet_raw(tmp_path / "raw")  # detected as nnunet-raw; named, it is read as my-greedy (which reads nothing)
    named = bench(site, "data", "check", str(raw), "--dataset", "my-greedy")
    assert named.returncode == 1 and named.stdout.splitlines()[0].startswith("layout: my-greedy (")
    assert "the folder looks like nnunet-raw" in named.stdout
