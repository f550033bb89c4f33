"""Pictures as figures a paper can use (issue 24, item 6): axis labels with units, integer counts,
full model names in rank order, points under five cases, honest axes, an SVG beside every PNG,
overlays of a chosen region with a median panel and an uncertainty colour bar. The SVG keeps its
text as text, which is what these tests read."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.report import plots
from tumorbench.report.overlays import pick_cases


def texts(svg: bytes) -> list[str]:
    return [t.decode() for t in re.findall(rb"<text[^>]*>(.*?)</text>", svg, re.S)]


def test_axes_say_what_they_show_in_the_run_s_units() -> None:
    picture = plots.box_strip({"WT": {"m": np.array([1.0, 2.0, 3.0])}}, metric="hd95", higher_is_better=False,
                              unit="distance", units="voxel")
    assert "hd95 (voxel)" in texts(picture.svg)
    dice = plots.box_strip({"WT": {"m": np.array([0.5, 0.7])}}, metric="dice", higher_is_better=True)
    assert "dice" in texts(dice.svg) and not any("(mm)" in t for t in texts(dice.svg))


def test_histogram_counts_are_integers_and_axes_are_labelled() -> None:
    picture = plots.histograms({"a": np.array([0.5, 0.52, 0.9]), "b": np.array([0.1])}, metric="dice WT")
    shown = texts(picture.svg)
    assert "cases" in shown and "dice WT" in shown
    numbers = [t for t in shown if re.fullmatch(r"[0-9.]+", t)]
    counts = [t for t in numbers if t not in {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}]
    assert counts and all(re.fullmatch(r"\d+", t) for t in counts)  # no 0.5 cases


def test_long_names_are_wrapped_never_cut_and_kept_in_the_order_given() -> None:
    name = "tunet-reb2-seb+tunet-postprocess (run bench-runs/vu2019-table2)"
    order = [name, "intensity-baseline", "fcn"]
    picture = plots.box_strip({"WT": {m: np.array([0.5, 0.6]) for m in order}}, metric="dice", higher_is_better=True)
    joined = "".join(texts(picture.svg))
    assert "…" not in joined and name.replace(" ", "") in joined.replace(" ", "")
    positions = [joined.replace(" ", "").index(m.replace(" ", "")) for m in order]
    assert positions == sorted(positions)


def test_names_holding_dollar_signs_are_shown_as_typed_never_as_mathtext() -> None:
    odd = {"net$1$x": np.array([0.5, 0.6]), "b_c^2 $": np.array([0.7, 0.8])}
    shown = texts(plots.box_strip({"WT": odd}, metric="dice", higher_is_better=True).svg)
    assert "net$1$x" in shown and "b_c^2 $" in shown
    shown = texts(plots.heatmap(np.ones((2, 2)), ["case$1$", "c2"], list(odd), title="dice $WT$", higher_is_better=True).svg)
    assert {"case$1$", "net$1$x", "dice $WT$"} <= set(shown)
    assert "net$1$x" in texts(plots.rank_stability(np.eye(2), list(odd), samples=10).svg)
    assert "net$1$x" in "".join(texts(plots.histograms(odd, metric="dice").svg))


def test_a_metric_bounded_by_one_is_never_magnified_into_a_spread() -> None:
    low, high = plots.value_limits(np.array([0.999, 0.9995, 1.0]), "ratio")
    assert high - low >= plots.MIN_SPAN and high >= 1.0 and low <= 0.8
    low, high = plots.value_limits(np.array([3.0, 40.0]), "distance")
    assert low <= 0.0 and high >= 40.0
    assert plots.value_limits(np.array([-2.0, 5.0]), "ratio") is None  # not a 0-1 value: matplotlib's own


def test_the_median_panel_is_always_there() -> None:
    assert pick_cases({"a": 0.9, "b": 0.5, "c": 0.1}) == [("best", "a"), ("median", "b"), ("worst", "c")]
    assert pick_cases({"a": 0.9, "b": 0.5}) == [("best and median", "a"), ("worst", "b")]
    assert pick_cases({"a": 0.9}) == [("best, median and worst", "a")]


def test_the_uncertainty_row_has_a_colour_bar() -> None:
    slice_ = np.random.default_rng(0).uniform(size=(20, 24))
    truth = np.zeros((20, 24), bool)
    truth[5:10, 5:12] = True
    panel = {"image": slice_, "truth": truth, "predicted": truth, "label": "best"}
    with_map = texts(plots.overlays([{**panel, "uncertainty": slice_ * 100}], title="x").svg)
    assert "uncertainty (0 = certain, 100 = undecided)" in with_map and "100" in with_map
    assert not any("certain" in t for t in texts(plots.overlays([panel], title="x").svg))


@pytest.mark.slow
def test_published_pictures_have_svgs_rank_order_and_the_chosen_region(tmp_path: Path, synthetic_root: Path) -> None:
    runner = CliRunner()
    app = build_app()
    out = tmp_path / "run"
    for model, extra in (("intensity-baseline", []), ("intensity-baseline", ["--model-opt", "wt=1.6"])):
        name = out if not extra else tmp_path / "other"
        done = runner.invoke(app, ["run", "-m", model, "-d", "brats18", "--data-root", str(synthetic_root), "--units", "voxel",
                                   "--out", str(name), *extra])
        assert done.exit_code == 0, done.output
    pub = tmp_path / "pub"
    result = runner.invoke(app, ["leaderboard", str(tmp_path / "other"), str(out), "--units", "voxel", "--publish", str(pub),
                                 "--permutations", "100", "--bootstrap", "20", "--overlay-region", "TC"])
    assert result.exit_code == 0, result.output
    pngs = sorted(p.stem for p in pub.glob("*.png"))
    assert pngs and pngs == sorted(p.stem for p in pub.glob("*.svg"))
    page = (pub / "brats18.md").read_text(encoding="utf-8")
    assert "(tumour core;" in page and "by dice TC)" in page
    ranking = re.split(r"\| Rank +\| Model +\|", page, maxsplit=1)[1].split("\n\n", 1)[0]
    order = [m.replace("\\", "").replace(" ", "") for m in re.findall(r"^\|\s+\d+\s+\|\s+([^|]+?)\s+\|", ranking, re.M)]
    assert len(order) == 2
    box = texts(next(pub.glob("brats18-brats-legacy-*-box-hd95.svg")).read_bytes())
    assert "hd95 (voxel)" in box
    joined = "".join(box).replace(" ", "")
    positions = [joined.index(m) for m in order]
    assert positions == sorted(positions)  # the models in the ranking table's order
