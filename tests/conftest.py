"""Shared fixtures: the real BraTS 2018 cases (skipped with a reason when absent), synthetic data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_ENV = "BENCH_TEST_DATA"
BRATS18 = "MICCAI_BraTS_2018_Data_Training"


def shared_data_root() -> Path | None:
    """``$BENCH_TEST_DATA`` if set, else ``../shared/data`` beside the repository."""
    candidate = Path(os.environ[DATA_ENV]) if os.environ.get(DATA_ENV) else REPO.parent / "shared" / "data"
    return candidate if (candidate / BRATS18).is_dir() else None


@pytest.fixture(scope="session")
def brats18_root() -> Path:
    root = shared_data_root()
    if root is None:
        pytest.skip(f"real BraTS 2018 cases not found: set {DATA_ENV} or place them in ../shared/data/{BRATS18}")
    return root / BRATS18


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Synthetic data and configuration never touch the user's home during tests."""
    os.environ["TUMORBENCH_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("TUMORBENCH_DATA_ROOT", None)
    os.environ.pop("TUMORBENCH_STORE", None)
    os.environ["TUMORBENCH_CONFIG"] = str(tmp_path_factory.mktemp("config") / "absent.toml")


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four small phantom cases written as NIfTI in the BraTS 2018 training layout."""
    from tumorbench_plugins.datasets.synthetic import generate

    params = {"cases": 4, "size": (40, 40, 32), "seed": 3, "layout": "brats18"}
    return generate(tmp_path_factory.mktemp("synthetic") / "data", params)


@pytest.fixture(scope="session")
def synthetic_ids(synthetic_root: Path) -> list[str]:
    """The phantom case ids, sorted."""
    return sorted(p.name for p in synthetic_root.glob("*GG/*") if p.is_dir())
