"""The ``bench`` command line. Command modules are small; plugins add groups via a hook."""

from __future__ import annotations

import sys
import warnings
from typing import Annotated

import typer

from tumorbench import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tumorbench {__version__}")
        raise typer.Exit()


def build_app(mount_plugins: bool = True) -> typer.Typer:
    """The Typer app with the core commands, the built-in plugins' commands and, listed from
    entry-point metadata and imported only when invoked, third-party plugin commands."""
    from tumorbench.cli import demo, evaluate, export, leaderboard, plugins, run, score, store, train
    from tumorbench.cli.plugin_commands import PluginGroup

    app = typer.Typer(
        name="bench",
        cls=PluginGroup if mount_plugins else None,
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

    for module in (demo, run, evaluate, score, leaderboard, export, plugins, store, train):
        module.register(app)

    @app.command("help")
    def help_command(
        ctx: typer.Context,
        command: Annotated[list[str] | None, typer.Argument(help="A command (and sub-command), e.g. `run` or `models show`.")] = None,
    ) -> None:
        """Print the help of bench, or of a command (`bench help run` is `bench run --help`)."""
        group, context = ctx.parent.command, ctx.parent
        for name in command or []:
            found = group.get_command(context, name) if hasattr(group, "get_command") else None
            if found is None:
                typer.echo(f"error: no command {' '.join(command or [])!r}; `bench help` lists them", err=True)
                raise typer.Exit(2)
            context = type(context)(found, info_name=name, parent=context)
            group = found
        typer.echo(group.get_help(context))
    if mount_plugins:  # built-in plugin commands now; third-party ones when invoked (PluginGroup)
        from tumorbench.errors import BenchError
        from tumorbench.loading.manager import get_plugin_manager
        from tumorbench.loading.registry import Registry

        try:
            builtin = Registry(get_plugin_manager(entry_points=False)).commands.specs()
        except BenchError:
            builtin = []  # strict mode and a broken built-in: the commands themselves report it
        for spec in builtin:
            app.add_typer(spec.app, name=spec.name, help=spec.summary)
    return app


def _one_line_warning(message, category, filename, lineno, line=None) -> str:  # noqa: ANN001
    return f"warning: {message}\n"


def main() -> None:
    """Console-script entry point: warnings (e.g. a plugin that failed to load) print as one line; a
    plugin's ``os._exit`` or never-ending thread cannot make ``bench`` exit 0 or hang (see
    :mod:`tumorbench.cli.process_guard`)."""
    from tumorbench.cli.process_guard import exit_without_waiting_for_strays, guarded

    warnings.formatwarning = _one_line_warning
    code: int | str | None = 0
    with guarded():
        try:
            build_app()()
        except SystemExit as stop:
            code = stop.code
    number = code if isinstance(code, int) else (0 if code is None else 1)
    if isinstance(code, str):
        sys.stderr.write(f"{code}\n")
    exit_without_waiting_for_strays(number)
    sys.exit(number)
