"""What installed third-party plugins declare, read from entry-point metadata without importing them.

A plugin declares the kinds it provides by the entry-point groups it is listed in::

    [project.entry-points."tumorbench.models"]
    otsu = "tumorbench_otsu.plugin"

One group per kind (:data:`KIND_GROUPS`). In ``tumorbench.commands`` the entry-point name is also
the command name (``bench <name>``), so ``bench --help`` can list it without importing anything.
The older ``tumorbench`` group still works: such a plugin may provide any kind, so it is imported
whenever any kind is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from tumorbench.contract.kinds import KIND_NAMES, KINDS, LEGACY_GROUP

KIND_GROUPS: dict[str, str] = {kind.name: kind.group for kind in KINDS}
"""Kind -> the entry-point group that declares a plugin provides it."""

ALL_KINDS: tuple[str, ...] = KIND_NAMES


@dataclass(frozen=True)
class PluginEntry:
    """One third-party plugin as its metadata declares it (possibly listed in several groups).

    Args:
        name: the entry-point name: what ``TUMORBENCH_BLOCK_PLUGINS`` takes.
        value: ``module`` or ``module:attribute``, as written in ``entry_points.txt``.
        kinds: the kinds it declares; all of them for the legacy group.
        legacy: listed in the ``tumorbench`` group (imported whenever any kind is needed).
    """

    name: str
    distribution: str
    version: str
    value: str
    kinds: tuple[str, ...]
    legacy: bool
    entry_point: metadata.EntryPoint

    @property
    def origin(self) -> str:
        return f"{self.distribution} {self.version}"

    def declared(self) -> str:
        """The kinds for listing: ``model,dataset`` or ``any`` for the legacy group."""
        return "any (tumorbench group)" if self.legacy else ",".join(self.kinds)


@dataclass(frozen=True)
class IndexProblem:
    """Two distributions (or two modules) declaring one plugin name: both are disabled."""

    name: str
    message: str


def _dist(ep: metadata.EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "unknown", "unknown"
    return str(dist.name), str(dist.version)


def scan(skip_distribution: str = "tumorbench") -> tuple[list[PluginEntry], list[IndexProblem]]:
    """Every third-party plugin entry point, merged by name, and the names declared twice.

    Nothing is imported. Entry points of ``skip_distribution`` (the built-ins) are left out.
    """
    groups = {LEGACY_GROUP: None, **{group: kind for kind, group in KIND_GROUPS.items()}}
    found: dict[str, list[tuple[metadata.EntryPoint, str | None]]] = {}
    seen: set[tuple[str, str, str, str]] = set()
    for group, kind in groups.items():
        for ep in metadata.entry_points(group=group):
            dist, version = _dist(ep)
            if dist == skip_distribution:
                continue
            key = (group, ep.name, dist, ep.value)
            if key in seen:  # the same distribution visible twice on sys.path
                continue
            seen.add(key)
            found.setdefault(ep.name, []).append((ep, kind))
    entries: list[PluginEntry] = []
    problems: list[IndexProblem] = []
    for name, listed in sorted(found.items()):
        origins = sorted({(*_dist(ep), ep.value) for ep, _ in listed})
        if len(origins) > 1:
            who = " and by ".join(f"{d} {v} ({value})" for d, v, value in origins)
            problems.append(IndexProblem(name, f"plugin name {name!r} is declared by {who}; both disabled"))
            continue
        dist, version, value = origins[0]
        legacy = any(kind is None for _, kind in listed)
        kinds = ALL_KINDS if legacy else tuple(k for k in ALL_KINDS if any(kind == k for _, kind in listed))
        entries.append(PluginEntry(name, dist, version, value, kinds, legacy, listed[0][0]))
    return entries, problems


def declared_commands(entries: list[PluginEntry]) -> dict[str, PluginEntry]:
    """Command name -> plugin, for plugins listed in ``tumorbench.commands`` (the name is the command)."""
    return {e.name: e for e in entries if not e.legacy and "command" in e.kinds}
