"""``bench run``: the matrix of models x datasets."""

from __future__ import annotations

import hashlib
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..config import data_root, load_config, model_store, parse_pairs
from .common import RichProgress, fail, handles_errors
from .parallel import (
    ClusterOpt,
    ClusterOptOpt,
    GpusOpt,
    SchedulerOpt,
    TimeoutOpt,
    WorkersOpt,
    executor_options,
)

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


def conventions_option(metric_convention: list[str], uncertainty_convention: str | None) -> tuple[str, ...] | None:
    """``--metric-convention`` (repeatable) and ``--uncertainty-convention NAME|none``.

    Neither given: None, the plugins' defaults. ``--uncertainty-convention`` replaces the
    default conventions that need uncertainty maps (``none`` drops them).
    """
    if not metric_convention and uncertainty_convention is None:
        return None
    from ..registry import Registry

    registry = Registry()
    chosen = list(metric_convention) or [
        n for n in registry.default_conventions() if not registry.convention(n).needs_uncertainty
    ]
    if uncertainty_convention is not None:
        chosen = [n for n in chosen if not registry.convention(n).needs_uncertainty]
        if uncertainty_convention != "none":
            chosen.append(uncertainty_convention)
    return tuple(dict.fromkeys(chosen))


def report(summary, out: Path) -> None:
    rescored = f" ({summary.rescored} of them re-scored from stored predictions)" if getattr(summary, "rescored", 0) else ""
    typer.echo(
        f"{summary.ok} scored{rescored}, {summary.predicted} predicted without ground truth, "
        f"{summary.failed} failed, {summary.skipped} already done"
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
    """Run, print the leaderboard and the summary; exit 1 after the run if any case failed."""
    from ..runner import run

    summary = run(options, progress=RichProgress(), executor=executor)
    out = options.out
    typer.echo((out / "leaderboard.md").read_text(encoding="utf-8"))
    report(summary, out)
    if summary.failed:
        raise fail(f"{summary.failed} case(s) failed; see above and {out / 'leaderboard.md'}", code=1)


ModelOpt = Annotated[list[str], typer.Option("--model", "-m", help="Model, named ensemble, folder:DIR, mean(a,b) or vote(a,b); repeatable.")]
DatasetOpt = Annotated[list[str], typer.Option("--dataset", "-d", help="Dataset plugin name; repeatable.")]
MetricConventionOpt = Annotated[
    list[str],
    typer.Option("--metric-convention", help="Metric convention; repeatable (default: brats-legacy and qu-brats, as the plugins declare)."),
]
UncertaintyOpt = Annotated[
    str | None, typer.Option(help="Uncertainty convention in place of the default one (qu-brats), or 'none'.")
]


def register(app: typer.Typer) -> None:
    @app.command("run")
    @handles_errors
    def run_command(
        model: ModelOpt,
        dataset: DatasetOpt = ["synthetic"],  # noqa: B006
        out: Annotated[Path | None, typer.Option(help="Run directory (default: bench-runs/<matrix>).")] = None,
        data_root_: Annotated[list[str], typer.Option("--data-root", help="PATH for every dataset, or NAME=PATH.")] = [],  # noqa: B006
        dataset_opt: Annotated[list[str], typer.Option(help="Dataset parameter key=value (e.g. cases=4).")] = [],  # noqa: B006
        model_opt: Annotated[list[str], typer.Option(help="Model parameter key=value, or MODEL.key=value.")] = [],  # noqa: B006
        postprocess: Annotated[list[str], typer.Option(help="Post-processor name; repeatable, applied in order.")] = [],  # noqa: B006
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
        workers: WorkersOpt = 1,
        scheduler: SchedulerOpt = None,
        cluster: ClusterOpt = "local",
        cluster_opt: ClusterOptOpt = [],  # noqa: B006
        gpus_per_worker: GpusOpt = 0,
        case_timeout: TimeoutOpt = None,
    ) -> None:
        """Run every model on every dataset: predictions, metrics, results.sqlite, leaderboard."""
        from ..runner import RunOptions

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
            metric_conventions=conventions_option(metric_convention, uncertainty_convention),
            units=units,
            label_convention=label_convention,
            store=model_store(store, config),
            device=device,
            seed=seed,
            fold=fold,
            cases=tuple(case) or None,
            write_predictions=not no_predictions,
            command=shlex.join(["bench", *sys.argv[1:]]),
        )
        execute(options, executor_options(workers, scheduler, cluster, cluster_opt, gpus_per_worker, case_timeout))
