"""The missing-checkpoint advice runs as given; typo hints and known lists include ensembles."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.rendering import run_and_render

from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench.run.options import RunOptions

BIN = Path(sys.executable).parent


def _advice(reason: str) -> list[str]:
    assert "make one with: " in reason, reason
    commands = reason.split("make one with: ", 1)[1].split(" (then --fold")[0]
    return [c.strip() for c in commands.split(" ; ")]


def test_every_missing_member_gets_a_complete_command(tmp_path: Path, synthetic_root: Path) -> None:
    options = RunOptions(models=("tunet-ensemble",), datasets=("brats18",), out=tmp_path / "run",
                         data_roots={"brats18": synthetic_root}, model_store=tmp_path / "store")
    summary = run_and_render(options)
    reasons = {f[3] for f in summary.failures}
    assert len(reasons) == 1 and summary.failed == 4
    commands = _advice(reasons.pop())
    members = Registry().ensembles.get("tunet-ensemble").members
    assert [shlex.split(c)[3] for c in commands] == list(members)
    for command in commands:
        words = shlex.split(command)
        assert words[words.index("--data-root") + 1] == str(synthetic_root)
        assert words[words.index("--folds") + 1] == "4"  # 4 cases: at most 4 folds
        assert words[words.index("--store") + 1] == str(tmp_path / "store")


def test_the_advised_command_run_as_given_starts_training(tmp_path: Path, synthetic_root: Path) -> None:
    options = RunOptions(models=("intensity-fitted",), datasets=("brats18",), out=tmp_path / "run",
                         data_roots={"brats18": synthetic_root}, model_store=tmp_path / "store")
    (command,) = _advice(run_and_render(options).failures[0][3])
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(command, shell=True, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    # 4 cases in 4 folds: 1 held out; of the 3 others, 1 (a fifth, at least one) validates
    assert "training intensity-fitted on brats18 fold 0/4: 2 training, 1 validation (from the training folds), 1 held-out" in done.stdout
    assert (tmp_path / "store" / "intensity-fitted" / "brats18" / "fold-0" / "checkpoint.json").is_file()
    again = run_and_render(RunOptions(models=("intensity-fitted",), datasets=("brats18",), out=tmp_path / "run2",
                           data_roots={"brats18": synthetic_root}, model_store=tmp_path / "store"))
    assert (again.ok, again.failed, again.excluded) == (1, 0, 3)  # only fold 0's held-out case is scored


def test_typo_hints_and_known_lists_include_ensembles() -> None:
    registry = Registry()
    with pytest.raises(BenchError) as info:
        registry.models.get("tunet-ensamble")
    message = str(info.value)
    assert "did you mean tunet-ensemble" in message
    assert "ensembles: tunet-ensemble" in message


def test_training_an_ensemble_names_each_member_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    result = CliRunner().invoke(build_app(), ["train", "-m", "tunet-ensemble", "-d", "brats18", "--data-root",
                                              str(tmp_path), "--folds", "4", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    commands = result.output.split("train each member: ", 1)[1].strip().split(" ; ")
    assert [shlex.split(c)[3] for c in commands] == list(Registry().ensembles.get("tunet-ensemble").members)
    assert all(f"--data-root {tmp_path} --fold 0 --folds 4" in c for c in commands)
