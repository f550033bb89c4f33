"""Metric conventions as the harness uses them: a convention's own spec joined with every
spec that adds metrics to it (``extends``), its metrics in their declared order, and its
leaderboard groups. Nothing here knows any convention by name: the specs say it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tumorbench.contract.specs import BrainMaskRule, MetricConventionSpec, MetricDef
from tumorbench.errors import BenchError


@dataclass(frozen=True)
class MetricConvention:
    """One metric convention with its extensions.

    Args:
        spec: the convention's own spec.
        parts: ``spec`` first, then the specs that extend it; each computes its own metrics.
        providers: ``parts[i]`` came from the package ``providers[i]`` (for messages).
    """

    spec: MetricConventionSpec
    parts: tuple[MetricConventionSpec, ...]
    providers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        seen: dict[str, int] = {}
        for index, part in enumerate(self.parts):
            for metric in part.metrics:
                if metric.name in seen:
                    first = seen[metric.name]
                    raise BenchError(
                        f"metric convention {self.name}: metric {metric.name!r} is defined twice, by "
                        f"{self._who(first)} and by {self._who(index)}"
                    )
                seen[metric.name] = index

    def _who(self, index: int) -> str:
        provider = self.providers[index] if index < len(self.providers) else "?"
        return f"{self.parts[index].name} ({provider})"

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def needs_uncertainty(self) -> bool:
        """Scored only for predictions with uncertainty maps."""
        return "uncertainty" in self.spec.needs

    @property
    def metrics(self) -> tuple[MetricDef, ...]:
        """Every metric of every part, by declared ``order`` (ties keep declaration order)."""
        defs = [m for part in self.parts for m in part.metrics]
        return tuple(sorted(defs, key=lambda m: m.order))

    def metric(self, name: str) -> MetricDef:
        for m in self.metrics:
            if m.name == name:
                return m
        known = ", ".join(m.name for m in self.metrics)
        raise BenchError(f"metric convention {self.name} has no metric {name!r} (known: {known})")

    def groups(self) -> list[tuple[str, list[MetricDef]]]:
        """Leaderboard tables: ``(title, metrics)``, ordered by their first metric's ``order``."""
        out: dict[str, list[MetricDef]] = {}
        for m in self.metrics:
            out.setdefault(m.group, []).append(m)
        return list(out.items())

    def ranking(self) -> list[MetricDef]:
        """The ranking metrics, in order (every metric when none is marked)."""
        marked = [m for m in self.metrics if m.ranking]
        return marked or list(self.metrics)

    @property
    def units(self) -> tuple[str, ...]:
        """The distance units every part can be scored in."""
        return tuple(u for u in self.spec.units if all(u in part.units for part in self.parts))

    def check_units(self, units: str) -> None:
        """Refuse, with one line, a run in ``units`` that a part of this convention cannot be scored in."""
        for index, part in enumerate(self.parts):
            if units not in part.units:
                raise BenchError(
                    f"--units {units}: metric convention {self.name} cannot be scored in {units}: {self._who(index)} "
                    f"measures in {', '.join(part.units)} only"
                )

    def brain_mask_rule(self, dataset_rule: BrainMaskRule | None) -> BrainMaskRule | None:
        """The dataset's rule when it declares one, else the convention's."""
        return dataset_rule or self.spec.brain_mask


def check_spec(spec: MetricConventionSpec, provider: str) -> None:
    """Refuse a malformed spec with one line naming it and its package."""
    from tumorbench.contract.specs import DISTANCE_UNITS, METRIC_NEEDS, UNIT_KINDS

    where = f"metric convention spec {spec.name!r} ({provider})"
    unknown = sorted(set(spec.needs) - METRIC_NEEDS)
    if unknown:
        raise BenchError(f"{where}: unknown needs {unknown} (known: {', '.join(sorted(METRIC_NEEDS))})")
    if "brain_mask" in spec.needs and spec.brain_mask is None and spec.extends is None:
        raise BenchError(f"{where}: needs a brain mask but declares no brain_mask rule")
    if not spec.metrics:
        raise BenchError(f"{where}: defines no metrics")
    odd = [u for u in spec.units if u not in DISTANCE_UNITS]
    if odd or not spec.units:
        raise BenchError(f"{where}: units {list(spec.units)} (known: {', '.join(DISTANCE_UNITS)}; at least one)")
    for m in spec.metrics:
        if m.unit not in UNIT_KINDS:
            raise BenchError(f"{where}: metric {m.name!r} has unit {m.unit!r} (known: {', '.join(UNIT_KINDS)})")
        if not callable(m.worst):
            raise BenchError(f"{where}: metric {m.name!r}: worst must be a function of the image shape")


def join(specs: Sequence[tuple[MetricConventionSpec, str]], name: str) -> MetricConvention:
    """The convention ``name`` from ``(spec, provider)`` pairs: its own spec and its extensions."""
    own = [(s, p) for s, p in specs if s.name == name and s.extends is None]
    if not own:
        known = ", ".join(sorted({s.name for s, _ in specs if s.extends is None})) or "none"
        raise BenchError(f"unknown metric convention {name!r} (known: {known})")
    spec, provider = own[0]
    extensions = sorted(((s, p) for s, p in specs if s.extends == name), key=lambda sp: sp[0].name)
    return MetricConvention(
        spec=spec,
        parts=(spec, *(s for s, _ in extensions)),
        providers=(provider, *(p for _, p in extensions)),
    )
