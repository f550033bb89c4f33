"""Every score names the run, command and plugin versions that computed it: a score computed again
from stored predictions (``bench score``, or ``bench run`` under another convention) is the
re-scoring run's, in the store, the leaderboard's provenance and ``bench export``."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from tumorbench import __version__
from tumorbench.api import MetricConventionSpec, MetricDef, hookimpl
from tumorbench.cli import build_app
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.results.results_store import open_store
from tumorbench.run.rescore import score_run

MODEL = "intensity-baseline"


def bench(*args: str):  # noqa: ANN201
    """``bench ARGS`` in this process, with the command line a shell would give it (runs record it)."""
    argv = sys.argv
    sys.argv = ["bench", *args]
    try:
        result = CliRunner().invoke(build_app(mount_plugins=False), list(args))
    finally:
        sys.argv = argv
    assert result.exit_code == 0, result.output
    return result


def _provenance_items(board: str, convention: str) -> list[str]:
    """The provenance items under the tables of ``convention`` on a leaderboard page."""
    items: list[str] = []
    for block in board.split("Provenance:")[1:]:
        lines = [line for line in block.strip().splitlines() if line.startswith("- run ")]
        items += [line for line in lines if f"metric convention {convention};" in line.replace("\\-", "-")]
    return items


def test_bench_score_names_its_own_run_command_and_convention_plugins(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "R"
    bench("run", "-m", MODEL, "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(out))
    bench("score", str(out), "--metric-convention", "brats-2023")

    store = open_store(out, create=False)
    try:
        runs = {r["id"]: r["provenance"] for r in store.runs()}
        metrics = store.metrics()
        scored = {row for row in store._db.execute("SELECT metric_convention, run_id FROM scores")}  # noqa: SLF001
    finally:
        store.close()
    assert sorted(runs) == [1, 2]
    assert runs[2]["command"].startswith("bench score") and runs[1]["command"].startswith("bench run")
    # the re-scoring run's plugins are those that computed its scores: brats-2023, not run 1's conventions
    assert runs[2]["plugins"]["metric/brats-2023"] == f"tumorbench {__version__}"
    assert not {"metric/brats-legacy", "metric/qu-brats"} & set(runs[2]["plugins"])
    assert f"model/{MODEL}" not in runs[2]["plugins"]  # no model was loaded to score again
    assert {"metric/brats-legacy", f"model/{MODEL}"} <= set(runs[1]["plugins"])
    # the store's metric rows name the run that computed each score, and the run that predicted
    assert scored == {("brats-legacy", 1), ("qu-brats", 1), ("brats-2023", 2)}
    by_convention = metrics.groupby("metric_convention")
    assert set(by_convention.get_group("brats-2023").run_id) == {2}
    assert set(by_convention.get_group("brats-2023").prediction_run_id) == {1}
    assert set(by_convention.get_group("brats-legacy").run_id) == {1}

    exported = tmp_path / "export.csv"
    bench("export", str(out), "--format", "csv", "--out", str(exported))
    frame = pd.read_csv(exported)
    new = frame[frame.metric_convention == "brats-2023"]
    old = frame[frame.metric_convention == "brats-legacy"]
    assert len(new) > 0 and set(new.run_id) == {2} and set(new.prediction_run_id) == {1}
    assert all(c.startswith("bench score") for c in new.command)
    assert all(c.startswith("bench run") for c in new.prediction_command)
    assert all("metric/brats-2023" in json.loads(p) and "metric/brats-legacy" not in json.loads(p) for p in new.plugins)
    assert set(old.run_id) == {1} and all(c.startswith("bench run") for c in old.command)

    board = (out / "leaderboard.md").read_text(encoding="utf-8")
    items = _provenance_items(board, "brats-2023")
    assert items, board
    rescoring = [i for i in items if " #2 " in i]
    predicting = [i for i in items if " #1 " in i]
    assert rescoring and all("scored the stored predictions of run #1" in i for i in rescoring)
    assert all("<code>bench score" in i and "metric/brats-2023 tumorbench" in i for i in rescoring)
    assert all("metric/brats-legacy" not in i for i in rescoring)
    assert predicting and all("its predictions scored by run #2" in i for i in predicting)
    # a table that run 1 both predicted and scored names run 1 alone, as before
    legacy = _provenance_items(board, "brats-legacy")
    assert legacy and all(re.search(r" #1: ", i) and "#2" not in i for i in legacy)


def _volume_ratio(m) -> dict[str, float]:  # noqa: ANN001 - a MetricInput
    p, g = int(np.count_nonzero(m.prediction)), int(np.count_nonzero(m.reference))
    return {"volume_ratio": 1.0 if g == 0 else p / g}


@hookimpl
def tumorbench_metric_conventions():  # noqa: ANN201
    return [MetricConventionSpec(
        name="my-volume-ratio", summary="predicted over true volume",
        metrics=(MetricDef(name="volume_ratio", summary="|P|/|G|", higher_is_better=True, worst=lambda shape: 0.0),),
        compute=_volume_ratio, needs=frozenset(),
    )]


def test_a_plugin_convention_records_its_package_and_version(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "R"
    bench("run", "-m", MODEL, "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(out))
    plugin = types.ModuleType("my_volume_ratio")
    plugin.tumorbench_metric_conventions = tumorbench_metric_conventions
    registry = Registry(get_plugin_manager(entry_points=False, extra=[plugin]))
    summary = score_run(out, conventions=["my-volume-ratio"], units="mm", data_roots={}, command="bench score R",
                        registry=registry)
    assert summary.ok == 4
    store = open_store(out, create=False)
    try:
        provenance = store.runs()[-1]["provenance"]
    finally:
        store.close()
    assert provenance["plugins"]["metric/my-volume-ratio"] == "local -"  # the test's plugin: package "local"
    assert provenance["metric_conventions"] == ["my-volume-ratio"] and provenance["scored_runs"] == [1]
