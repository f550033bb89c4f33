"""Medical Segmentation Decathlon Task01 (brain tumour): 4D images and ``dataset.json``.

Layout (the folder ``Task01_BrainTumour`` or its parent)::

    dataset.json              # "modality": {"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"}
    imagesTr/BRATS_001.nii.gz # X x Y x Z x 4, channels in the order dataset.json names
    labelsTr/BRATS_001.nii.gz # 1 edema, 2 non-enhancing tumour, 3 enhancing tumour (msd)
    imagesTs/BRATS_485.nii.gz # no labels (inference only)

Channels are mapped to the canonical names by their dataset.json names, so a reordered file
still loads right. ``--dataset-opt subset=train|test|all`` picks the cases (default ``train``).
Images are RAS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tumorbench.api import BenchError, DatasetOptions, DatasetSpec, hookimpl

from .common import MODALITIES, CaseFiles, FolderDataset, Layout, require_root

TASK_FOLDER = "Task01_BrainTumour"
CHANNEL_NAMES = {"flair": "flair", "t1w": "t1", "t1": "t1", "t1gd": "t1ce", "t1ce": "t1ce", "t1c": "t1ce",
                 "t2w": "t2", "t2": "t2"}
MSD_MODALITY_NAMES = {"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"}
SUBSETS = ("train", "test", "all")


def task_root(root: Path) -> Path:
    """``root`` itself, or its ``Task01_BrainTumour`` sub-folder when that is where the data is."""
    root = Path(root)
    if not (root / "dataset.json").is_file() and (root / TASK_FOLDER / "dataset.json").is_file():
        return root / TASK_FOLDER
    return root


def _case_id(entry: str) -> str:
    return Path(entry).name.split(".nii")[0]


class MsdLayout(Layout):
    """MSD Task01 folder; ``subset`` picks training cases, test cases or both."""

    name = "msd-brain"
    summary = "Medical Segmentation Decathlon Task01 (4D imagesTr/, labelsTr/, dataset.json), labels 1,2,3"
    convention = "msd"

    def __init__(self, subset: str = "all") -> None:
        if subset not in SUBSETS:
            raise BenchError(f"msd-brain: subset must be one of {', '.join(SUBSETS)}, got {subset!r}")
        self.subset = subset

    def detect(self, root: Path) -> int:
        """The cases dataset.json lists (not every NIfTI file in imagesTr/: an nnU-Net v2 raw
        folder holds one file per channel and lists no cases). Detection then ranks the layouts
        by the cases they can load; a listed case whose files are missing still names the
        layout, so that ``bench data check`` reports the missing files."""
        root = task_root(root)
        if not (root / "dataset.json").is_file():
            return 0
        try:
            return len(MsdLayout("all").scan(root))
        except BenchError:
            return 0

    def _index(self, root: Path) -> dict:
        path = root / "dataset.json"
        if not path.is_file():
            raise BenchError(f"{path}: file not found (an MSD task folder carries a dataset.json)")
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BenchError(f"{path}: not valid JSON ({exc})") from exc
        if not isinstance(index, dict):
            raise BenchError(f"{path}: expected a JSON object")
        return index

    def channels(self, root: Path) -> dict[str, int]:
        """Canonical modality -> channel index, from dataset.json's ``modality`` names."""
        path = root / "dataset.json"
        names = self._index(root).get("modality", MSD_MODALITY_NAMES)
        out: dict[str, int] = {}
        for key, value in names.items():
            canonical = CHANNEL_NAMES.get(str(value).lower())
            if canonical is None:
                raise BenchError(f"{path}: modality {value!r} is not one of FLAIR, T1w, T1gd, T2w")
            out[canonical] = int(key)
        missing = [m for m in MODALITIES if m not in out]
        if missing:
            raise BenchError(f"{path}: modality list lacks {', '.join(missing)}")
        return {m: out[m] for m in MODALITIES}

    def scan(self, root: Path) -> dict[str, CaseFiles]:
        root = task_root(Path(root))
        if not root.is_dir():
            raise BenchError(f"{root}: data root not found")
        index = self._index(root)
        channels = self.channels(root)
        entries: list[tuple[str, str | None]] = []
        if self.subset in ("train", "all"):
            for item in index.get("training", []):
                entries.append((item["image"], item.get("label")))
        if self.subset in ("test", "all"):
            for item in index.get("test", []):
                entries.append((item if isinstance(item, str) else item["image"], None))
        cases: dict[str, CaseFiles] = {}
        for image, label in entries:
            case_id = _case_id(image)
            image_path = (root / image).resolve() if image.startswith("..") else root / image
            problems: list[str] = []
            images = {m: image_path for m in MODALITIES}
            if not image_path.is_file() and not image_path.is_symlink():
                problems.append(f"{image_path}: missing image listed in dataset.json")
                images = {}
            label_path = root / label if label else None
            if label_path is not None and not label_path.is_file() and not label_path.is_symlink():
                problems.append(f"{label_path}: missing label map listed in dataset.json")
                label_path = None
            if case_id in cases:
                raise BenchError(f"{root / 'dataset.json'}: case {case_id!r} is listed twice (as {cases[case_id].folder} and {image_path.parent})")
            cases[case_id] = CaseFiles(
                case_id=case_id,
                folder=image_path.parent,
                images=images,
                label=label_path,
                channels=channels,
                problems=tuple(problems),
            )
        if not cases:
            what = {"train": "training", "test": "test", "all": "training or test"}[self.subset]
            hint = " (an nnU-Net v2 dataset.json: use --dataset nnunet-raw)" if "channel_names" in index else ""
            raise BenchError(f"{root / 'dataset.json'}: lists no {what} cases{hint}")
        return cases


@dataclass(frozen=True)
class MsdOptions:
    """``--dataset-opt subset=train|test``: the training cases (with labels) or the test cases."""

    subset: str = "train"


def open_msd(options: DatasetOptions) -> FolderDataset:
    root = require_root("msd-brain", options.root)
    subset = str(options.params.get("subset", "train"))
    return FolderDataset(MsdLayout(subset), task_root(root), convention=options.label_convention)


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [
        DatasetSpec(
            name=MsdLayout.name,
            summary=MsdLayout.summary,
            label_convention=MsdLayout.convention,
            open=open_msd,
            modalities=MODALITIES,
            options=MsdOptions,
        )
    ]
