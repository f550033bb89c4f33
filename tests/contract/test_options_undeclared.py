"""A model that declares no options takes no ``--model-opt`` key: every command refuses one with
one line naming the flag and the model, before any case (the harness's own ``time_budget`` aside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench.prediction.references import model_options

MODEL = "intensity-fitted"  # trainable, and declares no options


def bench(*args: str):  # noqa: ANN201
    return CliRunner().invoke(build_app(mount_plugins=False), list(args))


def test_the_model_declares_no_options() -> None:
    spec = Registry().models.get(MODEL)
    assert spec.options is None and spec.train is not None
    with pytest.raises(BenchError, match=r"^--model-opt nonsense: intensity-fitted takes no options$"):
        model_options(spec, {"nonsense": "1"})
    assert model_options(spec, {}) is None
    assert model_options(spec, {"time_budget": "5"}, training=True) is None  # the harness's own key


def test_bench_train_refuses_an_unknown_key_before_reading_data(tmp_path: Path) -> None:
    result = bench("train", "-m", MODEL, "-d", "brats18", "--data-root", str(tmp_path / "absent"),
                   "--model-opt", "nonsense=1", "--store", str(tmp_path / "models"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["error: --model-opt nonsense: intensity-fitted takes no options"]
    assert not (tmp_path / "models").exists()


def test_bench_run_refuses_an_unknown_key_before_any_case(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    result = bench("run", "-m", MODEL, "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(out),
                   "--model-opt", "nonsense=1")
    assert result.exit_code == 2
    assert "--model-opt nonsense: intensity-fitted takes no options" in result.output
    assert not (out / "results.sqlite").exists()


def test_bench_models_show_refuses_it_too() -> None:
    result = bench("models", "show", MODEL, "--model-opt", "nonsense=1")
    assert result.exit_code == 2 and "intensity-fitted takes no options" in result.output


def test_a_time_budget_is_still_taken_by_bench_train(tmp_path: Path, synthetic_root: Path) -> None:
    store = tmp_path / "models"
    result = bench("train", "-m", MODEL, "-d", "brats18", "--data-root", str(synthetic_root), "--fold", "0",
                   "--folds", "2", "--model-opt", "time_budget=600", "--store", str(store))
    assert result.exit_code == 0, result.output
    assert (store / MODEL / "brats18" / "fold-0" / "checkpoint.json").is_file()


def test_the_folder_model_declares_the_keys_it_reads(tmp_path: Path) -> None:
    spec = Registry().models.get("folder")
    assert model_options(spec, {"path": str(tmp_path), "convention": "brats-2023", "name": "mine"}).convention == "brats-2023"
    with pytest.raises(BenchError, match=r"^--model-opt nonsense: not a folder option \(known: path, convention, name\)$"):
        model_options(spec, {"nonsense": "1"})
