"""The hooks a tumorbench plugin implements. Each returns a list of frozen spec dataclasses.

A plugin is a module (or object) with functions decorated by :data:`hookimpl`::

    from tumorbench.api import ModelSpec, hookimpl

    @hookimpl
    def tumorbench_models():
        return [ModelSpec(name="my-model", summary="...", load=load_my_model)]

Third-party packages expose such a module through per-kind entry-point groups
(``tumorbench.models`` ...; see :mod:`tumorbench.loading.index`) or the ``tumorbench`` group.
Hook implementations may take fewer arguments than the spec (none do today), so specs can grow.
"""

from __future__ import annotations

import pluggy

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

PROJECT = "tumorbench"
ENTRY_POINT_GROUP = "tumorbench"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["ENTRY_POINT_GROUP", "PROJECT", "hookimpl", "hookspec"]


@hookspec
def tumorbench_datasets() -> list[DatasetSpec]:
    """Datasets this plugin provides (loaders for a folder layout, or generators)."""


@hookspec
def tumorbench_label_conventions() -> list[LabelConvention]:
    """Label conventions: a dataset's label values and the regions evaluated (their order, names
    and uncertainty-file suffixes)."""


@hookspec
def tumorbench_models() -> list[ModelSpec]:
    """Models this plugin provides: each loads a predictor of region probabilities or labels."""


@hookspec
def tumorbench_ensembles() -> list[EnsembleSpec]:
    """Named ensembles of models (and of their folds)."""


@hookspec
def tumorbench_combiners() -> list[CombinerSpec]:
    """Ensemble combiners: member predictions of a case -> one prediction (``mean``, ``staple``)."""


@hookspec
def tumorbench_postprocessors() -> list[PostprocessorSpec]:
    """Post-processors applied to a finalized prediction, in the order named by ``--postprocess``."""


@hookspec
def tumorbench_metric_conventions() -> list[MetricConventionSpec]:
    """Metric conventions, and metrics added to existing conventions (``extends``)."""


@hookspec
def tumorbench_reported_results() -> list[ReportedSpec]:
    """Published numbers (a paper's tables) shown beside measured rows, never ranked."""


@hookspec
def tumorbench_commands() -> list[CommandSpec]:
    """CLI command groups, mounted as ``bench <name>``."""
