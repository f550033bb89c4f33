"""Where the tests find the real BraTS 2018 cases: ``$BENCH_TEST_DATA``, else ``../shared/data``
beside the repository. Tests that need them skip with this reason when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_ENV = "BENCH_TEST_DATA"
BRATS18 = "MICCAI_BraTS_2018_Data_Training"


def data_root() -> Path:
    """``$BENCH_TEST_DATA``, else ``<repo root>/../shared/data`` (it may not exist)."""
    return Path(os.environ.get(DATA_ENV) or REPO.parent / "shared" / "data")


def brats2018_root() -> Path:
    """The real BraTS 2018 training folder, or skip the test with the reason."""
    root = data_root() / BRATS18
    if not root.is_dir():
        pytest.skip(f"real BraTS 2018 cases not found at {root}: set {DATA_ENV} or place them in ../shared/data/{BRATS18}")
    return root


def brats2018_cases() -> list[Path]:
    """Every real case folder (HGG, then LGG, sorted), or skip the test with the reason."""
    root = brats2018_root()
    return sorted(p for grade in ("HGG", "LGG") for p in (root / grade).glob("*") if p.is_dir())
