"""``otsu-flat``: a flat folder layout, ``<case>_flair.nii.gz`` ... ``<case>_t2.nii.gz`` and
``<case>_seg.nii.gz`` side by side (brats-2017 labels)."""

from __future__ import annotations

from pathlib import Path

from tumorbench.api import BenchError, Case, DatasetOptions, get_convention, load_volume

MODALITIES = ("flair", "t1", "t1ce", "t2")
CONVENTION = "brats-2017"


def scan(root: Path) -> list[str]:
    """Case ids that have all four modalities in ``root``."""
    ids = {p.name[: -len("_flair.nii.gz")] for p in Path(root).glob("*_flair.nii.gz")}
    return sorted(i for i in ids if all((Path(root) / f"{i}_{m}.nii.gz").is_file() for m in MODALITIES))


def detect(root: Path) -> int:
    """How many flat-layout cases ``root`` holds (0: not this layout)."""
    return len(scan(root)) if Path(root).is_dir() else 0


class FlatFolder:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.ids = scan(self.root)
        if not self.ids:
            raise BenchError(f"{self.root}: no <case>_flair.nii.gz with its t1, t1ce and t2 files")

    def case_ids(self) -> list[str]:
        return list(self.ids)

    def label_file(self, case_id: str) -> Path | None:
        path = self.root / f"{case_id}_seg.nii.gz"
        return path if path.is_file() else None

    def load(self, case_id: str) -> Case:
        if case_id not in self.ids:
            raise BenchError(f"{self.root}: no case {case_id!r}")
        convention = get_convention(CONVENTION)
        images = {m: load_volume(self.root / f"{case_id}_{m}.nii.gz") for m in MODALITIES}
        label_path = self.label_file(case_id)
        label = load_volume(label_path) if label_path else None
        if label is not None:
            convention.validate(label.data, str(label_path))
            for image in images.values():
                if image.shape != label.shape:
                    raise BenchError(f"{image.path}: shape {image.shape} differs from the label's {label.shape}")
        return Case(case_id=case_id, images=images, label=label, convention=convention, dataset="otsu-flat")


def open_flat(options: DatasetOptions) -> FlatFolder:
    if options.root is None:
        raise BenchError("dataset otsu-flat needs --data-root PATH")
    return FlatFolder(options.root)
