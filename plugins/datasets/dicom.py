"""Convert DICOM series (a TCIA download such as Rembrandt) into the rembrandt layout.

Every folder under the source is searched for series (SimpleITK / GDCM groups files by series
instance UID and sorts slices by position). Each series is placed by its PatientID (0010,0020)
and by its SeriesDescription (0008,103E): FLAIR -> ``flair``; T1 with a contrast marker
(post, gad, gd, +c, contrast, ce) -> ``t1ce``; other T1 -> ``t1``; T2 -> ``t2``. Spacing, origin and
direction are kept: SimpleITK's DICOM (LPS) geometry is written to NIfTI as the RAS affine.

A series is not placed, and is listed with the reason, when its description names none of the
four modalities (DWI, ADC, localisers ...), when it has no PatientID, when the patient already has
that modality, or when it cannot be read as a 3D volume. Every NIfTI is written atomically.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tumorbench.api import BenchError, atomic_path

PATIENT_ID = "0010|0020"
SERIES_DESCRIPTION = "0008|103e"
_CONTRAST = re.compile(r"(post|gad|\bgd\b|\+\s*c\b|contrast|\bce\b|t1c\b|t1ce|t1gd|\bc\+)")


def classify(description: str) -> str | None:
    """Canonical modality a series description names, or None."""
    text = re.sub(r"[_\-/.,()]", " ", description.lower())
    if "flair" in text:
        return "flair"
    if re.search(r"t1", text):
        return "t1ce" if _CONTRAST.search(text) else "t1"
    if re.search(r"t2", text):
        return "t2"
    return None


@dataclass
class ImportReport:
    """What an import wrote and what it could not place (``<folder>: series <uid> (<desc>): why``)."""

    written: list[tuple[Path, str]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"wrote {path} from series {desc!r}" for path, desc in self.written]
        out += [f"not placed: {line}" for line in self.unplaced]
        out += [f"incomplete: {line}" for line in self.incomplete]
        patients = {p.parent.name for p, _ in self.written}
        out.append(f"{len(self.written)} series written for {len(patients)} patients, {len(self.unplaced)} not placed")
        return out


def _tag(reader, key: str) -> str:
    return reader.GetMetaData(key).strip() if reader.HasMetaDataKey(key) else ""


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "unknown"


def _write_atomic(image, path: Path) -> None:
    import SimpleITK as sitk

    with atomic_path(path) as tmp:
        sitk.WriteImage(image, str(tmp), True)


def import_series(src: Path | str, dst: Path | str) -> ImportReport:
    """Convert every placeable series under ``src`` to ``dst/<PatientID>/<modality>.nii.gz``."""
    try:
        import SimpleITK as sitk
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise BenchError("bench data import-dicom needs SimpleITK (pip install 'tumorbench[dicom]')") from exc

    src, dst = Path(src), Path(dst)
    if not src.is_dir():
        raise BenchError(f"{src}: DICOM folder not found")
    report = ImportReport()
    placed: dict[tuple[str, str], str] = {}
    series_reader = sitk.ImageSeriesReader()
    for folder, _, _ in sorted(os.walk(src)):
        for uid in series_reader.GetGDCMSeriesIDs(folder) or ():
            files = series_reader.GetGDCMSeriesFileNames(folder, uid)
            info = sitk.ImageFileReader()
            info.SetFileName(files[0])
            try:
                info.ReadImageInformation()
            except RuntimeError:
                report.unplaced.append(f"{folder}: series {uid}: cannot read its header")
                continue
            description = _tag(info, SERIES_DESCRIPTION)
            where = f"{folder}: series {uid} ({description or 'no description'})"
            patient = _tag(info, PATIENT_ID)
            modality = classify(description)
            if not patient:
                report.unplaced.append(f"{where}: no PatientID")
                continue
            if modality is None:
                report.unplaced.append(f"{where}: description names none of flair, t1, t1ce, t2")
                continue
            key = (patient, modality)
            if key in placed:
                report.unplaced.append(f"{where}: patient {patient} already has {modality} from {placed[key]!r}")
                continue
            series_reader.SetFileNames(files)
            try:
                image = series_reader.Execute()
            except RuntimeError as exc:
                first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unknown error"
                report.unplaced.append(f"{where}: cannot read the series ({first})")
                continue
            if image.GetDimension() != 3 or min(image.GetSize()) < 2:
                report.unplaced.append(f"{where}: not a 3D volume (size {image.GetSize()})")
                continue
            path = dst / _safe(patient) / f"{modality}.nii.gz"
            _write_atomic(image, path)
            placed[key] = description
            report.written.append((path, description))
    patients = sorted({p for p, _ in placed})
    for patient in patients:
        missing = [m for m in ("flair", "t1", "t1ce", "t2") if (patient, m) not in placed]
        if missing:
            report.incomplete.append(f"{dst / _safe(patient)}: no series for {', '.join(missing)}")
    return report
