"""Every core command through Typer's CliRunner, as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tumorbench.cli import build_app

runner = CliRunner()


def bench(*args: str):
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


def test_help_and_version() -> None:
    result = bench("--help")
    assert result.exit_code == 0
    for command in ("run", "evaluate", "leaderboard", "plugins", "train", "models"):
        assert command in result.output
    assert bench("--version").output.strip() == "tumorbench 0.1.0"


def test_help_does_not_import_frameworks() -> None:
    code = "import sys; from tumorbench.cli import build_app; build_app(); print(sorted(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out.strip() == "[]"


def test_plugins_lists_name_kind_package_version() -> None:
    result = bench("plugins")
    assert result.exit_code == 0
    line = next(l for l in result.output.splitlines() if l.startswith("| intensity-baseline "))
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[:4] == ["intensity-baseline", "model", "tumorbench", "0.1.0"]
    only = bench("plugins", "--kind", "dataset").output
    assert "brats18" in only and "intensity-baseline" not in only


def test_run_then_leaderboard_and_publish(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    result = bench("run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "# tumorbench leaderboard" in result.output
    assert "4 scored, 0 predicted without ground truth, 0 failed, 0 already done" in result.output

    again = bench("run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", f"brats18={synthetic_root}", "--out", str(out))
    assert "0 scored, 0 predicted without ground truth, 0 failed, 4 already done" in again.output

    board = bench("leaderboard", str(out), "--metric", "dice", "--publish", str(tmp_path / "leaderboard"))
    assert board.exit_code == 0
    assert "dice WT" in board.output and "hd95 WT" not in board.output
    assert (tmp_path / "leaderboard" / "brats18.md").read_text(encoding="utf-8").startswith("# tumorbench leaderboard")


def test_run_errors_are_one_line_with_nonzero_exit(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["run", "-m", "intensity-baseline", "-d", "brats18", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.output.strip() == "error: dataset brats18 needs --data-root PATH (or TUMORBENCH_DATA_ROOT, or tumorbench.toml)"
    assert not (tmp_path / "r").exists()

    result = runner.invoke(build_app(), ["run", "-m", "intensity-baselin", "-d", "synthetic", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.output.startswith("error: unknown model 'intensity-baselin'; did you mean intensity-baseline")


def test_data_root_from_environment(tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUMORBENCH_DATA_ROOT", f"brats18={synthetic_root}")
    result = bench("run", "-m", "intensity-baseline", "-d", "brats18", "--case", synthetic_ids[0], "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    assert "1 scored" in result.output


def test_train_show_and_run_a_fitted_model(tmp_path: Path, synthetic_root: Path) -> None:
    store = tmp_path / "store"
    missing = runner.invoke(build_app(), ["run", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                                          "--store", str(store), "--out", str(tmp_path / "r0")])
    assert missing.exit_code == 1
    assert "make one with: bench train --model intensity-fitted --dataset brats18" in missing.output
    failed = [line for line in missing.output.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 1 and "/ 4 cases (" in failed[0]  # one line, not one per case

    absent = runner.invoke(build_app(), ["train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                                         "--store", str(store), "--init-from", str(tmp_path / "nowhere.pt")])
    assert absent.exit_code == 2 and f"{tmp_path / 'nowhere.pt'}: checkpoint not found" in absent.output
    result = bench("train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--folds", "2", "--fold", "1", "--store", str(store))
    assert result.exit_code == 0, result.output
    fold = store / "intensity-fitted" / "brats18" / "fold-1"
    split = json.loads((fold / "split.json").read_text(encoding="utf-8"))
    # 4 cases, 2 folds: fold 1's 2 cases are held out; of the other 2, one trains and one validates
    assert len(split["held_out"]) == 2 and len(split["trained"]) == 1 and len(split["validation"]) == 1
    assert set(split["train"]) == set(split["trained"]) | set(split["validation"])
    assert not set(split["train"]) & set(split["held_out"])
    assert (fold / "checkpoint.json").is_file()

    result = bench("run", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                   "--store", str(store), "--out", str(tmp_path / "r1"))
    assert result.exit_code == 0, result.output

    shown = bench("models", "show", "intensity-baseline")
    assert "intensity-baseline" in shown.output
    not_trainable = runner.invoke(build_app(), ["train", "-m", "intensity-baseline", "-d", "synthetic", "--store", str(store)])
    assert not_trainable.exit_code == 2 and "not trainable" in not_trainable.output


def test_evaluate_reads_a_prediction_folder(tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str]) -> None:
    # perfect predictions: the ground truth itself, written as <case>.nii.gz
    preds = tmp_path / "team-a"
    preds.mkdir()
    for seg in synthetic_root.rglob("*_seg.nii.gz"):
        (preds / seg.name.replace("_seg", "")).write_bytes(seg.read_bytes())
    result = bench("evaluate", str(preds), "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(tmp_path / "ev"))
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(tmp_path / "ev" / "metrics.csv")
    assert set(csv.model) == {"folder:team-a"}
    assert set(csv[csv.metric == "dice"].value) == {1.0}
    assert set(csv[csv.metric == "hd95"].value) == {0.0}

    first = synthetic_ids[0]
    (preds / f"{first}.nii.gz").unlink()
    result = runner.invoke(build_app(), ["evaluate", str(preds), "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(tmp_path / "ev2")])
    assert result.exit_code == 1
    assert f"failed: folder:team-a / brats18 / {first}: {preds / (first + '.nii.gz')}: file not found" in result.output


def test_one_run_folder_named_twice_is_one_row(tmp_path: Path, synthetic_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``bench leaderboard run $PWD/run`` names one folder twice: it is read once, not ranked
    and tested against itself."""
    monkeypatch.chdir(tmp_path)
    assert bench("run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root),
                 "--out", "run").exit_code == 0
    once = bench("leaderboard", "run").output
    twice = bench("leaderboard", "run", str(tmp_path / "run"), "./run/").output
    rows = [line for line in twice.splitlines() if line.startswith("| intensity-baseline ")]
    assert rows and rows == [line for line in once.splitlines() if line.startswith("| intensity-baseline ")]
    assert "Paired tests" not in twice  # one row has nothing to be tested against
