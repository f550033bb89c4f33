"""``bench leaderboard``: rank, test and picture the results of one or more run directories;
``--publish DIR`` writes the pages with their CSV and PNG files, ``--check DIR`` verifies them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors


def open_stores(run_dirs: list[Path]):
    from tumorbench.results.results_store import RESULTS_FILE, ResultsStore

    stores, seen = [], set()
    for run_dir in run_dirs:
        path = run_dir / RESULTS_FILE
        if not path.is_file():
            raise fail(f"{path}: no results store (run `bench run --out {run_dir}` first)")
        if path.resolve() in seen:  # `run` and `$PWD/run` are one folder: one row each, not two
            typer.echo(f"note: {run_dir} is given twice; it is read once", err=True)
            continue
        seen.add(path.resolve())
        stores.append(ResultsStore(path, read_only=True))
    return stores


@handles_errors
def leaderboard_command(
    run_dirs: Annotated[list[Path] | None, typer.Argument(help="Run directories (each with results.sqlite).")] = None,
    metric_convention: Annotated[list[str], typer.Option(help="Only these stored conventions; repeatable (default: all).")] = [],  # noqa: B006
    units: Annotated[str, typer.Option(help="Which stored distance units to show (mm or voxel).")] = "mm",
    dataset: Annotated[list[str], typer.Option("--dataset", "-d", help="Only these datasets.")] = [],  # noqa: B006
    metric: Annotated[list[str], typer.Option("--metric", help="Only these metrics (e.g. dice, hd95).")] = [],  # noqa: B006
    rank_by: Annotated[list[str], typer.Option("--rank-by", help="Rank by these metrics instead of the convention's ranking metrics; repeatable.")] = [],  # noqa: B006
    reported: Annotated[list[Path], typer.Option("--reported", help="A CSV of published numbers to show under the measured rows; repeatable.")] = [],  # noqa: B006
    no_built_in_reported: Annotated[bool, typer.Option("--no-built-in-reported", help="Leave out the seed papers' numbers.")] = False,
    permutations: Annotated[int, typer.Option(help="Sign flips per permutation test (at least 10000 for publishing).")] = 10_000,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap samples over cases.")] = 1_000,
    seed: Annotated[int, typer.Option(help="Seed of the permutation test and the bootstrap.")] = 0,
    no_overlays: Annotated[bool, typer.Option("--no-overlays", help="Do not read images for slice overlays.")] = False,
    overlay_region: Annotated[str | None, typer.Option(help="The region overlays show and pick their cases by (default: the label convention's first, e.g. WT).")] = None,
    publish: Annotated[Path | None, typer.Option(help="Write <DIR>/<dataset>.md, index.md, CSV and PNG files, manifest.json.")] = None,
    check: Annotated[Path | None, typer.Option(help="Exit 1 when the pages published in DIR no longer match their results.")] = None,
) -> None:
    """Per dataset and convention: rankings, paired tests, bootstrap intervals, metric tables, reported rows, provenance."""
    if check is not None:
        from tumorbench.report.published import check_manifest

        problems = check_manifest(check)
        for line in problems:
            typer.echo(line)
        if problems:
            raise typer.Exit(1)
        typer.echo(f"{check}: every page matches its results")
        return
    if not run_dirs:
        raise fail("give one or more RUN_DIRs (or --check DIR)")
    from dataclasses import replace

    from tumorbench.report.context import BoardOptions
    from tumorbench.report.leaderboard import build_pages
    from tumorbench.report.published import publish_folder

    stores = open_stores(run_dirs)
    options = BoardOptions(
        units=units, conventions=tuple(metric_convention) or None, datasets=tuple(dataset) or None,
        metrics=tuple(metric) or None, rank_by=tuple(rank_by), reported=tuple(reported),
        built_in_reported=not no_built_in_reported, permutations=permutations, samples=bootstrap, seed=seed,
    )
    from tumorbench.report.escape import for_terminal
    from tumorbench.report.training_notes import eligibility_lines
    typer.echo(for_terminal(build_pages(stores, options, combined=True)[0].text + "\n".join(eligibility_lines(run_dirs))))
    if publish is None:
        return
    written = publish_folder(stores, publish, replace(options, overlays=not no_overlays, overlay_region=overlay_region))
    for path in written:
        if path.suffix == ".md":
            typer.echo(f"wrote {path}")
    typer.echo(f"wrote {len(written)} files and manifest.json in {publish}")


def register(app: typer.Typer) -> None:
    app.command("leaderboard")(leaderboard_command)
