"""Shared helpers for the dataset tests: the real-data root and synthetic folders in any layout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tumorbench.types import DatasetOptions

REPO = Path(__file__).resolve().parents[1]


def data_root() -> Path:
    """``$BENCH_TEST_DATA``, else ``<repo root>/../shared/data``."""
    return Path(os.environ.get("BENCH_TEST_DATA") or REPO.parent / "shared" / "data")


def brats2018_root() -> Path:
    """The real BraTS 2018 training folder, or skip the test with the reason."""
    root = data_root() / "MICCAI_BraTS_2018_Data_Training"
    if not root.is_dir():
        pytest.skip(f"real BraTS 2018 data not found at {root} (set BENCH_TEST_DATA)")
    return root


def synthetic(root: Path, layout: str, split: str = "training", cases: int = 2, size: str = "24,24,16", **extra):
    """Write synthetic phantoms in ``layout`` under ``root`` and open them; returns the source."""
    from tumorbench_plugins.datasets.synthetic import open_synthetic

    params = {"layout": layout, "split": split, "cases": cases, "size": size, **extra}
    return open_synthetic(DatasetOptions(root=root, params=params))


def tree(root: Path) -> list[str]:
    """Every path under ``root`` (hidden ones included), relative and sorted."""
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*"))
