"""What an experiment will do, without changing anything: folds to train, cases to predict,
to score again, and already done (``bench run -c FILE --dry-run``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tumorbench.experiment.definition import Experiment
from tumorbench.experiment.rows import _named_as, case_ids, run_options
from tumorbench.experiment.training import missing_folds
from tumorbench.loading.registry import Registry
from tumorbench.run.jobs import chained_name


@dataclass
class PlanRow:
    """What an experiment will do for one model label (with one post-processing chain) and dataset."""

    label: str
    dataset: str
    entry: str = ""  # the experiment's model label (one per trained model, whatever its chains)
    train: list[int] = field(default_factory=list)  # folds to train
    trained: list[int] = field(default_factory=list)  # folds already in the store
    predict: int = 0
    score: int = 0
    done: int = 0


def plan(exp: Experiment, registry: Registry) -> list[PlanRow]:
    """What ``execute`` would do, counted; nothing is written."""
    from tumorbench.prediction.references import parse_model_ref
    from tumorbench.results.results_store import RESULTS_FILE, open_store
    from tumorbench.run.jobs import assemble_job, open_dataset, select_conventions
    from tumorbench.run.runner import Runner

    ids = {d.label: case_ids(exp, registry, d.label) for d in exp.datasets}
    store = open_store(exp.out) if (exp.out / RESULTS_FILE).is_file() else None
    conventions = select_conventions(registry, exp.conventions, [d.name for d in exp.datasets])
    rows = []
    try:
        for entry in exp.models:
            todo, done = missing_folds(exp, entry)
            ref = _named_as(parse_model_ref(entry.model, registry), entry)  # as the run names it (its identity too)
            for chain in entry.postprocess:
                label = chained_name(ref, chain)
                for dataset in (d.label for d in exp.datasets):
                    row = PlanRow(label=label, dataset=dataset, entry=entry.label, train=list(todo), trained=list(done))
                    rows.append(row)
                    if store is None or todo:
                        row.predict = len(ids[dataset])
                        continue
                    options = run_options(exp, entry, chain, dataset, ids[dataset], "")
                    runner = Runner(options, registry, store, conventions)
                    plugin = next(d.name for d in exp.datasets if d.label == dataset)
                    job = assemble_job(
                        registry, options, conventions, ref=ref, plugin=plugin, source=open_dataset(registry, plugin, options),
                        file_hash=store.file_hash, purpose="plan",
                    )
                    for case_id in ids[dataset]:
                        action = runner.plan_case(job, case_id)
                        if action == "predict":
                            row.predict += 1
                        elif action == "score":
                            row.score += 1
                        else:
                            row.done += 1
    finally:
        if store is not None:
            store.close()
    return rows


def plan_table(rows: Sequence[PlanRow]) -> str:
    """The dry-run plan as a table with totals."""
    from tabulate import tabulate

    body = [
        [r.label, r.dataset, ",".join(map(str, r.train)) or "-", ",".join(map(str, r.trained)) or "-", r.predict, r.score, r.done]
        for r in rows
    ]
    to_train = {(r.entry, k) for r in rows for k in r.train}
    trained = {(r.entry, k) for r in rows for k in r.trained}
    totals = ["total", "", f"{len(to_train)} folds", f"{len(trained)} folds",
              sum(r.predict for r in rows), sum(r.score for r in rows), sum(r.done for r in rows)]
    return tabulate([*body, totals], headers=["model", "dataset", "train folds", "trained", "predict", "score", "done"], tablefmt="github")
