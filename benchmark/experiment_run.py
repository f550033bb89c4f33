"""Running an experiment file: train what is missing, run the matrix, write the comparison.

``plan`` says, without changing anything, what will be trained (folds without a checkpoint),
predicted (cases without a sound stored prediction), scored (sound predictions missing a
convention's score) and what is already done. ``execute`` does it; with ``train=False`` it stops
before the matrix and names every missing checkpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BenchError
from .experiment import Experiment, ModelEntry
from .model_store import fold_dir
from .registry import Registry
from .runner import RunOptions, RunSummary, postprocess_label, run


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


def _plugin(entry: ModelEntry) -> str:
    return entry.model.split(":")[0]


def case_ids(exp: Experiment, registry: Registry, dataset: str) -> list[str]:
    """The cases an experiment scores on ``dataset``: ``cases``, then the ``held_out`` fold's ones."""
    from .splits import kfold
    from .types import DatasetOptions

    entry = next(d for d in exp.datasets if d.label == dataset)
    source = registry.datasets.get(entry.name).open(DatasetOptions(root=entry.root, params=dict(entry.options)))
    ids = source.case_ids()
    if exp.cases:
        ids = [i for i in ids if i in set(exp.cases)]
    if exp.held_out:
        folds, fold = exp.held_out
        ids = kfold(ids, folds, fold, exp.seed)[1]
    return ids


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


def run_options(exp: Experiment, entry: ModelEntry, chain: tuple[str, ...], dataset: str, ids: list[str], command: str) -> RunOptions:
    """The run of one model row with one post-processing chain on one dataset (its own options)."""
    d = next(d for d in exp.datasets if d.label == dataset)
    return RunOptions(
        models=(entry.model,),
        labels={entry.model: entry.label} if entry.label != entry.model else {},
        datasets=(d.name,),
        dataset_labels={d.name: d.label} if d.label != d.name else {},
        out=exp.out,
        data_roots={d.name: d.root},
        dataset_params=dict(d.options),
        model_params=dict(entry.options),
        postprocess=chain,
        metric_conventions=exp.conventions,
        units=exp.units,
        label_convention=d.label_convention,
        store=exp.store_for(entry),
        device=exp.device,
        seed=exp.seed,
        fold=entry.fold,
        trained_on=entry.train.dataset if entry.train and entry.train.dataset != dataset else None,
        cases=tuple(ids),
        command=command,
    )


def plan(exp: Experiment, registry: Registry) -> list[PlanRow]:
    """What ``execute`` would do, counted; nothing is written."""
    from .model_identity import model_identity
    from .resolve import parse_model_ref
    from .runner import Runner, make_job, select_conventions
    from .store import RESULTS_FILE, open_store
    from .types import DatasetOptions, ModelContext

    ids = {d.label: case_ids(exp, registry, d.label) for d in exp.datasets}
    store = open_store(exp.out) if (exp.out / RESULTS_FILE).is_file() else None
    conventions = select_conventions(registry, exp.conventions)
    rows = []
    try:
        for entry in exp.models:
            todo, done = missing_folds(exp, entry)
            ref = _labelled(parse_model_ref(entry.model, registry), entry)  # as the run names it (its identity too)
            for chain in entry.postprocess:
                label = postprocess_label(ref, chain)
                for dataset in (d.label for d in exp.datasets):
                    row = PlanRow(label=label, dataset=dataset, entry=entry.label, train=list(todo), trained=list(done))
                    rows.append(row)
                    if store is None or todo:
                        row.predict = len(ids[dataset])
                        continue
                    options = run_options(exp, entry, chain, dataset, ids[dataset], "")
                    runner = Runner(options, registry, store, conventions)
                    base = ModelContext(dataset=options.trained_on or dataset, store=options.store, fold=entry.fold, device="cpu", seed=exp.seed)
                    identity = model_identity(registry, ref, base, options.model_params, chain, store.file_hash)
                    dentry = next(d for d in exp.datasets if d.label == dataset)
                    source = registry.datasets.get(dentry.name).open(DatasetOptions(root=dentry.root, params=dict(dentry.options)))
                    job = make_job(
                        registry, options, conventions, label=label, dataset=dataset, plugin=dentry.name, ref=ref,
                        source=source, base=base, identity=identity, pred_dir=exp.out,  # planned only: nothing loads
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


def _labelled(ref: Any, entry: ModelEntry) -> Any:
    from dataclasses import replace

    return replace(ref, label=entry.label)


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
    import time

    from .model_store import resolve_checkpoint
    from .phases import in_phase
    from .resolve import model_options
    from .splits import kfold
    from .training import INTERRUPTED, TrainControl, stop_on_sigint
    from .types import DatasetOptions, TrainRequest

    trained = 0
    for entry in _training_order(exp):
        plan_ = entry.train
        assert plan_ is not None
        todo, _ = missing_folds(exp, entry)
        if not todo:
            continue
        dentry = next(d for d in exp.datasets if d.label == plan_.dataset)
        source = registry.datasets.get(dentry.name).open(DatasetOptions(root=dentry.root, params=dict(dentry.options)))
        spec = registry.models.get(_plugin(entry))
        for k in todo:
            train_ids, val_ids = kfold(source.case_ids(), plan_.folds, k, plan_.seed)
            init = None
            if plan_.init_from:
                other = exp.model(plan_.init_from)
                init = fold_dir(exp.store_for(other), _plugin(other), other.train.dataset if other.train else plan_.dataset, k)
            echo(f"training {entry.label} on {plan_.dataset} fold {k}/{plan_.folds}: {len(train_ids)} train, {len(val_ids)} validation cases")
            params = {**dict(entry.options), **dict(plan_.options)}
            # each fold's budget counts from its own start (one process trains them all)
            control = TrainControl(budget=float(params.get("time_budget", 0) or 0), started=time.monotonic())
            shown = progress(control) if progress else None
            request = TrainRequest(
                model=_plugin(entry), dataset=plan_.dataset, source=source, train_ids=tuple(train_ids),
                val_ids=tuple(val_ids), fold=k, folds=plan_.folds, store=exp.store_for(entry), epochs=plan_.epochs,
                seed=plan_.seed, device=exp.device, init_from=init,
                init_checkpoint=resolve_checkpoint(init) if init is not None else None,
                params=params, options=model_options(spec, params),
                output=fold_dir(exp.store_for(entry), _plugin(entry), plan_.dataset, k),
                progress=shown, control=control,
            )
            try:
                with stop_on_sigint(control, notice=echo):
                    in_phase("train", spec.train, request)
            finally:
                if shown is not None and hasattr(shown, "close"):
                    shown.close()
            if control.stopped == INTERRUPTED:
                raise KeyboardInterrupt
            if k in missing_folds(exp, entry)[0]:  # the trainer returned without storing a checkpoint
                why = f" (its time budget of {control.budget:g} s ended first: raise time_budget)" if control.stopped else ""
                echo(f"warning: {entry.label} fold {k}: training stored no checkpoint{why}; its cases will fail")
            trained += 1
    return trained


def missing_message(exp: Experiment) -> str | None:
    """One line naming every missing checkpoint, or None when everything is trained."""
    missing = [(e.label, k) for e in exp.models for k in missing_folds(exp, e)[0]]
    if not missing:
        return None
    which = ", ".join(f"{label} fold {k}" for label, k in missing)
    return f"{exp.path}: not trained: {which}; run `bench run -c {exp.path}` without --no-train to train them"


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


def row_labels(exp: Experiment, registry: Registry) -> list[tuple[str, ModelEntry]]:
    """Every result label the experiment writes (a model with each of its chains), with its row."""
    from .resolve import parse_model_ref

    out = []
    for entry in exp.models:
        ref = _labelled(parse_model_ref(entry.model, registry), entry)
        out += [(postprocess_label(ref, chain), entry) for chain in entry.postprocess]
    return out


def verdict_lines(exp: Experiment, registry: Registry, frame) -> list[str]:
    """Each row against the baseline on the cases and regions both were scored on, in the first
    convention's first ranking metric and its direction; computed from the stored results."""
    if not exp.baseline or frame.empty:
        return []
    convention = registry.convention(exp.conventions[0] if exp.conventions else registry.default_conventions()[0])
    metric = convention.ranking()[0]
    frame = frame[(frame.metric_convention == convention.name) & (frame.metric == metric.name) & (frame.units == exp.units)]
    baseline_rows = [label for label, entry in row_labels(exp, registry) if entry.label == exp.baseline]
    if not baseline_rows:
        return []
    base = frame[frame.model == baseline_rows[0]].set_index(["dataset", "case_id", "region"]).value
    scope = f", the held-out fold {exp.held_out[1]} of {exp.held_out[0]}" if exp.held_out else ""
    from .compare.escape import md

    lines = [f"Each model against {md(baseline_rows[0])} in mean {md(metric.name)} ({'higher' if metric.higher_is_better else 'lower'} is better) "
             f"over the cases and regions both were scored on ({convention.name}{scope}):", ""]
    for label, entry in row_labels(exp, registry):
        if label == baseline_rows[0]:
            continue
        mine = frame[frame.model == label].set_index(["dataset", "case_id", "region"]).value
        common = mine.index.intersection(base.index)
        if common.empty:
            lines.append(f"- {md(label)}: no case in common with the baseline (not scored, or every case failed)")
            continue
        ours, theirs = float(mine[common].mean()), float(base[common].mean())
        better = ours > theirs if metric.higher_is_better else ours < theirs
        regions = ",".join(sorted(set(common.get_level_values("region"))))
        verdict = "beats the baseline" if better else "does NOT beat the baseline"
        # a trained row's note gives its budget, the reason; another row's note only describes it
        why = "" if better or not entry.note else f" {'Why' if entry.train is not None else 'Note'}: {md(entry.note)}."
        lines.append(
            f"- **{md(label)}** {verdict}: {ours:.3f} vs {theirs:.3f} ({regions}; {len(set(common.droplevel('region')))} cases).{why}"
        )
    return [*lines, ""]


def experiment_head(exp: Experiment, registry: Registry, frame, *, level: int = 1) -> list[str]:
    """What an experiment's pages say before the tables: its name and summary, the profile and its
    budgets, the note, each model against the baseline (from the stored values), the models' notes,
    the experiment file. ``level``: the heading level of the name."""
    from .compare.escape import md

    head = [f"{'#' * level} Experiment {md(exp.name)}", ""]
    if exp.summary:
        head += [md(exp.summary), ""]
    if exp.profile:
        head += [f"Profile {md(exp.profile)}" + (f": {md(exp.profile_note)}" if exp.profile_note else "."), ""]
    if exp.note:
        head += [md(exp.note), ""]
    head += verdict_lines(exp, registry, frame)
    notes = [f"- {md(e.label)}: {md(e.note)}" for e in exp.models if e.note]
    if notes:
        head += ["Models:", "", *notes, ""]
    head += [f"Experiment file: {md(_shown_path(exp.path))}.", ""]
    return head


def _shown_path(path: Path) -> str:
    """A path as a page shows it: relative to the working directory when it lies below it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def write_page(exp: Experiment, registry: Registry) -> None:
    """``leaderboard.md`` of the experiment: what it is, the verdict against its baseline, the tables."""
    from .atomic import write_text_atomic
    from .leaderboard import render_leaderboard
    from .store import open_store

    store = open_store(exp.out)
    try:
        tables = render_leaderboard([store], units=exp.units, registry=registry, reported=tuple(exp.reported))
        frame = store.metrics()
    finally:
        store.close()
    head = experiment_head(exp, registry, frame)
    body = tables.split("\n", 1)[1] if tables.startswith("# ") else tables
    write_text_atomic(exp.out / "leaderboard.md", "\n".join(head) + body)


def publish_experiment(exp: Experiment, registry: Registry, directory: Path, *, overlays: bool = False) -> list[Path]:
    """Publish the experiment's results in ``directory`` (``bench leaderboard --publish``'s folder:
    pages, CSV, pictures, results as text, manifest), every page opening with the experiment's
    head (profile, budgets, the verdict against the baseline), so that no page shows small-budget
    numbers without saying so. Without overlays by default, so that ``--check`` rebuilds the pages
    anywhere (overlays are drawn from the images the results name)."""
    from .errors import BenchError
    from .leaderboard import BoardOptions, publish_folder
    from .store import RESULTS_FILE, ResultsStore

    if not (exp.out / RESULTS_FILE).is_file():
        raise BenchError(f"{exp.out / RESULTS_FILE}: no results to publish (run the experiment first)")
    store = ResultsStore(exp.out / RESULTS_FILE, create=False)
    try:
        head = experiment_head(exp, registry, store.metrics(), level=2)
        options = BoardOptions(
            units=exp.units, reported=tuple(Path(_shown_path(p)) for p in exp.reported), overlays=overlays,
            preamble="\n".join(head),
        )
        return publish_folder([store], directory, options, registry=registry)
    finally:
        store.close()


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
