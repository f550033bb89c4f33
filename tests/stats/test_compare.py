"""Comparisons: ranks worked by hand, tests against scipy and statsmodels, seeded determinism,
picture sizes, the escaping corpus, publishing inside its folder, row identity and --check."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.errors import BenchError
from tumorbench.report import plots
from tumorbench.report.context import BoardOptions
from tumorbench.report.escape import inside, md, safe_stem
from tumorbench.report.leaderboard import build_pages, render_leaderboard
from tumorbench.report.reported import load_reported, read_reported
from tumorbench.results.results_store import PredictionRecord, ResultsStore, ScoreRecord
from tumorbench.scoring.evaluation import MetricRow
from tumorbench.stats.analysis import analyse, paired
from tumorbench.stats.bootstrap import bootstrap, resample_counts
from tumorbench.stats.paired_tests import holm, permutation_p, wilcoxon_p
from tumorbench.stats.ranking import aggregate_then_rank, min_rank, rank_then_aggregate

runner = CliRunner()


# ------------------------------------------------------------------------------------------ ranks
def test_min_rank_ties_take_the_smallest_rank_and_inf_ranks_last() -> None:
    assert min_rank(np.array([-0.9, -0.8, -0.9])).tolist() == [1, 3, 1]
    assert min_rank(np.array([3.0, 3.0, 10.0])).tolist() == [1, 1, 3]
    assert min_rank(np.array([np.inf, 1.0, np.inf, 2.0])).tolist() == [3, 1, 3, 2]


def test_rank_then_aggregate_and_aggregate_then_rank_by_hand() -> None:
    # models x cases x keys (dice: higher is better, hd95: lower is better)
    values = np.array([
        [[0.9, 5.0], [0.5, 1.0]],
        [[0.8, 2.0], [0.5, 4.0]],
        [[0.7, 2.0], [0.9, 8.0]],
    ])
    higher = np.array([True, False])
    rta = rank_then_aggregate(values, higher)
    # case 1: dice ranks 1,2,3; hd95 ranks 3,1,1 -> means 2, 1.5, 2
    # case 2: dice ranks 2,2,1; hd95 ranks 1,2,3 -> means 1.5, 2, 2
    assert rta.per_case.tolist() == [[2.0, 1.5], [1.5, 2.0], [2.0, 2.0]]
    assert rta.score.tolist() == [1.75, 1.75, 2.0]
    assert rta.rank.tolist() == [1, 1, 3]
    atr = aggregate_then_rank(values, higher)
    # mean dice 0.7, 0.65, 0.8 -> ranks 2, 3, 1; mean hd95 3, 3, 5 -> ranks 1, 1, 3
    assert atr.per_key.tolist() == [[2, 1], [3, 1], [1, 3]]
    assert atr.rank.tolist() == [1, 2, 2]


def test_a_failed_case_ranks_last_whatever_its_stored_value() -> None:
    values = np.array([[[0.99]], [[0.5]], [[0.2]]])
    failed = np.array([[True], [False], [False]])
    assert rank_then_aggregate(values, np.array([True]), failed).per_key[:, 0, 0].tolist() == [3, 1, 2]
    both = np.array([[True], [True], [False]])
    assert rank_then_aggregate(values, np.array([True]), both).per_key[:, 0, 0].tolist() == [2, 2, 1]


# ------------------------------------------------------------------------------------------ tests
def test_wilcoxon_against_the_exact_hand_value() -> None:
    # five positive differences: the exact two-sided p is 2 / 2**5
    assert wilcoxon_p(np.arange(1, 6) + 1.0, np.ones(5)) == pytest.approx(2 / 32)
    assert wilcoxon_p(np.ones(7), np.ones(7)) == 1.0
    # ties and zeros: the normal approximation with tie correction, as scipy computes it, every time
    from scipy.stats import wilcoxon

    x, y = np.array([1.0, 2, 2, 3, 3, 3, 0.5, 7]), np.array([0.0, 1, 1, 1, 1, 1, 0.5, 2])
    expected = wilcoxon(x - y, zero_method="wilcox", method="approx").pvalue
    assert wilcoxon_p(x, y) == pytest.approx(expected) and wilcoxon_p(x, y) == wilcoxon_p(x, y)


def test_permutation_p_against_full_enumeration_and_scipy() -> None:
    from scipy.stats import permutation_test

    rng = np.random.default_rng(4)
    d = rng.normal(0.4, 1.0, size=9)
    signs = np.array(list(itertools.product([-1.0, 1.0], repeat=d.size)))
    exact = float(np.mean(np.abs(signs @ d) >= abs(d.sum()) - 1e-12))
    ours = float(permutation_p(d, permutations=40_000, seed=1)[0])
    assert ours == pytest.approx(exact, abs=0.01)
    reference = permutation_test(
        (d, np.zeros_like(d)), lambda x, y: np.mean(x - y), permutation_type="samples", n_resamples=np.inf
    ).pvalue
    assert exact == pytest.approx(reference, abs=1e-9)
    # many columns at once equal one at a time (same seed, same flips)
    many = rng.normal(size=(9, 4))
    assert permutation_p(many, 2_000, 3).tolist() == [permutation_p(many[:, j], 2_000, 3)[0] for j in range(4)]


def test_holm_against_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(0)
    for size in (1, 2, 7, 40):
        p = rng.uniform(0, 0.2, size)
        p[::3] = rng.uniform(0, 0.001, len(p[::3]))
        assert holm(p) == pytest.approx(multipletests(p, method="holm")[1])
    with_nan = np.array([0.01, np.nan, 0.04, 0.03])
    expected = multipletests([0.01, 0.04, 0.03], method="holm")[1]
    out = holm(with_nan)
    assert np.isnan(out[1]) and out[[0, 2, 3]] == pytest.approx(expected)


def _paired(seed: int = 0, models: int = 4, cases: int = 30):
    rng = np.random.default_rng(seed)
    rows = [f"m{i}" for i in range(models)]
    records = []
    for i, row in enumerate(rows):
        for c in range(cases):
            for metric, base in (("dice", 0.6 + 0.08 * i), ("hd95", 20 - 3 * i)):
                for region in ("WT", "TC"):
                    records.append({"row": row, "case_id": f"c{c:03d}", "metric": metric, "region": region,
                                    "value": base + rng.normal(0, 0.05 if metric == "dice" else 3), "failed": False})
    frame = pd.DataFrame(records)
    keys = [("dice", "WT"), ("dice", "TC"), ("hd95", "WT"), ("hd95", "TC")]
    return paired(frame, rows, keys, [True, True, False, False])


def test_analysis_is_seeded_and_finds_the_clear_order() -> None:
    data = _paired()
    first, again, other = analyse(data, seed=5), analyse(data, seed=5), analyse(data, seed=6)
    assert first.pairs.equals(again.pairs) and np.array_equal(first.bootstrap.ranks, again.bootstrap.ranks)
    assert not np.array_equal(first.bootstrap.means, other.bootstrap.means)
    assert not first.pairs.permutation_p.equals(other.pairs.permutation_p)
    # model 3 is best by construction, then 2, 1, 0, and every pair differs significantly
    assert first.rank_then_aggregate.rank.tolist() == [4, 3, 2, 1]
    assert first.better.sum(axis=1).tolist() == [0, 1, 2, 3]
    assert first.pairs.wilcoxon_p.tolist() == pytest.approx(
        [wilcoxon_p(data.values[r.a, :, k], data.values[r.b, :, k])
         for r in first.pairs.itertuples() for k in [data.keys.index((r.metric, r.region))]])
    assert (first.bootstrap.rank_interval()[:, 0] <= first.rank_then_aggregate.rank).all()


def test_bootstrap_equals_explicit_resampling() -> None:
    rng = np.random.default_rng(2)
    per_case = rng.uniform(1, 3, size=(3, 11))
    values = rng.uniform(size=(3, 11, 2))
    counts = resample_counts(11, 50, seed=9)
    assert (counts.sum(axis=1) == 11).all()
    draws = np.random.default_rng(9).integers(0, 11, size=(50, 11))
    boot = bootstrap(per_case, values, samples=50, seed=9)
    for b in (0, 17, 49):
        idx = draws[b]
        assert boot.means[b] == pytest.approx(values[:, idx, :].mean(axis=1))
        assert boot.ranks[b].tolist() == min_rank(per_case[:, idx].mean(axis=1)).tolist()


def test_paired_uses_only_the_cases_every_row_has() -> None:
    frame = pd.DataFrame({
        "row": ["a", "a", "a", "b", "b"], "case_id": ["1", "2", "3", "2", "3"], "metric": "dice", "region": "WT",
        "value": [0.1, 0.2, 0.3, 0.5, 0.6], "failed": False,
    })
    data = paired(frame, ["a", "b"], [("dice", "WT")], [True])
    assert data.cases == ("2", "3") and data.cases_per_row == (3, 2)
    assert data.values[:, :, 0].tolist() == [[0.2, 0.3], [0.5, 0.6]]


# ------------------------------------------------------------------------------------------ pictures
def test_every_png_opens_with_its_size() -> None:
    import io

    from PIL import Image

    rng = np.random.default_rng(0)
    made = [
        # sizes as each function's docstring-level rule gives them (minimum sizes for few models and cases)
        (plots.box_strip({"WT": {"a": rng.uniform(size=9), "b": rng.uniform(size=9)}}, metric="dice", higher_is_better=True), (520, 500)),
        (plots.histograms({"a": rng.uniform(size=9), "b": rng.uniform(size=5), "c": []}, metric="dice WT"), (880, 300)),
        (plots.heatmap(rng.uniform(size=(6, 2)), [f"c{i}" for i in range(6)], ["a", "b"], title="t", higher_is_better=True), (560, 360)),
        (plots.rank_stability(np.array([[0.7, 0.3], [0.3, 0.7]]), ["a", "b"], samples=10), (560, 320)),
    ]
    slice_ = rng.uniform(size=(20, 24))
    truth = np.zeros((20, 24), bool)
    truth[5:10, 5:12] = True
    panel = {"image": slice_, "truth": truth, "predicted": np.roll(truth, 2, axis=0), "label": "best"}
    made.append((plots.overlays([panel, {**panel, "uncertainty": slice_ * 100}], title="x"), (640, 630)))
    made.append((plots.overlays([panel], title="x"), (380, 360)))
    from xml.etree import ElementTree

    for picture, expected in made:
        assert picture.size == expected
        image = Image.open(io.BytesIO(picture.png))
        assert image.format == "PNG" and image.size == expected
        svg = ElementTree.fromstring(picture.svg)  # the vector version beside it: SVG of the same size (in points)
        assert svg.tag.endswith("svg") and svg.get("width") == f"{expected[0] * 72 / 100:g}pt"


def test_overlay_colours_mark_correct_missed_and_false_positive() -> None:
    truth = np.array([[True, True, False]])
    predicted = np.array([[True, False, True]])
    rgb = plots.overlay_rgb(np.zeros((1, 3)), truth, predicted)
    for j, name in enumerate(["correct", "missed", "false positive"]):
        assert rgb[0, j] == pytest.approx(0.65 * np.asarray(plots.OVERLAY_COLOURS[name]))


# ------------------------------------------------------------------------------------------ stores by hand
def _store(path: Path, rows: dict[str, dict[str, dict[str, float]]], *, dataset: str = "set", interrupted: bool = False,
           failed: tuple[tuple[str, str], ...] = (), planned: int | None = None, identities=None) -> ResultsStore:
    """``rows[model][case][f"{metric} {region}"] = value`` written as one run of brats-legacy scores."""
    store = ResultsStore(path / "results.sqlite")
    total = sum(len(c) for c in rows.values())
    run_id = store.start_run({"command": "bench run -m x", "tumorbench_version": "0.1.0", "case_lists": {dataset: {"n": 3, "sha256": "ab" * 32}}}, planned=planned or total)
    done = 0
    for model, cases in rows.items():
        for case_id, metrics in cases.items():
            is_failed = (model, case_id) in failed
            regions = tuple(dict.fromkeys(k.split()[1] for k in metrics))
            record = PredictionRecord(
                model=model, dataset=dataset, case_id=case_id, status="failed" if is_failed else "ok",
                reason="boom | <b>x</b>" if is_failed else None, label_convention="brats-2017", regions=regions, run_id=run_id,
                identity=(identities or {}).get(model),
            )
            metric_rows = tuple(MetricRow(region=k.split()[1], metric=k.split()[0], value=v,
                                          status="case-failed" if is_failed else "ok") for k, v in metrics.items())
            score = ScoreRecord(convention="brats-legacy", units="mm", status="case-failed" if is_failed else "ok",
                                rows=metric_rows, run_id=run_id)
            store.record_case(record, [score], replace=True)
            done += 1
    store.finish_run(run_id, done=done, interrupted=interrupted)
    return store


def _case(dice: float, hd: float, regions=("WT", "TC", "ET")) -> dict[str, float]:
    out = {}
    for r in regions:
        out[f"dice {r}"] = dice
        out[f"hd95 {r}"] = hd
    return out


def test_two_runs_of_one_model_stay_two_rows_and_name_their_run(tmp_path: Path) -> None:
    a = _store(tmp_path / "a", {"intensity-baseline": {f"c{i}": _case(0.8, 4) for i in range(3)}})
    b = _store(tmp_path / "b", {"intensity-baseline": {f"c{i}": _case(0.6, 9) for i in range(3)}})
    text = render_leaderboard([a, b], permutations=200, samples=50)
    rows = [l for l in text.splitlines() if l.startswith("| intensity-baseline")]
    run_a, run_b = md(f"(run {tmp_path / 'a'})"), md(f"(run {tmp_path / 'b'})")
    assert any(run_a in l for l in rows) and any(run_b in l for l in rows)
    assert not any("| 6 " in l for l in rows)  # never one 6-case row
    ranking = [l for l in text.splitlines() if l.startswith("| 1 ") or l.startswith("| 2 ")]
    assert run_a in ranking[0]


def test_wt_only_models_are_ranked_apart_from_three_region_models(tmp_path: Path) -> None:
    store = _store(tmp_path / "r", {
        "three": {f"c{i}": _case(0.7, 5) for i in range(3)},
        "fcn": {f"c{i}": _case(0.95, 1, ("WT",)) for i in range(3)},
    })
    text = render_leaderboard([store], permutations=200, samples=50)
    assert "### brats-legacy: models predicting WT, TC, ET" in text and "### brats-legacy: models predicting WT\n" in text
    three = text.split("### brats-legacy: models predicting WT, TC, ET")[1].split("### brats-legacy: models predicting WT\n")[0]
    only_wt = text.split("### brats-legacy: models predicting WT\n")[1]
    assert "| fcn" not in three and "| three" not in only_wt
    assert [l for l in only_wt.splitlines() if l.startswith("| 1 ")][0].split("|")[2].strip() == "fcn"


def test_a_row_mixing_model_identities_says_so(tmp_path: Path) -> None:
    store = _store(tmp_path / "r", {"m": {"c0": _case(0.7, 5), "c1": _case(0.6, 5)}})
    from dataclasses import replace

    for case_id, digest in (("c0", "1" * 64), ("c1", "2" * 64)):  # e.g. a checkpoint retrained between cases
        record = replace(store.prediction("m", "set", case_id), identity_sha256=digest, id=None)
        rows = tuple(MetricRow(region=k.split()[1], metric=k.split()[0], value=v) for k, v in _case(0.7, 5).items())
        store.record_case(record, [ScoreRecord(convention="brats-legacy", units="mm", status="ok", rows=rows, run_id=1)], replace=True)
    text = render_leaderboard([store], permutations=100, samples=20)
    assert "Note: m mixes predictions of more than one model identity" in text


def test_an_interrupted_run_says_cases_done_of_planned(tmp_path: Path) -> None:
    store = _store(tmp_path / "r", {"m": {"c0": _case(0.7, 5)}}, interrupted=True, planned=9)
    text = render_leaderboard([store], permutations=100, samples=20)
    assert "**Incomplete:**" in text and "cut short after 1 of 9 planned cases" in text
    store.finish_run(store.start_run({"command": "bench run -m x"}, planned=9), done=9)  # the same command, resumed
    assert "**Incomplete:**" not in render_leaderboard([store], permutations=100, samples=20)


# ------------------------------------------------------------------------------------------ escaping
CORPUS = [
    "| 9.999 | <img src=x onerror=alert(1)>",
    "case\n# injected heading\n",
    "`code` and ``double``",
    "a\\|b",
    "[link](javascript:alert(1))",
    "<script>alert(1)</script>",
    "line\r\nbreak\u2028sep",
    "**bold** _it_ ~~s~~ #tag !x",
]


@pytest.mark.parametrize("text", CORPUS)
def test_md_leaves_no_markup(text: str) -> None:
    out = md(text)
    assert "\n" not in out and "\r" not in out and "<" not in out and ">" not in out
    # every |, `, [ and ] is escaped by an odd run of backslashes
    for index, char in enumerate(out):
        if char in "|`[]*_#":
            run = len(out[:index]) - len(out[:index].rstrip("\\"))
            assert run % 2 == 1, (text, out)


def test_forged_names_and_case_ids_do_not_forge_cells_or_headings(tmp_path: Path) -> None:
    evil = "| 9.999 | <img onerror=alert(1)>"
    store = _store(tmp_path / "r", {
        evil: {"c\n# Owned": _case(0.7, 5), "c2": _case(0.6, 5)},
        "plain": {"c\n# Owned": _case(0.5, 5), "c2": _case(0.4, 5)},
    }, failed=((evil, "c2"),))
    text = render_leaderboard([store], permutations=100, samples=20)
    assert "<img" not in text and "<b>" not in text
    assert "# Owned" not in [l.strip() for l in text.splitlines()]
    for block in text.split("\n\n"):
        lines = [l for l in block.splitlines() if l.startswith("|")]
        if not lines:
            continue
        widths = {len([m for m in _unescaped_pipes(l)]) for l in lines}
        assert len(widths) == 1, block  # every row of every table has as many cells as its header


def _unescaped_pipes(line: str):
    for index, char in enumerate(line):
        if char == "|":
            run = len(line[:index]) - len(line[:index].rstrip("\\"))
            if run % 2 == 0:
                yield index


def test_publish_stays_inside_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "pub" / "inner"
    stores = [
        _store(tmp_path / "r1", {"m": {"c0": _case(0.7, 5)}}, dataset="../../escaped"),
        _store(tmp_path / "r2", {"m": {"c0": _case(0.7, 5)}}, dataset=str(tmp_path / "abs")),
        _store(tmp_path / "r3", {"m": {"c0": _case(0.7, 5)}}, dataset="../inner_x"),
    ]
    result = runner.invoke(build_app(mount_plugins=False), ["leaderboard", *[str(s.path.parent) for s in stores],
                                                            "--publish", str(out), "--permutations", "100", "--bootstrap", "20"])
    assert result.exit_code == 0, result.output
    runs = {s.path.parent for s in stores}
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents and p.parent not in runs]
    assert outside == []
    names = sorted(p.name for p in out.glob("*.md"))
    assert len(names) == 4 and "index.md" in names and all("/" not in n and not n.startswith(".") for n in names)
    with pytest.raises(BenchError, match="outside the publishing folder"):
        inside(out, "../x.md")
    with pytest.raises(BenchError, match="outside the publishing folder"):
        inside(out, "/etc/passwd")
    assert safe_stem("../../x") == "x" and safe_stem("..") == "unnamed"


# ------------------------------------------------------------------------------------------ check, export, reported
def test_check_notices_changed_results_and_edited_pages(tmp_path: Path) -> None:
    store = _store(tmp_path / "r", {"a": {f"c{i}": _case(0.7 + i / 10, 5) for i in range(3)},
                                    "b": {f"c{i}": _case(0.6, 6) for i in range(3)}})
    out = tmp_path / "pub"
    app = build_app(mount_plugins=False)
    published = runner.invoke(app, ["leaderboard", str(tmp_path / "r"), "--publish", str(out), "--permutations", "100", "--bootstrap", "20"])
    assert published.exit_code == 0, published.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(n.endswith(".png") for n in manifest["files"]) and any(n.endswith(".csv") for n in manifest["files"])
    assert list(manifest["sources"]) == ["../r/results.sqlite"]  # relative: a clone elsewhere finds it
    page = (out / "set.md").read_text()
    assert "Overlays of a: images not available (LookupError: the run wrote no prediction files" in page
    for name in manifest["files"]:
        if name != "set.md" and name.startswith("set-"):
            assert f"({name})" in page  # every file beside the page is linked from it by relative path
    assert runner.invoke(app, ["leaderboard", "--check", str(out)]).exit_code == 0
    store.finish_run(store.start_run({"command": "bench run -m a"}), done=0)  # a rerun with nothing to do
    assert runner.invoke(app, ["leaderboard", "--check", str(out)]).exit_code == 0
    (out / "set.md").write_text(page.replace("0.800", "0.900"))
    edited = runner.invoke(app, ["leaderboard", "--check", str(out)])
    assert edited.exit_code == 1 and "set.md: edited since it was published" in edited.output
    (out / "set.md").write_text(page)
    record = store.prediction("a", "set", "c0")
    store.record_case(record, [ScoreRecord(convention="brats-legacy", units="mm", status="ok",
                                           rows=(MetricRow("WT", "dice", 0.1),), run_id=1)], replace=False)
    changed = runner.invoke(app, ["leaderboard", "--check", str(out)])
    assert changed.exit_code == 1 and "results changed since the page was published" in changed.output
    # the pair moved elsewhere together: the relative source is still found, and still changed
    store.close()
    (tmp_path / "moved").mkdir()
    (tmp_path / "r").rename(tmp_path / "moved" / "r")
    out.rename(tmp_path / "moved" / "pub")
    moved = runner.invoke(app, ["leaderboard", "--check", str(tmp_path / "moved" / "pub")])
    assert moved.exit_code == 1 and "results changed since the page was published" in moved.output


def test_publishing_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    _store(tmp_path / "r", {"a": {f"c{i}": _case(0.7 + i / 10, 5) for i in range(4)},
                            "b": {f"c{i}": _case(0.6, 6 + i) for i in range(4)}})
    app = build_app(mount_plugins=False)
    for out in ("one", "two"):
        args = ["leaderboard", str(tmp_path / "r"), "--publish", str(tmp_path / out), "--permutations", "500", "--bootstrap", "50"]
        assert runner.invoke(app, args).exit_code == 0
    one = {str(p.relative_to(tmp_path / "one")): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {str(p.relative_to(tmp_path / "two")): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one.keys() == two.keys() and any(n.endswith(".png") for n in one)
    assert [n for n in one if one[n] != two[n]] == []


def test_export_has_every_provenance_column(tmp_path: Path) -> None:
    _store(tmp_path / "r", {"a": {"c0": _case(0.7, 5)}})
    app = build_app(mount_plugins=False)
    for fmt in ("csv", "json"):
        result = runner.invoke(app, ["export", str(tmp_path / "r"), "--format", fmt, "--out", str(tmp_path / f"x.{fmt}")])
        assert result.exit_code == 0, result.output
    frame = pd.read_csv(tmp_path / "x.csv")
    assert len(frame) == 6 and {"run_dir", "command", "tumorbench_version", "case_list_sha256", "checkpoints", "machine"} <= set(frame.columns)
    assert len(pd.read_json(tmp_path / "x.json")) == 6
    # parquet: pyarrow comes with scripts/setup-env (the `parquet` extra, in `all`)
    parquet = runner.invoke(app, ["export", str(tmp_path / "r"), "--format", "parquet", "--out", str(tmp_path / "x.parquet")])
    assert parquet.exit_code == 0, parquet.output
    table = pd.read_parquet(tmp_path / "x.parquet")
    assert len(table) == 6 and list(table.columns) == list(frame.columns)
    bad = runner.invoke(app, ["export", str(tmp_path / "r"), "--format", "xml"])
    assert bad.exit_code == 2 and "--format must be one of csv, parquet, json" in bad.output


def test_reported_rows_are_complete_and_match_the_papers() -> None:
    rows = load_reported()
    assert not rows[["paper", "table", "dataset", "cases", "metric_convention", "model", "region", "metric"]].isna().any().any()
    vu = rows[(rows.paper == "Vu et al. 2019") & (rows.table == "Table 2") & (rows.model == "tunet-seb")]
    assert vu.set_index(["metric", "region"]).value.to_dict()[("dice", "WT")] == pytest.approx(0.9041)
    assert vu.set_index(["metric", "region"]).value.to_dict()[("hd95", "TC")] == pytest.approx(6.12)
    qu = rows[(rows.table == "Table 3") & (rows.model == "TEAM_ALPACA") & (rows.metric == "rftp") & (rows.region == "ET")]
    assert qu.value.item() == pytest.approx(0.0259) and (qu.metric_convention == "qu-brats").all()
    shen = rows[(rows.paper == "Shen & Anderson 2017") & (rows.model == "fcn-dropout-bn")]
    assert shen.value.item() == pytest.approx(0.861) and shen.cases.item() == 44


def test_reported_rows_show_under_the_measured_rows_and_are_not_ranked(tmp_path: Path) -> None:
    store = _store(tmp_path / "r", {"tunet-seb": {f"c{i}": _case(0.8, 4) for i in range(3)}}, dataset="brats19")
    text = render_leaderboard([store], permutations=100, samples=20)
    reported = text.split("#### Reported (not measured here, never ranked) (brats-legacy)")[1]
    assert "Vu et al. 2019, Table 2" in reported and "| NVDLMED" in reported
    ranking = text.split("#### Overlap")[0]
    assert "NVDLMED" not in ranking
    mine = tmp_path / "mine.csv"
    mine.write_text("paper,table,dataset,cases,metric_convention,model,region,metric,value\nMe 2026,T1,other,5,brats-legacy,mynet,WT,dice,0.5\n")
    text = render_leaderboard([store], permutations=100, samples=20, reported=(mine,), built_in_reported=False)
    assert "Me 2026, T1" in text and "Vu et al." not in text
    mine.write_text("paper,table\nx,y\n")
    with pytest.raises(BenchError, match="mine.csv: reported rows need the columns"):
        read_reported(mine)


def test_rank_by_overrides_the_ranking_metrics(tmp_path: Path) -> None:
    store = _store(tmp_path / "r", {"good-dice": {f"c{i}": _case(0.9, 30) for i in range(3)},
                                    "good-hd": {f"c{i}": _case(0.5, 1) for i in range(3)}})
    by_dice = build_pages([store], BoardOptions(rank_by=("dice",), permutations=100, samples=20), combined=True)[0].text
    by_hd = build_pages([store], BoardOptions(rank_by=("hd95",), permutations=100, samples=20), combined=True)[0].text
    assert "| 1      | good-dice" in by_dice and "| 1      | good-hd" in by_hd
    unknown = build_pages([store], BoardOptions(rank_by=("dauc",), permutations=100, samples=20), combined=True)[0].text
    assert "Not ranked: --rank-by names no metric of brats-legacy (dauc)." in unknown


def test_tables_across_post_processors_ensembles_folds_and_datasets(tmp_path: Path) -> None:
    member = {"members": {"a": {"checkpoints": {"a/x.pt": "f" * 64}}}, "fold": 0}
    ensemble = {"members": {"a": {}, "b": {}}, "method": "mean", "fold": 0}
    rows = {
        "a": {f"c{i}": _case(0.6 + i / 50, 5) for i in range(6)},
        "a+pp": {f"c{i}": _case(0.7 + i / 50, 4) for i in range(6)},
        "b": {f"c{i}": _case(0.5, 6) for i in range(6)},
        "mean(a,b)": {f"c{i}": _case(0.65, 5) for i in range(6)},
    }
    one = _store(tmp_path / "r1", rows, identities={"a": member, "mean(a,b)": ensemble})
    other = _store(tmp_path / "r2", {"a": {f"c{i}": _case(0.4, 9) for i in range(4)}}, dataset="other",
                   identities={"a": {**member, "fold": 1}})
    fold1 = _store(tmp_path / "r3", {"a": {f"c{i}": _case(0.5, 7) for i in range(6)}}, identities={"a": {**member, "fold": 1}})
    pages = build_pages([one, other, fold1], BoardOptions(permutations=100, samples=20))
    index = next(p for p in pages if p.stem == "index").text
    post = index.split("### Post-processors")[1].split("###")[0]
    row = next(l for l in post.splitlines() if "| dice " in l and "| WT " in l)
    cells = [c.strip() for c in row.strip("|").split("|")]
    # "a" is in two run folders, so its label names the run
    assert cells[2].startswith("a (run ") and cells[3] == "a+pp" and cells[6] == "6" and cells[9] == "0.100"
    ensembles = index.split("### Ensembles against their members")[1].split("###")[0]
    assert "| mean(a,b)" in ensembles.replace("| mean(a,b) ", "| mean(a,b)") and "| b " in ensembles
    assert "### Models x datasets (brats-legacy" in index
    folds = index.split("### Folds")[1]
    # fold 0: mean dice over WT, TC, ET and 6 cases = 0.6 + mean(i / 50) = 0.65; fold 1: 0.5
    table = [[c.strip() for c in l.strip("|").split("|")] for l in folds.splitlines() if l.startswith("| a ")]
    assert [(r[2], r[-1]) for r in table] == [("0", "0.650"), ("1", "0.500"), ("all", "0.575 ± 0.106")]
    assert "a: a/x.pt ffffffffffff" in next(p for p in pages if p.stem == "set").text


@pytest.mark.slow
def test_published_run_has_overlays_from_the_recorded_images(tmp_path: Path, synthetic_root: Path) -> None:
    from PIL import Image

    app = build_app()
    out = tmp_path / "run"
    run = runner.invoke(app, ["run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(out)])
    assert run.exit_code == 0, run.output
    pub = tmp_path / "pub"
    result = runner.invoke(app, ["leaderboard", str(out), "--publish", str(pub), "--permutations", "100", "--bootstrap", "20"])
    assert result.exit_code == 0, result.output
    page = (pub / "brats18.md").read_text()
    assert "Overlays of intensity-baseline (whole tumour" in page
    overlay = next(pub.glob("brats18-overlay-*.png"))
    assert Image.open(overlay).size == (900, 630)  # 3 cases, overlays above their uncertainty maps and a colour bar
    assert "Machine" not in page and "cores" in page
