"""Shared helpers for the dataset tests: synthetic folders in any layout (the real-data root
comes from ``shared_data``)."""

from __future__ import annotations

from pathlib import Path

from helpers.shared_data import brats2018_root  # noqa: F401  (re-exported for the dataset tests)
from tumorbench.contract.values import DatasetOptions


def synthetic(root: Path, layout: str, split: str = "training", cases: int = 2, size: str = "24,24,16", **extra):
    """Write synthetic phantoms in ``layout`` under ``root`` and open them; returns the source."""
    from tumorbench_plugins.datasets.synthetic import open_synthetic

    params = {"layout": layout, "split": split, "cases": cases, "size": size, **extra}
    return open_synthetic(DatasetOptions(root=root, params=params))


def tree(root: Path) -> list[str]:
    """Every path under ``root`` (hidden ones included), relative and sorted."""
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*"))
