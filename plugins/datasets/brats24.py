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

Layout detection (``bench data check``): MEN-RT folders are recognised by their names alone.
GLI and PED folders are named like every BraTS 2023+ folder, so they are recognised as 2024 sets
only on evidence: a GLI case on the 182x218x182 post-treatment grid or with label 4 (resection
cavity), a PED case with label 4 (edema in the 2024 numbering); without it the folder is the
generic ``brats23`` layout. MET, SSA and MEN keep the 2023 label numbering: they are listed after
``brats23``, so their folders detect as ``brats23`` (same labels). Any of them is read as such
when named with ``--dataset`` (a named layout is taken when it reads as many cases as the
detected one).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from tumorbench.api import DatasetOptions, DatasetSpec, LabelConvention, hookimpl

from ..labels import brats2024 as labels2024
from .brats import BratsLayout, BratsScheme
from .brats23 import SUFFIXES
from .common import FolderDataset, nifti_file, require_root

GLI_POST_TREATMENT_SHAPE = (182, 218, 182)
"""The grid of the 2024 post-treatment glioma images."""

EVIDENCE_CASES = 3
"""How many labelled cases detection reads at most, looking for its evidence."""


def _case_shape(folder: Path) -> tuple[int, ...] | None:
    import nibabel as nib

    for path in sorted(folder.glob("*.nii*")):
        try:
            return tuple(int(n) for n in nib.load(path).shape[:3])
        except Exception:  # noqa: BLE001 - an unreadable file is evidence of nothing
            continue
    return None


def _has_label(folder: Path, value: int) -> bool:
    import nibabel as nib

    seg = nifti_file(folder, f"{folder.name}-seg")
    if seg is None:
        return False
    try:
        return bool(np.any(np.asarray(nib.load(seg).dataobj) == value))
    except Exception:  # noqa: BLE001
        return False


def gli_evidence(folder: Path) -> bool:
    """A 2024 post-treatment glioma case: the 182x218x182 grid, or a resection cavity (label 4)."""
    return _case_shape(folder) == GLI_POST_TREATMENT_SHAPE or _has_label(folder, 4)


def ped_evidence(folder: Path) -> bool:
    """A 2024 paediatric case: label 4 (edema in the 2024 numbering; the 2023 one stops at 3)."""
    return _has_label(folder, 4)


class Brats24Layout(BratsLayout):
    """A BraTS 2023+ style folder of one sub-challenge, carrying its label convention."""

    def __init__(
        self,
        scheme: BratsScheme,
        label_convention: LabelConvention,
        modalities: tuple[str, ...],
        evidence: Callable[[Path], bool] | None = None,
    ) -> None:
        super().__init__(scheme)
        self.label_convention = label_convention
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


def _scheme(name: str, prefix: str, convention: LabelConvention, summary: str) -> BratsScheme:
    return BratsScheme(
        name=name,
        summary=summary,
        convention=convention.name,
        id_pattern=rf"BraTS-{prefix}-\d{{5}}-\d{{3}}",
        example=f"BraTS-{prefix}-00000-000",
        separator="-",
        suffixes=SUFFIXES,
    )


FOUR = ("flair", "t1", "t1ce", "t2")

GLI = Brats24Layout(
    _scheme("brats24-gli", "GLI", labels2024.GLI, "BraTS 2024 post-treatment glioma (BraTS-GLI-02000-000), labels 1-4 with RC"),
    labels2024.GLI, FOUR, evidence=gli_evidence,
)
PED = Brats24Layout(
    _scheme("brats24-ped", "PED", labels2024.PED, "BraTS 2024 paediatric (BraTS-PED-00001-000), labels 1 ET, 2 NETC, 3 CC, 4 ED"),
    labels2024.PED, FOUR, evidence=ped_evidence,
)
MET = Brats24Layout(
    _scheme("brats24-met", "MET", labels2024.MET, "BraTS 2024 metastases (BraTS-MET-00001-000), labels 1,2,3"),
    labels2024.MET, FOUR,
)
SSA = Brats24Layout(
    _scheme("brats24-ssa", "SSA", labels2024.SSA, "BraTS 2024 sub-Saharan Africa glioma (BraTS-SSA-00002-000), labels 1,2,3"),
    labels2024.SSA, FOUR,
)
MEN = Brats24Layout(
    _scheme("brats24-men", "MEN", labels2024.MEN, "BraTS meningioma (BraTS-MEN-00004-000), labels 1,2,3"),
    labels2024.MEN, FOUR,
)
MEN_RT = Brats24Layout(
    BratsScheme(
        name="brats24-men-rt",
        summary="BraTS 2024 meningioma radiotherapy (BraTS-MEN-RT-0001-1_{t1c,gtv}), label 1 GTV, T1c only",
        convention=labels2024.MEN_RT.name,
        id_pattern=r"BraTS-MEN-RT-\d{4}-\d+",
        example="BraTS-MEN-RT-0001-1",
        separator="_",
        suffixes={"t1ce": "t1c"},
        label_suffix="gtv",
    ),
    labels2024.MEN_RT, ("t1ce",),
)

DETECTED_FIRST: tuple[Brats24Layout, ...] = (GLI, PED, MEN_RT)
"""Tried before ``brats23`` (their detection needs evidence the generic layout lacks)."""

AFTER_BRATS23: tuple[Brats24Layout, ...] = (MET, SSA, MEN)
"""Same labels as ``brats23``: listed after it, so that a tie names the generic layout."""

LAYOUTS: tuple[Brats24Layout, ...] = (*DETECTED_FIRST, *AFTER_BRATS23)


def _opener(layout: Brats24Layout):
    def open_dataset(options: DatasetOptions) -> FolderDataset:
        source = FolderDataset(layout, require_root(layout.name, options.root))
        source.modalities = layout.modalities
        return source

    return open_dataset


def spec(layout: Brats24Layout) -> DatasetSpec:
    return DatasetSpec(
        name=layout.name,
        summary=layout.summary,
        label_convention=layout.convention,
        open=_opener(layout),
        modalities=layout.modalities,
    )


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [spec(layout) for layout in LAYOUTS]
