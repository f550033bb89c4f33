"""The ``bench data`` command group: ``check`` a dataset folder, ``import-dicom`` a TCIA download.

Delivered as a plugin through the ``tumorbench_commands`` hook; the work is imported inside each
command so that ``bench --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumorbench.api import CommandSpec, hookimpl

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
    from tumorbench.api import RichProgress

    from .check import check_folder

    report = check_folder(directory, dataset, progress=RichProgress())
    for line in report.lines():
        typer.echo(line)
    raise typer.Exit(0 if report.ok else 1)


@app.command("import-dicom")
def import_dicom(
    src: Annotated[Path, typer.Argument(help="folder of DICOM series as downloaded from TCIA")],
    dst: Annotated[Path, typer.Argument(help="output folder in the rembrandt layout")],
) -> None:
    """Convert DICOM series to <DST>/<PatientID>/{flair,t1,t1ce,t2}.nii.gz; list unplaced series."""
    from tumorbench.api import BenchError

    from .dicom import import_series

    try:
        report = import_series(src, dst)
    except BenchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    for line in report.lines():
        typer.echo(line)
    raise typer.Exit(0 if report.written else 1)


@app.command("split")
def split(
    directory: Annotated[Path, typer.Argument(help="the dataset folder whose cases are split")],
    out: Annotated[Path, typer.Option("--out", "-o", help="manifest file to write (JSON)")],
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="layout (default: detect)")] = None,
    folds: Annotated[int, typer.Option("--folds", help="number of folds")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="shuffle seed")] = 0,
    paper: Annotated[
        str | None, typer.Option("--paper", help="a seed paper's split instead: shen2017-brats, ...")
    ] = None,
) -> None:
    """Write a seeded k-fold (or a seed paper's) split of the folder's cases as a JSON manifest."""
    from tumorbench.api import BenchError, kfold_manifest, paper_manifest, write_manifest

    from .layouts import detect, get_layout

    try:
        if dataset is None:
            found = detect(directory)
            if found is None:
                raise BenchError(f"{directory}: no known dataset layout found (give --dataset)")
            layout = found[0]
        else:
            layout = get_layout(dataset)
        ids = list(layout.scan(directory))
        if paper:
            manifest = paper_manifest(paper, ids, seed=seed, dataset=layout.name)
        else:
            manifest = kfold_manifest(ids, folds, seed=seed, dataset=layout.name)
        write_manifest(out, manifest)
    except BenchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    sizes = ", ".join(f"{len(t)}/{len(v)}" for t, v in zip(manifest.train, manifest.folds, strict=True))
    unused = f"; {len(manifest.unused)} unused" if manifest.unused else ""
    typer.echo(f"wrote {out}: {layout.name}, {len(ids)} cases, {manifest.kind} train/validation {sizes}{unused}")


@hookimpl
def tumorbench_commands() -> list[CommandSpec]:
    return [CommandSpec(name="data", summary="check dataset folders; import DICOM series", app=app)]
