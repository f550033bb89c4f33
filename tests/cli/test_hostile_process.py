"""Plugin code that would end or hold bench's own process (``cli.process_guard``): ``os._exit`` in
``predict`` never makes a run that did nothing exit 0, and a thread a plugin leaves running never
keeps ``bench`` from exiting."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.plugin_dists import bench, make_distribution

PREDICT = """
import os
import threading
import time

import numpy as np
from tumorbench import hookimpl
from tumorbench.api import ModelSpec, Prediction


class Model:
    def predict(self, case):
        {body}
        return Prediction(regions=("WT",), labels=np.zeros(case.shape, np.uint8))


@hookimpl
def tumorbench_models():
    return [ModelSpec(name={name!r}, summary="hostile", load=lambda ctx: Model(), regions=("WT",))]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("process")
    make_distribution(root, "quitter-seg", "0.1", "quitter_plugin",
                      PREDICT.format(name="quitter-net", body="os._exit(0)"), {"tumorbench.models": "quitter"})
    make_distribution(root, "keeper-seg", "0.1", "keeper_plugin",
                      PREDICT.format(name="keeper-net", body="threading.Thread(target=time.sleep, args=(600,), "
                                                              "name='keeper-sleep').start()"),
                      {"tumorbench.models": "keeper"})
    return root


def test_os_exit_in_predict_ends_bench_with_exit_code_8_and_one_line(site: Path, synthetic_root: Path,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = bench(site, "run", "-m", "quitter-net", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--out", str(out))
    assert result.returncode == 8, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == ["error: quitter_plugin called os._exit(0) inside bench: the command was cut short "
                      "(a run's store keeps the cases done and shows the run as cut short)"], result.stderr
    assert not (out / "leaderboard.md").exists()
    # the store it left says so when a page is made from it
    page = bench(site, "leaderboard", str(out), "--permutations", "10000")
    assert page.returncode == 0, page.stderr
    assert "**Incomplete:**" in page.stdout and "was cut short after 0 of 4" in page.stdout, page.stdout


def test_a_thread_left_running_by_a_plugin_does_not_hold_bench(site: Path, synthetic_root: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = bench(site, "run", "-m", "keeper-net", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--out", str(out), TUMORBENCH_EXIT_GRACE="1")
    assert result.returncode == 0, (result.stdout, result.stderr)
    warnings = [line for line in result.stderr.splitlines() if "still running" in line]
    assert warnings == ["warning: 4 thread(s) started by a plugin still running after 1 s (keeper-sleep, "
                        "keeper-sleep, keeper-sleep, keeper-sleep); exiting without them (TUMORBENCH_EXIT_GRACE "
                        "sets the wait)"], result.stderr
    assert (out / "leaderboard.md").is_file()
