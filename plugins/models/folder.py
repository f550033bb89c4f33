"""The ``folder`` model: reads BraTS-format predictions from a folder instead of computing them.

``PRED_DIR/<case-id>.nii.gz`` holds a label map in the dataset's convention on the case's grid;
``<case-id>_unc_whole/_unc_core/_unc_enhance.nii.gz`` (0-100) are read when present. In a matrix
run it is named ``folder:PRED_DIR``; ``--model-opt convention=brats-2023`` reads label maps written
in another convention than the dataset's and relabels them region by region.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    DataError,
    LabelConvention,
    ModelContext,
    ModelSpec,
    Prediction,
    get_convention,
    hookimpl,
    load_volume,
)


def _same_grid(path: Path, data: np.ndarray, affine: np.ndarray, case: Case) -> None:
    ref = case.reference
    if data.shape != ref.shape:
        raise BenchError(f"{path}: shape {data.shape} differs from case {case.case_id} {ref.shape}")
    if not np.allclose(affine, ref.affine, atol=1e-3):
        raise BenchError(f"{path}: affine differs from case {case.case_id}")


@dataclass(frozen=True)
class FolderPredictor:
    """Predictions read from ``directory``."""

    directory: Path
    convention: LabelConvention | None = None

    def predict(self, case: Case) -> Prediction:
        try:
            return self._read(case)
        except DataError:
            raise
        except BenchError as exc:  # a bad prediction file is the data's fault, reported as it is
            raise DataError(str(exc)) from exc

    def _read(self, case: Case) -> Prediction:
        path = self.directory / f"{case.case_id}.nii.gz"
        if not path.is_file() and (self.directory / f"{case.case_id}.nii").is_file():
            path = self.directory / f"{case.case_id}.nii"
        volume = load_volume(path)
        _same_grid(path, volume.data, volume.affine, case)
        labels = np.asarray(volume.data)
        own = self.convention or case.convention
        try:
            own.validate(labels, str(path))
        except BenchError as exc:
            raise DataError(f"{exc}; if the files use another label convention, name it: bench evaluate --pred-convention "
                            "NAME (--model-opt convention=NAME; nnU-Net's BraTS labels are msd)") from None
        if own is not case.convention:  # relabel region by region into the case's convention
            labels = case.convention.from_regions(own.to_regions(labels))
        uncertainty: dict[str, np.ndarray] = {}
        sources = [path]
        regions = case.convention.region_names
        for region in regions:
            unc_path = self.directory / f"{case.case_id}_unc_{own.uncertainty_suffix(region)}.nii.gz"
            if unc_path.is_file():
                unc = load_volume(unc_path)
                _same_grid(unc_path, unc.data, unc.affine, case)
                data = np.asarray(unc.data)
                if np.issubdtype(data.dtype, np.floating) and not np.isfinite(data).all():
                    bad = int(np.count_nonzero(~np.isfinite(data)))
                    raise BenchError(f"{unc_path}: uncertainty not finite in {bad} voxel{'s' if bad != 1 else ''}")
                if not (data.min() >= 0 and data.max() <= 100):
                    raise BenchError(f"{unc_path}: uncertainty outside [0, 100] ({data.min()}..{data.max()})")
                uncertainty[region] = data
                sources.append(unc_path)
        return Prediction(
            regions=regions,
            labels=labels.astype(np.uint8),
            uncertainty=uncertainty or None,
            sources=tuple(sources),
        )


@dataclass(frozen=True)
class FolderOptions:
    """``--model-opt`` keys of ``folder``: ``path`` (the folder, when not named as folder:PRED_DIR),
    ``convention`` (the label convention its files are written in, when not the dataset's) and
    ``name`` (the label ``bench evaluate --name`` gives its results)."""

    path: str | None = None
    convention: str | None = None
    name: str | None = None


def load_folder(context: ModelContext) -> FolderPredictor:
    raw = context.params.get("path") or context.params.get("arg")
    if not raw:
        raise BenchError("model folder needs a directory: name it as folder:PRED_DIR")
    directory = Path(str(raw))
    if not directory.is_dir():
        raise BenchError(f"{directory}: prediction folder not found")
    convention = context.params.get("convention")
    return FolderPredictor(directory, get_convention(str(convention)) if convention else None)


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name="folder",
            summary="reads BraTS-format label maps (and uncertainty maps) from folder:PRED_DIR",
            load=load_folder,
            modalities=(),
            options=FolderOptions,
        )
    ]
