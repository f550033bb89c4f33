"""The ``bench data`` command group: ``check`` a dataset folder, ``import-dicom`` a TCIA download.

Delivered as a plugin through the ``tumorbench_commands`` hook; the work is imported inside each
command so that ``bench --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from tumorbench import hookimpl
from tumorbench.types import CommandSpec

app = typer.Typer(
    help="Check dataset folders and convert DICOM downloads.", no_args_is_help=True, add_completion=False
)


@app.command("check")
def check(
    directory: Annotated[Path, typer.Argument(help="the dataset folder to check")],
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", "-d", help="the layout the folder should be (default: detect it)"),
    ] = None,
) -> None:
    """Detect the layout, count cases, name the label convention and list every problem."""
    from .check import check_folder

    report = check_folder(directory, dataset)
    for line in report.lines():
        typer.echo(line)
    raise typer.Exit(0 if report.ok else 1)


@app.command("import-dicom")
def import_dicom(
    src: Annotated[Path, typer.Argument(help="folder of DICOM series as downloaded from TCIA")],
    dst: Annotated[Path, typer.Argument(help="output folder in the rembrandt layout")],
) -> None:
    """Convert DICOM series to <DST>/<PatientID>/{flair,t1,t1ce,t2}.nii.gz; list unplaced series."""
    from tumorbench.errors import BenchError

    from .dicom import import_series

    try:
        report = import_series(src, dst)
    except BenchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    for line in report.lines():
        typer.echo(line)
    raise typer.Exit(0 if report.written else 1)


@hookimpl
def tumorbench_commands() -> list[CommandSpec]:
    return [CommandSpec(name="data", summary="check dataset folders; import DICOM series", app=app)]
