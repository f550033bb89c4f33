"""The BraTS family of layouts: one folder per case, one NIfTI per modality, the case id in every
file name. One class serves every year; a :class:`BratsScheme` holds what differs.

==========  =========================================  ================================  ======
dataset     case folders (training / validation)       files                             labels
==========  =========================================  ================================  ======
brats17     ``HGG|LGG/Brats17_TCIA_105_1`` / flat       ``<id>_{flair,t1,t1ce,t2,seg}``   1,2,4
brats18     ``HGG|LGG/Brats18_TCIA01_201_1`` / flat     same                              1,2,4
brats19     ``HGG|LGG/BraTS19_CBICA_AAB_1`` / flat      same                              1,2,4
brats20     ``BraTS20_Training_001`` / ``..._Validation_001``  same                      1,2,4
brats21     ``BraTS2021_00000`` (both)                  same                              1,2,4
brats23     ``BraTS-GLI-00000-000`` (see brats23.py)    ``<id>-{t1c,t1n,t2f,t2w,seg}``    1,2,3
==========  =========================================  ================================  ======

Validation folders have no ``seg`` file: those cases load with ``label=None`` (inference only).
A case folder whose file names another case is reported naming that file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tumorbench.api import BenchError, DatasetOptions, DatasetSpec, LabelConvention, hookimpl

from .common import (
    MODALITIES,
    CaseFiles,
    FolderDataset,
    Layout,
    nifti_file,
    require_root,
    unique_cases,
    visible_dirs,
)

GRADES: tuple[str, ...] = ("HGG", "LGG")
LEGACY_SUFFIXES: Mapping[str, str] = {m: m for m in MODALITIES}


@dataclass(frozen=True)
class BratsScheme:
    """What one BraTS year's layout looks like.

    Args:
        id_pattern: regular expression a case folder's name must match in full.
        example: an id shown in error messages.
        separator: between the id and the modality suffix (``_`` until 2021, ``-`` from 2023).
        suffixes: canonical modality -> file suffix (``flair`` -> ``t2f`` in 2023).
    """

    name: str
    summary: str
    convention: str
    id_pattern: str
    example: str
    separator: str = "_"
    suffixes: Mapping[str, str] = field(default_factory=lambda: dict(LEGACY_SUFFIXES))
    label_suffix: str = "seg"


class BratsLayout(Layout):
    """A BraTS-style folder: optional ``HGG/``/``LGG/`` level, then one folder per case."""

    def __init__(self, scheme: BratsScheme) -> None:
        self.scheme = scheme
        self.name = scheme.name
        self.summary = scheme.summary
        self.convention = scheme.convention
        self._id = re.compile(scheme.id_pattern)

    # -- folders
    def _parents(self, root: Path) -> list[Path]:
        return [root / g for g in GRADES if (root / g).is_dir()] or [root]

    def _candidates(self, root: Path) -> list[Path]:
        if not Path(root).is_dir():
            return []
        return [d for parent in self._parents(root) for d in visible_dirs(parent)]

    def detect(self, root: Path) -> int:
        return sum(1 for d in self._candidates(root) if self._id.fullmatch(d.name))

    def root_problems(self, root: Path) -> list[str]:
        return [
            f"{d}: folder name is not a {self.name} case id (expected like {self.scheme.example})"
            for d in self._candidates(root)
            if not self._id.fullmatch(d.name)
        ]

    # -- files of one case
    def _stem(self, case_id: str, suffix: str) -> str:
        return f"{case_id}{self.scheme.separator}{suffix}"

    def _foreign(self, folder: Path, case_id: str, suffix: str) -> Path | None:
        """A file with this suffix that names another case than its folder."""
        tail = f"{self.scheme.separator}{suffix}"
        for path in sorted(folder.glob(f"*{tail}.nii*")):
            other = path.name.split(".nii")[0][: -len(tail)]
            if not path.name.startswith(".") and other != case_id:
                return path
        return None

    def case_files(self, folder: Path) -> CaseFiles:
        case_id = folder.name
        images: dict[str, Path] = {}
        problems: list[str] = []
        for modality, suffix in self.scheme.suffixes.items():
            path = nifti_file(folder, self._stem(case_id, suffix))
            if path is not None:
                images[modality] = path
                continue
            foreign = self._foreign(folder, case_id, suffix)
            if foreign is not None:
                problems.append(f"{foreign}: file names another case than its folder {case_id}")
            else:
                named = "" if suffix == modality else f" ({modality})"
                expected = folder / f"{self._stem(case_id, suffix)}.nii.gz"
                problems.append(f"{expected}: missing modality {suffix}{named}")
        label = nifti_file(folder, self._stem(case_id, self.scheme.label_suffix))
        if label is None:
            foreign = self._foreign(folder, case_id, self.scheme.label_suffix)
            if foreign is not None:
                problems.append(f"{foreign}: file names another case than its folder {case_id}")
        grade = folder.parent.name if folder.parent.name in GRADES else None
        meta = {"grade": grade} if grade else {}
        return CaseFiles(
            case_id=case_id,
            folder=folder,
            images=images,
            label=label,
            problems=tuple(problems),
            meta=meta,
            expected_label=folder / f"{self._stem(case_id, self.scheme.label_suffix)}.nii.gz",
        )

    def scan(self, root: Path) -> dict[str, CaseFiles]:
        root = Path(root)
        if not root.is_dir():
            raise BenchError(f"{root}: data root not found")
        cases = unique_cases((self.case_files(d) for d in self._candidates(root) if self._id.fullmatch(d.name)), root)
        if not cases:
            raise BenchError(
                f"{root}: no {self.name} case folders found (expected folders named like "
                f"{self.scheme.example}, directly or under HGG/ and LGG/)"
            )
        return cases


# ------------------------------------------------------------------ the years
SCHEMES: tuple[BratsScheme, ...] = (
    BratsScheme(
        name="brats17",
        summary="BraTS 2017 training (HGG/ LGG/) or validation layout, labels 1,2,4",
        convention="brats-2017",
        id_pattern=r"Brats17_\w+",
        example="Brats17_TCIA_105_1",
    ),
    BratsScheme(
        name="brats18",
        summary="BraTS 2018 training (HGG/ LGG/) or validation layout, labels 1,2,4",
        convention="brats-2017",
        id_pattern=r"Brats18_\w+",
        example="Brats18_TCIA01_201_1",
    ),
    BratsScheme(
        name="brats19",
        summary="BraTS 2019 training (HGG/ LGG/) or validation layout, labels 1,2,4",
        convention="brats-2017",
        id_pattern=r"BraTS19_\w+",
        example="BraTS19_CBICA_AAB_1",
    ),
    BratsScheme(
        name="brats20",
        summary="BraTS 2020 training or validation layout (BraTS20_Training_001), labels 1,2,4",
        convention="brats-2017",
        id_pattern=r"BraTS20_(Training|Validation)_\d{3}",
        example="BraTS20_Training_001",
    ),
    BratsScheme(
        name="brats21",
        summary="BraTS 2021 training or validation layout (BraTS2021_00000), labels 1,2,4",
        convention="brats-2017",
        id_pattern=r"BraTS2021_\d{5}",
        example="BraTS2021_00000",
    ),
)

LAYOUTS: tuple[BratsLayout, ...] = tuple(BratsLayout(s) for s in SCHEMES)


def layout(name: str) -> BratsLayout:
    """The layout of one BraTS year by dataset name."""
    for candidate in LAYOUTS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


@dataclass(frozen=True)
class BratsOptions:
    """``--dataset-opt`` keys of a BraTS folder: ``grade`` keeps one grade (HGG or LGG) only."""

    grade: str = ""


def _opener(layout_: Layout):
    def open_dataset(options: DatasetOptions) -> FolderDataset:
        grade = options.params.get("grade")
        if grade is not None and str(grade) not in GRADES:
            raise BenchError(f"dataset {layout_.name}: --dataset-opt grade={grade}: expected one of {', '.join(GRADES)}")
        keep = (lambda files: files.meta.get("grade") == grade) if grade else None
        return FolderDataset(layout_, require_root(layout_.name, options.root), select=keep, convention=options.label_convention)

    return open_dataset


def spec_for(layout_: Layout, metric_conventions: tuple[str, ...] = ()) -> DatasetSpec:
    return DatasetSpec(
        name=layout_.name,
        summary=layout_.summary,
        label_convention=layout_.convention,
        open=_opener(layout_),
        modalities=MODALITIES,
        options=BratsOptions,
        metric_conventions=metric_conventions,
    )


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [spec_for(lay) for lay in LAYOUTS]


# ------------------------------------------------------------------ older entry points, kept
class BratsFolder(FolderDataset):
    """Any BraTS-style folder whatever its ids (``<id>/<id>_{flair,t1,t1ce,t2[,seg]}``)."""

    def __init__(
        self,
        name: str,
        root: Path,
        convention: LabelConvention,
        modalities: tuple[str, ...] = MODALITIES,
    ) -> None:
        scheme = BratsScheme(
            name=name,
            summary="BraTS-style folder",
            convention=convention.name,
            id_pattern=r"[^.].*",
            example="<id>",
            suffixes={m: LEGACY_SUFFIXES[m] for m in modalities},
        )
        super().__init__(BratsLayout(scheme), Path(root), name)
        self.modalities = tuple(modalities)


def _brats2017() -> LabelConvention:
    from tumorbench.api import get_convention

    return get_convention("brats-2017")
