"""``bench leaderboard``: render the leaderboard of one or more run directories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import fail, handles_errors


def register(app: typer.Typer) -> None:
    @app.command("leaderboard")
    @handles_errors
    def leaderboard_command(
        run_dirs: Annotated[list[Path], typer.Argument(help="Run directories (each with results.sqlite).")],
        metric_convention: Annotated[str, typer.Option(help="Which stored metric convention to show.")] = "brats-legacy",
        units: Annotated[str, typer.Option(help="Which stored distance units to show (mm or voxel).")] = "mm",
        dataset: Annotated[list[str], typer.Option("--dataset", "-d", help="Only these datasets.")] = [],  # noqa: B006
        metric: Annotated[list[str], typer.Option("--metric", help="Only these metrics (e.g. dice, hd95).")] = [],  # noqa: B006
        publish: Annotated[Path | None, typer.Option(help="Also write <DIR>/<dataset>.md (e.g. leaderboard/).")] = None,
    ) -> None:
        """Per model and dataset: mean ± sd and median of each metric per region, cases and failures."""
        from ..folds import eligibility_lines
        from ..leaderboard import publish as write_pages
        from ..leaderboard import render_leaderboard
        from ..store import RESULTS_FILE, ResultsStore

        stores = []
        for run_dir in run_dirs:
            path = run_dir / RESULTS_FILE
            if not path.is_file():
                raise fail(f"{path}: no results store (run `bench run --out {run_dir}` first)")
            stores.append(ResultsStore(path))
        kwargs = dict(metric_convention=metric_convention, units=units, metrics=metric or None)
        text = render_leaderboard(stores, datasets=dataset or None, **kwargs) + "\n".join(eligibility_lines(run_dirs))
        typer.echo(text)
        if publish is not None:
            names = sorted({d for s in stores for d in s.evaluations().dataset})
            names = [n for n in names if not dataset or n in dataset]
            pages = {
                name: render_leaderboard(stores, datasets=[name], **kwargs) + "\n".join(eligibility_lines(run_dirs, name))
                for name in names
            }
            for path in write_pages(pages, publish):
                typer.echo(f"wrote {path}")
