"""``bench plugins``: every installed plugin spec with its providing package and version."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import handles_errors


def register(app: typer.Typer) -> None:
    @app.command("plugins")
    @handles_errors
    def plugins_command(
        kind: Annotated[str | None, typer.Option(help="Only this kind (dataset, model, ensemble, postprocessor, metric, command).")] = None,
    ) -> None:
        """List every plugin: name, kind, providing package and version, summary."""
        from tabulate import tabulate

        from ..registry import Registry

        rows = [r for r in Registry().rows() if kind is None or r[1] == kind]
        typer.echo(tabulate(rows, headers=["name", "kind", "package", "version", "summary"], tablefmt="github"))
