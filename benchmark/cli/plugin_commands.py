"""Plugin commands mounted lazily: listed from entry-point metadata, imported only when invoked.

``bench --help`` lists a third-party command from its ``tumorbench.commands`` entry point
(the entry-point name is the command name) without importing the plugin. Invoking it collects the
``command`` kind (importing command plugins under the plugin guard), so a duplicate name or a
broken plugin is an error there, and only there. A name that is not listed may still come from
a plugin in the legacy ``tumorbench`` group, which is looked up the same way.
"""

from __future__ import annotations

import warnings
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from tumorbench.cli.common import fail
from tumorbench.errors import BenchError


def _declared() -> dict[str, str]:
    """Command name -> help line, from metadata; reserved names are refused with a warning."""
    from tumorbench.loading.index import declared_commands, scan
    from tumorbench.loading.manager import PluginLoadWarning, blocked_names
    from tumorbench.loading.registry import RESERVED_COMMANDS

    entries, problems = scan()
    blocked = blocked_names()
    out: dict[str, str] = {}
    for name, entry in sorted(declared_commands(entries).items()):
        if name in blocked:
            continue
        if name in RESERVED_COMMANDS:
            warnings.warn(f"plugin {name!r} from {entry.origin}: command name {name!r} is a built-in "
                          "command; refused", PluginLoadWarning, stacklevel=2)
            continue
        out[name] = f"(plugin command from {entry.origin})"
    for problem in problems:
        if problem.name not in RESERVED_COMMANDS and problem.name not in blocked:
            out.setdefault(problem.name, "(disabled: declared by two packages)")
    return out


def resolve_plugin_command(name: str) -> Any:
    """The click command of plugin command ``name``, or None when no plugin provides it.

    Raises:
        BenchError: the name is provided twice, or its plugin failed (strict mode).
    """
    from tumorbench.loading.registry import Registry

    table = Registry().commands
    if name not in table:
        return None
    spec = table.get(name)
    command = typer.main.get_command(spec.app)
    command.name = name
    if not command.help:
        command.help = spec.summary
    return command


class LazyPluginCommand(TyperCommand):
    """Stands in for a plugin command in ``--help``; parsing it imports the real one."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            real = resolve_plugin_command(self.name or "")
        except BenchError as exc:
            raise fail(str(exc)) from None
        if real is None:
            from tumorbench.loading.index import scan

            for problem in scan()[1]:
                if problem.name == self.name:
                    raise fail(problem.message)
            raise fail(f"plugin command {self.name!r}: its plugin provides no command of that name "
                       "(see warnings above, or `bench plugins`)")
        return real.make_context(info_name, args, parent=parent, **extra)


class PluginGroup(TyperGroup):
    """The root group: built-in commands, then plugin commands on demand."""

    _lazy: dict[str, str] | None = None

    def _lazy_commands(self) -> dict[str, str]:
        if self._lazy is None:
            self._lazy = {n: h for n, h in _declared().items() if n not in self.commands}
        return self._lazy

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *self._lazy_commands()]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        lazy = self._lazy_commands()
        if cmd_name in lazy:
            return LazyPluginCommand(name=cmd_name, help=lazy[cmd_name], short_help=lazy[cmd_name])
        if cmd_name.startswith("-") or getattr(ctx, "resilient_parsing", False):
            return None
        try:  # a legacy-group plugin may provide it
            return resolve_plugin_command(cmd_name)
        except BenchError as exc:
            raise fail(str(exc)) from None
