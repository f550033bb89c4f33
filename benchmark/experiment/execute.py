"""Running an experiment file: train what is missing, run the matrix, render its page once.

``plan`` says, without changing anything, what will be trained (folds without a checkpoint),
predicted (cases without a sound stored prediction), scored (sound predictions missing a
convention's score) and what is already done. ``execute`` does it; with ``train=False`` it stops
before the matrix and names every missing checkpoint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from tumorbench.errors import BenchError
from tumorbench.experiment.definition import Experiment
from tumorbench.experiment.head import experiment_head
from tumorbench.experiment.rows import case_ids, run_options
from tumorbench.experiment.training import missing_message, train_missing
from tumorbench.loading.registry import Registry
from tumorbench.report.folder import rewrite_or_remove, write_run_folder
from tumorbench.results.results_store import refuse_foreign_folder
from tumorbench.run.options import RunSummary
from tumorbench.run.runner import run


def execute(
    exp: Experiment, registry: Registry, *, train: bool = True, command: str = "", progress=None, train_progress=None,
    echo: Callable[[str], None] = print,
) -> list[RunSummary]:
    """Train what is missing (unless ``train`` is False: then refuse naming it) and run every row.
    A run folder that is the user's own is refused before anything is trained."""
    refuse_foreign_folder(exp.out, model_store=exp.store)
    if train:
        train_missing(exp, registry, train_progress, echo)
    else:
        message = missing_message(exp)
        if message:
            raise BenchError(message)
    ids = {d.label: case_ids(exp, registry, d.label) for d in exp.datasets}
    summaries = []
    try:
        for entry in exp.models:
            for chain in entry.postprocess:
                for dataset in ids:
                    options = run_options(exp, entry, chain, dataset, ids[dataset], command)
                    summaries.append(run(options, registry=registry, progress=progress() if progress else None))
    except BaseException:
        with contextlib.suppress(Exception):  # the rows' own error is the one to report
            rewrite_or_remove(exp.out, **page_options(exp, registry))
        raise
    write_page(exp, registry)
    return summaries


def page_options(exp: Experiment, registry: Registry) -> dict[str, Any]:
    """How the experiment's run folder is rendered: its head (name, profile, verdict against the
    baseline) above the tables, its reported rows under them."""
    from tumorbench.results.results_store import open_store

    store = open_store(exp.out, create=False)
    try:
        frame = store.metrics()
    finally:
        store.close()
    return {"units": exp.units, "registry": registry, "head": experiment_head(exp, registry, frame), "reported": exp.reported}


def write_page(exp: Experiment, registry: Registry) -> str:
    """``metrics.csv`` and ``leaderboard.md`` of the experiment, rendered once, after every row ran;
    returns the page."""
    return write_run_folder(exp.out, **page_options(exp, registry))
