"""A published leaderboard folder checks itself anywhere: ``--check`` rebuilds every page from the
results committed with it (SQL text), and names each page that differs and each edited file."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from helpers.rendering import run_and_render
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.run.options import RunOptions


def bench(*args: object):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def test_pages_rebuild_from_their_committed_results_in_another_folder(tmp_path: Path, synthetic_root: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_and_render(RunOptions(models=("intensity-baseline", "vote(intensity-baseline,intensity-baseline)"), datasets=("brats18",),
                   out=Path("runs/a"), data_roots={"brats18": synthetic_root}))
    published = bench("leaderboard", "runs/a", "--publish", "pub", "--no-overlays", "--permutations", "200", "--bootstrap", "50")
    assert published.exit_code == 0, published.output
    assert (tmp_path / "pub" / "results" / "runs__a.sql").is_file() and (tmp_path / "pub" / "results" / "runs__a.csv").is_file()
    assert bench("leaderboard", "--check", "pub").exit_code == 0
    # the CSV: every metric value of the run (as its metrics.csv has them), with status and identity only
    import pandas as pd

    from tumorbench.report.published import PUBLISHED_COLUMNS

    table = pd.read_csv(tmp_path / "pub" / "results" / "runs__a.csv")
    assert tuple(table.columns) == PUBLISHED_COLUMNS
    mine = pd.read_csv(tmp_path / "runs" / "a" / "metrics.csv")
    keys = ["model", "dataset", "case", "metric_convention", "units", "region", "metric"]
    table = table.rename(columns={"case_id": "case"}).sort_values(keys).reset_index(drop=True)
    mine = mine.sort_values(keys).reset_index(drop=True)
    assert len(table) == len(mine) and table[keys].equals(mine[keys])
    assert table.value.tolist() == pytest.approx(mine.value.tolist(), nan_ok=True)

    # the same folder elsewhere, without the run it was made from: it still checks
    elsewhere = tmp_path / "clone"
    elsewhere.mkdir()
    shutil.copytree(tmp_path / "pub", elsewhere / "pub")
    shutil.rmtree(tmp_path / "runs")
    os.chdir(elsewhere)
    result = bench("leaderboard", "--check", "pub")
    assert result.exit_code == 0, result.output
    assert "every page matches its results" in result.output

    # a page edited by hand is named
    page = elsewhere / "pub" / "brats18.md"
    page.write_text(page.read_text(encoding="utf-8").replace("intensity-baseline", "intensity-baseline (tuned)", 1), encoding="utf-8")
    result = bench("leaderboard", "--check", "pub")
    assert result.exit_code == 1
    assert "pub/brats18.md: edited since it was published" in result.output

    # results edited by hand are named, and the pages are not trusted
    shutil.copy(tmp_path / "pub" / "brats18.md", page)
    sql = elsewhere / "pub" / "results" / "runs__a.sql"
    text = sql.read_text(encoding="utf-8")
    changed = re.sub(r"('dice',)([0-9.]+)", r"\g<1>0.5", text, count=1)
    assert changed != text
    sql.write_text(changed, encoding="utf-8")
    result = bench("leaderboard", "--check", "pub")
    assert result.exit_code == 1
    assert "results edited since the pages were published" in result.output or "edited since it was published" in result.output
