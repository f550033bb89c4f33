"""Shared helpers for the metric tests: the real-data location and small mask generators."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def brats_root() -> Path:
    """`$BENCH_TEST_DATA` else `<repo>/../shared/data`, then the BraTS 2018 training folder."""
    base = Path(os.environ.get("BENCH_TEST_DATA") or REPO_ROOT.parent / "shared" / "data")
    return base / "MICCAI_BraTS_2018_Data_Training"


def real_case_dirs() -> list[Path]:
    root = brats_root()
    if not root.is_dir():
        return []
    return sorted(p for grade in ("HGG", "LGG") for p in (root / grade).glob("*") if p.is_dir())


def require_real_case() -> Path:
    """The first real case folder, or skip with the reason."""
    cases = real_case_dirs()
    if not cases:
        pytest.skip(f"real BraTS data not found at {brats_root()} (set BENCH_TEST_DATA)")
    return cases[0]


def load_seg(case_dir: Path) -> np.ndarray:
    import nibabel as nib

    return np.asarray(nib.load(case_dir / f"{case_dir.name}_seg.nii.gz").dataobj)
