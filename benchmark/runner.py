"""Runs the matrix of models x datasets: predict, finalize, post-process, write, score, store.

A failing case is recorded as failed with its one-line reason and scored worst-case; the run goes
on, and every finished case is already in the store. A rerun predicts a case again only when its
stored prediction cannot be trusted (new, failed before, the model's identity changed, a
prediction file changed or is missing), and scores it again only under the conventions whose
score is missing or stale (another convention or unit, a changed prediction or ground truth).
"""

from __future__ import annotations

import hashlib
import platform
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from . import __version__
from .atomic import write_text_atomic
from .compare.provenance import machine
from .conventions import Convention
from .errors import BenchError, disk_full
from .evaluation import UNITS, ConventionScore, score_case, worst_score
from .finalize import finalize
from .labels import REGION_LONG_NAMES, REGIONS, LabelConvention, get_convention
from .model_identity import model_identity
from .nifti import load_volume, save_volume
from .phases import PhaseError, in_phase, on_grid
from .postprocessing import postprocessor_name, resolve_postprocessors
from .registry import Registry
from .resolve import ModelRef, check_model_options, parse_model_ref
from .store import PredictionRecord, ResultsStore, ScoreRecord, open_store, sha256_json
from .types import Case, DatasetOptions, DatasetSource, LabelFiles, ModelContext, Prediction

DEFAULT_SHAPE = (240, 240, 155)


class Progress(Protocol):
    """What the runner reports while it works (the CLI draws a rich progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, *, failed: bool, skipped: bool, description: str) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """Everything one ``bench run`` (or ``bench evaluate``) needs.

    ``metric_conventions`` None scores the conventions the plugins mark as default (a
    convention that needs uncertainty maps only where a prediction has them).
    """

    models: tuple[str, ...]
    datasets: tuple[str, ...]
    out: Path
    data_roots: Mapping[str, Path | None] = field(default_factory=dict)
    dataset_params: Mapping[str, str] = field(default_factory=dict)
    model_params: Mapping[str, str] = field(default_factory=dict)
    postprocess: tuple[str, ...] = ()
    metric_conventions: tuple[str, ...] | None = None
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
    labels: Mapping[str, str] = field(default_factory=dict)  # --model text -> the label results carry
    dataset_labels: Mapping[str, str] = field(default_factory=dict)  # dataset plugin -> the name results carry
    trained_on: str | None = None  # the dataset whose checkpoints the models load (default: the one scored)


@dataclass
class RunSummary:
    run_dir: Path
    run_id: int
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    predicted: int = 0
    rescored: int = 0
    planned: int = 0
    done: int = 0
    interrupted: bool = False
    excluded: int = 0  # cases every stored fold trained on (tumorbench.folds)
    failures: list[tuple[str, str, str, str]] = field(default_factory=list)  # model, dataset, case, reason
    redone: Counter = field(default_factory=Counter)  # "predicted again: why" / "scored again: why" -> cases
    metric_failures: int = 0


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


def select_conventions(registry: Registry, names: Sequence[str] | None) -> list[Convention]:
    """The named conventions (or the plugins' defaults), each joined with its extensions."""
    chosen = list(names) if names else registry.default_conventions()
    if not chosen:
        raise BenchError("no metric convention given and no plugin declares a default one")
    return [registry.convention(n) for n in dict.fromkeys(chosen)]


def write_prediction(directory: Path, case: Case, prediction: Prediction) -> list[Path]:
    """Labels and uncertainty maps as NIfTI on the case's own grid and affine; the label map first."""
    affine = case.reference.affine
    paths = [save_volume(directory / f"{case.case_id}.nii.gz", prediction.labels, affine)]  # type: ignore[arg-type]
    for region, unc in (prediction.uncertainty or {}).items():
        target = directory / f"{case.case_id}_unc_{REGION_LONG_NAMES[region]}.nii.gz"
        paths.append(save_volume(target, np.asarray(unc).astype("uint8"), affine))
    return paths


def uncertainty_files(files: Sequence[str]) -> dict[str, str]:
    """Region -> recorded uncertainty-map file, from the BraTS ``_unc_<region>`` file names."""
    out = {}
    for region in REGIONS:
        suffix = f"_unc_{REGION_LONG_NAMES[region]}.nii"
        for f in files:
            if suffix in Path(f).name:
                out[region] = f
    return out


def read_prediction(store: ResultsStore, record: PredictionRecord) -> Prediction:
    """A prediction written by a run, read back from its recorded files."""
    labels = load_volume(store.resolve(record.files[0])).data
    uncertainty = {r: load_volume(store.resolve(f)).data for r, f in uncertainty_files(record.files[1:]).items()}
    return Prediction(regions=record.regions, labels=np.asarray(labels, dtype=np.uint8), uncertainty=uncertainty or None)


def provenance(
    registry: Registry, options: RunOptions, refs: Sequence[ModelRef], case_lists: Mapping[str, list[str]], conventions: Sequence[Convention]
) -> dict[str, Any]:
    """What a result depends on: versions, plugins, conventions, command line, data, case lists."""
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
    for name in map(postprocessor_name, options.postprocess):
        p = registry.provider("postprocessor", name)
        plugins[f"postprocessor/{name}"] = f"{p.distribution} {p.version}"
    for convention in conventions:
        for part in convention.parts:
            p = registry.provider("metric", part.name)
            plugins[f"metric/{part.name}"] = f"{p.distribution} {p.version}"
    return {
        "tumorbench_version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": machine(),
        "command": options.command,
        "models": [r.label for r in refs],
        "model_refs": {postprocess_label(r, options.postprocess): r.label for r in refs},
        "model_params": dict(options.model_params),
        "datasets": [options.dataset_labels.get(d, d) for d in options.datasets],
        "dataset_plugins": {options.dataset_labels.get(d, d): d for d in options.datasets},
        "data_roots": {
            options.dataset_labels.get(d, d): str(options.data_roots.get(d)) if options.data_roots.get(d) else None
            for d in options.datasets
        },
        "dataset_params": dict(options.dataset_params),
        "postprocess": list(options.postprocess),
        "label_conventions": {
            d: options.label_convention or registry.datasets.get(d).label_convention for d in options.datasets
        },
        "label_convention_override": options.label_convention,
        "metric_conventions": [c.name for c in conventions],
        "distance_units": options.units,
        "device": options.device,
        "seed": options.seed,
        "fold": options.fold,
        "trained_on": options.trained_on,
        "store": str(options.store),
        "allow_training_cases": options.allow_training_cases,
        "plugins": plugins,
        "case_lists": {options.dataset_labels.get(d, d): {"n": len(ids), "sha256": case_list_hash(ids)} for d, ids in case_lists.items()},
    }


def open_dataset(registry: Registry, name: str, options: RunOptions) -> DatasetSource:
    spec = registry.datasets.get(name)
    root = options.data_roots.get(name)
    if spec.needs_root and root is None:
        raise BenchError(f"dataset {name} needs --data-root PATH (or TUMORBENCH_DATA_ROOT, or tumorbench.toml)")
    return spec.open(DatasetOptions(root=root, params=dict(options.dataset_params)))


@dataclass
class _Job:
    """What every case of one (model, dataset) pair shares."""

    label: str
    dataset: str
    ref: ModelRef
    source: DatasetSource
    lazy: Any  # the case's predictor, loaded on first use (``.get()``); tumorbench.folds
    pred_dir: Path
    identity: Mapping[str, Any]
    identity_sha256: str
    default_convention: str
    brain_mask: Any
    grid: dict[str, tuple[int, ...]] = field(default_factory=dict)


class Runner:
    """One invocation's state: the registry, the store, the conventions and the summary."""

    def __init__(
        self, options: RunOptions, registry: Registry, store: ResultsStore, conventions: Sequence[Convention],
        *, score_only: bool = False,
    ) -> None:
        self.options = options
        self.score_only = score_only  # ``bench score``: never predict; stale predictions are reported
        self.registry = registry
        self.store = store
        self.conventions = list(conventions)
        self.postprocessors = resolve_postprocessors(registry, options.postprocess)
        self.override: LabelConvention | None = get_convention(options.label_convention) if options.label_convention else None
        self.summary: RunSummary | None = None

    # ------------------------------------------------------------------ staleness
    def _stale(self, job: _Job, record: PredictionRecord | None, has_label: bool) -> str | None:
        """Why the stored prediction cannot be reused (None when it can)."""
        if record is None:
            return "new"
        if record.status == "failed":
            return "failed before"
        if record.identity_sha256 is None:
            return "model identity unknown (store migrated from an older schema)"
        if record.identity_sha256 != job.identity_sha256:
            return "model changed (checkpoint, options or plugin version)"
        if record.has_reference != has_label:
            return "ground truth appeared" if has_label else "ground truth disappeared"
        if record.files:
            current = self.store.files_hash(record.files)
            if current is None:
                return "prediction file missing"
            if current != record.prediction_sha256:
                return "prediction file changed"
        return None

    def _score_stale(self, record: PredictionRecord, convention: Convention, reference_sha: str | None) -> str | None:
        """Why ``convention``'s stored score of ``record`` must be computed again (None: it is current)."""
        if convention.needs_uncertainty and not uncertainty_files(record.files):
            return None  # not applicable: the prediction has no uncertainty maps
        score = self.store.score(int(record.id or 0), convention.name, self.options.units)
        if score is None:
            return "not scored under this convention and unit yet"
        if score.prediction_sha256 != record.prediction_sha256 or score.status != "ok":
            return "prediction changed since it was scored"
        if reference_sha is not None and score.reference_sha256 != reference_sha:
            return "ground truth changed since it was scored"
        return None

    def _reference(self, job: _Job, case_id: str, record: PredictionRecord | None) -> tuple[bool, str | None]:
        """(whether the case has ground truth, its file's SHA-256 when the source can say where it is)."""
        if isinstance(job.source, LabelFiles):
            label_file = job.source.label_file(case_id)
            return label_file is not None, self.store.file_hash(label_file) if label_file is not None else None
        return (record.has_reference if record else True), None  # trust the record

    def plan_case(self, job: _Job, case_id: str) -> str:
        """What :meth:`run_case` would do: ``predict``, ``score`` or ``done`` (nothing is run)."""
        record = self.store.prediction(job.label, job.dataset, case_id)
        has_label, reference_sha = self._reference(job, case_id, record)
        if record is None or self._stale(job, record, has_label) is not None:
            return "predict"
        if not record.has_reference or not any(self._score_stale(record, c, reference_sha) for c in self.conventions):
            return "done"
        return "score"

    # ------------------------------------------------------------------ one case
    def run_case(self, job: _Job, case_id: str) -> str:
        """One case: reuse, re-score or predict; failures scored worst-case. Returns the status."""
        summary = self.summary
        assert summary is not None
        store = self.store
        record = store.prediction(job.label, job.dataset, case_id)
        has_label, reference_sha = self._reference(job, case_id, record)
        why = self._stale(job, record, has_label)
        if self.score_only and record is not None and (record.status == "failed" or why is not None):
            return self._score_only_stale(job, record, why or "failed before")
        if why is None and record is not None:
            todo = {c.name: w for c in self.conventions if (w := self._score_stale(record, c, reference_sha))}
            if not todo or not record.has_reference:
                summary.skipped += 1
                return "skipped"
            if record.files and not Path(record.files[0]).is_absolute():
                return self._rescore(job, record, case_id, todo, reference_sha)
            # read from its sources again (a folder of predictions), or predicted again when not kept
            for reason in set(todo.values()):
                summary.redone[f"scored again: {reason}"] += 1
            if not record.files:
                if self.score_only:
                    return self._score_only_stale(job, record, "predictions were not kept (--no-predictions)")
                summary.redone["predicted again: predictions were not kept (--no-predictions)"] += 1
            return self._predict(job, case_id, record, only=set(todo))
        if why != "new":
            summary.redone[f"predicted again: {why}"] += 1
        return self._predict(job, case_id, record)

    def _score_only_stale(self, job: _Job, record: PredictionRecord, why: str) -> str:
        """``bench score`` meets a prediction it cannot score: a failed case gets worst-case rows
        under every convention it lacks (so no table leaves it out); a stale one is reported."""
        summary = self.summary
        assert summary is not None
        if record.status == "failed":
            missing = [
                c for c in self.conventions
                if record.has_reference and self.store.score(int(record.id or 0), c.name, self.options.units) is None
            ]
            shape = record.shape or DEFAULT_SHAPE
            scores = [worst_score(shape, record.regions, c, record.reason or "failed") for c in missing]
            self.store.record_case(record, self._score_records(scores, None, None, None, status="case-failed"), replace=False)
            summary.failed += 1
            summary.failures.append((job.label, job.dataset, record.case_id, record.reason or "failed"))
            return "failed"
        summary.redone[f"not scored, `bench run` predicts it again: {why}"] += 1
        summary.skipped += 1
        return "skipped"

    def _rescore(self, job: _Job, record: PredictionRecord, case_id: str, todo: Mapping[str, str], reference_sha: str | None) -> str:
        """Score a stored prediction under the conventions in ``todo`` (no model is loaded)."""
        summary = self.summary
        assert summary is not None
        started = time.perf_counter()
        conventions = [c for c in self.conventions if c.name in todo]
        try:
            case = self._load_case(job, case_id)
            prediction = read_prediction(self.store, record)
            scores = score_case(case, prediction, conventions, units=self.options.units, brain_mask=job.brain_mask)
        except Exception as exc:
            if (full := disk_full(exc)) is not None:
                raise full from exc
            return self._fail(job, case_id, None, exc, started, record)
        for why in set(todo.values()):
            summary.redone[f"scored again: {why}"] += 1
        self.store.record_case(
            replace(record, reference_sha256=reference_sha or record.reference_sha256),
            self._score_records(scores, record.prediction_sha256, reference_sha, time.perf_counter() - started),
            replace=False,
        )
        self._count_metric_failures(scores)
        summary.rescored += 1
        summary.ok += 1
        return "ok"

    def _load_case(self, job: _Job, case_id: str) -> Case:
        case = job.source.load(case_id)
        job.grid["shape"] = case.shape
        if self.override is not None:
            if case.label is not None:
                self.override.validate(case.label.data, str(case.label.path))
            case = replace(case, convention=self.override)
        return case

    def _predict(self, job: _Job, case_id: str, previous: PredictionRecord | None, only: set[str] | None = None) -> str:
        """Predict (or read) a case, write it, score it. With ``only``, the stored prediction was
        sound and is read again just to score those conventions: when it is unchanged, its record
        and its other scores are kept."""
        summary = self.summary
        assert summary is not None
        options, store = self.options, self.store
        started = time.perf_counter()
        case: Case | None = None
        try:
            case = self._load_case(job, case_id)
            predictor = in_phase("load", job.lazy.get)
            prediction = finalize(in_phase("predict", lambda: on_grid(predictor.predict(case), case)), case.convention)
            for post in self.postprocessors:
                prediction = in_phase(f"postprocess {post.text}", post.apply, prediction, case)
            unknown = case.convention.unknown_values(prediction.labels)  # type: ignore[arg-type]
            if unknown:
                raise BenchError(
                    f"model {job.label}: predicted label value(s) {unknown} not in convention {case.convention.name} "
                    f"of case {case_id}"
                )
            if prediction.sources:
                files = [str(Path(p).resolve()) for p in prediction.sources]
            elif options.write_predictions:
                written = write_prediction(job.pred_dir, case, prediction)
                files = [str(Path(p).resolve().relative_to(Path(options.out).resolve())) for p in written]
            else:
                files = []
            prediction_sha = store.files_hash(files) if files else _array_hash(prediction)
            reference_sha = None
            if case.label is not None:
                reference_sha = store.file_hash(case.label.path) if case.label.path else _bytes_hash(case.label.data)
            seconds = time.perf_counter() - started
            record = PredictionRecord(
                model=job.label, dataset=job.dataset, case_id=case_id, status="ok",
                label_convention=case.convention.name, regions=tuple(prediction.regions), files=tuple(files),
                shape=tuple(case.shape), prediction_sha256=prediction_sha, reference_sha256=reference_sha,
                has_reference=case.label is not None, identity=job.identity, identity_sha256=job.identity_sha256,
                seconds=seconds, run_id=summary.run_id,
            )
            keep = (
                only is not None and previous is not None and previous.prediction_sha256 == prediction_sha
                and previous.identity_sha256 == job.identity_sha256
            )
            conventions = [c for c in self.conventions if c.name in only] if keep and only is not None else self.conventions
            scores: list[ConventionScore] = []
            if case.label is not None:
                scores = score_case(case, prediction, conventions, units=options.units, brain_mask=job.brain_mask)
            if keep:
                record = replace(previous, reference_sha256=reference_sha)  # type: ignore[arg-type]
            records = self._score_records(scores, prediction_sha, reference_sha, time.perf_counter() - started)
            store.record_case(record, records, replace=not keep)
        except Exception as exc:  # a bad case must not stop the run; a full disk stops it
            if (full := disk_full(exc, job.pred_dir)) is not None:
                raise full from exc
            return self._fail(job, case_id, case, exc, started, previous)
        self._count_metric_failures(scores)
        if case.label is None:
            summary.predicted += 1
            return "predicted"
        summary.ok += 1
        return "ok"

    def _fail(self, job: _Job, case_id: str, case: Case | None, exc: Exception, started: float, previous: PredictionRecord | None) -> str:
        summary = self.summary
        assert summary is not None
        options = self.options
        reason = one_line(exc)
        if not isinstance(exc, BenchError) or (isinstance(exc, PhaseError) and exc.unexpected):
            try:
                with open(Path(options.out) / "errors.log", "a", encoding="utf-8") as log:
                    log.write(f"--- {job.label} {job.dataset} {case_id}\n{traceback.format_exc()}\n")
            except OSError as log_error:
                if (full := disk_full(log_error)) is not None:
                    raise full from log_error
                raise
        shape = case.shape if case is not None else job.grid.get("shape", DEFAULT_SHAPE)
        has_label = case.label is not None if case is not None else (previous.has_reference if previous else True)
        record = PredictionRecord(
            model=job.label, dataset=job.dataset, case_id=case_id, status="failed", reason=reason,
            label_convention=case.convention.name if case is not None else job.default_convention,
            regions=job.ref.regions, shape=tuple(shape), has_reference=has_label,
            identity=job.identity, identity_sha256=job.identity_sha256,
            seconds=time.perf_counter() - started, run_id=summary.run_id,
        )
        scores = [worst_score(shape, job.ref.regions, c, reason) for c in self.conventions] if has_label else []
        self.store.record_case(record, self._score_records(scores, None, None, None, status="case-failed"), replace=True)
        summary.failed += 1
        summary.failures.append((job.label, job.dataset, case_id, reason))
        return "failed"

    def _score_records(
        self, scores: Sequence[ConventionScore], prediction_sha: str | None, reference_sha: str | None,
        seconds: float | None, status: str = "ok",
    ) -> list[ScoreRecord]:
        assert self.summary is not None
        return [
            ScoreRecord(
                convention=s.convention, units=self.options.units, status=status, rows=s.rows,
                prediction_sha256=prediction_sha, reference_sha256=reference_sha, seconds=seconds,
                run_id=self.summary.run_id,
            )
            for s in scores
        ]

    def _count_metric_failures(self, scores: Sequence[ConventionScore]) -> None:
        assert self.summary is not None
        self.summary.metric_failures += sum(1 for s in scores for r in s.rows if r.status == "failed")


def _bytes_hash(array: np.ndarray) -> str:
    data = np.ascontiguousarray(array)
    return hashlib.sha256(str((data.dtype.str, data.shape)).encode() + data.tobytes()).hexdigest()


def _array_hash(prediction: Prediction) -> str:
    """A prediction kept only in memory (``--no-predictions``): the hash of its arrays."""
    digest = hashlib.sha256(_bytes_hash(prediction.labels).encode())  # type: ignore[arg-type]
    for region, unc in sorted((prediction.uncertainty or {}).items()):
        digest.update(region.encode() + _bytes_hash(unc).encode())
    return digest.hexdigest()


def _check_modalities(registry: Registry, ref: ModelRef, dataset: str) -> None:
    """A model that reads a modality the dataset does not have is refused before any case."""
    have = set(registry.datasets.get(dataset).modalities)
    for member in ref.members:
        missing = [m for m in registry.models.get(member).modalities if m not in have]
        if missing:
            raise BenchError(f"model {member} needs {', '.join(missing)}, which dataset {dataset} does not have")


def run(options: RunOptions, registry: Registry | None = None, progress: Progress | None = None) -> RunSummary:
    """Run the whole matrix and write results.sqlite, metrics.csv and leaderboard.md in ``out``."""
    from .folds import TrainAdvice, eligibility_lines, plan_predictions, record_eligibility
    from .leaderboard import render_leaderboard, write_metrics_csv

    registry = registry or Registry()
    if options.units not in UNITS:
        raise BenchError(f"--units must be one of {', '.join(UNITS)}, got {options.units!r}")
    refs = [parse_model_ref(m, registry) for m in options.models]
    refs = [replace(r, label=options.labels[m]) if m in options.labels else r for m, r in zip(options.models, refs, strict=True)]
    conventions = select_conventions(registry, options.metric_conventions)
    resolve_postprocessors(registry, options.postprocess)  # unknown names and bad options fail before any case
    check_model_options(registry, refs, options.model_params)
    for ref in refs:
        for dataset in options.datasets:
            _check_modalities(registry, ref, dataset)

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
    total = sum(len(ids) for ids in case_lists.values()) * len(refs)
    run_id = store.start_run(provenance(registry, options, refs, case_lists, conventions), planned=total)
    runner = Runner(options, registry, store, conventions)
    summary = runner.summary = RunSummary(out, run_id, planned=total)
    verdicts: dict[tuple[str, str], list[Any]] = {}
    if progress:
        progress.start(total)
    try:
        for name, source in sources.items():
            dataset_spec = registry.datasets.get(name)
            dataset = options.dataset_labels.get(name, name)  # a subset (e.g. one grade) under its own name
            for ref in refs:
                label = postprocess_label(ref, options.postprocess)
                base = ModelContext(
                    dataset=options.trained_on or dataset, store=Path(options.store), fold=options.fold,
                    device=options.device, seed=options.seed,
                )
                identity = model_identity(registry, ref, base, options.model_params, options.postprocess, store.file_hash)
                advice = TrainAdvice(len(source.case_ids()), options.data_roots.get(name), options.dataset_params)
                plan = plan_predictions(
                    ref, registry, base, options.model_params, allow_training_cases=options.allow_training_cases,
                    advice=advice,
                )
                job = _Job(
                    label=label, dataset=dataset, ref=ref, source=source, lazy=None,
                    pred_dir=out / "predictions" / safe_name(label) / safe_name(dataset),
                    identity=identity, identity_sha256=sha256_json(identity),
                    default_convention=options.label_convention or dataset_spec.label_convention,
                    brain_mask=dataset_spec.brain_mask,
                )
                for case_id in case_lists[name]:
                    case_plan = plan.case(case_id)  # out-of-fold: only the folds that held the case out
                    if case_plan.predictor is None:  # every stored fold trained on it: never scored
                        store.forget(label, dataset, case_id)  # nor kept from an earlier run
                        verdicts.setdefault((label, dataset), []).append(case_plan.eligibility)
                        summary.excluded += 1
                        summary.done += 1
                        if progress:
                            progress.advance(failed=False, skipped=True, description=f"{label} | {dataset}")
                        continue
                    job.lazy = case_plan.predictor
                    status = runner.run_case(job, case_id)
                    if status != "failed":
                        verdicts.setdefault((label, dataset), []).append(case_plan.eligibility)
                    summary.done += 1
                    if progress:
                        progress.advance(failed=status == "failed", skipped=status == "skipped", description=f"{label} | {dataset}")
    except BaseException:
        summary.interrupted = True
        raise
    finally:
        if progress:
            progress.stop()
        try:
            store.finish_run(run_id, done=summary.done, interrupted=summary.interrupted)
            write_metrics_csv(store, out / "metrics.csv")
            record_eligibility(out, verdicts)
            text = render_leaderboard([store], units=options.units, registry=registry)
            write_text_atomic(out / "leaderboard.md", text + "\n".join(eligibility_lines([out])))
        except OSError as exc:
            full = disk_full(exc, out)
            if full is None:
                raise
            raise full from exc
        finally:
            store.close()
    return summary
