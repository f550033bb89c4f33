"""Shared helpers for the metric tests: the real-data location and small mask generators."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.shared_data import brats2018_cases


def require_real_case() -> Path:
    """The first real case folder, or skip with the reason."""
    return brats2018_cases()[0]


def load_seg(case_dir: Path) -> np.ndarray:
    import nibabel as nib

    return np.asarray(nib.load(case_dir / f"{case_dir.name}_seg.nii.gz").dataobj)
