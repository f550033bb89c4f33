"""Experiment files: validated on load (one line per problem naming the file and key), a dry-run
plan whose counts match what a run then does, profiles, and a tiny experiment end to end."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers.shared_data import REPO
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.experiment.definition import ExperimentError, load
from tumorbench.experiment.execute import execute
from tumorbench.experiment.plan import plan
from tumorbench.loading.registry import Registry

TINY = """
[experiment]
name = "tiny"
out = "{out}"
store = "{store}"
baseline = "intensity-baseline"
held_out = {{ folds = 2, fold = 0 }}

[[datasets]]
name = "brats18"
root = "{root}"

[[models]]
model = "intensity-baseline"
note = "training-free"

[[models]]
model = "intensity-fitted"
note = "fitted on 2 phantoms"
postprocess = [[], ["tunet-postprocess"]]
train = {{ folds = 2, train_folds = [0] }}

[profiles.cpu]
note = "a few seconds"

[profiles.other]
note = "scores voxel units"
scoring = {{ units = "voxel" }}
"""


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry()


def _write(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, registry: Registry) -> list[str]:
    with pytest.raises(ExperimentError) as info:
        load(path, registry)
    return info.value.problems


def test_every_problem_is_one_line_naming_the_file_and_the_key(tmp_path: Path, registry: Registry, synthetic_root: Path) -> None:
    path = _write(tmp_path, f"""
[experiment]
name = "bad"
seeed = 3
held_out = {{ folds = 1, fold = 0 }}

[scoring]
units = "furlong"
conventions = ["brats-1999"]

[[datasets]]
name = "brats18"
root = "{synthetic_root}"
options = "cases=4"

[[datasets]]
name = "brats99"

[[datasets]]
name = "brats19"

[[models]]
model = "intensity-baselin"

[[models]]
model = "fcn"
label = "a"
epochs = 3
train = {{ init_from = "b", dataset = "brats18", folds = 3, train_folds = [0, 5] }}

[[models]]
model = "fcn"
label = "b"
train = {{ init_from = "a", dataset = "brats18" }}

[[models]]
model = "intensity-baseline"
postprocess = [["tunet-postproces"]]

[[ensembles]]
label = "e"
members = ["a", "nobody"]

[reportd]
""")
    problems = _problems(path, registry)
    where = str(path)
    assert all(p.startswith(f"{where}: ") for p in problems)
    expected = [
        "reportd: unknown section; did you mean 'reported'?",
        "experiment.seeed: unknown key; did you mean 'seed'?",
        "scoring.units: expected 'mm' or 'voxel', got 'furlong'",
        "datasets[0].options: expected a table, got str 'cases=4'",
        "datasets[1].name: unknown dataset 'brats99'; did you mean brats19",
        "datasets[2].root: dataset brats19 needs a root: give root = \"PATH\" or root_env = \"VAR\"",
        "models[0].model: unknown model 'intensity-baselin'; did you mean intensity-baseline",
        "models[1].epochs: unknown key (known: label, model, options, fold, postprocess, note, train)",
        "models[1].train.train_folds: fold(s) [5] not in 0..2",
        "models[3].postprocess: unknown post-processor 'tunet-postproces'; did you mean tunet-postprocess?",
        "ensembles[0].members: not a model label of this file: nobody",
        "models[a].train.init_from: cycle: a -> b -> a",
        "experiment.held_out: fold 0 of 1 folds does not exist",
    ]
    body = [p[len(where) + 2:] for p in problems]
    for line in expected:
        assert any(b.startswith(line) for b in body), (line, body)
    assert any(b.startswith("scoring.conventions: unknown metric convention 'brats-1999'") for b in body)
    # the CLI: every problem at once, one ``error:`` line each, exit 2
    result = CliRunner().invoke(build_app(), ["run", "-c", str(path), "--dry-run"])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {p}" for p in problems] and len(errors) > 5


def test_wrong_types_missing_root_environment_and_a_file_that_is_not_toml(tmp_path: Path, registry: Registry, monkeypatch) -> None:
    monkeypatch.delenv("NO_SUCH_ROOT", raising=False)
    path = _write(tmp_path, """
[experiment]
seed = "zero"
[[datasets]]
name = "brats18"
root_env = "NO_SUCH_ROOT"
[[models]]
model = "intensity-baseline"
fold = true
""")
    body = [p.split(": ", 1)[1] for p in _problems(path, registry)]
    assert "experiment.seed: expected an integer, got str 'zero'" in body
    assert "models[0].fold: expected an integer, got bool True" in body
    assert "datasets[0].root_env: environment variable NO_SUCH_ROOT is not set (it names the root of brats18)" in body
    broken = _write(tmp_path, "[experiment\nname = 1", "broken.toml")
    with pytest.raises(Exception, match=f"{broken}: not a TOML file"):
        load(broken, registry)


def test_the_dry_run_plan_counts_what_the_run_then_does(tmp_path: Path, registry: Registry, synthetic_root: Path) -> None:
    path = _write(tmp_path, TINY.format(out=tmp_path / "run", store=tmp_path / "models", root=synthetic_root))
    exp = load(path, registry)
    assert exp.profile == "cpu" and exp.profile_note == "a few seconds"
    rows = {(r.label, r.dataset): r for r in plan(exp, registry)}
    assert set(rows) == {("intensity-baseline", "brats18"), ("intensity-fitted", "brats18"),
                         ("intensity-fitted+tunet-postprocess", "brats18")}
    fitted = rows["intensity-fitted", "brats18"]
    assert (fitted.train, fitted.predict, fitted.done) == ([0], 2, 0)  # 4 cases, fold 0 of 2 held out: 2
    assert rows["intensity-baseline", "brats18"].train == []

    with pytest.raises(Exception, match="not trained: intensity-fitted fold 0"):
        execute(exp, registry, train=False, echo=lambda line: None)
    summaries = execute(exp, registry, echo=lambda line: None)
    assert sum(s.ok for s in summaries) == 3 * 2 and sum(s.failed for s in summaries) == 0
    after = plan(exp, registry)
    assert all((r.train, r.trained, r.predict, r.score, r.done) == ([], ([0] if "fitted" in r.label else []), 0, 0, 2) for r in after)

    # another profile: voxel units -> the stored predictions are to be scored again, not predicted
    voxel = load(path, registry, "other")
    assert all((r.predict, r.score) == (0, 2) for r in plan(voxel, registry))

    page = (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8")
    assert page.startswith("# Experiment tiny")
    assert "Profile cpu: a few seconds" in page
    csv = pd.read_csv(tmp_path / "run" / "metrics.csv")
    assert set(csv.model) == {"intensity-baseline", "intensity-fitted", "intensity-fitted+tunet-postprocess"}
    assert csv.case.nunique() == 2  # only the held-out fold was scored
    # the verdict is computed from the stored values: recompute one by hand
    dice = csv[(csv.metric == "dice") & (csv.metric_convention == "brats-legacy")]
    ours = dice[dice.model == "intensity-fitted"].value.mean()
    theirs = dice[dice.model == "intensity-baseline"].value.mean()
    # "beats" only with a significant paired test: Wilcoxon of the per-case means, Holm over the two rows
    from scipy.stats import wilcoxon
    from statsmodels.stats.multitest import multipletests

    per_case = dice.groupby(["model", "case"]).value.mean()
    ps = []
    for row in ("intensity-fitted", "intensity-fitted+tunet-postprocess"):
        diff = (per_case[row] - per_case["intensity-baseline"]).to_numpy()
        ps.append(1.0 if not diff.any() else float(wilcoxon(diff[diff != 0], method="exact").pvalue))
    holm = multipletests(ps, method="holm")[1]
    assert min(holm) >= 0.05  # two cases can never show a difference (the exact two-sided p is at least 0.5)
    verdict = "is not distinguishable from the baseline on 2 cases"
    assert (f"**intensity-fitted** {verdict}: {ours:.3f} vs {theirs:.3f} (ET,TC,WT; 2 cases; "
            f"Wilcoxon p = {ps[0]:.3f}, Holm {holm[0]:.3f}).") in page


def test_an_experiment_renders_its_page_once_whatever_its_rows(tmp_path: Path, registry: Registry, synthetic_root: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Three rows, three runs into one folder: the leaderboard (permutation tests and bootstrap of
    the whole growing folder) is rendered once, after the last row, not once per row."""
    import tumorbench.report.folder as folder

    rendered = []
    real = folder.render_leaderboard
    monkeypatch.setattr(folder, "render_leaderboard", lambda *a, **k: rendered.append(1) or real(*a, **k))
    exp = load(_write(tmp_path, TINY.format(out=tmp_path / "run", store=tmp_path / "models", root=synthetic_root)), registry)
    summaries = execute(exp, registry, echo=lambda line: None)
    assert len(summaries) == 3 and len(rendered) == 1
    assert (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8").startswith("# Experiment tiny")


def test_a_model_store_inside_the_run_folder_is_the_experiment_s_own(tmp_path: Path, registry: Registry,
                                                                       synthetic_root: Path) -> None:
    """``store = "<out>/models"`` (as the seed experiments have it): the models trained first are not
    a folder of the user's that the run must refuse; a folder of the user's is still refused, and
    before anything is trained."""
    text = TINY.format(out=tmp_path / "run", store=tmp_path / "run" / "models", root=synthetic_root).replace(
        "[profiles.cpu]", '[[models]]\nlabel = "fitted-again"\nmodel = "intensity-fitted"\ntrain = { folds = 2, train_folds = [0] }\n\n[profiles.cpu]'
    )
    exp = load(_write(tmp_path, text), registry)
    summaries = execute(exp, registry, echo=lambda line: None)
    assert sum(s.ok for s in summaries) == 4 * 2 and sum(s.failed for s in summaries) == 0
    assert (tmp_path / "run" / "models" / "fitted-again" / "intensity-fitted" / "brats18" / "fold-0" / "split.json").is_file()

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my own\n", encoding="utf-8")
    other = load(_write(tmp_path, TINY.format(out=mine, store=mine / "models", root=synthetic_root), "mine.toml"), registry)
    with pytest.raises(Exception, match="not a run folder"):
        execute(other, registry, echo=lambda line: None)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]  # nothing trained into it


def test_a_row_with_its_own_label_is_planned_as_done_once_run(tmp_path: Path, registry: Registry, synthetic_root: Path) -> None:
    """The plan names a labelled row's model as the run does (its identity carries the label):
    a finished row is counted done, not to be predicted again."""
    text = TINY.format(out=tmp_path / "run", store=tmp_path / "models", root=synthetic_root).replace(
        "[profiles.cpu]", '[[models]]\nlabel = "baseline-again"\nmodel = "intensity-baseline"\n\n[profiles.cpu]'
    )
    exp = load(_write(tmp_path, text), registry)
    before = {r.label: r for r in plan(exp, registry)}
    assert (before["baseline-again"].predict, before["baseline-again"].done) == (2, 0)
    execute(exp, registry, echo=lambda line: None)
    after = {r.label: r for r in plan(exp, registry)}
    assert (after["baseline-again"].predict, after["baseline-again"].score, after["baseline-again"].done) == (0, 0, 2)
    assert set(pd.read_csv(tmp_path / "run" / "metrics.csv").model) >= {"baseline-again", "intensity-baseline"}


def test_bench_run_config_end_to_end_through_the_cli(tmp_path: Path, synthetic_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, TINY.format(out=tmp_path / "run", store=tmp_path / "models", root=synthetic_root))
    dry = CliRunner().invoke(build_app(), ["run", "-c", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "| total" in dry.output and "1 folds" in dry.output
    result = CliRunner().invoke(build_app(), ["run", "-c", str(path)])
    assert result.exit_code == 0, result.output
    assert "6 scored" in result.output
    again = CliRunner().invoke(build_app(), ["run", "-c", str(path), "--no-train"])
    assert again.exit_code == 0 and "0 scored" in again.output and "6 already done" in again.output
    # published: every page opens with the experiment's head, and --check rebuilds it from the results
    published = tmp_path / "published"
    done = CliRunner().invoke(build_app(), ["run", "-c", str(path), "--no-train", "--publish", str(published)])
    assert done.exit_code == 0 and "0 scored" in done.output, done.output
    own = (tmp_path / "run" / "leaderboard.md").read_text(encoding="utf-8")
    verdict = next(line for line in own.splitlines() if line.startswith("- **intensity-fitted**"))
    for page in ("index.md", "brats18.md"):
        text = (published / page).read_text(encoding="utf-8")
        assert text.startswith("# tumorbench leaderboard\n\n## Experiment tiny\n"), text[:200]
        assert "Profile cpu: a few seconds" in text and verdict in text
    check = CliRunner().invoke(build_app(), ["leaderboard", "--check", str(published)])
    assert check.exit_code == 0, check.output
    brats18 = (published / "brats18.md").read_text(encoding="utf-8")
    assert "- intensity-fitted: trained: 1 of 2 folds (fold 0); 1 training + 1 validation cases, 2 held out" in brats18
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the check passes from any working directory
    check = CliRunner().invoke(build_app(), ["leaderboard", "--check", "../published"])
    assert check.exit_code == 0, check.output
    index = published / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("a few seconds", "a few hours"), encoding="utf-8")
    edited = CliRunner().invoke(build_app(), ["leaderboard", "--check", str(published)])
    assert edited.exit_code == 1 and "index.md: edited since it was published" in edited.output
    refused = CliRunner().invoke(build_app(), ["run", "-c", str(path), "--dry-run", "--publish", str(published)])
    assert refused.exit_code != 0 and "--publish writes the results of a run" in refused.output


def test_the_demo_file_and_the_seed_experiments_validate(registry: Registry) -> None:
    from tumorbench.cli.demo import DEMO_FILE

    demo = load(DEMO_FILE, registry)
    assert demo.baseline == "intensity-baseline" and demo.held_out == (4, 0)
    assert [(d.name, dict(d.options)) for d in demo.datasets] == [("synthetic", {"difficulty": "hard"})]
    assert {m.label for m in demo.models if m.train} == {"intensity-fitted", "fcn", "tunet-seb", "tunet-reb1-seb", "tunet-reb2-seb"}
    files = sorted((REPO / "experiments").glob("*.toml"))
    assert len(files) >= 5
    for path in files:
        for profile in ("cpu", "full"):
            exp = load(path, registry, profile)
            assert exp.profile == profile and exp.profile_note, path
            assert exp.reported, f"{path}: names no reported rows"


@pytest.mark.parametrize(("train", "problem"), [
    ("{ folds = 2, time_budget = -5 }", "train.time_budget: must be a number from 0 to"),
    ("{ folds = 2, time_budget = nan }", "train.time_budget: must be a number from 0 to 3.1536e+08, got nan"),
    ("{ folds = 2, epochs = -3 }", "train.epochs: must be a number from 1 to 100000, got -3"),
    ("{ folds = 2, steps = -1 }", "train.steps: must be a number from 1 to 1e+09, got -1"),
    ("{ folds = 30000000 }", "train.folds: must be 2 to 1000, got 30000000"),
    ("{ folds = 1000000000000 }", "train.folds: must be 2 to 1000, got 1000000000000"),
])
def test_budgets_and_counts_are_range_checked_with_the_file_and_key(
    tmp_path: Path, registry: Registry, synthetic_root: Path, train: str, problem: str,
) -> None:
    """A negative or NaN budget, epochs or steps used to validate and mean 'unlimited'; 30,000,000
    folds planned 4.2 GB and 10**12 raised MemoryError."""
    text = TINY.format(out=tmp_path / "run", store=tmp_path / "models", root=synthetic_root).replace(
        "train = {{ folds = 2, train_folds = [0] }}".replace("{{", "{").replace("}}", "}"), f"train = {train}")
    path = _write(tmp_path, text)
    with pytest.raises(ExperimentError) as info:
        load(path, registry)
    assert any(p.startswith(f"{path}: models[1].{problem}") for p in info.value.problems), info.value.problems


def test_a_file_nested_thousands_deep_is_one_line(tmp_path: Path, registry: Registry) -> None:
    path = _write(tmp_path, "x = " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(Exception, match=f"^{path}: not an experiment file \\(arrays or tables nested too deeply to read\\)$"):
        load(path, registry)


@pytest.mark.parametrize("label", ["../../../escaped-model", "/abs/path", "a/b", ".."])
def test_a_label_that_would_leave_the_model_store_is_refused(tmp_path: Path, registry: Registry, synthetic_root: Path,
                                                             label: str) -> None:
    text = TINY.format(out=tmp_path / "run", store=tmp_path / "models", root=synthetic_root).replace(
        'model = "intensity-fitted"', f'label = "{label}"\nmodel = "intensity-fitted"')
    with pytest.raises(ExperimentError) as info:
        load(_write(tmp_path, text), registry)
    assert any(f"models[1].label: label {label!r} cannot name a folder" in p for p in info.value.problems), info.value.problems
    assert not (tmp_path / "escaped-model").exists()


def test_the_model_store_refuses_a_name_that_leads_outside_it(tmp_path: Path) -> None:
    from tumorbench.errors import BenchError
    from tumorbench.models.model_store import fold_dir

    assert fold_dir(tmp_path, "fcn", "brats18", 0) == tmp_path / "fcn" / "brats18" / "fold-0"
    for model, dataset in (("../x", "brats18"), ("fcn", "/etc"), ("..", "d")):
        with pytest.raises(BenchError, match="cannot name a folder"):
            fold_dir(tmp_path, model, dataset, 0)
