"""The BraTS 2024/2025 sub-challenge folders, each read with its own label convention.

=============  ==============================================  =========================  =================
dataset        case folder / files                             modalities                 label convention
=============  ==============================================  =========================  =================
brats24-gli    ``BraTS-GLI-02000-000/<id>-{t1c,t1n,t2f,t2w,seg}``  flair, t1, t1ce, t2        brats-2024-gli
brats24-ped    ``BraTS-PED-00001-000/<id>-{...,seg}``          flair, t1, t1ce, t2        brats-2024-ped
brats24-met    ``BraTS-MET-00001-000/<id>-{...,seg}``          flair, t1, t1ce, t2        brats-2024-met
brats24-ssa    ``BraTS-SSA-00002-000/<id>-{...,seg}``          flair, t1, t1ce, t2        brats-2024-ssa
brats24-men    ``BraTS-MEN-00004-000/<id>-{...,seg}``          flair, t1, t1ce, t2        brats-2024-men
brats24-men-rt ``BraTS-MEN-RT-0001-1/<id>_{t1c,gtv}``          t1ce                       brats-2024-men-rt
=============  ==============================================  =========================  =================

Layout detection (``bench data check``): MEN-RT folders are recognised by their names alone, GLI
folders by the 182x218x182 grid of the 2024 post-treatment images (their names are those of every
BraTS 2023+ folder). A label 4 is not taken as evidence: BraTS 2021 labels (1, 2, 4) written in
the 2023 layout would be read as a resection cavity. PED, MET, SSA and MEN folders are named like
the 2023 ones and are listed after ``brats23``, so they detect as ``brats23`` (whose check then
reports a PED label 4 as outside its convention); each is read as its 2024 dataset when named
with ``--dataset`` (a named layout is taken when it reads as many cases as the detected one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tumorbench.api import DatasetOptions, DatasetSpec, hookimpl

from .brats import BratsLayout, BratsScheme
from .brats23 import SUFFIXES
from .common import FolderDataset, require_root

GLI_POST_TREATMENT_SHAPE = (182, 218, 182)
"""The grid of the 2024 post-treatment glioma images."""

EVIDENCE_CASES = 3
"""How many case folders detection looks into at most, for its evidence."""


def _case_shape(folder: Path) -> tuple[int, ...] | None:
    import nibabel as nib

    for path in sorted(folder.glob("*.nii*")):
        try:
            return tuple(int(n) for n in nib.load(path).shape[:3])
        except Exception:  # noqa: BLE001 - an unreadable file is evidence of nothing
            continue
    return None


def gli_evidence(folder: Path) -> bool:
    """A 2024 post-treatment glioma case: its images are on the 182x218x182 grid."""
    return _case_shape(folder) == GLI_POST_TREATMENT_SHAPE


class Brats24Layout(BratsLayout):
    """A BraTS 2023+ style folder of one sub-challenge (its label convention is named in the
    scheme; the label plugin ``tumorbench_plugins.labels.brats2024`` defines it)."""

    def __init__(
        self, scheme: BratsScheme, modalities: tuple[str, ...], evidence: Callable[[Path], bool] | None = None
    ) -> None:
        super().__init__(scheme)
        self.modalities = modalities
        self.evidence = evidence

    def detect(self, root: Path) -> int:
        """The cases of this sub-challenge under ``root``; 0 without the evidence it needs."""
        count = super().detect(root)
        if count and self.evidence is not None:
            folders = [d for d in self._candidates(root) if self._id.fullmatch(d.name)][:EVIDENCE_CASES]
            if not any(self.evidence(folder) for folder in folders):
                return 0
        return count


def _scheme(name: str, prefix: str, convention: str, summary: str) -> BratsScheme:
    return BratsScheme(
        name=name,
        summary=summary,
        convention=convention,
        id_pattern=rf"BraTS-{prefix}-\d{{5}}-\d{{3}}",
        example=f"BraTS-{prefix}-00000-000",
        separator="-",
        suffixes=SUFFIXES,
    )


FOUR = ("flair", "t1", "t1ce", "t2")

GLI = Brats24Layout(
    _scheme("brats24-gli", "GLI", "brats-2024-gli", "BraTS 2024 post-treatment glioma (BraTS-GLI-02000-000), labels 1-4 with RC"),
    FOUR, evidence=gli_evidence,
)
PED = Brats24Layout(
    _scheme("brats24-ped", "PED", "brats-2024-ped", "BraTS 2024 paediatric (BraTS-PED-00001-000), labels 1 ET, 2 NETC, 3 CC, 4 ED"),
    FOUR,
)
MET = Brats24Layout(
    _scheme("brats24-met", "MET", "brats-2024-met", "BraTS 2024 metastases (BraTS-MET-00001-000), labels 1,2,3"),
    FOUR,
)
SSA = Brats24Layout(
    _scheme("brats24-ssa", "SSA", "brats-2024-ssa", "BraTS 2024 sub-Saharan Africa glioma (BraTS-SSA-00002-000), labels 1,2,3"),
    FOUR,
)
MEN = Brats24Layout(
    _scheme("brats24-men", "MEN", "brats-2024-men", "BraTS meningioma (BraTS-MEN-00004-000), labels 1,2,3"),
    FOUR,
)
MEN_RT = Brats24Layout(
    BratsScheme(
        name="brats24-men-rt",
        summary="BraTS 2024 meningioma radiotherapy (BraTS-MEN-RT-0001-1_{t1c,gtv}), label 1 GTV, T1c only",
        convention="brats-2024-men-rt",
        id_pattern=r"BraTS-MEN-RT-\d{4}-\d+",
        example="BraTS-MEN-RT-0001-1",
        separator="_",
        suffixes={"t1ce": "t1c"},
        label_suffix="gtv",
    ),
    ("t1ce",),
)

DETECTED_FIRST: tuple[Brats24Layout, ...] = (GLI, MEN_RT)
"""Tried before ``brats23`` (their detection needs evidence the generic layout lacks)."""

AFTER_BRATS23: tuple[Brats24Layout, ...] = (PED, MET, SSA, MEN)
"""Named like ``brats23`` folders: listed after it, so that a tie names the generic layout."""

LAYOUTS: tuple[Brats24Layout, ...] = (GLI, PED, MET, SSA, MEN, MEN_RT)


def _opener(layout: Brats24Layout):
    def open_dataset(options: DatasetOptions) -> FolderDataset:
        source = FolderDataset(layout, require_root(layout.name, options.root), convention=options.label_convention)
        source.modalities = layout.modalities
        return source

    return open_dataset


@dataclass(frozen=True)
class Brats24Options:
    """A BraTS 2024 folder takes no ``--dataset-opt`` keys."""


def spec(layout: Brats24Layout) -> DatasetSpec:
    # each sub-challenge's own lesion-wise convention (named as its label convention) is scored by default
    return DatasetSpec(
        name=layout.name,
        summary=layout.summary,
        label_convention=layout.convention,
        open=_opener(layout),
        modalities=layout.modalities,
        options=Brats24Options,
        metric_conventions=(layout.convention,),
    )


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [spec(layout) for layout in LAYOUTS]
