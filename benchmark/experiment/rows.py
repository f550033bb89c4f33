"""The rows of an experiment as runs: each row's cases, model label and ``RunOptions``."""

from __future__ import annotations

from typing import Any

from tumorbench.experiment.definition import Experiment, ModelEntry
from tumorbench.loading.registry import Registry
from tumorbench.run.jobs import chained_name
from tumorbench.run.options import RunOptions


def _plugin(entry: ModelEntry) -> str:
    return entry.model.split(":")[0]


def case_ids(exp: Experiment, registry: Registry, dataset: str) -> list[str]:
    """The cases an experiment scores on ``dataset``: ``cases``, then the ``held_out`` fold's ones."""
    from tumorbench.contract.values import DatasetOptions
    from tumorbench.models.splits import kfold

    entry = next(d for d in exp.datasets if d.label == dataset)
    source = registry.datasets.get(entry.name).open(DatasetOptions(root=entry.root, params=dict(entry.options)))
    ids = source.case_ids()
    if exp.cases:
        ids = [i for i in ids if i in set(exp.cases)]
    if exp.held_out:
        folds, fold = exp.held_out
        ids = kfold(ids, folds, fold, exp.seed)[1]
    return ids


def _named_as(ref: Any, entry: ModelEntry) -> Any:
    from dataclasses import replace

    return replace(ref, result_name=entry.label)


def run_options(exp: Experiment, entry: ModelEntry, chain: tuple[str, ...], dataset: str, ids: list[str], command: str) -> RunOptions:
    """The run of one model row with one post-processing chain on one dataset (its own options)."""
    d = next(d for d in exp.datasets if d.label == dataset)
    return RunOptions(
        models=(entry.model,),
        model_names={entry.model: entry.label} if entry.label != entry.model else {},
        datasets=(d.name,),
        dataset_names={d.name: d.label} if d.label != d.name else {},
        out=exp.out,
        data_roots={d.name: d.root},
        dataset_params=dict(d.options),
        model_params=dict(entry.options),
        postprocess=chain,
        metric_conventions=exp.conventions,
        units=exp.units,
        label_convention=d.label_convention,
        model_store=exp.store_for(entry),
        device=exp.device,
        seed=exp.seed,
        fold=entry.fold,
        trained_on=entry.train.dataset if entry.train and entry.train.dataset != dataset else None,
        cases=tuple(ids),
        command=command,
    )


def row_labels(exp: Experiment, registry: Registry) -> list[tuple[str, ModelEntry]]:
    """Every result label the experiment writes (a model with each of its chains), with its row."""
    from tumorbench.prediction.references import parse_model_ref

    out = []
    for entry in exp.models:
        ref = _named_as(parse_model_ref(entry.model, registry), entry)
        out += [(chained_name(ref, chain), entry) for chain in entry.postprocess]
    return out
