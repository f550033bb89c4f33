"""The ``nnunet-raw`` dataset: an nnU-Net v2 raw dataset folder read as it is.

Layout (``--data-root`` is the ``DatasetXXX_Name`` folder, or the ``nnUNet_raw`` folder above it
with ``--dataset-opt dataset=XXX`` when it holds several)::

    dataset.json                    channel_names, labels, file_ending (optional: dataset, regions_class_order)
    imagesTr/<case>_0000.nii.gz     one file per channel, numbered as channel_names numbers them
    labelsTr/<case>.nii.gz          the label map of each training case
    imagesTs/<case>_0000.nii.gz     optional test cases, without labels (labelsTs/ is read when present)

Channels are exposed under tumorbench's modality names by their ``channel_names``; the labels'
convention is the installed one ``labels`` fits (:func:`.dataset_json.match_convention`), or
``--dataset-opt label_convention=NAME``. A ``dataset`` key in dataset.json (explicit files per case,
as nnU-Net's Dataset226 uses) replaces ``imagesTr``/``labelsTr``. ``--dataset-opt
subset=train|test|all`` picks the cases (default ``train``; test cases load without labels). Images are read when first used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    DataError,
    DatasetOptions,
    LabelConvention,
    Volume,
    absent_reason,
    load_volume,
)

from .dataset_json import DatasetJson, match_convention, read_dataset_json

NAME = "nnunet-raw"
SUBSETS: tuple[str, ...] = ("train", "test", "all")
_CHANNEL = re.compile(r"^(?P<case>.+)_(?P<channel>\d{4})$")


@dataclass(frozen=True)
class RawCase:
    """One case's files: modality -> image, the label map (None for a test case), and what is
    already known to be wrong with them."""

    case_id: str
    images: Mapping[str, Path]
    label: Path | None
    subset: str
    problems: tuple[str, ...] = ()


# ------------------------------------------------------------------ where the dataset is
def dataset_folder(root: Path, which: str | None = None) -> Path:
    """The ``DatasetXXX_Name`` folder: ``root`` itself when it holds dataset.json, else the one
    sub-folder named by ``which`` (an id such as ``137`` or the full name), or the only one."""
    root = Path(root)
    if (root / "dataset.json").is_file() and not which:
        return root
    subs = sorted(p for p in root.glob("Dataset*_*") if (p / "dataset.json").is_file()) if root.is_dir() else []
    if which:
        chosen = [p for p in subs if p.name == which or p.name.split("_", 1)[0] == f"Dataset{str(which).zfill(3)}"]
        if len(chosen) != 1:
            raise BenchError(f"{root}: no nnU-Net dataset {which!r} here (found {', '.join(p.name for p in subs) or 'none'})")
        return chosen[0]
    if len(subs) == 1:
        return subs[0]
    if subs:
        raise BenchError(f"{root}: holds several nnU-Net datasets ({', '.join(p.name for p in subs)}); "
                         "pick one with --dataset-opt dataset=ID")
    raise BenchError(f"{root / 'dataset.json'}: file not found (an nnU-Net v2 raw dataset folder carries one)")


def _present(path: Path) -> bool:
    return path.is_file() or path.is_symlink()


def _channel_files(folder: Path, ending: str) -> dict[str, dict[int, Path]]:
    """``<case>_<XXXX><ending>`` files of ``folder`` by case and channel number."""
    out: dict[str, dict[int, Path]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.name.endswith(ending):
            continue
        match = _CHANNEL.match(path.name[: -len(ending)])
        if match:
            out.setdefault(match.group("case"), {})[int(match.group("channel"))] = path
    return out


def _folder_cases(folder: Path, labels: Path, info: DatasetJson, subset: str, need_label: bool) -> list[RawCase]:
    cases = []
    count = len(info.channels)
    for case_id, found in _channel_files(folder, info.file_ending).items():
        problems = [f"{folder / f'{case_id}_{k:04d}{info.file_ending}'}: missing (dataset.json names {count} channels)"
                    for k in range(count) if k not in found]
        problems += [f"{path}: channel {k} is not in dataset.json's channel_names (0..{count - 1})"
                     for k, path in found.items() if k >= count]
        label: Path | None = labels / f"{case_id}{info.file_ending}"
        if not _present(label):  # type: ignore[arg-type]
            if need_label:
                problems.append(f"{label}: missing label map of training case {case_id}")
            label = None
        images = {info.channels[k]: found[k] for k in range(count) if k in found}
        cases.append(RawCase(case_id, images, label, subset, tuple(problems)))
    return cases


def _resolve(root: Path, entry: Any) -> Path:
    text = os.path.expandvars(str(entry))
    return Path(text) if os.path.isabs(text) else root / text


def _listed_cases(root: Path, info: DatasetJson) -> list[RawCase]:
    """The cases of dataset.json's ``dataset`` key (``{case: {"images": [...], "label": ...}}``)."""
    cases = []
    for case_id, entry in (info.files or {}).items():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("images"), list):
            raise BenchError(f"{info.path}: dataset entry {case_id!r} needs 'images' (a list) and 'label'")
        paths = [_resolve(root, p) for p in entry["images"]]
        problems = []
        if len(paths) != len(info.channels):
            problems.append(f"{info.path}: case {case_id} lists {len(paths)} images for {len(info.channels)} channels")
        problems += [f"{p}: {absent_reason(p)} (listed in dataset.json)" for p in paths if not _present(p)]
        label = _resolve(root, entry["label"]) if entry.get("label") else None
        if label is None or not _present(label):
            problems.append(f"{label or info.path}: missing label map of training case {case_id}")
            label = None
        images = dict(zip(info.channels, paths))
        cases.append(RawCase(str(case_id), images, label, "train", tuple(problems)))
    return cases


def scan(root: Path, info: DatasetJson, subset: str) -> dict[str, RawCase]:
    """Case id -> files of the chosen subset (``train``: imagesTr or the ``dataset`` key; ``test``: imagesTs)."""
    found: list[RawCase] = []
    if subset in ("train", "all"):
        if info.files is not None:
            found += _listed_cases(root, info)
        else:
            found += _folder_cases(root / "imagesTr", root / "labelsTr", info, "train", need_label=True)
    if subset in ("test", "all"):
        found += _folder_cases(root / "imagesTs", root / "labelsTs", info, "test", need_label=False)
    cases: dict[str, RawCase] = {}
    for case in found:
        if case.case_id in cases:
            raise BenchError(f"{root}: case {case.case_id} is both a training and a test case")
        cases[case.case_id] = case
    return cases


def detect(root: Path) -> int:
    """How many cases of an nnU-Net raw folder could be loaded: every channel and (for a training
    case) the label map present. 0 for anything else, an MSD task folder included."""
    try:
        folder = dataset_folder(Path(root))
        info = read_dataset_json(folder / "dataset.json")
        return sum(1 for c in scan(folder, info, "all").values() if not c.problems)
    except (BenchError, OSError):
        return 0


# ------------------------------------------------------------------ loading
def _image_problem(volume: Volume, reference: Volume | None) -> str | None:
    data = volume.data
    if np.issubdtype(data.dtype, np.floating):
        bad = int(data.size - np.count_nonzero(np.isfinite(data)))
        if bad:
            return f"{volume.path}: NaN or infinite intensities ({bad} voxels)"
    if data.size == 0 or data.min() == data.max():
        return f"{volume.path}: {'empty' if data.size == 0 else 'constant'} image"
    if reference is not None:
        if volume.shape != reference.shape:
            return f"{volume.path}: shape {volume.shape} differs from {Path(str(reference.path)).name} {reference.shape}"
        if not np.allclose(volume.affine, reference.affine, atol=1e-3):
            return f"{volume.path}: affine differs from {Path(str(reference.path)).name}"
    return None


class LazyImages(Mapping[str, Volume]):
    """A case's images, each read and checked (finite, not constant, on the reference grid) on first use."""

    def __init__(self, files: Mapping[str, Path], reference: Volume | None) -> None:
        self._files = dict(files)
        self._reference = reference
        self._loaded: dict[str, Volume] = {}

    def __getitem__(self, modality: str) -> Volume:
        if modality not in self._loaded:
            path = self._files[modality]  # KeyError for a modality the case lacks
            try:
                volume = load_volume(path)
            except BenchError as exc:
                raise DataError(str(exc)) from None
            problem = _image_problem(volume, self._reference)
            if problem:
                raise DataError(problem)
            self._reference = self._reference or volume
            self._loaded[modality] = volume
        return self._loaded[modality]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


class NnunetRaw:
    """An opened nnU-Net raw dataset: the :class:`DatasetSource` the runner reads."""

    def __init__(self, root: Path, info: DatasetJson, convention: LabelConvention, cases: Mapping[str, RawCase],
                 name: str = NAME) -> None:
        self.root = root
        self.info = info
        self.convention = convention
        self.modalities = tuple(info.channels)
        self.name = name
        self._cases = dict(cases)

    def case_ids(self) -> list[str]:
        return list(self._cases)

    def _case(self, case_id: str) -> RawCase:
        if case_id not in self._cases:
            raise BenchError(f"{self.root}: no case {case_id!r} in this nnU-Net dataset")
        return self._cases[case_id]

    def label_file(self, case_id: str) -> Path | None:
        return self._case(case_id).label

    def load(self, case_id: str) -> Case:
        files = self._case(case_id)
        if files.problems:
            raise DataError(files.problems[0])
        label = None
        if files.label is not None:
            try:
                label = load_volume(files.label)
            except BenchError as exc:
                raise DataError(str(exc)) from None
            try:
                self.convention.validate(label.data, str(files.label))
            except BenchError as exc:
                raise DataError(str(exc)) from None
        images = LazyImages(files.images, label)
        if label is None:
            images[next(iter(images))]  # the grid predictions are written on
        folder = next(iter(files.images.values())).parent
        return Case(case_id=case_id, images=images, label=label, convention=self.convention, dataset=self.name,
                    meta={"folder": str(folder), "subset": files.subset})


def open_raw(options: DatasetOptions) -> NnunetRaw:
    """``--data-root`` (the DatasetXXX folder or nnUNet_raw) with ``--dataset-opt`` ``dataset``,
    ``subset`` and ``label_convention``."""
    if options.root is None:
        raise BenchError(f"dataset {NAME} needs --data-root (an nnU-Net v2 DatasetXXX_Name folder)")
    root = Path(options.root)
    if not root.is_dir():
        raise BenchError(f"{root}: {absent_reason(root, 'folder')}")
    params = dict(options.params)
    subset = str(params.get("subset", "train"))
    if subset not in SUBSETS:
        raise BenchError(f"{NAME}: subset must be one of {', '.join(SUBSETS)}, got {subset!r}")
    folder = dataset_folder(root, str(params["dataset"]) if params.get("dataset") else None)
    info = read_dataset_json(folder / "dataset.json")
    wanted = params.get("label_convention") or getattr(options, "label_convention", None)
    convention = match_convention(info.labels, info.path, str(wanted) if wanted else None)
    cases = scan(folder, info, subset)
    if not cases:
        where = {"train": "imagesTr/", "test": "imagesTs/", "all": "imagesTr/ or imagesTs/"}[subset]
        raise BenchError(f"{folder}: no {subset} cases ({where} holds no <case>_0000{info.file_ending} files)")
    return NnunetRaw(folder, info, convention, cases)
