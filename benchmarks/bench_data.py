"""Where the benchmark scripts find the real BraTS 2018 cases (the same rule as the tests)."""

from __future__ import annotations

import os
from pathlib import Path


def brats2018_root() -> Path:
    """``$BENCH_TEST_DATA``, else ``../shared/data`` beside the repository, then the BraTS 2018
    training folder (it may not exist; each script says so in its own way)."""
    base = Path(os.environ.get("BENCH_TEST_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
    return base / "MICCAI_BraTS_2018_Data_Training"
