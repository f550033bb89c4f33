"""Collects the specs every plugin returns, validates names, and looks them up with hints."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .errors import BenchError
from .manager import PluginInfo, PluginManager, get_plugin_manager
from .types import (
    CommandSpec,
    DatasetSpec,
    EnsembleSpec,
    MetricSpec,
    ModelSpec,
    PostprocessorSpec,
)

T = TypeVar("T")

KINDS: dict[str, tuple[str, type]] = {
    "dataset": ("tumorbench_datasets", DatasetSpec),
    "model": ("tumorbench_models", ModelSpec),
    "ensemble": ("tumorbench_ensembles", EnsembleSpec),
    "postprocessor": ("tumorbench_postprocessors", PostprocessorSpec),
    "metric": ("tumorbench_metrics", MetricSpec),
    "command": ("tumorbench_commands", CommandSpec),
}


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A spec together with the plugin that provided it."""

    spec: T
    provider: PluginInfo


@dataclass
class Table(Generic[T]):
    """Specs of one kind, keyed by name (metrics by ``convention/name``)."""

    kind: str
    entries: dict[str, Entry[T]] = field(default_factory=dict)
    related: Table | None = None
    """Another table whose names are valid in the same place (ensembles, for models): hinted too."""

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
        other = list(self.related.entries) if self.related is not None else []
        close = difflib.get_close_matches(name, [*self.entries, *other], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        known = ", ".join(sorted(self.entries)) or "none"
        if self.related is not None:
            known += f"; {self.related.kind}s: " + (", ".join(sorted(other)) or "none")
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
        self.ensembles: Table[EnsembleSpec] = Table("ensemble")
        self.models: Table[ModelSpec] = Table("model", related=self.ensembles)  # --model takes either
        self.postprocessors: Table[PostprocessorSpec] = Table("postprocessor")
        self.metrics: Table[MetricSpec] = Table("metric")
        self.commands: Table[CommandSpec] = Table("command")
        self._collect()

    def _tables(self) -> dict[str, Table]:
        return {
            "dataset": self.datasets,
            "model": self.models,
            "ensemble": self.ensembles,
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
                    key = f"{spec.convention}/{spec.name}" if kind == "metric" else spec.name
                    tables[kind].add(key, Entry(spec, provider))
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

    def provider(self, kind: str, name: str) -> PluginInfo:
        return self._tables()[kind].entries[name].provider

    def metric_conventions(self) -> list[str]:
        return sorted({spec.convention for spec in self.metrics.specs()})

    def metrics_for(self, convention: str) -> list[MetricSpec]:
        """The metrics of one convention, in registration order; unknown conventions list the known."""
        specs = [s for s in self.metrics.specs() if s.convention == convention]
        if not specs:
            known = ", ".join(self.metric_conventions()) or "none"
            raise BenchError(f"unknown metric convention {convention!r} (known: {known})")
        return specs
