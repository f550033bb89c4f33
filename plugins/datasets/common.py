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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    DataError,
    LabelConvention,
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


def _finite_problem(volume: Volume) -> str | None:
    data = volume.data
    if np.issubdtype(data.dtype, np.floating):
        bad = int(data.size - np.count_nonzero(np.isfinite(data)))
        if bad:
            return f"{volume.path}: NaN or infinite intensities ({bad} voxels)"
    return None


def constant_problem(volume: Volume) -> str | None:
    """A modality with one value everywhere (all zero: an empty or failed export) carries no image.

    Predicting on it is meaningless, so the case fails with this reason (and ``bench data check``
    lists it).
    """
    data = volume.data
    if data.size == 0:
        return f"{volume.path}: empty image (no voxels)"
    lo, hi = data.min(), data.max()  # no temporary the size of the image
    if lo != hi:  # NaN compares unequal: left to the finiteness check
        return None
    what = "all-zero image" if lo == 0 else f"constant image (every voxel {lo.item():g})"
    return f"{volume.path}: {what}"


def image_problems(volume: Volume) -> list[str]:
    """Intensity problems of one modality: NaN or infinite voxels, or one value everywhere."""
    problem = _finite_problem(volume) or constant_problem(volume)
    return [problem] if problem else []


def _grid_problem(reference: Volume, other: Volume) -> str | None:
    if other.shape != reference.shape:
        return f"{other.path}: shape {other.shape} differs from {reference.path.name} {reference.shape}"
    if not np.allclose(other.affine, reference.affine, atol=1e-3):
        return f"{other.path}: affine differs from {reference.path.name}"
    return None


def validate_label(convention: LabelConvention, data: np.ndarray, source: str) -> None:
    """:meth:`LabelConvention.validate` (one pass over an integer map, no sort)."""
    convention.validate(data, source)


def _load_images(files: CaseFiles, problems: list[str]) -> dict[str, Volume]:
    images: dict[str, Volume] = {}
    if files.channels is None:
        for modality, path in files.images.items():
            try:
                images[modality] = load_volume(path)
            except BenchError as exc:
                problems.append(str(exc))
        return images
    loaded: dict[Path, Volume | None] = {}
    for modality, path in files.images.items():
        if path not in loaded:
            try:
                volume = load_volume(path, expect_3d=False)
                count = max(files.channels.values()) + 1
                if volume.data.ndim != 4 or volume.data.shape[3] < count:
                    problems.append(
                        f"{path}: expected a 4D image with {count} channels, found shape {volume.shape}"
                    )
                    volume = None
                loaded[path] = volume
            except BenchError as exc:
                problems.append(str(exc))
                loaded[path] = None
        volume = loaded[path]
        if volume is not None:
            channel = np.asarray(volume.data[..., files.channels[modality]])
            images[modality] = Volume(data=channel, affine=volume.affine, spacing=volume.spacing, path=path)
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


class LazyImages(Mapping[str, Volume]):
    """A case's modality images, each read from disk on first access and checked then.

    A model or a metric reads only the images it uses: scoring a folder of predictions reads
    the label map (and T1 only when a brain mask is needed), not four modalities. A file that is
    bad fails the case when it is first used, with the same one-line message ``bench data check``
    gives. ``reference`` is the volume every image must share the grid of.
    """

    def __init__(self, files: CaseFiles, reference: Volume | None) -> None:
        self._files = files
        self._reference = reference
        self._loaded: dict[str, Volume] = {}
        self._names = [m for m in MODALITIES if m in files.images] + [m for m in files.images if m not in MODALITIES]

    def __getitem__(self, modality: str) -> Volume:
        if modality not in self._loaded:
            if modality not in self._files.images:
                raise KeyError(modality)
            self._load(modality)
        return self._loaded[modality]

    def _load(self, modality: str) -> None:
        """Read ``modality`` and every modality stored in the same (4D) file."""
        path = self._files.images[modality]
        together = {m: p for m, p in self._files.images.items() if p == path}
        problems: list[str] = []
        part = CaseFiles(case_id=self._files.case_id, folder=self._files.folder, images=together, channels=self._files.channels)
        volumes = _load_images(part, problems)
        for volume in volumes.values():
            found = image_problems(volume)  # NaN, infinities, an all-zero or constant image
            if not found and self._reference is not None:
                found = [p for p in [_grid_problem(self._reference, volume)] if p]
            problems += found
        if problems:
            raise DataError(problems[0])
        if self._reference is None:
            self._reference = volumes[modality]
        self._loaded.update(volumes)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def loaded(self) -> list[str]:
        """The modalities read so far."""
        return list(self._loaded)


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
        images = LazyImages(files, label)
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
