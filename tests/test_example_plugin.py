"""A real third-party plugin package, installed with pip, shows up and runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tumorbench-otsu"


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
    assert [c.strip() for c in line.strip("|").split("|")][:4] == ["otsu-flair", "model", "tumorbench-otsu", "0.2.0"]


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
        "otsu", "model", "tumorbench-otsu", "0.2.0", "tumorbench_otsu.plugin", "blocked"]
