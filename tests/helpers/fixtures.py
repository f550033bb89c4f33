"""Shared fixtures: the real BraTS 2018 cases (skipped with a reason when absent), synthetic data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.shared_data import brats2018_root


@pytest.fixture(scope="session")
def brats18_root() -> Path:
    """The real BraTS 2018 training folder (skipped with the reason when absent)."""
    return brats2018_root()


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


def pytest_configure(config: pytest.Config) -> None:
    """tumorbench.testing is a pytest plugin (entry point ``pytest11``); register it here too for
    a checkout whose installed metadata predates that entry point (registered once either way)."""
    import tumorbench.testing as kit

    if not config.pluginmanager.is_registered(kit):
        config.pluginmanager.register(kit, "tumorbench-testing")
