"""``bench leaderboard --check`` passes on pages it has just published, whatever the order of the run
folders and whatever the working directory of the check (issue 24, item 3)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.rendering import run_and_render
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.report.published import first_difference
from tumorbench.run.options import RunOptions


def bench(*args: object):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


@pytest.fixture
def two_runs(tmp_path: Path, synthetic_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two run folders (relative paths, as the demo's own) whose models differ, so that each page
    has paired tests with a sign: ``runs/b`` (sorted last) holds the model a sorted order lists first."""
    monkeypatch.chdir(tmp_path)
    run_and_render(RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=Path("runs/b"),
                              data_roots={"brats18": synthetic_root}))
    run_and_render(RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=Path("runs/a"),
                              data_roots={"brats18": synthetic_root}, model_params={"wt": "1.6", "et": "2.0"}))
    return tmp_path


@pytest.mark.parametrize("order", [("runs/b", "runs/a"), ("runs/a", "runs/b")])
@pytest.mark.parametrize("overlays", [True, False])
def test_published_pages_check_in_any_order_from_any_working_directory(two_runs: Path, order, overlays: bool) -> None:
    extra = [] if overlays else ["--no-overlays"]
    published = bench("leaderboard", *order, "--publish", "pub", "--permutations", "200", "--bootstrap", "50", *extra)
    assert published.exit_code == 0, published.output
    manifest = json.loads((two_runs / "pub" / "manifest.json").read_text(encoding="utf-8"))
    assert [r["run"] for r in manifest["runs"]] == list(order)  # kept as given, not sorted
    assert bench("leaderboard", "--check", "pub").exit_code == 0
    elsewhere = two_runs / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    os.chdir(elsewhere)
    result = bench("leaderboard", "--check", "../../pub")
    assert result.exit_code == 0, result.output
    assert "every page matches its results" in result.output
    result = bench("leaderboard", "--check", two_runs / "pub")
    assert result.exit_code == 0, result.output


def test_the_check_names_the_first_line_that_differs_and_blames_overlays_only_for_overlays() -> None:
    assert first_difference(b"a\nb\nc\n", b"a\nB\nc\n") == "line 2: published 'b', now 'B'"
    assert first_difference(b"a\n", b"a\nmore\n") == "line 2: only now has 'more'"


def test_a_page_that_really_differs_is_named_with_its_line(two_runs: Path) -> None:
    published = bench("leaderboard", "runs/a", "runs/b", "--publish", "pub", "--no-overlays", "--permutations", "200",
                      "--bootstrap", "50")
    assert published.exit_code == 0, published.output
    manifest_path = two_runs / "pub" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["runs"].reverse()  # rebuilt in the other order: A and B swap in the paired tests
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    result = bench("leaderboard", "--check", "pub")
    assert result.exit_code == 1
    assert "differs from the page its results make now (line " in result.output
    assert "overlays" not in result.output
