"""Runs the matrix of models x datasets: predict, finalize, post-process, write, score, store.

A failing case is recorded as failed with its one-line reason and scored worst-case; the run goes
on, and every finished case is already in the store. Evaluations already stored are skipped.
"""

from __future__ import annotations

import hashlib
import platform
import re
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from . import __version__
from .atomic import write_text_atomic
from .errors import BenchError
from .evaluation import UNITS, score_case, worst_rows
from .finalize import finalize
from .labels import REGION_LONG_NAMES, get_convention
from .nifti import save_volume
from .registry import Registry
from .resolve import ModelRef, parse_model_ref
from .store import EvaluationKey, ResultsStore, open_store
from .types import Case, DatasetOptions, DatasetSource, MetricSpec, ModelContext, Prediction

DEFAULT_SHAPE = (240, 240, 155)
UNCERTAINTY_CONVENTION = "qu-brats"


class Progress(Protocol):
    """What the runner reports while it works (the CLI draws a rich progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, *, failed: bool, skipped: bool, description: str) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """Everything one ``bench run`` (or ``bench evaluate``) needs."""

    models: tuple[str, ...]
    datasets: tuple[str, ...]
    out: Path
    data_roots: Mapping[str, Path | None] = field(default_factory=dict)
    dataset_params: Mapping[str, str] = field(default_factory=dict)
    model_params: Mapping[str, str] = field(default_factory=dict)
    postprocess: tuple[str, ...] = ()
    metric_convention: str = "brats-legacy"
    uncertainty_convention: str | None = UNCERTAINTY_CONVENTION
    units: str = "mm"
    label_convention: str | None = None
    store: Path = Path("models")
    device: str = "auto"
    seed: int = 0
    fold: int | None = None
    cases: tuple[str, ...] | None = None
    write_predictions: bool = True
    allow_training_cases: bool = False
    command: str = ""


@dataclass
class RunSummary:
    run_dir: Path
    run_id: int
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    predicted: int = 0
    excluded: int = 0  # cases every stored fold trained on (tumorbench.folds)
    failures: list[tuple[str, str, str, str]] = field(default_factory=list)  # model, dataset, case, reason


def one_line(exc: BaseException) -> str:
    """An exception as one line: BenchError messages as they are, others with their type."""
    text = " ".join(str(exc).split())
    return text if isinstance(exc, BenchError) else f"{type(exc).__name__}: {text}"


def safe_name(label: str) -> str:
    """A model label as a folder name."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", label).strip("_") or "model"


def case_list_hash(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def postprocess_label(model: ModelRef, postprocess: Sequence[str]) -> str:
    return "+".join([model.label, *postprocess])


def select_metrics(registry: Registry, options: RunOptions) -> list[MetricSpec]:
    metrics = registry.metrics_for(options.metric_convention)
    if options.uncertainty_convention and options.uncertainty_convention in registry.metric_conventions():
        metrics += registry.metrics_for(options.uncertainty_convention)
    return metrics


def write_prediction(directory: Path, case: Case, prediction: Prediction) -> Path:
    """Labels and uncertainty maps as NIfTI on the case's own grid and affine."""
    affine = case.reference.affine
    path = save_volume(directory / f"{case.case_id}.nii.gz", prediction.labels, affine)  # type: ignore[arg-type]
    for region, unc in (prediction.uncertainty or {}).items():
        save_volume(directory / f"{case.case_id}_unc_{REGION_LONG_NAMES[region]}.nii.gz", unc.astype("uint8"), affine)
    return path


def provenance(registry: Registry, options: RunOptions, refs: Sequence[ModelRef], case_lists: Mapping[str, list[str]], metrics: Sequence[MetricSpec]) -> dict[str, Any]:
    """What a result depends on: versions, plugins, conventions, command line, case lists."""
    plugins: dict[str, Any] = {}
    for ref in refs:
        for member in ref.members:
            p = registry.provider("model", member)
            plugins[f"model/{member}"] = f"{p.distribution} {p.version}"
        if ref.name in registry.ensembles:
            p = registry.provider("ensemble", ref.name)
            plugins[f"ensemble/{ref.name}"] = f"{p.distribution} {p.version}"
    for name in options.datasets:
        p = registry.provider("dataset", name)
        plugins[f"dataset/{name}"] = f"{p.distribution} {p.version}"
    for name in options.postprocess:
        p = registry.provider("postprocessor", name)
        plugins[f"postprocessor/{name}"] = f"{p.distribution} {p.version}"
    for spec in metrics:
        p = registry.provider("metric", f"{spec.convention}/{spec.name}")
        plugins[f"metric/{spec.convention}/{spec.name}"] = f"{p.distribution} {p.version}"
    return {
        "tumorbench_version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "command": options.command,
        "models": [r.label for r in refs],
        "datasets": list(options.datasets),
        "postprocess": list(options.postprocess),
        "label_conventions": {
            d: options.label_convention or registry.datasets.get(d).label_convention for d in options.datasets
        },
        "metric_convention": options.metric_convention,
        "uncertainty_convention": options.uncertainty_convention,
        "distance_units": options.units,
        "device": options.device,
        "seed": options.seed,
        "fold": options.fold,
        "allow_training_cases": options.allow_training_cases,
        "plugins": plugins,
        "case_lists": {d: {"n": len(ids), "sha256": case_list_hash(ids)} for d, ids in case_lists.items()},
    }


def open_dataset(registry: Registry, name: str, options: RunOptions) -> DatasetSource:
    spec = registry.datasets.get(name)
    root = options.data_roots.get(name)
    if spec.needs_root and root is None:
        raise BenchError(f"dataset {name} needs --data-root PATH (or TUMORBENCH_DATA_ROOT, or tumorbench.toml)")
    return spec.open(DatasetOptions(root=root, params=dict(options.dataset_params)))


def run(options: RunOptions, registry: Registry | None = None, progress: Progress | None = None) -> RunSummary:
    """Run the whole matrix and write results.sqlite, metrics.csv and leaderboard.md in ``out``."""
    from .folds import TrainAdvice, eligibility_lines, plan_predictions, record_eligibility
    from .leaderboard import render_leaderboard, write_metrics_csv

    registry = registry or Registry()
    if options.units not in UNITS:
        raise BenchError(f"--units must be one of {', '.join(UNITS)}, got {options.units!r}")
    refs = [parse_model_ref(m, registry) for m in options.models]
    postprocessors = [registry.postprocessors.get(n) for n in options.postprocess]
    metrics = select_metrics(registry, options)
    override = get_convention(options.label_convention) if options.label_convention else None

    sources: dict[str, DatasetSource] = {}
    case_lists: dict[str, list[str]] = {}
    for name in options.datasets:
        sources[name] = open_dataset(registry, name, options)
        ids = sources[name].case_ids()
        if options.cases:
            missing = sorted(set(options.cases) - set(ids))
            if missing and len(options.datasets) == 1:
                raise BenchError(f"dataset {name}: no case(s) {', '.join(missing)}")
            ids = [i for i in ids if i in set(options.cases)]
        case_lists[name] = ids

    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(out)
    run_id = store.start_run(provenance(registry, options, refs, case_lists, metrics))
    summary = RunSummary(out, run_id)
    verdicts: dict[tuple[str, str], list[Any]] = {}
    total = sum(len(ids) for ids in case_lists.values()) * len(refs)
    if progress:
        progress.start(total)
    try:
        for dataset, source in sources.items():
            grid: dict[str, tuple[int, ...]] = {}  # the last readable case's shape, for unreadable ones
            for ref in refs:
                label = postprocess_label(ref, options.postprocess)
                base = ModelContext(
                    dataset=dataset, store=Path(options.store), fold=options.fold, device=options.device, seed=options.seed
                )
                advice = TrainAdvice(len(source.case_ids()), options.data_roots.get(dataset), options.dataset_params)
                plan = plan_predictions(
                    ref, registry, base, options.model_params, allow_training_cases=options.allow_training_cases,
                    advice=advice,
                )
                pred_dir = out / "predictions" / safe_name(label) / dataset
                for case_id in case_lists[dataset]:
                    key = EvaluationKey(label, dataset, case_id, options.metric_convention, options.units)
                    case_plan = plan.case(case_id)  # out-of-fold: only folds that held the case out
                    if case_plan.predictor is None:
                        verdicts.setdefault((label, dataset), []).append(case_plan.eligibility)
                        summary.excluded += 1
                        if progress:
                            progress.advance(failed=False, skipped=True, description=f"{label} | {dataset}")
                        continue
                    status = _run_case(
                        key, source, case_plan.predictor, ref, postprocessors, metrics, options, store, run_id, pred_dir, override, summary,
                        default_convention=options.label_convention or registry.datasets.get(dataset).label_convention,
                        grid=grid,
                    )
                    if status != "failed":
                        verdicts.setdefault((label, dataset), []).append(case_plan.eligibility)
                    if progress:
                        progress.advance(
                            failed=status == "failed", skipped=status == "skipped", description=f"{label} | {dataset}"
                        )
    finally:
        if progress:
            progress.stop()
        store.finish_run(run_id)
        write_metrics_csv(store, out / "metrics.csv", options.metric_convention, options.units)
        record_eligibility(out, verdicts)
        text = render_leaderboard([store], metric_convention=options.metric_convention, units=options.units)
        text += "\n".join(eligibility_lines([out]))
        write_text_atomic(out / "leaderboard.md", text)
    return summary


def _run_case(
    key: EvaluationKey,
    source: DatasetSource,
    lazy: Any,
    ref: ModelRef,
    postprocessors: Sequence[Any],
    metrics: Sequence[MetricSpec],
    options: RunOptions,
    store: ResultsStore,
    run_id: int,
    pred_dir: Path,
    override: Any,
    summary: RunSummary,
    *,
    default_convention: str,
    grid: dict[str, tuple[int, ...]],
) -> str:
    """One case: predict, finalize, post-process, write, score, store; failures scored worst-case.

    ``grid`` remembers the last readable case's shape: a case that cannot be read is scored on it.
    """
    if store.done(key):
        summary.skipped += 1
        return "skipped"
    started = time.perf_counter()
    case: Case | None = None
    convention_name = default_convention
    try:
        case = source.load(key.case_id)
        grid["shape"] = case.shape
        if override is not None:
            if case.label is not None:
                override.validate(case.label.data, str(case.label.path))
            case = replace(case, convention=override)
        convention_name = case.convention.name
        prediction = finalize(lazy.get().predict(case), case.convention)
        for post in postprocessors:
            prediction = post.apply(prediction, case)
        written = write_prediction(pred_dir, case, prediction) if options.write_predictions else None
        if case.label is None:
            status, rows = "predicted", []
            summary.predicted += 1
        else:
            status, rows = "ok", score_case(case, prediction, metrics, units=options.units)
            summary.ok += 1
        store.record(
            key,
            run_id=run_id,
            label_convention=convention_name,
            status=status,
            metrics=rows,
            seconds=time.perf_counter() - started,
            prediction=str(written) if written else None,
        )
        return status
    except Exception as exc:  # a bad case must not stop the run
        reason = one_line(exc)
        if not isinstance(exc, BenchError):
            with open(Path(options.out) / "errors.log", "a", encoding="utf-8") as log:
                log.write(f"--- {key.model} {key.dataset} {key.case_id}\n{traceback.format_exc()}\n")
        shape = case.shape if case is not None else grid.get("shape", DEFAULT_SHAPE)
        store.record(
            key,
            run_id=run_id,
            label_convention=convention_name,
            status="failed",
            reason=reason,
            metrics=worst_rows(shape, ref.regions, metrics),
            seconds=time.perf_counter() - started,
        )
        summary.failed += 1
        summary.failures.append((key.model, key.dataset, key.case_id, reason))
        return "failed"


