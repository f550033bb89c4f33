"""Plugin manager factory: built-in plugins, then third-party entry points, one at a time.

Environment variables:
    TUMORBENCH_STRICT_PLUGINS=1: a plugin that fails to import is an error, not a warning
        (for plugin authors).
    TUMORBENCH_BLOCK_PLUGINS=a,b: plugin names (entry-point names or built-in module names)
        that are not loaded at all.
"""

from __future__ import annotations

import importlib
import os
import warnings
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType

import pluggy

from . import __version__, hookspecs
from .errors import BenchError

STRICT_ENV = "TUMORBENCH_STRICT_PLUGINS"
BLOCK_ENV = "TUMORBENCH_BLOCK_PLUGINS"


class PluginLoadWarning(UserWarning):
    """A plugin could not be imported; everything else still works."""


@dataclass(frozen=True)
class PluginInfo:
    """Where a registered plugin comes from, for ``bench plugins`` and run provenance."""

    name: str
    distribution: str
    version: str
    module: str


def builtin_plugin_modules() -> list[str]:
    """Dotted names of the built-in plugin modules."""
    from tumorbench_plugins import BUILTIN_PLUGINS

    return list(BUILTIN_PLUGINS)


def _blocked() -> set[str]:
    return {n.strip() for n in os.environ.get(BLOCK_ENV, "").split(",") if n.strip()}


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "").lower() in {"1", "true", "yes", "on"}


def _fail(name: str, origin: str, exc: BaseException) -> None:
    message = f"plugin {name!r} from {origin} failed to load: {type(exc).__name__}: {exc}"
    if _strict():
        raise BenchError(message) from exc
    warnings.warn(message, PluginLoadWarning, stacklevel=3)


class PluginManager(pluggy.PluginManager):
    """pluggy's manager plus the provenance of each registered plugin."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}

    def register_plugin(self, plugin: object, info: PluginInfo) -> None:
        """Register ``plugin`` under ``info.name``; a second plugin of that name is an error."""
        if info.name in self.infos:
            other = self.infos[info.name]
            raise BenchError(
                f"plugin name {info.name!r} is registered twice: by {other.distribution} "
                f"({other.module}) and by {info.distribution} ({info.module})"
            )
        self.register(plugin, name=info.name)
        self.infos[info.name] = info

    def info_for(self, plugin: object) -> PluginInfo:
        return self.infos[self.get_name(plugin) or ""]


def _load_builtins(pm: PluginManager, blocked: set[str]) -> None:
    for dotted in builtin_plugin_modules():
        short = dotted.rsplit(".", 1)[-1]
        if dotted in blocked or short in blocked:
            continue
        try:
            module: ModuleType = importlib.import_module(dotted)
        except Exception as exc:  # a broken built-in must not take the CLI down either
            _fail(dotted, "tumorbench", exc)
            continue
        pm.register_plugin(module, PluginInfo(dotted, "tumorbench", __version__, dotted))


def _load_entry_points(pm: PluginManager, blocked: set[str]) -> None:
    for ep in metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP):
        if ep.name in blocked:
            continue
        dist = ep.dist.name if ep.dist is not None else "unknown"
        version = ep.dist.version if ep.dist is not None else "unknown"
        if dist == "tumorbench":  # built-ins are registered above, from the same modules
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            _fail(ep.name, f"{dist} {version}", exc)
            continue
        pm.register_plugin(plugin, PluginInfo(ep.name, dist, version, ep.value))


def get_plugin_manager(*, entry_points: bool = True, extra: list[object] | None = None) -> PluginManager:
    """A manager with the built-in plugins, installed third-party plugins and ``extra`` objects.

    Args:
        entry_points: load third-party plugins from the ``tumorbench`` entry-point group.
        extra: plugin objects (modules or instances) registered last, e.g. by tests.
    """
    pm = PluginManager()
    blocked = _blocked()
    _load_builtins(pm, blocked)
    if entry_points:
        _load_entry_points(pm, blocked)
    for index, plugin in enumerate(extra or []):
        name = getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{index}"
        pm.register_plugin(plugin, PluginInfo(name, "local", "-", name))
    return pm
