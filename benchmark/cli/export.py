"""``bench export``: the long form of run folders, with every provenance column; or, with
``--format brats``, the per-case tables the BraTS challenges' scorers write."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors


@handles_errors
def export_command(
    run_dirs: Annotated[list[Path], typer.Argument(help="Run directories (each with results.sqlite).")],
    format: Annotated[str, typer.Option("--format", help="csv, parquet (needs pyarrow), json, or brats (the challenges' per-case tables).")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file (default: export.<format>); with --format brats a folder (default: export-brats).")] = None,
    units: Annotated[str | None, typer.Option(help="With --format brats: only scores in these distance units (mm or voxel).")] = None,
) -> None:
    """Every metric row of every run folder, with its hashes, model identity and run provenance."""
    from tumorbench.cli.leaderboard import open_stores
    from tumorbench.results.export import long_form, write_export

    if format == "brats":
        _export_brats(open_stores(run_dirs), out or Path("export-brats"), units)
        return
    if units is not None:
        raise fail("--units goes with --format brats (the long form holds every unit, one column)")
    frame = long_form(open_stores(run_dirs))
    path = write_export(frame, out or Path(f"export.{format}"), format)
    typer.echo(f"wrote {len(frame)} rows to {path}")


def _export_brats(stores, directory: Path, units: str | None) -> None:  # noqa: ANN001 - ResultsStores
    from tumorbench.loading.registry import Registry
    from tumorbench.results.export import challenge_tables, write_challenge_tables

    tables = challenge_tables(stores, Registry(), units=units)
    if not tables:
        raise fail(f"no scores to export{f' in {units} units' if units else ''}")
    for path in write_challenge_tables(tables, directory):
        typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
