"""Prediction files on disk: label maps and uncertainty maps written on the case's own grid,
and read back from the files a prediction record names."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.values import Case, Prediction
from tumorbench.io.nifti import load_volume, save_volume
from tumorbench.results.results_store import PredictionRecord


def write_prediction(directory: Path, case: Case, prediction: Prediction) -> list[Path]:
    """Labels and uncertainty maps as NIfTI on the case's own grid and affine; the label map first,
    each uncertainty map named ``<case>_unc_<suffix>.nii.gz`` by the case's label convention."""
    affine = case.reference.affine
    paths = [save_volume(directory / f"{case.case_id}.nii.gz", prediction.labels, affine)]  # type: ignore[arg-type]
    for region, unc in (prediction.uncertainty or {}).items():
        target = directory / f"{case.case_id}_unc_{case.convention.uncertainty_suffix(region)}.nii.gz"
        paths.append(save_volume(target, np.asarray(unc).astype("uint8"), affine))
    return paths


def uncertainty_files(files: Sequence[str], convention: LabelConvention) -> dict[str, str]:
    """Region -> recorded uncertainty-map file, from the ``_unc_<suffix>`` file names ``convention`` gives."""
    out = {}
    for region in convention.region_names:
        suffix = f"_unc_{convention.uncertainty_suffix(region)}.nii"
        for f in files:
            if suffix in Path(f).name:
                out[region] = f
    return out


def unrecorded_uncertainty(record: PredictionRecord, convention: LabelConvention) -> list[Path]:
    """Uncertainty maps that now lie beside a prediction read from its own files (a folder of
    predictions) but are not in its record: added after it was scored, so it is read again."""
    if not record.files or not Path(record.files[0]).is_absolute():
        return []  # written by the run itself: its files are the record
    folder, recorded = Path(record.files[0]).parent, {Path(f).name for f in record.files}
    found = []
    for region in convention.region_names:
        for ending in (".nii.gz", ".nii"):
            candidate = folder / f"{record.case_id}_unc_{convention.uncertainty_suffix(region)}{ending}"
            if candidate.name not in recorded and candidate.is_file():
                found.append(candidate)
    return found


def read_prediction(run_dir: Path, record: PredictionRecord, convention: LabelConvention) -> Prediction:
    """A prediction written by a run, read back from its recorded files (``convention``: the
    record's label convention, which names its uncertainty files)."""
    labels = load_volume(resolve(run_dir, record.files[0])).data
    found = uncertainty_files(record.files[1:], convention)
    uncertainty = {r: load_volume(resolve(run_dir, f)).data for r, f in found.items()}
    return Prediction(regions=record.regions, labels=np.asarray(labels, dtype=np.uint8), uncertainty=uncertainty or None)


def resolve(run_dir: Path, path: Path | str) -> Path:
    """A recorded file path: relative ones are inside the run directory."""
    path = Path(path)
    return path if path.is_absolute() else Path(run_dir) / path
