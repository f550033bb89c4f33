"""Plugin manager factory: built-in plugins now, third-party plugins when their kind is needed.

Built-in plugin modules are imported at once (they are cheap and import no framework).
Third-party plugins are only *indexed* from their entry-point metadata
(:mod:`tumorbench.loading.index`); :meth:`PluginManager.ensure_kind` imports those that declare a
kind the first time something needs that kind, each under :func:`tumorbench.loading.guard.call_plugin`
(time limit, every exception contained). ``bench --help``, ``--version`` and ``bench plugins``
therefore import no third-party module.

Environment variables:
    TUMORBENCH_STRICT_PLUGINS=1: a plugin that fails to import, misbehaves in a hook or implements
        an unknown hook is an error, not a warning (for plugin authors).
    TUMORBENCH_BLOCK_PLUGINS=a,b: plugin names (entry-point names, or built-in module names:
        ``tumorbench_plugins.models.baseline``, ``models.baseline`` or ``baseline``) not loaded at all.
    TUMORBENCH_PLUGIN_TIMEOUT=S: seconds a plugin import or hook call may take (default 5).
"""

from __future__ import annotations

import difflib
import importlib
import os
import warnings
from dataclasses import dataclass
from types import ModuleType

import pluggy

from tumorbench import __version__
from tumorbench.contract import hookspecs
from tumorbench.errors import BenchError, folded
from tumorbench.loading.guard import PluginFailure, call_plugin, plugin_timeout
from tumorbench.loading.index import ALL_KINDS, IndexProblem, PluginEntry, scan
from tumorbench.loading.probe import probe

STRICT_ENV = "TUMORBENCH_STRICT_PLUGINS"
BLOCK_ENV = "TUMORBENCH_BLOCK_PLUGINS"


class PluginLoadWarning(UserWarning):
    """A plugin could not be imported or misbehaved; everything else still works."""


@dataclass(frozen=True)
class PluginInfo:
    """Where a registered plugin comes from, for ``bench plugins`` and run provenance.

    ``kinds`` are the kinds it may provide: what a third-party plugin declares, all for built-ins.
    """

    name: str
    distribution: str
    version: str
    module: str
    kinds: tuple[str, ...] = ALL_KINDS

    @property
    def builtin(self) -> bool:
        return self.distribution == "tumorbench"


def builtin_plugin_modules() -> list[str]:
    """Dotted names of the built-in plugin modules."""
    from tumorbench_plugins import BUILTIN_PLUGINS

    return list(BUILTIN_PLUGINS)


def builtin_names(dotted: str) -> tuple[str, ...]:
    """The names blocking accepts for a built-in: dotted, relative (``models.shen.plugin``), last part."""
    return dotted, dotted.removeprefix("tumorbench_plugins."), dotted.rsplit(".", 1)[-1]


def blocked_names() -> set[str]:
    return {n.strip() for n in os.environ.get(BLOCK_ENV, "").split(",") if n.strip()}


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "").lower() in {"1", "true", "yes", "on"}


def report(message: str, cause: BaseException | None = None) -> None:
    """A plugin problem: a one-line warning, or a :class:`BenchError` in strict mode."""
    if strict():
        raise BenchError(message) from cause
    warnings.warn(message, PluginLoadWarning, stacklevel=3)


def _hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if name.startswith(f"{hookspecs.PROJECT}_"))


class PluginManager(pluggy.PluginManager):
    """pluggy's manager plus the provenance of each plugin and the third-party ones not yet imported."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.pending: dict[str, PluginEntry] = {}
        self.entries: list[PluginEntry] = []
        self.index_problems: list[IndexProblem] = []
        self.status: dict[str, str] = {}
        self._reported_hooks: set[tuple[str, str]] = set()

    def register_plugin(self, plugin: object, info: PluginInfo) -> bool:
        """Register ``plugin`` under ``info.name``; False (reported) when pluggy refuses it.

        A second plugin of a registered name is an error (names are unique by construction:
        built-ins by module, entry points by :func:`tumorbench.loading.index.scan`).
        """
        if info.name in self.infos:
            other = self.infos[info.name]
            raise BenchError(
                f"plugin name {info.name!r} is registered twice: by {other.distribution} "
                f"({other.module}) and by {info.distribution} ({info.module})"
            )
        try:
            self.register(plugin, name=info.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            text = folded(exc)  # pluggy's message spans lines
            self.status[info.name] = f"refused: {text}"
            report(f"plugin {info.name!r} from {info.distribution} {info.version} refused: {text}", exc)
            return False
        self.infos[info.name] = info
        self.status[info.name] = "loaded"
        self._check_hook_names(info)
        return True

    def _check_hook_names(self, info: PluginInfo) -> None:
        """Report hook implementations with no hook spec (a misspelt hook is otherwise ignored)."""
        try:
            self.check_pending()
            return
        except pluggy.PluginValidationError:
            pass
        known = _hook_names()
        for name, caller in sorted(vars(self.hook).items()):
            if not isinstance(caller, pluggy.HookCaller) or caller.spec is not None:
                continue
            for impl in caller.get_hookimpls():
                owner = self.get_name(impl.plugin) or "?"
                if impl.optionalhook or (owner, name) in self._reported_hooks:
                    continue
                self._reported_hooks.add((owner, name))
                where = self.infos.get(owner)
                origin = f" from {where.distribution} {where.version}" if where else ""
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean {close[0]}?" if close else f" (hooks: {', '.join(known)})"
                report(f"plugin {owner!r}{origin} implements unknown hook {name!r}{hint}")

    def info_for(self, plugin: object) -> PluginInfo:
        return self.infos[self.get_name(plugin) or ""]

    def ensure_kind(self, kind: str) -> None:
        """Import every pending third-party plugin that may provide ``kind`` (once)."""
        for name, entry in list(self.pending.items()):
            if kind in entry.kinds:
                del self.pending[name]
                self._import(entry)

    def _import(self, entry: PluginEntry) -> None:
        ended = probe(entry.distribution, entry.version, entry.value, plugin_timeout())
        if ended is not None:  # never imported here: it would end bench itself
            self.status[entry.name] = f"failed: {ended}"
            report(f"plugin {entry.name!r} from {entry.origin} failed to load: {ended}")
            return
        try:
            plugin = call_plugin(entry.entry_point.load)
        except PluginFailure as exc:
            self.status[entry.name] = f"failed: {exc}"
            report(f"plugin {entry.name!r} from {entry.origin} failed to load: {exc}", exc)
            return
        self.register_plugin(plugin, PluginInfo(entry.name, entry.distribution, entry.version, entry.value, entry.kinds))


def _load_builtins(pm: PluginManager, blocked: set[str]) -> None:
    for dotted in builtin_plugin_modules():
        if blocked & set(builtin_names(dotted)):
            continue
        try:
            module: ModuleType = importlib.import_module(dotted)
        except Exception as exc:  # a broken built-in must not take the CLI down either
            report(f"plugin {dotted!r} from tumorbench failed to load: {type(exc).__name__}: {exc}", exc)
            continue
        pm.register_plugin(module, PluginInfo(dotted, "tumorbench", __version__, dotted))


def _index_entry_points(pm: PluginManager, blocked: set[str]) -> None:
    entries, problems = scan()
    pm.entries = entries
    pm.index_problems = problems
    for problem in problems:
        pm.status[problem.name] = "disabled: declared twice"
        report(problem.message)
    for entry in entries:
        if entry.name in blocked:
            pm.status[entry.name] = "blocked"
        elif entry.name in pm.infos:
            pm.status[entry.name] = f"disabled: name taken by {pm.infos[entry.name].module}"
            report(f"plugin name {entry.name!r} from {entry.origin} is taken by {pm.infos[entry.name].module}; disabled")
        else:
            pm.pending[entry.name] = entry
            pm.status[entry.name] = "not imported yet"


def get_plugin_manager(*, entry_points: bool = True, extra: list[object] | None = None) -> PluginManager:
    """A manager with the built-in plugins, installed third-party plugins and ``extra`` objects.

    Args:
        entry_points: index third-party plugins from the entry-point groups (imported on demand).
        extra: plugin objects (modules or instances) registered last, e.g. by tests.
    """
    pm = PluginManager()
    blocked = blocked_names()
    _load_builtins(pm, blocked)
    if entry_points:
        _index_entry_points(pm, blocked)
    for index, plugin in enumerate(extra or []):
        name = getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{index}"
        pm.register_plugin(plugin, PluginInfo(name, "local", "-", name))
    return pm
