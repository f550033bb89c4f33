"""Out-of-fold scoring: a model is never scored on its own training cases (tumorbench.prediction.folds)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.contract.values import DatasetOptions, ModelContext
from tumorbench.loading.registry import Registry
from tumorbench.models.model_store import fold_dir, write_metadata
from tumorbench.prediction.folds import (
    EXCLUDED,
    HELD_OUT,
    TRAINING_CASE,
    UNKNOWN,
    plan_predictions,
    stored_folds,
)
from tumorbench.prediction.references import parse_model_ref
from tumorbench_plugins.models.baseline import IntensityBaseline

runner = CliRunner()


def bench(*args: str):
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


def _store_fitted(store: Path, fold: int, train: list[str], wt: float, et: float) -> None:
    """A fold of intensity-fitted with chosen thresholds and a recorded split (no fitting needed)."""
    directory = fold_dir(store, "intensity-fitted", "brats18", fold)
    write_metadata(directory, {"model": "intensity-fitted"}, {"train": train, "val": [], "fold": fold, "folds": 3})
    (directory / "checkpoint.json").write_text(json.dumps({"wt": wt, "et": et, "scale": 0.25}))


def test_each_case_is_predicted_by_the_mean_of_the_folds_that_held_it_out(tmp_path: Path, synthetic_root: Path,
                                                                        synthetic_ids: list[str]) -> None:
    a, b, c, d = synthetic_ids
    store = tmp_path / "store"
    thresholds = {0: (0.75, 1.0), 1: (1.5, 2.0), 2: (2.5, 2.5)}
    trains = {0: [a, b], 1: [a, c], 2: [a, b, d]}  # a: trained on by all; b: held out by 1; d: by 0 and 1
    for k, (wt, et) in thresholds.items():
        _store_fitted(store, k, trains[k], wt, et)
    registry = Registry()
    base = ModelContext(dataset="brats18", store=store, device="cpu")
    plan = plan_predictions(parse_model_ref("intensity-fitted", registry), registry, base, {})
    assert [f.fold for f in stored_folds(store, "intensity-fitted", "brats18").folds] == [0, 1, 2]

    assert plan.eligibility(a).status == EXCLUDED and not plan.eligibility(a).scored
    assert plan.eligibility(b).folds == {"intensity-fitted": (1,)}
    assert plan.eligibility(d).folds == {"intensity-fitted": (0, 1)}
    assert plan.eligibility(c).status == HELD_OUT

    source = registry.datasets.get("brats18").open(DatasetOptions(root=synthetic_root))
    case = source.load(d)
    got = plan.predictor_for(plan.eligibility(d)).predict(case)
    by_hand = [IntensityBaseline(wt=thresholds[k][0], et=thresholds[k][1]).predict(case) for k in (0, 1)]
    for region in ("WT", "TC", "ET"):
        expected = (by_hand[0].probabilities[region].astype(np.float64) + by_hand[1].probabilities[region]) / 2
        np.testing.assert_allclose(got.probabilities[region], expected, atol=1e-6)

    allowed = plan_predictions(parse_model_ref("intensity-fitted", registry), registry, base, {}, allow_training_cases=True)
    verdict = allowed.eligibility(a)
    assert verdict.status == TRAINING_CASE and verdict.folds == {"intensity-fitted": (0, 1, 2)}
    # --fold 2 alone: only fold 2's split counts
    only = plan_predictions(parse_model_ref("intensity-fitted", registry), registry, ModelContext(
        dataset="brats18", store=store, fold=2), {})
    assert only.eligibility(b).status == EXCLUDED and only.eligibility(c).folds == {"intensity-fitted": (2,)}


def test_an_ensemble_member_without_a_split_is_marked_unknown(tmp_path: Path, synthetic_ids: list[str]) -> None:
    store = tmp_path / "store"
    _store_fitted(store, 0, synthetic_ids[:2], 1.0, 1.5)
    registry = Registry()
    ref = parse_model_ref("mean(intensity-fitted,intensity-baseline)", registry)
    plan = plan_predictions(ref, registry, ModelContext(dataset="brats18", store=store), {})
    verdict = plan.eligibility(synthetic_ids[3])
    assert verdict.status == UNKNOWN and verdict.unknown == ("intensity-baseline",)
    assert plan.eligibility(synthetic_ids[0]).status == EXCLUDED  # the fitted member trained on it

    # a fold without a split beside one with: only the unrecorded fold may predict its training cases
    directory = fold_dir(store, "intensity-fitted", "brats18", 1)
    directory.mkdir(parents=True)
    (directory / "checkpoint.json").write_text(json.dumps({"wt": 2.0, "et": 2.0, "scale": 0.25}))
    mixed = plan_predictions(parse_model_ref("intensity-fitted", registry), registry,
                             ModelContext(dataset="brats18", store=store), {})
    verdict = mixed.eligibility(synthetic_ids[0])
    assert verdict.status == UNKNOWN and verdict.folds == {"intensity-fitted": (1,)}
    assert mixed.eligibility(synthetic_ids[3]).folds == {"intensity-fitted": (0,)}


def test_bench_run_scores_only_held_out_cases_and_the_page_counts_the_rest(tmp_path: Path, synthetic_root: Path) -> None:
    store = tmp_path / "store"
    trained = bench("train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                    "--folds", "2", "--fold", "0", "--store", str(store))
    assert trained.exit_code == 0, trained.output
    split = json.loads((fold_dir(store, "intensity-fitted", "brats18", 0) / "split.json").read_text())

    out = tmp_path / "run"
    result = bench("run", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--store", str(store), "--out", str(out))
    assert result.exit_code == 0, result.output
    scored = set(pd.read_csv(out / "metrics.csv").case)
    assert scored == set(split["held_out"]) and not scored & set(split["train"])
    assert set(split["validation"]) <= set(split["train"])  # the validation case was seen: excluded, never scored
    assert "2 case(s) excluded" in result.output
    page = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert "intensity-fitted / brats18: 2 case(s) excluded" in page
    board = bench("leaderboard", str(out))
    assert "2 case(s) excluded" in board.output

    allowed = tmp_path / "allowed"
    result = bench("run", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--store", str(store), "--out", str(allowed), "--allow-training-cases")
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(allowed / "metrics.csv").case) == set(split["train"]) | set(split["held_out"])
    assert "2 scored case(s) are TRAINING cases" in (allowed / "leaderboard.md").read_text(encoding="utf-8")

    baseline = tmp_path / "baseline"
    result = bench("run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(baseline))
    assert "intensity-baseline / brats18: training data unknown" in (baseline / "leaderboard.md").read_text(encoding="utf-8")
