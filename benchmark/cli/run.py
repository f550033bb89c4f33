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

DEFAULT_RUNS = Path("bench-runs")


def default_out(models: list[str], datasets: list[str], postprocess: list[str], convention: str, units: str) -> Path:
    """A stable folder per matrix, so rerunning the same command resumes it."""
    key = "|".join([",".join(models), ",".join(datasets), ",".join(postprocess), convention, units])
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


def report(summary, out: Path) -> None:
    typer.echo(
        f"{summary.ok} scored, {summary.predicted} predicted without ground truth, "
        f"{summary.failed} failed, {summary.skipped} already done"
    )
    if summary.excluded:
        typer.echo(
            f"{summary.excluded} case(s) excluded: every stored fold of the model trained on them "
            "(--allow-training-cases scores them anyway, marked on the leaderboard)"
        )
    for line in failure_lines(summary.failures):
        typer.echo(line, err=True)
    if summary.predicted:
        typer.echo("metrics skipped for cases without ground truth (inference only): predictions were written")
    typer.echo(f"results: {out / 'results.sqlite'}\nmetrics: {out / 'metrics.csv'}\nleaderboard: {out / 'leaderboard.md'}")


def execute(options) -> None:
    """Run, print the leaderboard and the summary; exit 1 after the run if any case failed."""
    from ..runner import run

    try:
        summary = run(options, progress=RichProgress())
    except KeyboardInterrupt:
        raise fail(f"interrupted: every finished case is kept in {options.out / 'results.sqlite'}; "
                   f"resume with: {options.command or 'the same command'}", code=130) from None
    out = options.out
    typer.echo((out / "leaderboard.md").read_text(encoding="utf-8"))
    report(summary, out)
    if summary.failed:
        raise fail(f"{summary.failed} case(s) failed; see above and {out / 'leaderboard.md'}", code=1)


ModelOpt = Annotated[list[str], typer.Option("--model", "-m", help="Model, named ensemble, folder:DIR, mean(a,b) or vote(a,b); repeatable.")]
DatasetOpt = Annotated[list[str], typer.Option("--dataset", "-d", help="Dataset plugin name; repeatable.")]


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
        metric_convention: Annotated[str, typer.Option(help="brats-legacy (default) or brats-2023.")] = "brats-legacy",
        uncertainty_convention: Annotated[str, typer.Option(help="Uncertainty metrics (qu-brats) or 'none'.")] = "qu-brats",
        units: Annotated[str, typer.Option(help="Distances in mm (header spacing) or voxel.")] = "mm",
        label_convention: Annotated[str | None, typer.Option(help="Override the dataset's label convention.")] = None,
        case: Annotated[list[str], typer.Option("--case", help="Only these case ids; repeatable.")] = [],  # noqa: B006
        store: Annotated[Path | None, typer.Option(help="Model store (default $TUMORBENCH_STORE or ./models).")] = None,
        fold: Annotated[int | None, typer.Option(help="Use only this fold's checkpoints.")] = None,
        device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
        seed: Annotated[int, typer.Option(help="Seed for anything random.")] = 0,
        no_predictions: Annotated[bool, typer.Option("--no-predictions", help="Do not write prediction NIfTI files.")] = False,
        allow_training_cases: Annotated[bool, typer.Option("--allow-training-cases", help="Also score cases a model was trained on (marked on the leaderboard).")] = False,
    ) -> None:
        """Run every model on every dataset: predictions, metrics, results.sqlite, leaderboard."""
        from ..runner import RunOptions

        config = load_config()
        out = out or default_out(model, dataset, postprocess, metric_convention, units)
        options = RunOptions(
            models=tuple(model),
            datasets=tuple(dataset),
            out=out,
            data_roots={d: data_root(d, data_root_, config) for d in dataset},
            dataset_params=parse_pairs(dataset_opt, "--dataset-opt"),
            model_params=parse_pairs(model_opt, "--model-opt"),
            postprocess=tuple(postprocess),
            metric_convention=metric_convention,
            uncertainty_convention=None if uncertainty_convention == "none" else uncertainty_convention,
            units=units,
            label_convention=label_convention,
            store=model_store(store, config),
            device=device,
            seed=seed,
            fold=fold,
            cases=tuple(case) or None,
            write_predictions=not no_predictions,
            allow_training_cases=allow_training_cases,
            command=shlex.join(["bench", *sys.argv[1:]]),
        )
        execute(options)
