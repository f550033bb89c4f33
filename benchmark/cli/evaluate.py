"""``bench evaluate``: score a folder of BraTS-format predictions."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors
from tumorbench.cli.parallel import (
    ClusterOpt,
    ClusterOptOpt,
    SchedulerOpt,
    TimeoutOpt,
    WorkersOpt,
    executor_options,
)
from tumorbench.cli.run import MetricConventionOpt, UncertaintyOpt
from tumorbench.config import data_root, load_config


@handles_errors
def evaluate_command(
    pred_dir: Annotated[Path, typer.Argument(help="Folder of <case-id>.nii.gz label maps (and _unc_* maps).")],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset the predictions are for.")],
    out: Annotated[Path, typer.Option(help="Run directory for results.sqlite, metrics.csv, leaderboard.md.")],
    data_root_: Annotated[list[str], typer.Option("--data-root", help="The dataset's folder (PATH, or NAME=PATH).")] = [],  # noqa: B006
    name: Annotated[str | None, typer.Option(help="Model name in results (default: the folder's name).")] = None,
    pred_convention: Annotated[str | None, typer.Option(help="Label convention of the predictions if not the dataset's.")] = None,
    label_convention: Annotated[str | None, typer.Option(help="Override the dataset's label convention.")] = None,
    metric_convention: MetricConventionOpt = [],  # noqa: B006
    uncertainty_convention: UncertaintyOpt = None,
    units: Annotated[str, typer.Option(help="Distances in mm (header spacing) or voxel.")] = "mm",
    dataset_opt: Annotated[list[str], typer.Option(help="Dataset parameter key=value.")] = [],  # noqa: B006
    case: Annotated[list[str], typer.Option("--case", help="Only these case ids; repeatable.")] = [],  # noqa: B006
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    cluster: ClusterOpt = "local",
    cluster_opt: ClusterOptOpt = [],  # noqa: B006
    case_timeout: TimeoutOpt = None,
) -> None:
    """Score BraTS-format predictions (PRED_DIR/<case-id>.nii.gz) against a dataset's labels."""
    from tumorbench.cli.run import conventions_option, execute
    from tumorbench.config import parse_pairs
    from tumorbench.run.options import RunOptions

    if not pred_dir.is_dir():
        raise fail(f"{pred_dir}: prediction folder not found")
    label = name or pred_dir.resolve().name
    model_params = {"path": str(pred_dir), "name": label}
    if pred_convention:
        model_params["convention"] = pred_convention
    options = RunOptions(
        models=(f"folder:{label}",),
        datasets=(dataset,),
        out=out,
        data_roots={dataset: data_root(dataset, data_root_, load_config())},
        dataset_params=parse_pairs(dataset_opt, "--dataset-opt"),
        model_params=model_params,
        metric_conventions=conventions_option(metric_convention, uncertainty_convention, [dataset]),
        units=units,
        label_convention=label_convention,
        cases=tuple(case) or None,
        write_predictions=False,
        command=shlex.join(["bench", *sys.argv[1:]]),
    )
    if pred_convention:
        from dataclasses import replace

        notes = _convention_notes(options, pred_dir, pred_convention)
        for line in notes:
            typer.echo(f"warning: {line}", err=True)
        options = replace(options, notes=tuple(notes))
    execute(options, executor_options(workers, scheduler, cluster, cluster_opt, 0, case_timeout))


def _convention_notes(options, pred_dir: Path, pred_convention: str) -> list[str]:  # noqa: ANN001 - RunOptions
    """Regions whose Dice collapses only when the files are read as ``pred_convention`` labels (a
    few cases looked at before the run; what cannot be read is left to the run to report)."""
    from tumorbench.errors import BenchError
    from tumorbench.loading.registry import Registry
    from tumorbench.run.jobs import open_dataset
    from tumorbench.scoring.convention_check import collapsed_regions

    registry = Registry()
    (dataset,) = options.datasets
    try:
        source = open_dataset(registry, dataset, options)
        own = registry.label_convention(options.label_convention or registry.datasets.get(dataset).label_convention)
        mapping = registry.label_convention(pred_convention)
        ids = [i for i in source.case_ids() if not options.cases or i in options.cases]
        return collapsed_regions(source, pred_dir, mapping, own, ids) if mapping.name != own.name else []
    except BenchError:
        return []


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
