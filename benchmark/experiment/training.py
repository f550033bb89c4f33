"""Training what an experiment is missing: every fold without a checkpoint, each model after
the one it is initialised from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tumorbench.experiment.definition import Experiment, ModelEntry
from tumorbench.experiment.rows import _plugin
from tumorbench.loading.registry import Registry
from tumorbench.models.model_store import fold_dir


def missing_folds(exp: Experiment, entry: ModelEntry) -> tuple[list[int], list[int]]:
    """(folds to train, folds already trained) of a trainable entry."""
    if entry.train is None:
        return [], []
    store = exp.store_for(entry)
    todo, done = [], []
    for k in entry.train.train_folds:
        trained = any(fold_dir(store, _plugin(entry), entry.train.dataset, k).glob("checkpoint*"))
        (done if trained else todo).append(k)
    return todo, done


def _training_order(exp: Experiment) -> list[ModelEntry]:
    """Trainable entries, each after the one it is initialised from."""
    order: list[ModelEntry] = []

    def visit(entry: ModelEntry) -> None:
        if entry in order:
            return
        if entry.train and entry.train.init_from:
            visit(exp.model(entry.train.init_from))
        order.append(entry)

    for entry in exp.models:
        if entry.train is not None:
            visit(entry)
    return order


def train_missing(exp: Experiment, registry: Registry, progress: Callable[[], Any] | None = None, echo: Callable[[str], None] = print) -> int:
    """Train every missing fold (in ``init_from`` order); returns how many were trained."""
    trained = 0
    for entry in _training_order(exp):
        todo, _ = missing_folds(exp, entry)
        for k in todo:
            _train_one(exp, registry, entry, k, progress, echo)
            trained += 1
    return trained


def _train_one(
    exp: Experiment, registry: Registry, entry: ModelEntry, k: int, progress: Callable[[], Any] | None,
    echo: Callable[[str], None],
) -> None:
    """Fold ``k`` of ``entry``, its budget counted from its own start (one process trains them all)."""
    import time

    from tumorbench.models.fold_training import FoldJob, TooFewSteps, train_fold, training_params
    from tumorbench.models.training import INTERRUPTED, TrainControl
    from tumorbench.prediction.references import model_options
    from tumorbench.run.jobs import open_dataset
    from tumorbench.run.options import RunOptions

    plan_ = entry.train
    assert plan_ is not None
    dentry = next(d for d in exp.datasets if d.label == plan_.dataset)
    source = open_dataset(registry, dentry.name, RunOptions(
        models=(), datasets=(dentry.name,), out=exp.out, data_roots={dentry.name: dentry.root}, dataset_params=dict(dentry.options)))
    spec = registry.models.get(_plugin(entry))
    init = None
    if plan_.init_from:
        other = exp.model(plan_.init_from)
        init = fold_dir(exp.store_for(other), _plugin(other), other.train.dataset if other.train else plan_.dataset, k)
    params, budget = training_params(spec, {**dict(entry.options), **dict(plan_.options)})
    job = FoldJob(
        spec=spec, dataset=plan_.dataset, source=source, fold=k, folds=plan_.folds, store=exp.store_for(entry),
        seed=plan_.seed, epochs=plan_.epochs, device=exp.device, init_from=init, params=params,
        options=model_options(spec, params, training=True), time_budget=budget,
    )
    echo(f"training {entry.label} on {plan_.dataset} fold {k}/{plan_.folds}: {job.split().describe()}")
    control = TrainControl(budget=budget, started=time.monotonic())
    shown = progress(control) if progress else None
    try:
        train_fold(job, control, progress=shown, notice=echo)
    except TooFewSteps as exc:  # the row's cases fail for want of a checkpoint; the page says why
        echo(f"error: {entry.label} fold {k}: {exc}")
        return
    finally:
        if shown is not None and hasattr(shown, "close"):
            shown.close()
    if control.stopped == INTERRUPTED:
        raise KeyboardInterrupt
    if k in missing_folds(exp, entry)[0]:  # the trainer returned without storing a checkpoint
        why = f" (its time budget of {control.budget:g} s ended first: raise time_budget)" if control.stopped else ""
        echo(f"warning: {entry.label} fold {k}: training stored no checkpoint{why}; its cases will fail")


def missing_message(exp: Experiment) -> str | None:
    """One line naming every missing checkpoint, or None when everything is trained."""
    missing = [(e.label, k) for e in exp.models for k in missing_folds(exp, e)[0]]
    if not missing:
        return None
    which = ", ".join(f"{label} fold {k}" for label, k in missing)
    return f"{exp.path}: not trained: {which}; run `bench run -c {exp.path}` without --no-train to train them"
