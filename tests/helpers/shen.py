"""Helpers shared by the tests of the Shen & Anderson models (tiny synthetic data, requests)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tumorbench.contract.values import DatasetOptions, TrainRequest
from tumorbench_plugins.datasets.synthetic import open_synthetic

TINY = {"cases": 4, "size": "32,32,24", "seed": 3}


def tiny_source(root: Path):
    """Four seeded 32x32x24 phantoms written as NIfTI under ``root``."""
    return open_synthetic(DatasetOptions(root=root, params=TINY))


def request(model: str, source, store: Path, *, params: Mapping[str, Any], epochs: int = 2, dataset: str = "synthetic",
            init_from: Path | None = None, progress: Callable | None = None, resume: bool = True,
            seed: int = 0) -> TrainRequest:
    ids = sorted(source.case_ids())
    return TrainRequest(model=model, dataset=dataset, source=source, train_ids=tuple(ids[:3]), val_ids=tuple(ids[3:]),
                        fold=0, folds=4, store=store, epochs=epochs, seed=seed, device="cpu", init_from=init_from,
                        resume=resume, params=dict(params), progress=progress)
