"""``bench plugins``: every installed plugin spec with its providing package and version."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import handles_errors


def register(app: typer.Typer) -> None:
    @app.command("plugins")
    @handles_errors
    def plugins_command(
        kind: Annotated[str | None, typer.Option(help="Only this kind (dataset, model, ensemble, combiner, postprocessor, metric, command).")] = None,
    ) -> None:
        """List every plugin: name, kind, providing package and version, summary."""
        from tabulate import tabulate

        from ..options import format_options
        from ..registry import Registry

        registry = Registry()
        rows = [r for r in registry.rows() if kind is None or r[1] == kind]
        typer.echo(tabulate(rows, headers=["name", "kind", "package", "version", "summary"], tablefmt="github"))
        declared = [(n, k, format_options(s.options, defaults=False)) for n, k, s in registry.specs_with_options() if kind in (None, k)]
        if declared:
            typer.echo("\noptions (model: --model-opt key=value; postprocessor: --postprocess NAME:key=value; "
                       "combiner: METHOD[key=value](a,b); defaults: bench models show NAME):")
            for name, spec_kind, text in declared:
                typer.echo(f"  {name} ({spec_kind}): {text}")
