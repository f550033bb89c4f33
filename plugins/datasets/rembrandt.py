"""Rembrandt (TCIA) as the seed paper used it: 57 cases of 160 x 160 x 53, one NIfTI per modality.

Layout (what ``bench data import-dicom`` writes)::

    <root>/<PatientID>/flair.nii.gz   t1.nii.gz   t1ce.nii.gz   t2.nii.gz   [seg.nii.gz]

The seed paper (Shen & Anderson 2017) states the case count, the grid and a 46 / 10 split [P];
it does not publish its file layout or label values, so this layout and the label convention
(brats-2017 by default, ``--dataset-opt convention=<name>`` to change it) are assumptions [A].
Cases without ``seg`` are inference only (TCIA's DICOM download has no segmentations).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tumorbench.api import BenchError, DatasetOptions, DatasetSpec, get_convention, hookimpl

from .common import MODALITIES, CaseFiles, FolderDataset, Layout, nifti_file, require_root, visible_dirs

LABEL_STEM = "seg"


class RembrandtLayout(Layout):
    """``<root>/<case>/<modality>.nii.gz`` with bare modality names."""

    name = "rembrandt"
    summary = "Rembrandt layout (<case>/{flair,t1,t1ce,t2,seg}.nii.gz, seed paper: 57 cases 160x160x53)"

    def __init__(self, convention: str = "brats-2017") -> None:
        self.convention = get_convention(convention).name

    def _is_case(self, folder: Path) -> bool:
        return any(nifti_file(folder, m) is not None for m in (*MODALITIES, LABEL_STEM))

    def detect(self, root: Path) -> int:
        if not Path(root).is_dir():
            return 0
        return sum(1 for d in visible_dirs(Path(root)) if self._is_case(d))

    def root_problems(self, root: Path) -> list[str]:
        return [
            f"{d}: folder holds none of {', '.join(MODALITIES)}.nii.gz"
            for d in visible_dirs(Path(root))
            if not self._is_case(d)
        ]

    def scan(self, root: Path) -> dict[str, CaseFiles]:
        root = Path(root)
        if not root.is_dir():
            raise BenchError(f"{root}: data root not found")
        cases: dict[str, CaseFiles] = {}
        for folder in visible_dirs(root):
            if not self._is_case(folder):
                continue
            images, problems = {}, []
            for modality in MODALITIES:
                path = nifti_file(folder, modality)
                if path is None:
                    problems.append(f"{folder / (modality + '.nii.gz')}: missing modality {modality}")
                else:
                    images[modality] = path
            cases[folder.name] = CaseFiles(
                case_id=folder.name,
                folder=folder,
                images=images,
                label=nifti_file(folder, LABEL_STEM),
                problems=tuple(problems),
                expected_label=folder / f"{LABEL_STEM}.nii.gz",
            )
        if not cases:
            raise BenchError(
                f"{root}: no rembrandt case folders found (expected <case>/flair.nii.gz, t1, t1ce, t2)"
            )
        return cases


@dataclass(frozen=True)
class RembrandtOptions:
    """``--dataset-opt convention=NAME``: the label convention the converted label maps follow."""

    convention: str = "brats-2017"


def open_rembrandt(options: DatasetOptions) -> FolderDataset:
    root = require_root("rembrandt", options.root)
    return FolderDataset(RembrandtLayout(str(options.params.get("convention", "brats-2017"))), root,
                         convention=options.label_convention)


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [
        DatasetSpec(
            name=RembrandtLayout.name,
            summary=RembrandtLayout.summary,
            label_convention="brats-2017",
            open=open_rembrandt,
            modalities=MODALITIES,
            options=RembrandtOptions,
        )
    ]
