"""A real third-party plugin package, installed with pip, shows up and runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.shared_data import REPO

EXAMPLE = REPO / "examples" / "tumorbench-otsu"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """pip-install the example package into a private target folder; return an env that sees it."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(target), str(EXAMPLE)],
        check=True,
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(target), env.get("PYTHONPATH", "")])
    return env


def bench(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tumorbench", *args], env=env, capture_output=True, text=True, encoding="utf-8")


def test_installed_plugin_is_listed_with_its_package_and_version(installed: dict[str, str]) -> None:
    result = bench(installed, "plugins", "--kind", "model")
    assert result.returncode == 0, result.stderr
    line = next(l for l in result.stdout.splitlines() if "otsu-flair" in l)
    assert [c.strip() for c in line.strip("|").split("|")][:4] == ["otsu-flair", "model", "tumorbench-otsu", "0.3.0"]


def test_installed_plugin_runs_in_a_matrix(installed: dict[str, str], synthetic_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = bench(installed, "run", "-m", "otsu-flair", "-m", "intensity-baseline", "-d", "brats18",
                   "--data-root", str(synthetic_root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    board = (out / "leaderboard.md").read_text(encoding="utf-8")
    row = next(l for l in board.splitlines() if l.startswith("| otsu-flair"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:3] == ["4", "0"]  # 4 cases, none failed
    assert float(cells[3].split()[0]) > 0.5  # its whole-tumour Dice is a real score


def test_blocking_the_plugin_hides_it(installed: dict[str, str]) -> None:
    env = dict(installed, TUMORBENCH_BLOCK_PLUGINS="otsu")
    assert "otsu-flair" not in bench(env, "plugins", "--kind", "model").stdout
    row = next(l for l in bench(env, "plugins").stdout.splitlines() if l.startswith("| otsu "))
    assert [c.strip() for c in row.strip("|").split("|")] == [
        "otsu", "dataset,model,combiner,postprocessor,metric,command", "tumorbench-otsu", "0.3.0", "tumorbench_otsu.plugin",
        "blocked"]


def test_the_example_passes_its_own_contract_tests(installed: dict[str, str]) -> None:
    """The example's tests use tumorbench.testing (the pytest11 plugin) on the installed package."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
        cwd=EXAMPLE, env=installed, capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


def _table(board: str, title: str) -> list[str]:
    lines = board.splitlines()
    start = lines.index(f"#### {title}")
    return [l for l in lines[start + 1:] if l.startswith("|")][:3]


def test_the_added_metric_shows_after_hd95_in_the_legacy_table(installed: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = bench(installed, "run", "-m", "otsu-flair", "-m", "max(otsu-flair,intensity-baseline)", "-d", "synthetic",
                   "--dataset-opt", "cases=2", "--dataset-opt", "size=40,40,32", "--postprocess", "keep-largest:components=1",
                   "--out", str(out))
    assert result.returncode == 0, result.stderr
    header, _, *rows = _table((out / "leaderboard.md").read_text(encoding="utf-8"), "Overlap and distance (brats-legacy)")
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns[3:] == ["dice WT", "hd95 WT", "volume\\_similarity WT"]  # both models share only WT (Markdown-escaped)
    import pandas as pd

    csv = pd.read_csv(out / "metrics.csv")
    similarity = csv[csv.metric == "volume_similarity"]
    assert len(similarity) == 2 * 2 and set(similarity.region) == {"WT"}  # 2 models x 2 cases
    assert similarity.value.between(0.5, 1.0).all()
    assert set(csv.model) == {"otsu-flair+keep-largest:components=1", "max(otsu-flair,intensity-baseline)+keep-largest:components=1"}


def test_the_example_command_and_layout(installed: dict[str, str], tmp_path: Path) -> None:
    from tumorbench.testing import write_synthetic_case

    flat = tmp_path / "flat"
    flat.mkdir()
    for k, case_id in enumerate(("Flat_001", "Flat_002")):
        files = write_synthetic_case(tmp_path / "nested", case_id, seed=k)
        for key, path in files.items():
            (flat / f"{case_id}_{key}.nii.gz").write_bytes(path.read_bytes())
    result = bench(installed, "otsu", "threshold", str(files["flair"]))
    assert result.returncode == 0, result.stderr
    assert "of brain voxels above" in result.stdout
    check = bench(installed, "data", "check", str(flat))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "layout: otsu-flat" in check.stdout and "cases: 2 (2 with labels)" in check.stdout
    split = bench(installed, "data", "split", str(flat), "--folds", "2", "--out", str(tmp_path / "split.json"))
    assert split.returncode == 0, split.stderr
    assert "otsu-flat, 2 cases" in split.stdout


def test_re_scoring_records_the_plugin_conventions_package(installed: dict[str, str], tmp_path: Path) -> None:
    """bench score under brats-legacy: its run names the example's extension with its package and version."""
    import json

    out = tmp_path / "run"
    first = bench(installed, "run", "-m", "intensity-baseline", "-d", "synthetic", "--dataset-opt", "cases=2",
                  "--dataset-opt", "size=40,40,32", "--metric-convention", "brats-2023", "--out", str(out))
    assert first.returncode == 0, first.stderr
    again = bench(installed, "score", str(out), "--metric-convention", "brats-legacy")
    assert again.returncode == 0, again.stderr
    exported = bench(installed, "export", str(out), "--format", "json", "--out", str(tmp_path / "all.json"))
    assert exported.returncode == 0, exported.stderr
    rows = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    similarity = [r for r in rows if r["metric"] == "volume_similarity"]
    assert len(similarity) == 2 * 3  # 2 cases x WT, TC, ET
    for row in similarity:
        assert row["run_id"] == 2 and row["prediction_run_id"] == 1 and row["command"].startswith("bench score")
        plugins = json.loads(row["plugins"])
        assert plugins["metric/otsu-volume-similarity"] == "tumorbench-otsu 0.3.0"
        assert "metric/brats-2023" not in plugins
