"""One way to build the metric specs of a convention (shared by the convention modules)."""

from __future__ import annotations

from collections.abc import Callable

from tumorbench.types import MetricInput, MetricSpec


def metric_spec(
    convention: str,
    name: str,
    summary: str,
    compute: Callable[[MetricInput], float],
    *,
    higher: bool,
    worst: float | Callable[[tuple[int, ...]], float],
    units: str = "",
) -> MetricSpec:
    """A :class:`MetricSpec`; ``worst`` is a value or a function of the image shape."""
    return MetricSpec(
        name=name,
        summary=summary,
        convention=convention,
        compute=compute,
        higher_is_better=higher,
        worst=worst if callable(worst) else (lambda shape, value=float(worst): value),
        units=units,
    )
