"""Collects the specs every plugin returns, validates names, and looks them up with hints."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .conventions import Convention, check_spec, join
from .errors import BenchError
from .manager import PluginInfo, PluginManager, get_plugin_manager
from .types import (
    CombinerSpec,
    CommandSpec,
    DatasetSpec,
    EnsembleSpec,
    MetricConventionSpec,
    ModelSpec,
    PostprocessorSpec,
)

T = TypeVar("T")

KINDS: dict[str, tuple[str, type]] = {
    "dataset": ("tumorbench_datasets", DatasetSpec),
    "model": ("tumorbench_models", ModelSpec),
    "ensemble": ("tumorbench_ensembles", EnsembleSpec),
    "combiner": ("tumorbench_combiners", CombinerSpec),
    "postprocessor": ("tumorbench_postprocessors", PostprocessorSpec),
    "metric": ("tumorbench_metric_conventions", MetricConventionSpec),
    "command": ("tumorbench_commands", CommandSpec),
}


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A spec together with the plugin that provided it."""

    spec: T
    provider: PluginInfo


@dataclass
class Table(Generic[T]):
    """Specs of one kind, keyed by name."""

    kind: str
    entries: dict[str, Entry[T]] = field(default_factory=dict)

    def add(self, key: str, entry: Entry[T]) -> None:
        if key in self.entries:
            first = self.entries[key].provider
            second = entry.provider
            raise BenchError(
                f"duplicate {self.kind} name {key!r}: provided by {first.distribution} "
                f"({first.module}) and by {second.distribution} ({second.module})"
            )
        self.entries[key] = entry

    def get(self, name: str) -> T:
        """The spec called ``name``; an unknown name suggests the closest known ones."""
        if name in self.entries:
            return self.entries[name].spec
        close = difflib.get_close_matches(name, list(self.entries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        known = ", ".join(sorted(self.entries)) or "none"
        raise BenchError(f"unknown {self.kind} {name!r}{hint} (known: {known})")

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.entries))

    def specs(self) -> list[T]:
        return [self.entries[k].spec for k in sorted(self.entries)]


class Registry:
    """Everything the installed plugins provide, validated once."""

    def __init__(self, pm: PluginManager | None = None) -> None:
        self.pm = pm if pm is not None else get_plugin_manager()
        self.datasets: Table[DatasetSpec] = Table("dataset")
        self.models: Table[ModelSpec] = Table("model")
        self.ensembles: Table[EnsembleSpec] = Table("ensemble")
        self.combiners: Table[CombinerSpec] = Table("ensemble method")
        self.postprocessors: Table[PostprocessorSpec] = Table("postprocessor")
        self.metrics: Table[MetricConventionSpec] = Table("metric convention")
        self.commands: Table[CommandSpec] = Table("command")
        self._collect()

    def _tables(self) -> dict[str, Table]:
        return {
            "dataset": self.datasets,
            "model": self.models,
            "ensemble": self.ensembles,
            "combiner": self.combiners,
            "postprocessor": self.postprocessors,
            "metric": self.metrics,
            "command": self.commands,
        }

    def _collect(self) -> None:
        tables = self._tables()
        for kind, (hook_name, spec_type) in KINDS.items():
            hook = getattr(self.pm.hook, hook_name)
            for impl in hook.get_hookimpls():
                provider = self.pm.info_for(impl.plugin)
                for spec in impl.function() or []:
                    if not isinstance(spec, spec_type):
                        raise BenchError(
                            f"plugin {provider.name} ({provider.distribution}): {hook_name} "
                            f"returned {type(spec).__name__}, expected {spec_type.__name__}"
                        )
                    if kind == "metric":
                        check_spec(spec, provider.distribution)
                    tables[kind].add(spec.name, Entry(spec, provider))
        clash = set(self.models.entries) & set(self.ensembles.entries)
        if clash:
            raise BenchError(f"names used by both a model and an ensemble: {', '.join(sorted(clash))}")

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """(name, kind, distribution, version, summary) for every spec, for ``bench plugins``."""
        out = []
        for kind, table in self._tables().items():
            for key, entry in sorted(table.entries.items()):
                out.append(
                    (key, kind, entry.provider.distribution, entry.provider.version, entry.spec.summary)
                )
        return out

    def specs_with_options(self) -> list[tuple[str, str, object]]:
        """(name, kind, spec) of every model, combiner and post-processor that declares options."""
        out = []
        for kind in ("model", "combiner", "postprocessor"):
            for name, entry in sorted(self._tables()[kind].entries.items()):
                if getattr(entry.spec, "options", None) is not None:
                    out.append((name, kind, entry.spec))
        return out

    def provider(self, kind: str, name: str) -> PluginInfo:
        return self._tables()[kind].entries[name].provider

    def metric_conventions(self) -> list[str]:
        """Names of the conventions (not of the specs that only extend one)."""
        return sorted(s.name for s in self.metrics.specs() if s.extends is None)

    def convention(self, name: str) -> Convention:
        """A convention joined with its extensions; unknown names list the known ones."""
        pairs = [(e.spec, e.provider.distribution) for e in self.metrics.entries.values()]
        return join(pairs, name)

    def default_conventions(self) -> list[str]:
        """The conventions scored when a run names none (those whose spec says ``default``)."""
        return sorted(s.name for s in self.metrics.specs() if s.extends is None and s.default)
