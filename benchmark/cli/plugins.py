"""``bench plugins``: the installed plugins (from metadata) and the specs they provide.

Without options nothing third-party is imported: the plugin table comes from entry-point
metadata, the spec table from the built-in plugins. ``--kind KIND`` (or ``--all``) imports the
plugins that declare that kind and lists every spec of it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tumorbench.cli.common import handles_errors


def cell(value: object) -> str:
    """A table cell that cannot break the Markdown table: ``|`` escaped, newlines as ``\\n``."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("|", "\\|").replace("\n", "\\n")


def _table(rows: list[tuple], headers: list[str]) -> str:
    from tabulate import tabulate

    return tabulate([[cell(v) for v in row] for row in rows], headers=headers, tablefmt="github",
                    disable_numparse=True)


def plugin_rows(registry) -> list[tuple[str, str, str, str, str, str]]:  # noqa: ANN001
    """(name, kinds, package, version, module, status) per plugin, without importing any."""
    from tumorbench.contract.kinds import KINDS
    from tumorbench.loading.manager import builtin_names

    pm = registry.pm
    hook_kind = {kind.hook: kind.name for kind in KINDS}
    rows = []
    for name, info in pm.infos.items():
        if not info.builtin:
            continue
        plugin = pm.get_plugin(name)
        kinds = sorted({hook_kind[c.name] for c in (pm.get_hookcallers(plugin) or []) if c.name in hook_kind})
        rows.append((builtin_names(name)[1], ",".join(kinds), info.distribution, info.version, info.module, "built-in"))
    for entry in pm.entries:
        rows.append((entry.name, entry.declared(), entry.distribution, entry.version, entry.value,
                     pm.status.get(entry.name, "")))
    for problem in pm.index_problems:
        rows.append((problem.name, "", "", "", "", f"disabled: {problem.message}"))
    return rows


@handles_errors
def plugins_command(
    kind: Annotated[str | None, typer.Option(help="List every spec of this kind (dataset, label, model, ensemble, combiner, postprocessor, metric, reported, command); imports the plugins that declare it.")] = None,
    all_kinds: Annotated[bool, typer.Option("--all", help="List every spec of every kind (imports every plugin).")] = False,
) -> None:
    """List every plugin (name for TUMORBENCH_BLOCK_PLUGINS, kinds, package, version, status) and its specs."""
    from tumorbench.loading.manager import get_plugin_manager
    from tumorbench.loading.registry import Registry

    registry = Registry()
    spec_headers = ["name", "kind", "package", "version", "plugin", "summary"]
    if kind is not None or all_kinds:
        rows = registry.rows(kind) if kind is not None else registry.rows()
        typer.echo(_table(rows, spec_headers))
        _options(registry, kind)
        return
    typer.echo(_table(plugin_rows(registry), ["name", "kinds", "package", "version", "module", "status"]))
    typer.echo("")
    builtin = Registry(get_plugin_manager(entry_points=False)).rows()
    typer.echo(_table(builtin, spec_headers))
    if registry.pm.entries:
        typer.echo("\nthird-party specs: bench plugins --kind KIND (or --all) imports the plugins that declare it")
    _options(Registry(get_plugin_manager(entry_points=False)), None)


def register(app: typer.Typer) -> None:
    app.command("plugins")(plugins_command)


def _options(registry, kind: str | None) -> None:  # noqa: ANN001
    """The typed options each spec declares (names only; defaults: ``bench models show NAME``)."""
    from tumorbench.contract.options import format_options

    declared = [(n, k, format_options(s.options, defaults=False)) for n, k, s in registry.specs_with_options() if kind in (None, k)]
    if declared:
        typer.echo("\noptions (model: --model-opt key=value; postprocessor: --postprocess NAME:key=value; "
                   "combiner: METHOD[key=value](a,b); defaults: bench models show NAME):")
        for name, spec_kind, text in declared:
            typer.echo(f"  {cell(name)} ({spec_kind}): {cell(text)}")
