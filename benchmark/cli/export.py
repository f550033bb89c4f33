"""``bench export``: the long form of run folders, with every provenance column."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import handles_errors


@handles_errors
def export_command(
    run_dirs: Annotated[list[Path], typer.Argument(help="Run directories (each with results.sqlite).")],
    format: Annotated[str, typer.Option("--format", help="csv, parquet (needs pyarrow) or json.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file (default: export.<format>).")] = None,
) -> None:
    """Every metric row of every run folder, with its hashes, model identity and run provenance."""
    from tumorbench.cli.leaderboard import open_stores
    from tumorbench.results.export import long_form, write_export

    frame = long_form(open_stores(run_dirs))
    path = write_export(frame, out or Path(f"export.{format}"), format)
    typer.echo(f"wrote {len(frame)} rows to {path}")


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
