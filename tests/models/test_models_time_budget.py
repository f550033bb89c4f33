"""A time budget never ends a training silently after a step or two (issue 24, item 4), the budget
is one for every trainable model however it is given (issue 23, item 4), and ``config.json`` says
what was trained, appending each call to its history (issue 24, item 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tumorbench.contract.values import DatasetOptions
from tumorbench.loading.registry import Registry
from tumorbench.models.fold_training import MIN_STEPS, FoldJob, TooFewSteps, train_fold, training_params
from tumorbench.models.model_store import fold_dir
from tumorbench.models.training import BUDGET, TrainControl
from tumorbench_plugins.models.tunet.train import step_estimate

BIN = Path(sys.executable).parent
FCN = {"width": "0.25", "batch": "4", "steps": "4", "val_cases": "1"}


class StopAfter(TrainControl):
    """A budget that ends after ``calls`` questions (one per step): a clock the test decides."""

    def __init__(self, calls: int) -> None:
        super().__init__(budget=60.0)
        self.calls, self.asked, self.reserves = calls, 0, []

    def stop_reason(self, reserve: float = 0.0) -> str | None:
        self.asked += 1
        self.reserves.append(reserve)
        return BUDGET if self.asked > self.calls else None


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("phantoms") / "data"
    return Registry().datasets.get("synthetic").open(DatasetOptions(root=root, params={"cases": "6", "size": "24,24,20", "seed": "3"}))


def _fcn(source, store: Path, **kw) -> FoldJob:
    spec = Registry().models.get("fcn")
    params, budget = training_params(spec, {**FCN, **kw.pop("params", {})}, kw.pop("time_budget", 0.0))
    from tumorbench.prediction.references import model_options

    return FoldJob(spec=spec, dataset="synthetic", source=source, fold=0, folds=3, store=store, device="cpu",
                   params=params, options=model_options(spec, params), time_budget=budget, **kw)


def test_the_step_estimate_leaves_out_the_first_step_which_traces_the_graph() -> None:
    assert step_estimate([]) == 0.0
    assert step_estimate([24.0]) == 0.0  # only the traced step: no estimate yet, so no stop on its cost
    assert step_estimate([24.0, 0.4, 0.6, 0.5]) == pytest.approx(0.5)


@pytest.mark.tensorflow
def test_tunet_does_not_reserve_the_tracing_step_for_the_next_one(source, tmp_path: Path) -> None:
    """Before the fix the reserve asked for before step 2 was 3x the first step (graph tracing, ~24 s
    at paper size), so a budget ended REB1/REB2 after one step."""
    spec = Registry().models.get("tunet-seb")
    params = {"width": "2", "depth": "2", "grid": "none", "patch": "16,16,16", "batch": "2", "steps": "4"}
    control = StopAfter(100)
    job = FoldJob(spec=spec, dataset="synthetic", source=source, fold=0, folds=3, store=tmp_path, device="cpu",
                  params=params, epochs=1)
    train_fold(job, control)
    assert control.reserves[0] == 0.0
    assert control.reserves[1] == 0.0  # only the first (traced) step timed: nothing reserved for it
    assert len(control.reserves) >= 3 and control.reserves[2] > 0.0  # from the second step on, a steady estimate


@pytest.mark.torch
def test_a_budget_that_keeps_too_few_steps_fails_and_stores_no_model(source, tmp_path: Path) -> None:
    store = tmp_path / "store"
    job = _fcn(source, store, epochs=5)
    with pytest.raises(TooFewSteps, match=rf"after 3 step\(s\), fewer than the {MIN_STEPS}"):
        train_fold(job, StopAfter(3))
    fold = fold_dir(store, "fcn", "synthetic", 0)
    assert not (fold / "checkpoint.pt").exists()  # an untrained network is never scored
    assert (fold / "train_state.pt").is_file()  # but the steps are kept: rerunning continues
    first = json.loads((fold / "config.json").read_text())["training"]
    assert first["steps"] == 3 and len(first["history"]) == 1 and first["history"][0]["stopped"] == BUDGET

    train_fold(job, TrainControl())  # resumed without a budget: every epoch
    config = json.loads((fold / "config.json").read_text())
    record = config["training"]
    assert (fold / "checkpoint.pt").is_file()
    assert len(record["history"]) == 2 and record["history"][0] == first["history"][0]  # appended, not overwritten
    assert record["steps"] == 5 * 4 and record["epochs"] == 5  # 3 + the 17 steps left of 5 epochs of 4
    assert record["cases"] == {"trained": 3, "validation": 1, "held_out": 2}
    assert record["fold"] == 0 and record["folds"] == 3 and record["params"] == dict(sorted(job.params.items()))


@pytest.mark.torch
def test_the_budget_recorded_is_the_one_given_however_it_was_given(source, tmp_path: Path) -> None:
    for store, given in ((tmp_path / "a", {"time_budget": 500.0}), (tmp_path / "b", {"params": {"time_budget": "500"}})):
        job = _fcn(source, store, epochs=1, **given)
        assert job.time_budget == 500.0 and job.params["time_budget"] == "500"
        train_fold(job, TrainControl(budget=job.time_budget))
        config = json.loads((fold_dir(store, "fcn", "synthetic", 0) / "config.json").read_text())
        assert config["time_budget"] == 500.0  # the model's own configuration
        assert config["training"]["time_budget"] == 500.0 and config["training"]["history"][0]["time_budget"] == 500.0


def test_time_budget_is_the_harness_s_for_a_model_without_that_option() -> None:
    spec = Registry().models.get("intensity-fitted")  # declares no options at all
    params, budget = training_params(spec, {"time_budget": "7"})
    assert params == {} and budget == 7.0
    assert training_params(spec, {"time_budget": "7"}, 3.0) == ({}, 3.0)  # --time-budget wins


def _bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUMORBENCH_CACHE": str(tmp_path / "cache")}
    return subprocess.run([str(BIN / "bench"), *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)


@pytest.mark.parametrize("budget", [["--time-budget", "0.01"], ["--model-opt", "time_budget=0.01"]])
def test_bench_train_exits_non_zero_in_one_line_when_the_budget_kept_too_few_steps(tmp_path: Path, budget: list[str]) -> None:
    """The budget counts from the process start: 0.01 s is over before the first step."""
    done = _bench(tmp_path, "train", "-m", "intensity-fitted", "-d", "synthetic", "--dataset-opt", "cases=4",
                  "--dataset-opt", "size=24,24,20", "--folds", "2", "--store", "store", *budget)
    assert done.returncode == 2, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the time budget of 0.01 s ended the training after 0 step(s)" in errors[0]
    assert not list((tmp_path / "store").rglob("checkpoint.*"))


def test_a_row_whose_budget_kept_too_few_steps_fails_loudly_in_an_experiment(tmp_path: Path) -> None:
    from tumorbench.experiment.definition import load
    from tumorbench.experiment.execute import execute

    path = tmp_path / "exp.toml"
    path.write_text(f"""
[experiment]
name = "tiny"
out = "{tmp_path / 'run'}"
store = "{tmp_path / 'models'}"
held_out = {{ folds = 2, fold = 0 }}
[[datasets]]
name = "synthetic"
options = {{ cases = 4, size = "24,24,20" }}
[[models]]
model = "intensity-fitted"
train = {{ folds = 2, train_folds = [0], time_budget = 0.000001 }}
""", encoding="utf-8")
    lines: list[str] = []
    registry = Registry()
    summaries = execute(replace(load(path, registry)), registry, echo=lines.append)
    assert any(line.startswith("error: intensity-fitted fold 0:") and "ended the training after 0 step(s)" in line for line in lines)
    assert sum(s.failed for s in summaries) == 2  # the row's held-out cases fail: no checkpoint
