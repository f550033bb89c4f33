"""The ``bench`` command line. Command modules are small; plugins add groups via a hook."""

from __future__ import annotations

import warnings
from typing import Annotated

import typer

from .. import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tumorbench {__version__}")
        raise typer.Exit()


def build_app(mount_plugins: bool = True) -> typer.Typer:
    """The Typer app with the core commands and every plugin's command groups."""
    from . import demo, evaluate, leaderboard, plugins, run, train

    app = typer.Typer(
        name="bench",
        help="tumorbench: evaluate brain-tumour segmentation models on BraTS-style data.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def root(
        version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
        verbose: Annotated[bool, typer.Option("--verbose", help="Show TensorFlow/Keras start-up and log messages.")] = False,
    ) -> None:
        """tumorbench: evaluate brain-tumour segmentation models on BraTS-style data."""
        if verbose:
            import os

            os.environ["TUMORBENCH_VERBOSE"] = "1"

    for module in (demo, run, evaluate, leaderboard, plugins, train):
        module.register(app)
    if mount_plugins:
        from ..errors import BenchError
        from ..registry import Registry

        try:
            registry = Registry()
        except BenchError:
            registry = None  # the commands themselves report the problem
        if registry is not None:
            for spec in registry.commands.specs():
                app.add_typer(spec.app, name=spec.name, help=spec.summary)
    return app


def _one_line_warning(message, category, filename, lineno, line=None) -> str:  # noqa: ANN001
    return f"warning: {message}\n"


def main() -> None:
    """Console-script entry point: warnings (e.g. a plugin that failed to load) print as one line."""
    warnings.formatwarning = _one_line_warning
    build_app()()
