"""``bench store check RUN_DIR [--repair]``: check a run folder's results store, or rebuild it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors


@handles_errors
def check_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory (with results.sqlite).")],
    repair: Annotated[bool, typer.Option("--repair", help="Move a damaged store aside and rebuild what can be read.")] = False,
) -> None:
    """Integrity, schema, missing prediction files, leftovers of interrupted writes."""
    from tumorbench.errors import StoreCorruptError
    from tumorbench.results.check import check
    from tumorbench.results.check import repair as rebuild

    report = check(run_dir)
    for line in report.notes:
        typer.echo(line)
    for line in report.problems:
        typer.echo(f"problem: {line}", err=True)
    if report.readable:
        typer.echo("the store is readable" + (" (nothing to repair)" if repair else ""))
        return
    if not repair:
        raise fail(f"{report.path}: damaged; `bench store check --repair {run_dir}` rebuilds what can be read",
                   code=StoreCorruptError.exit_code)
    aside, copied = rebuild(run_dir)
    typer.echo(f"moved the damaged store to {aside}")
    for table, rows in copied.items():
        typer.echo(f"{table}: {'unreadable' if rows is None else f'{rows} rows recovered'}")
    if not any(copied.values()):
        raise fail(
            f"{aside}: nothing could be read; a new empty store is in place, and the next `bench run` into "
            f"{run_dir} predicts every case again", code=StoreCorruptError.exit_code,
        )
    typer.echo(f"rebuilt {report.path}; the next `bench run` predicts again what was lost")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Check or repair a run folder's results store.", no_args_is_help=True)
    group.command("check")(check_command)
    app.add_typer(group, name="store")
