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
    data_root_: Annotated[str | None, typer.Option("--data-root", help="The dataset's folder.")] = None,
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
        data_roots={dataset: data_root(dataset, [data_root_] if data_root_ else [], load_config())},
        dataset_params=parse_pairs(dataset_opt, "--dataset-opt"),
        model_params=model_params,
        metric_conventions=conventions_option(metric_convention, uncertainty_convention),
        units=units,
        label_convention=label_convention,
        cases=tuple(case) or None,
        write_predictions=False,
        command=shlex.join(["bench", *sys.argv[1:]]),
    )
    execute(options, executor_options(workers, scheduler, cluster, cluster_opt, 0, case_timeout))


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
