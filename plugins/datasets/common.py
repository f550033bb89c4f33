"""What every folder layout shares: the files of one case, inspection that lists every problem,
and the opened dataset the runner reads cases from.

A layout (BraTS by year, BraTS 2023, MSD, Rembrandt) only says where a case's files are
(:meth:`Layout.scan`) and how confident it is that a folder is its kind (:meth:`Layout.detect`).
Loading and checking are the same code for every layout, so ``bench data check`` and the runner
report a bad file with the same one-line message (``<file>: <cause>``).

Modalities are always exposed under the canonical names ``flair``, ``t1``, ``t1ce``, ``t2``;
which channel order a model wants is the model's business.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    LabelConvention,
    LazyImages,
    Volume,
    absent_reason,
    get_convention,
    load_volume,
)

MODALITIES: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")
NIFTI_SUFFIXES: tuple[str, ...] = (".nii.gz", ".nii")


@dataclass(frozen=True)
class CaseFiles:
    """Where one case's files are, as a layout found them.

    Args:
        images: canonical modality -> file. Several modalities may share one 4D file, in which
            case ``channels`` gives each one's index along the fourth axis.
        label: the label map, or None (inference-only sets).
        problems: what the scan already knows is wrong (missing modality, misnamed file).
        expected_label: where the label map would be, for layouts where a set is either fully
            labelled or not at all (a training set missing one label map is reported).
    """

    case_id: str
    folder: Path
    images: Mapping[str, Path]
    label: Path | None = None
    channels: Mapping[str, int] | None = None
    problems: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    expected_label: Path | None = None


def nifti_file(folder: Path, stem: str) -> Path | None:
    """``folder/stem.nii.gz`` or ``folder/stem.nii``, whichever exists.

    A broken symbolic link or a symlink loop counts as there, so that loading it names the
    trouble (``symlink loop``) instead of the file being reported missing.
    """
    for ext in NIFTI_SUFFIXES:
        candidate = folder / f"{stem}{ext}"
        if candidate.is_file() or candidate.is_symlink():
            return candidate
    return None


def visible_dirs(folder: Path) -> list[Path]:
    """Sub-folders, sorted, without hidden ones and macOS ``__MACOSX`` debris."""
    return sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "__MACOSX"))
    )


class Layout(ABC):
    """One on-disk layout of a dataset (a family may share a class between years)."""

    name: str
    summary: str
    convention: str

    @abstractmethod
    def detect(self, root: Path) -> int:
        """How many cases of this layout ``root`` holds (0: it is not this layout)."""

    @abstractmethod
    def scan(self, root: Path) -> dict[str, CaseFiles]:
        """Case id -> files; raises :class:`BenchError` when the root holds no case at all."""

    def root_problems(self, root: Path) -> list[str]:
        """Problems of the folder as a whole (stray folders, bad index files)."""
        return []

    def describe(self) -> str:
        return f"{self.name} ({self.summary})"


def unique_cases(found: Iterable[CaseFiles], root: Path) -> dict[str, CaseFiles]:
    """Case id -> files; a case id found twice (``HGG/x`` and ``LGG/x``, or listed twice in an
    index) is refused, naming both places: the scan must never keep one and score the other's
    prediction against it."""
    cases: dict[str, CaseFiles] = {}
    for files in found:
        if files.case_id in cases:
            first = cases[files.case_id]
            raise BenchError(
                f"{root}: case id {files.case_id!r} is found twice ({first.folder} and {files.folder}); "
                "give each case one id (rename or move one of them)"
            )
        cases[files.case_id] = files
    return cases


image_problems = LazyImages.image_problems  # NaN or infinite voxels, an empty, all-zero or constant image
_grid_problem = LazyImages.grid_problem


def validate_label(convention: LabelConvention, data: np.ndarray, source: str) -> None:
    """:meth:`LabelConvention.validate` (one pass over an integer map, no sort)."""
    convention.validate(data, source)


def _load_images(files: CaseFiles, problems: list[str]) -> dict[str, Volume]:
    images, found = LazyImages.read(files.images, files.channels)
    problems.extend(found)
    return images


def inspect_case(
    files: CaseFiles, convention: LabelConvention, dataset: str
) -> tuple[Case | None, list[str]]:
    """Load a case and list every problem found; the case is None when any problem was found."""
    problems = list(files.problems)
    images = _load_images(files, problems)
    volumes = list(images.values())
    for volume in volumes:
        problems.extend(image_problems(volume))
    seen: set[Path] = set()
    for volume in volumes[1:]:
        problem = _grid_problem(volumes[0], volume)
        if problem and volume.path not in seen:
            problems.append(problem)
            seen.add(volume.path)  # type: ignore[arg-type]
    label = None
    if files.label is not None:
        try:
            label = load_volume(files.label)
        except BenchError as exc:
            problems.append(str(exc))
        if label is not None:
            if volumes:
                problem = _grid_problem(volumes[0], label)
                if problem:
                    problems.append(problem)
            try:
                validate_label(convention, label.data, str(files.label))
            except BenchError as exc:
                problems.append(str(exc))
    if problems:
        return None, problems
    ordered = {m: images[m] for m in MODALITIES if m in images}
    case = Case(
        case_id=files.case_id,
        images=ordered,
        label=label,
        convention=convention,
        dataset=dataset,
        meta={"folder": str(files.folder), **dict(files.meta)},
    )
    return case, []


class FolderDataset:
    """An opened dataset folder of one layout: the :class:`DatasetSource` the runner reads."""

    def __init__(self, layout: Layout, root: Path, name: str | None = None, select=None,  # noqa: ANN001
                 convention: str | None = None) -> None:
        """``select``: an optional test on each case's :class:`CaseFiles` (e.g. one grade only);
        ``convention``: the label convention to read the label maps with in place of the layout's
        (``--label-convention``)."""
        self.layout = layout
        self.root = Path(root)
        self.name = name or layout.name
        self._select = select
        self.convention: LabelConvention = get_convention(convention or layout.convention)
        self.modalities: tuple[str, ...] = MODALITIES
        self._files: dict[str, CaseFiles] | None = None

    def files(self) -> dict[str, CaseFiles]:
        if self._files is None:
            found = self.layout.scan(self.root)
            self._files = found if self._select is None else {k: f for k, f in found.items() if self._select(f)}
        return self._files

    def case_ids(self) -> list[str]:
        return list(self.files())

    def _case_files(self, case_id: str) -> CaseFiles:
        files = self.files()
        if case_id not in files:
            raise BenchError(f"{self.root}: no case {case_id!r} in this {self.layout.name} folder")
        return files[case_id]

    def label_file(self, case_id: str) -> Path | None:
        """The ground-truth file of a case (None for an inference-only case)."""
        return self._case_files(case_id).label

    def load(self, case_id: str) -> Case:
        """The case with its label map read and checked; images are read when first used."""
        files = self._case_files(case_id)
        if files.problems:
            raise BenchError(files.problems[0])
        label = None
        if files.label is not None:
            label = load_volume(files.label)
            validate_label(self.convention, label.data, str(files.label))
        images = LazyImages(files.images, label, channels=files.channels, order=MODALITIES)
        if label is None and len(images):
            images[next(iter(images))]  # the grid predictions are written on
        return Case(
            case_id=files.case_id,
            images=images,
            label=label,
            convention=self.convention,
            dataset=self.name,
            meta={"folder": str(files.folder), **dict(files.meta)},
        )


def require_root(name: str, root: Path | None) -> Path:
    """The data root of a dataset that needs one, as a Path, or the one-line error."""
    if root is None:
        raise BenchError(f"dataset {name} needs --data-root (or TUMORBENCH_DATA_ROOT)")
    root = Path(root)
    if not root.is_dir():
        reason = absent_reason(root, "folder")
        raise BenchError(f"{root}: data root not found" if reason == "folder not found" else f"{root}: {reason}")
    return root
