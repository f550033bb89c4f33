"""Collects the specs every plugin returns, validates names, and looks them up with hints.

Each kind is collected the first time it is asked for (``registry.models`` ...), which is when
third-party plugins declaring that kind are imported. Plugin code (imports and hook calls) runs
under :func:`tumorbench.loading.guard.call_plugin`: a plugin that raises, hangs or returns the wrong
type is reported (:func:`tumorbench.loading.manager.report`) and its specs of that kind are left out.

A name provided twice (built-in and plugin, or two plugins) disables both, with a warning naming
both packages; using that name is then an error that says so. Built-in command names
(:data:`RESERVED_COMMANDS`) cannot be taken by a third-party plugin.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from tumorbench.contract.kinds import BY_NAME
from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.metric_conventions import MetricConvention, check_spec, join
from tumorbench.contract.specs import (
    CombinerSpec,
    CommandSpec,
    DatasetSpec,
    EnsembleSpec,
    MetricConventionSpec,
    ModelSpec,
    PostprocessorSpec,
    ReportedSpec,
)
from tumorbench.errors import BenchError, describe
from tumorbench.loading.guard import PluginFailure, call_plugin
from tumorbench.loading.index import KIND_GROUPS
from tumorbench.loading.manager import PluginInfo, PluginManager, get_plugin_manager, report

T = TypeVar("T")


RESERVED_COMMANDS: frozenset[str] = frozenset(
    {"run", "evaluate", "leaderboard", "plugins", "train", "models", "demo", "score", "data", "store", "export", "help"}
)
"""Command names only tumorbench itself may define (``data`` comes from a built-in plugin)."""


class PluginConflictWarning(UserWarning):
    """Two plugins provide one name; both are disabled."""


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A spec together with the plugin that provided it."""

    spec: T
    provider: PluginInfo


def _who(info: PluginInfo) -> str:
    return f"{info.distribution} ({info.module})"


@dataclass
class Table(Generic[T]):
    """Specs of one kind, keyed by name.

    ``conflicts`` holds names provided twice: neither provider's spec is usable, and
    :meth:`get` raises the message naming both.
    """

    kind: str
    entries: dict[str, Entry[T]] = field(default_factory=dict)
    conflicts: dict[str, str] = field(default_factory=dict)
    related: Table | None = None

    @property
    def noun(self) -> str:
        """What messages call one spec of this table (``label convention``)."""
        return BY_NAME[self.kind].noun if self.kind in BY_NAME else self.kind
    """Another table whose names are valid in the same place (ensembles, for models): hinted too."""

    def add(self, key: str, entry: Entry[T]) -> None:
        if key in self.conflicts:
            self.conflicts[key] += f" and by {_who(entry.provider)}"
            return
        if key in self.entries:
            self.disable(key, f"duplicate {self.noun} name {key!r}: provided by "
                              f"{_who(self.entries[key].provider)} and by {_who(entry.provider)}")
            return
        self.entries[key] = entry

    def disable(self, key: str, message: str) -> None:
        """Take ``key`` out of use, warning once with ``message``."""
        self.entries.pop(key, None)
        self.conflicts[key] = message
        warnings.warn(f"{message}; both disabled", PluginConflictWarning, stacklevel=4)

    def get(self, name: str) -> T:
        """The spec called ``name``; an unknown name suggests the closest known ones."""
        if name in self.entries:
            return self.entries[name].spec
        if name in self.conflicts:
            raise BenchError(f"{self.conflicts[name]}; both are disabled (remove one, or block it with "
                             f"TUMORBENCH_BLOCK_PLUGINS)")
        other = list(self.related.entries) if self.related is not None else []
        close = difflib.get_close_matches(name, [*self.entries, *other], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        known = ", ".join(sorted(self.entries)) or "none"
        if self.related is not None:
            known += f"; {self.related.kind}s: " + (", ".join(sorted(other)) or "none")
        raise BenchError(f"unknown {self.noun} {name!r}{hint} (known: {known})")

    def __contains__(self, name: str) -> bool:
        """Known names, the disabled duplicates included (so that using one reports why)."""
        return name in self.entries or name in self.conflicts

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.entries))

    def specs(self) -> list[T]:
        return [self.entries[k].spec for k in sorted(self.entries)]


class Registry:
    """Everything the installed plugins provide, collected per kind on first use."""

    def __init__(self, pm: PluginManager | None = None) -> None:
        self.pm = pm if pm is not None else get_plugin_manager()
        self._tables: dict[str, Table] = {}
        if pm is None and not _DEFAULT:  # the first registry of the installed plugins serves lookups by name
            _DEFAULT.append(self)

    def table(self, kind: str) -> Table:
        """The specs of ``kind``, importing the plugins that declare it on first use."""
        if kind not in BY_NAME:
            raise BenchError(f"unknown plugin kind {kind!r} (known: {', '.join(BY_NAME)})")
        if kind not in self._tables:
            if kind in ("model", "ensemble"):  # one name space: a clash disables both
                models, ensembles = self._collect("model"), self._collect("ensemble")
                for name in sorted(set(models.entries) & set(ensembles.entries)):
                    message = (f"name {name!r} is used by a model from {_who(models.entries[name].provider)} "
                               f"and an ensemble from {_who(ensembles.entries[name].provider)}")
                    models.disable(name, message)
                    ensembles.conflicts[name] = message
                    ensembles.entries.pop(name)
                models.related = ensembles  # --model takes either: hints and "known" lists name both
                self._tables.update(model=models, ensemble=ensembles)
            else:
                self._tables[kind] = self._collect(kind)
        return self._tables[kind]

    @property
    def datasets(self) -> Table[DatasetSpec]:
        return self.table("dataset")

    @property
    def label_conventions(self) -> Table[LabelConvention]:
        return self.table("label")

    @property
    def models(self) -> Table[ModelSpec]:
        return self.table("model")

    @property
    def ensembles(self) -> Table[EnsembleSpec]:
        return self.table("ensemble")

    @property
    def combiners(self) -> Table[CombinerSpec]:
        return self.table("combiner")

    @property
    def postprocessors(self) -> Table[PostprocessorSpec]:
        return self.table("postprocessor")

    @property
    def metrics(self) -> Table[MetricConventionSpec]:
        return self.table("metric")

    @property
    def reported(self) -> Table[ReportedSpec]:
        return self.table("reported")

    @property
    def commands(self) -> Table[CommandSpec]:
        return self.table("command")

    def _specs_of(self, kind: str, impl, provider: PluginInfo) -> list:  # noqa: ANN001
        """What one hook implementation returns, checked; [] (reported) when it misbehaves."""
        hook_name, spec_type = BY_NAME[kind].hook, BY_NAME[kind].spec
        where = f"plugin {provider.name!r} from {provider.distribution} {provider.version}"
        if kind not in provider.kinds:
            report(f"{where} implements {hook_name} but does not declare kind {kind} "
                   f"(entry-point group {KIND_GROUPS[kind]}); ignored")
            return []
        trusted = provider.builtin or provider.distribution == "local"  # ours, or objects passed in by code
        try:
            specs = list((impl.function() if trusted else call_plugin(impl.function)) or [])
        except PluginFailure as exc:
            report(f"{where}: {hook_name} failed: {exc}", exc)
            return []
        except Exception as exc:  # a trusted hook that raises, or a result that is not a list
            report(f"{where}: {hook_name} failed: {describe(exc)}", exc)
            return []
        wrong = [s for s in specs if not isinstance(s, spec_type)]
        if wrong:
            report(f"{where}: {hook_name} returned {type(wrong[0]).__name__}, expected {spec_type.__name__}")
            return []
        return specs

    def _collect(self, kind: str) -> Table:
        self.pm.ensure_kind(kind)
        hook_name = BY_NAME[kind].hook
        table: Table = Table(kind)
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():  # registration order
            provider = self.pm.info_for(impl.plugin)
            for spec in self._specs_of(kind, impl, provider):
                if kind == "command" and spec.name in RESERVED_COMMANDS and not provider.builtin:
                    report(f"plugin {provider.name!r} from {provider.distribution} {provider.version}: "
                           f"command name {spec.name!r} is a built-in command; refused")
                    continue
                if kind == "metric":
                    try:
                        check_spec(spec, provider.distribution)
                    except BenchError as exc:
                        report(str(exc))
                        continue
                table.add(spec.name, Entry(spec, provider))
        return table

    def rows(self, kind: str | None = None) -> list[tuple[str, str, str, str, str, str]]:
        """(name, kind, distribution, version, plugin, summary) for every spec (of ``kind``)."""
        out = []
        for each in [kind] if kind else list(BY_NAME):
            for key, entry in sorted(self.table(each).entries.items()):
                p = entry.provider
                out.append((key, each, p.distribution, p.version, p.name, entry.spec.summary))
        return out

    def provider(self, kind: str, name: str) -> PluginInfo:
        return self.table(kind).entries[name].provider

    def specs_with_options(self) -> list[tuple[str, str, object]]:
        """(name, kind, spec) of every model, combiner, post-processor and dataset that declares options."""
        out = []
        for kind in ("model", "combiner", "postprocessor", "dataset"):
            for name, entry in sorted(self.table(kind).entries.items()):
                if getattr(entry.spec, "options", None) is not None:
                    out.append((name, kind, entry.spec))
        return out

    def metric_conventions(self) -> list[str]:
        """Names of the conventions (not of the specs that only extend one)."""
        return sorted(s.name for s in self.metrics.specs() if s.extends is None)

    def convention(self, name: str) -> MetricConvention:
        """The metric convention ``name`` (:meth:`metric_convention`; this older name is kept)."""
        return self.metric_convention(name)

    def metric_convention(self, name: str) -> MetricConvention:
        """A convention joined with its extensions; unknown names list the known ones."""
        if name in self.metrics.conflicts:
            self.metrics.get(name)  # raises the message naming both providers
        pairs = [(e.spec, e.provider.distribution) for e in self.metrics.entries.values()]
        return join(pairs, name)

    def default_conventions(self, datasets: Sequence[str] = ()) -> list[str]:
        """The conventions scored when a run names none: those whose spec says ``default``; with
        ``datasets``, a dataset that declares its own (``DatasetSpec.metric_conventions``: BraTS 2023
        data, the lesion-wise ``brats-2023``) has those in place of the defaults that need no
        uncertainty maps, and the uncertainty defaults follow."""
        defaults = sorted(s.name for s in self.metrics.specs() if s.extends is None and s.default)
        if not datasets:
            return defaults
        uncertainty = [n for n in defaults if self.metric_convention(n).needs_uncertainty]
        plain = [n for n in defaults if n not in uncertainty]
        chosen: list[str] = []
        for name in datasets:
            declared = self.datasets.get(name).metric_conventions if name in self.datasets else ()
            chosen += [n for n in declared if n in self.metric_conventions()] or plain
        return list(dict.fromkeys([*chosen, *uncertainty]))

    def label_convention(self, name: str) -> LabelConvention:
        """The label convention called ``name`` or having it as an alias; an unknown name lists the known ones."""
        table = self.label_conventions
        if name in table:
            return table.get(name)
        found = [spec for spec in table.specs() if name in spec.aliases]
        if len(found) > 1:
            who = " and ".join(f"{s.name} ({_who(table.entries[s.name].provider)})" for s in found)
            raise BenchError(f"label convention alias {name!r} is claimed by {who}")
        if found:
            return found[0]
        return table.get(name)  # raises, with the close names and the known ones


_DEFAULT: list[Registry] = []


def default_registry() -> Registry:
    """The registry of the installed plugins, built once per process (for lookups by name that
    plugin code makes, such as :func:`get_convention`)."""
    if not _DEFAULT:
        Registry()  # registers itself
    return _DEFAULT[0]


def get_convention(name: str) -> LabelConvention:
    """The installed label convention called ``name`` (or an alias of it); an unknown name lists the known ones."""
    return default_registry().label_convention(name)
