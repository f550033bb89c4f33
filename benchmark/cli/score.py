"""``bench score``: score a run directory's stored predictions again, under another convention or unit."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors
from tumorbench.cli.parallel import ClusterOpt, ClusterOptOpt, SchedulerOpt, WorkersOpt, executor_options
from tumorbench.cli.run import MetricConventionOpt, UncertaintyOpt, conventions_option, report
from tumorbench.config import split_roots
from tumorbench.progress import RichProgress


@handles_errors
def score_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory (with results.sqlite).")],
    metric_convention: MetricConventionOpt = [],  # noqa: B006
    uncertainty_convention: UncertaintyOpt = None,
    units: Annotated[str, typer.Option(help="Distances in mm (header spacing) or voxel.")] = "mm",
    data_root_: Annotated[list[str], typer.Option("--data-root", help="Where the data moved since the run: PATH for every dataset, or NAME=PATH.")] = [],  # noqa: B006
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    cluster: ClusterOpt = "local",
    cluster_opt: ClusterOptOpt = [],  # noqa: B006
) -> None:
    """Score stored predictions again without loading any model; stale ones are reported."""
    from tumorbench.report.folder import pages_rendered
    from tumorbench.run.rescore import score_run
    from tumorbench.scoring.evaluation import UNITS

    if units not in UNITS:
        raise fail(f"--units must be one of {', '.join(UNITS)}, got {units!r}")
    default, named = split_roots(data_root_)
    roots = {**{k: Path(v) for k, v in named.items()}, **({"": Path(default)} if default else {})}
    with pages_rendered(run_dir, units=units) as page:
        summary = score_run(
            run_dir,
            conventions=conventions_option(metric_convention, uncertainty_convention),
            units=units,
            data_roots=roots,
            command=shlex.join(["bench", *sys.argv[1:]]),
            progress=RichProgress(),
            executor=executor_options(workers, scheduler, cluster, cluster_opt, 0, None),
        )
    from tumorbench.report.escape import for_terminal
    typer.echo(for_terminal(page.text))
    report(summary, run_dir)
    if summary.failed:
        raise fail(f"{summary.failed} case(s) failed; see above and {run_dir / 'leaderboard.md'}", code=1)


def register(app: typer.Typer) -> None:
    app.command("score")(score_command)
