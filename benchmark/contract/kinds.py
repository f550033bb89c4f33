"""The one table of plugin kinds: for each kind, its hook, the spec type the hook returns, and the
entry-point group a third-party package lists a plugin of that kind in."""

from __future__ import annotations

from dataclasses import dataclass

from tumorbench.contract.labels import LabelConvention
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


@dataclass(frozen=True)
class Kind:
    """One kind of plugin.

    Args:
        name: the kind (``model``), as ``bench plugins --kind`` takes it.
        hook: the hook that returns its specs (``tumorbench_models``).
        spec: the type every returned spec must be.
        group: the entry-point group that declares a third-party plugin provides it.
        noun: what messages call one of its specs (``label convention``).
    """

    name: str
    hook: str
    spec: type
    group: str
    noun: str = ""

    def __post_init__(self) -> None:
        if not self.noun:
            object.__setattr__(self, "noun", self.name)


KINDS: tuple[Kind, ...] = (
    Kind("dataset", "tumorbench_datasets", DatasetSpec, "tumorbench.datasets"),
    Kind("label", "tumorbench_label_conventions", LabelConvention, "tumorbench.labels", "label convention"),
    Kind("model", "tumorbench_models", ModelSpec, "tumorbench.models"),
    Kind("ensemble", "tumorbench_ensembles", EnsembleSpec, "tumorbench.ensembles"),
    Kind("combiner", "tumorbench_combiners", CombinerSpec, "tumorbench.combiners"),
    Kind("postprocessor", "tumorbench_postprocessors", PostprocessorSpec, "tumorbench.postprocessors"),
    Kind("metric", "tumorbench_metric_conventions", MetricConventionSpec, "tumorbench.metrics"),
    Kind("reported", "tumorbench_reported_results", ReportedSpec, "tumorbench.reported", "reported-results file"),
    Kind("command", "tumorbench_commands", CommandSpec, "tumorbench.commands"),
)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
KIND_NAMES: tuple[str, ...] = tuple(BY_NAME)
LEGACY_GROUP = "tumorbench"
"""The original entry-point group: a plugin listed there may implement any hook."""
