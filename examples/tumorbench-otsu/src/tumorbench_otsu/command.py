"""``bench otsu threshold IMAGE``: the two-level Otsu cut of a FLAIR image."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Otsu thresholds of FLAIR images.", no_args_is_help=True, add_completion=False)


@app.callback()
def otsu() -> None:
    """Otsu thresholds of FLAIR images."""


@app.command("threshold")
def threshold(image: Annotated[Path, typer.Argument(help="a FLAIR NIfTI image")]) -> None:
    """Print the two-level Otsu cut of IMAGE and the fraction of brain voxels above it."""
    import numpy as np

    from tumorbench.api import BenchError, Volume, load_volume

    from .model import OtsuFlair

    try:
        volume: Volume = load_volume(image)
    except BenchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    flair = np.asarray(volume.data, dtype=np.float32)
    cut = OtsuFlair().cut(flair)
    above = float((flair > cut).sum() / max((flair > 0).sum(), 1))
    typer.echo(f"{image}: cut {cut:.4g}, {above:.2%} of brain voxels above")
