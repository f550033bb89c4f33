"""``bench run``: the matrix of models x datasets."""

from __future__ import annotations

import hashlib
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors
from tumorbench.cli.parallel import (
    ClusterOpt,
    ClusterOptOpt,
    GpusOpt,
    SchedulerOpt,
    TimeoutOpt,
    WorkersOpt,
    executor_options,
)
from tumorbench.config import data_root, load_config, model_store, parse_pairs
from tumorbench.progress import RichProgress

DEFAULT_RUNS = Path("bench-runs")


def default_out(models: list[str], datasets: list[str], postprocess: list[str]) -> Path:
    """A stable folder per matrix, so rerunning the same command resumes it (and scoring it under
    another convention or unit adds scores to the same predictions)."""
    key = "|".join([",".join(models), ",".join(datasets), ",".join(postprocess)])
    slug = "__".join(["+".join(datasets), "+".join(models)])
    slug = "".join(c if c.isalnum() or c in "-_+." else "_" for c in slug)[:60]
    return DEFAULT_RUNS / f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def failure_lines(failures: list[tuple[str, str, str, str]], shown: int = 3) -> list[str]:
    """One line per (model, dataset, reason): a model that cannot load fails every case alike."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for model, dataset, case, reason in failures:
        groups.setdefault((model, dataset, reason), []).append(case)
    lines = []
    for (model, dataset, reason), cases in groups.items():
        if len(cases) == 1:
            which = cases[0]
        else:
            more = ", ..." if len(cases) > shown else ""
            which = f"{len(cases)} cases ({', '.join(cases[:shown])}{more})"
        lines.append(f"failed: {model} / {dataset} / {which}: {reason}")
    return lines


def conventions_option(metric_convention: list[str], uncertainty_convention: str | None,
                       datasets: list[str] | tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """``--metric-convention`` (repeatable) and ``--uncertainty-convention NAME|none``.

    Neither given: None, the defaults for ``datasets``. ``--uncertainty-convention`` replaces the
    default conventions that need uncertainty maps (``none`` drops them).
    """
    if not metric_convention and uncertainty_convention is None:
        return None
    from tumorbench.loading.registry import Registry

    registry = Registry()
    chosen = list(metric_convention) or [
        n for n in registry.default_conventions(datasets) if not registry.metric_convention(n).needs_uncertainty
    ]
    if uncertainty_convention is not None:
        chosen = [n for n in chosen if not registry.metric_convention(n).needs_uncertainty]
        if uncertainty_convention != "none":
            chosen.append(uncertainty_convention)
    return tuple(dict.fromkeys(chosen))


def report(summary, out: Path) -> None:
    rescored = f" ({summary.rescored} of them re-scored from stored predictions)" if getattr(summary, "rescored", 0) else ""
    typer.echo(
        f"{summary.ok} scored{rescored}, {summary.predicted} predicted without ground truth, "
        f"{summary.failed} failed, {summary.skipped} already done"
    )
    if summary.excluded:
        typer.echo(
            f"{summary.excluded} case(s) excluded: every stored fold of the model trained on them "
            "(--allow-training-cases scores them anyway, marked on the leaderboard)"
        )
    for why, count in sorted(getattr(summary, "redone", {}).items()):
        typer.echo(f"{why}: {count} case(s)")
    if getattr(summary, "metric_failures", 0):
        typer.echo(f"{summary.metric_failures} metric value(s) failed and were scored worst-case; see {out / 'leaderboard.md'}", err=True)
    for line in failure_lines(summary.failures):
        typer.echo(line, err=True)
    if summary.predicted:
        typer.echo("metrics skipped for cases without ground truth (inference only): predictions were written")
    typer.echo(f"results: {out / 'results.sqlite'}\nmetrics: {out / 'metrics.csv'}\nleaderboard: {out / 'leaderboard.md'}")


def execute(options, executor=None) -> None:
    """Run, render the run folder's pages and print the leaderboard and the summary; exit 1 after
    the run if any case failed."""
    from tumorbench.report.folder import pages_rendered
    from tumorbench.run.runner import run

    out = options.out
    try:
        with pages_rendered(out, units=options.units) as page:
            summary = run(options, progress=RichProgress(), executor=executor)
    except KeyboardInterrupt:
        raise fail(f"interrupted: every finished case is kept in {out / 'results.sqlite'}; "
                   f"resume with: {options.command or 'the same command'}", code=130) from None
    from tumorbench.report.escape import for_terminal
    typer.echo(for_terminal(page.text))
    report(summary, out)
    if summary.failed:
        raise fail(f"{summary.failed} case(s) failed; see above and {out / 'leaderboard.md'}", code=1)


def run_experiment(
    path: Path, *, dry_run: bool = False, train: bool = True, profile: str | None = None, publish: Path | None = None,
) -> None:
    """``bench run -c FILE``: validate, then plan or train, run and print the comparison
    (``publish``: then publish it in that folder, each page opening with the experiment's head)."""
    from tumorbench.cli.train import TrainProgress
    from tumorbench.experiment.definition import load
    from tumorbench.experiment.execute import execute
    from tumorbench.experiment.plan import plan, plan_table
    from tumorbench.experiment.publish import publish_experiment
    from tumorbench.loading.registry import Registry

    registry = Registry()
    experiment = load(path, registry, profile)
    if dry_run:
        shown = f", profile {experiment.profile}" if experiment.profile else ""
        typer.echo(f"experiment {experiment.name} ({path}{shown}): plan for {experiment.out}")
        if experiment.profile_note:
            typer.echo(experiment.profile_note)
        typer.echo(plan_table(plan(experiment, registry)))
        return
    summaries = execute(
        experiment, registry, train=train, command=shlex.join(["bench", *sys.argv[1:]]), progress=RichProgress,
        train_progress=TrainProgress, echo=typer.echo,
    )
    out = experiment.out
    from tumorbench.report.escape import for_terminal
    typer.echo(for_terminal((out / "leaderboard.md").read_text(encoding="utf-8")))  # rendered once, by execute
    total = merge_summaries(summaries)
    report(total, out)
    if publish is not None:
        written = publish_experiment(experiment, registry, publish)
        typer.echo(f"published {len(written)} files and manifest.json in {publish} (check: bench leaderboard --check {publish})")
    if total.failed:
        raise fail(f"{total.failed} case(s) failed; see above and {out / 'leaderboard.md'}", code=1)


def merge_summaries(summaries):
    """One summary for several runs into one folder (the rows of an experiment)."""
    total = summaries[0]
    for other in summaries[1:]:
        total.ok += other.ok
        total.failed += other.failed
        total.skipped += other.skipped
        total.predicted += other.predicted
        total.rescored += other.rescored
        total.metric_failures += other.metric_failures
        total.failures += other.failures
        total.redone.update(other.redone)
    return total


ModelOpt = Annotated[list[str], typer.Option("--model", "-m", help="Model, named ensemble, folder:DIR, mean(a,b) or vote(a,b); repeatable.")]
DatasetOpt = Annotated[list[str], typer.Option("--dataset", "-d", help="Dataset plugin name (required with --model; `synthetic` for phantoms); repeatable.")]
MetricConventionOpt = Annotated[
    list[str],
    typer.Option("--metric-convention", help="Metric convention; repeatable (default: brats-legacy and qu-brats, as the plugins declare)."),
]
UncertaintyOpt = Annotated[
    str | None, typer.Option(help="Uncertainty convention in place of the default one (qu-brats), or 'none'.")
]


@handles_errors
def run_command(
    model: ModelOpt = [],  # noqa: B006
    config_file: Annotated[Path | None, typer.Option("--config", "-c", help="An experiment file (TOML): the whole matrix.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With -c: print what would be trained, predicted and scored.")] = False,
    no_train: Annotated[bool, typer.Option("--no-train", help="With -c: do not train; stop and name what is missing.")] = False,
    profile: Annotated[str | None, typer.Option(help="With -c: the experiment file's profile (default: its first).")] = None,
    publish: Annotated[Path | None, typer.Option(help="With -c: then publish the comparison in DIR (pages, CSV, pictures, results, manifest.json).")] = None,
    dataset: DatasetOpt = [],  # noqa: B006
    out: Annotated[Path | None, typer.Option(help="Run directory (default: bench-runs/<matrix>).")] = None,
    data_root_: Annotated[list[str], typer.Option("--data-root", help="PATH for every dataset, or NAME=PATH.")] = [],  # noqa: B006
    dataset_opt: Annotated[list[str], typer.Option(help="Dataset parameter key=value (e.g. cases=4).")] = [],  # noqa: B006
    model_opt: Annotated[list[str], typer.Option(help="Model parameter key=value, or MODEL.key=value.")] = [],  # noqa: B006
    postprocess: Annotated[list[str], typer.Option(help="Post-processor NAME or NAME:key=value,...; repeatable, applied in order.")] = [],  # noqa: B006
    metric_convention: MetricConventionOpt = [],  # noqa: B006
    uncertainty_convention: UncertaintyOpt = None,
    units: Annotated[str, typer.Option(help="Distances in mm (header spacing) or voxel.")] = "mm",
    label_convention: Annotated[str | None, typer.Option(help="Override the dataset's label convention.")] = None,
    case: Annotated[list[str], typer.Option("--case", help="Only these case ids; repeatable.")] = [],  # noqa: B006
    store: Annotated[Path | None, typer.Option(help="Model store (default $TUMORBENCH_STORE or ./models).")] = None,
    fold: Annotated[int | None, typer.Option(help="Use only this fold's checkpoints.")] = None,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    seed: Annotated[int, typer.Option(help="Seed for anything random.")] = 0,
    no_predictions: Annotated[bool, typer.Option("--no-predictions", help="Do not write prediction NIfTI files.")] = False,
    allow_training_cases: Annotated[bool, typer.Option("--allow-training-cases", help="Also score cases a model was trained on (marked on the leaderboard).")] = False,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    cluster: ClusterOpt = "local",
    cluster_opt: ClusterOptOpt = [],  # noqa: B006
    gpus_per_worker: GpusOpt = 0,
    case_timeout: TimeoutOpt = None,
) -> None:
    """Run every model on every dataset: predictions, metrics, results.sqlite, leaderboard."""
    from tumorbench.run.options import RunOptions

    parallel = executor_options(workers, scheduler, cluster, cluster_opt, gpus_per_worker, case_timeout)
    if config_file is not None:
        if model:
            raise fail("give either --config FILE or --model, not both")
        if parallel.on_dask:
            raise fail("--workers, --scheduler, --cluster, --gpus-per-worker and --case-timeout go with --model; "
                       "an experiment file (--config) runs its cases in this process")
        if publish is not None and dry_run:
            raise fail("--publish writes the results of a run: give it without --dry-run")
        run_experiment(config_file, dry_run=dry_run, train=not no_train, profile=profile, publish=publish)
        return
    if dry_run or no_train or profile or publish is not None:
        raise fail("--dry-run, --no-train, --profile and --publish go with --config FILE")
    if not model:
        raise fail("name a model (--model NAME) or an experiment file (--config FILE)")
    if not dataset:
        raise fail("name a dataset (--dataset NAME, e.g. brats19 with --data-root DIR, or synthetic for phantoms)")
    config = load_config()
    out = out or default_out(model, dataset, postprocess)
    options = RunOptions(
        models=tuple(model),
        datasets=tuple(dataset),
        out=out,
        data_roots={d: data_root(d, data_root_, config) for d in dataset},
        dataset_params=parse_pairs(dataset_opt, "--dataset-opt"),
        model_params=parse_pairs(model_opt, "--model-opt"),
        postprocess=tuple(postprocess),
        metric_conventions=conventions_option(metric_convention, uncertainty_convention, dataset),
        units=units,
        label_convention=label_convention,
        model_store=model_store(store, config),
        device=device,
        seed=seed,
        fold=fold,
        cases=tuple(case) or None,
        write_predictions=not no_predictions,
        allow_training_cases=allow_training_cases,
        command=shlex.join(["bench", *sys.argv[1:]]),
    )
    execute(options, parallel)


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
