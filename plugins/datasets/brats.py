"""BraTS 2018 / 2019 training layouts: ``[HGG/|LGG/]<id>/<id>_{flair,t1,t1ce,t2,seg}.nii.gz``.

Labels follow the brats-2017 convention (1, 2, 4). Case ids are the folder names; a folder whose
files name another case is an error naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tumorbench import hookimpl
from tumorbench.errors import BenchError
from tumorbench.labels import LabelConvention, get_convention
from tumorbench.nifti import load_volume
from tumorbench.types import Case, DatasetOptions, DatasetSpec, Volume

MODALITIES: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")
GRADES: tuple[str, ...] = ("HGG", "LGG")


def find_case_dirs(root: Path) -> dict[str, Path]:
    """Case id -> folder, for a root holding ``HGG/``/``LGG/`` or case folders directly."""
    root = Path(root)
    if not root.is_dir():
        raise BenchError(f"{root}: data root not found")
    parents = [root / g for g in GRADES if (root / g).is_dir()] or [root]
    cases: dict[str, Path] = {}
    for parent in parents:
        for child in sorted(parent.iterdir()):
            if child.is_dir() and not child.name.startswith("."):
                if any(child.glob(f"{child.name}_*.nii*")) or any(child.glob("*.nii*")):
                    cases[child.name] = child
    if not cases:
        raise BenchError(f"{root}: no case folders found (expected HGG/ and LGG/ with one folder per case)")
    return cases


def _file(folder: Path, case_id: str, suffix: str) -> Path | None:
    for ext in (".nii.gz", ".nii"):
        candidate = folder / f"{case_id}_{suffix}{ext}"
        if candidate.is_file():
            return candidate
    return None


def check_same_grid(reference: Volume, other: Volume) -> None:
    """Images of one case must share shape and affine; the message names the odd file."""
    if other.shape != reference.shape:
        raise BenchError(f"{other.path}: shape {other.shape} differs from {reference.path} {reference.shape}")
    if not np.allclose(other.affine, reference.affine, atol=1e-3):
        raise BenchError(f"{other.path}: affine differs from {reference.path}")


@dataclass(frozen=True)
class BratsFolder:
    """An opened BraTS training folder (one case per subfolder)."""

    name: str
    root: Path
    convention: LabelConvention
    modalities: tuple[str, ...] = MODALITIES

    def case_dirs(self) -> dict[str, Path]:
        return find_case_dirs(self.root)

    def case_ids(self) -> list[str]:
        return list(self.case_dirs())

    def load(self, case_id: str) -> Case:
        dirs = self.case_dirs()
        if case_id not in dirs:
            raise BenchError(f"{self.root}: no case {case_id!r}")
        folder = dirs[case_id]
        images: dict[str, Volume] = {}
        for modality in self.modalities:
            path = _file(folder, case_id, modality)
            if path is None:
                strays = sorted(p.name for p in folder.glob(f"*_{modality}.nii*"))
                if strays:
                    raise BenchError(f"{folder / strays[0]}: file names another case than folder {case_id}")
                raise BenchError(f"{folder / (case_id + '_' + modality + '.nii.gz')}: missing modality {modality}")
            images[modality] = load_volume(path)
        first = images[self.modalities[0]]
        for volume in images.values():
            check_same_grid(first, volume)
            if np.issubdtype(volume.data.dtype, np.floating) and not np.isfinite(volume.data).all():
                raise BenchError(f"{volume.path}: NaN or infinite intensities")
        label = None
        seg = _file(folder, case_id, "seg")
        if seg is not None:
            label = load_volume(seg)
            check_same_grid(first, label)
            self.convention.validate(label.data, str(seg))
        grade = folder.parent.name if folder.parent.name in GRADES else None
        return Case(
            case_id=case_id,
            images=images,
            label=label,
            convention=self.convention,
            dataset=self.name,
            meta={"folder": str(folder), "grade": grade},
        )


def _opener(name: str):
    def open_dataset(options: DatasetOptions) -> BratsFolder:
        if options.root is None:
            raise BenchError(f"dataset {name} needs --data-root (or TUMORBENCH_DATA_ROOT)")
        return BratsFolder(name=name, root=Path(options.root), convention=get_convention("brats-2017"))

    return open_dataset


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [
        DatasetSpec(
            name=name,
            summary=f"BraTS 20{name[-2:]} training layout (HGG/ LGG/, labels 1,2,4)",
            label_convention="brats-2017",
            open=_opener(name),
        )
        for name in ("brats18", "brats19")
    ]
