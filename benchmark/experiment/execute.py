"""Running an experiment file: train what is missing, run the matrix, write the comparison.

``plan`` says, without changing anything, what will be trained (folds without a checkpoint),
predicted (cases without a sound stored prediction), scored (sound predictions missing a
convention's score) and what is already done. ``execute`` does it; with ``train=False`` it stops
before the matrix and names every missing checkpoint.
"""

from __future__ import annotations

from collections.abc import Callable

from tumorbench.errors import BenchError
from tumorbench.experiment.definition import Experiment
from tumorbench.experiment.head import experiment_head
from tumorbench.experiment.rows import case_ids, run_options
from tumorbench.experiment.training import missing_message, train_missing
from tumorbench.loading.registry import Registry
from tumorbench.run.options import RunSummary
from tumorbench.run.runner import run


def execute(
    exp: Experiment, registry: Registry, *, train: bool = True, command: str = "", progress=None, train_progress=None,
    echo: Callable[[str], None] = print,
) -> list[RunSummary]:
    """Train what is missing (unless ``train`` is False: then refuse naming it) and run every row."""
    if train:
        train_missing(exp, registry, train_progress, echo)
    else:
        message = missing_message(exp)
        if message:
            raise BenchError(message)
    ids = {d.label: case_ids(exp, registry, d.label) for d in exp.datasets}
    summaries = []
    for entry in exp.models:
        for chain in entry.postprocess:
            for dataset in ids:
                options = run_options(exp, entry, chain, dataset, ids[dataset], command)
                summaries.append(run(options, registry=registry, progress=progress() if progress else None))
    write_page(exp, registry)
    return summaries


def write_page(exp: Experiment, registry: Registry) -> None:
    """``leaderboard.md`` of the experiment: what it is, the verdict against its baseline, the tables."""
    from tumorbench.io.atomic import write_text_atomic
    from tumorbench.report.leaderboard import render_leaderboard
    from tumorbench.results.results_store import open_store

    store = open_store(exp.out)
    try:
        tables = render_leaderboard([store], units=exp.units, registry=registry, reported=tuple(exp.reported))
        frame = store.metrics()
    finally:
        store.close()
    head = experiment_head(exp, registry, frame)
    body = tables.split("\n", 1)[1] if tables.startswith("# ") else tables
    write_text_atomic(exp.out / "leaderboard.md", "\n".join(head) + body)


