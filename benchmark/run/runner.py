"""Runs the matrix of models x datasets: predict, finalize, post-process, write, score, store.

A failing case is recorded as failed with its one-line reason and scored worst-case; the run goes
on, and every finished case is already in the store. A rerun predicts a case again only when its
stored prediction cannot be trusted (new, failed before, the model's identity changed, a
prediction file changed or is missing), and scores it again only under the conventions whose
score is missing or stale (another convention or unit, a changed prediction or ground truth).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.metric_conventions import MetricConvention
from tumorbench.contract.values import DatasetSource, LabelFiles
from tumorbench.errors import (
    BenchError,
    DiskFullError,
    StoreCorruptError,
    StoreLockedError,
    disk_full,
    one_line,
)
from tumorbench.loading.registry import Registry
from tumorbench.prediction.folds import CaseEligibility
from tumorbench.prediction.postprocess import resolve_postprocessors
from tumorbench.prediction.references import ModelRef, check_model_options, parse_model_ref
from tumorbench.progress import Progress
from tumorbench.results.eligibility import record_eligibility
from tumorbench.results.prediction_files import uncertainty_files, unrecorded_uncertainty
from tumorbench.results.results_store import PredictionRecord, ResultsStore, open_store, refuse_foreign_folder
from tumorbench.run.case_task import score_records
from tumorbench.run.jobs import (
    Job,
    assemble_job,
    check_modalities,
    model_regions,
    open_dataset,
    provenance,
    select_conventions,
)
from tumorbench.run.options import RunOptions, RunSummary
from tumorbench.run.tasks import CaseResult, CaseTask, JobEnv
from tumorbench.scoring.evaluation import UNITS, worst_score

DEFAULT_SHAPE = (240, 240, 155)


class Runner:
    """One invocation's state: the registry, the store, the conventions and the summary.

    Per case: :meth:`plan` (store reads, staleness; cheap, in the driver) gives a
    :class:`CaseTask` or a final status; :func:`tumorbench.run.case_task.execute` does the work
    (here or on a worker); :meth:`record` writes its result, the driver being the only writer.
    """

    def __init__(
        self, options: RunOptions, registry: Registry, results: ResultsStore, metric_conventions: Sequence[MetricConvention],
        *, score_only: bool = False,
    ) -> None:
        self.options = options
        self.score_only = score_only  # ``bench score``: never predict; stale predictions are reported
        self.registry = registry
        self.results = results
        self.metric_conventions = list(metric_conventions)
        self.postprocessors = resolve_postprocessors(registry, options.postprocess)
        self.label_override: LabelConvention | None = (
            registry.label_convention(options.label_convention) if options.label_convention else None
        )
        self.summary: RunSummary | None = None
        self.verdicts: dict[tuple[str, str], list[Any]] = {}  # (label, dataset) -> eligibility of the cases kept
        self._deferred: list[tuple[Job, CaseTask, CaseResult]] = []

    def env(self, job: Job) -> JobEnv:
        """The objects the serial executor runs ``job``'s cases with (the driver's own)."""
        post = job.spec.options.postprocess
        postprocessors = self.postprocessors if post == self.options.postprocess else resolve_postprocessors(self.registry, post)
        return JobEnv(
            source=job.source, predictor=job.predictors, metric_conventions=self.metric_conventions, postprocessors=postprocessors,
            label_override=self.label_override, brain_mask=job.brain_mask,
        )

    def label_convention(self, name: str) -> LabelConvention:
        """An installed label convention by name (a stored prediction's: it names its files)."""
        return self.registry.label_convention(name)

    def finished(self, job: Job, case_id: str, status: str) -> None:
        """A case is done: a case kept in the results (not failed) keeps its eligibility verdict."""
        verdict = job.eligibility.pop(case_id, None)
        if verdict is not None and status != "failed":
            self.verdicts.setdefault((job.model, job.dataset), []).append(verdict)

    # ------------------------------------------------------------------ staleness
    def _stale(self, job: Job, record: PredictionRecord | None, has_label: bool) -> str | None:
        """Why the stored prediction cannot be reused (None when it can)."""
        if record is None:
            return "new"
        if record.status == "failed":
            return "failed before"
        if record.identity_sha256 is None:
            return "model identity unknown (store migrated from an older schema)"
        if record.identity_sha256 != job.spec.identity_sha256:
            return "model changed (checkpoint, options or plugin version)"
        if record.has_reference != has_label:
            return "ground truth appeared" if has_label else "ground truth disappeared"
        if record.files:
            current = self.results.files_hash(record.files)
            if current is None:
                return "prediction file missing"
            if current != record.prediction_sha256:
                return "prediction file changed"
            if unrecorded_uncertainty(record, self.label_convention(record.label_convention)):
                return "uncertainty map added beside the prediction"
        return None

    def _score_stale(self, record: PredictionRecord, convention: MetricConvention, reference_sha: str | None) -> str | None:
        """Why ``convention``'s stored score of ``record`` must be computed again (None: it is current)."""
        if convention.needs_uncertainty and not uncertainty_files(record.files, self.label_convention(record.label_convention)):
            return None  # not applicable: the prediction has no uncertainty maps
        score = self.results.score(int(record.id or 0), convention.name, self.options.units)
        if score is None:
            return "not scored under this convention and unit yet"
        if score.prediction_sha256 != record.prediction_sha256 or score.status != "ok":
            return "prediction changed since it was scored"
        if reference_sha is not None and score.reference_sha256 != reference_sha:
            return "ground truth changed since it was scored"
        return None

    def _reference(self, job: Job, case_id: str, record: PredictionRecord | None) -> tuple[bool, str | None]:
        """(whether the case has ground truth, its file's SHA-256 when the source can say where it
        is and there is a stored prediction to compare it with: a new case needs none to plan)."""
        if isinstance(job.source, LabelFiles):
            label_file = job.source.label_file(case_id)
            has_label = label_file is not None
            return has_label, self.results.file_hash(label_file) if label_file is not None and record is not None else None
        return (record.has_reference if record else True), None  # trust the record

    def plan_case(self, job: Job, case_id: str) -> str:
        """What :meth:`run_case` would do: ``predict``, ``score`` or ``done`` (nothing is run)."""
        record = self.results.prediction(job.model, job.dataset, case_id)
        has_label, reference_sha = self._reference(job, case_id, record)
        if record is None or self._stale(job, record, has_label) is not None:
            return "predict"
        if not record.has_reference or not any(self._score_stale(record, c, reference_sha) for c in self.metric_conventions):
            return "done"
        return "score"

    # ------------------------------------------------------------------ one case
    def plan(self, job: Job, case_id: str) -> CaseTask | str:
        """Reuse, re-score or predict: a task to execute, or the final status of a case that needs none."""
        summary = self.summary
        assert summary is not None
        record = self.results.prediction(job.model, job.dataset, case_id)
        has_label, reference_sha = self._reference(job, case_id, record)
        why = self._stale(job, record, has_label)
        if self.score_only and record is not None and (record.status == "failed" or why is not None):
            return self._score_only_stale(job, record, why or "failed before")
        eligibility = job.eligibility.get(case_id)
        task = CaseTask(
            job=job.spec, case_id=case_id, action="predict", run_id=summary.run_id, previous=record, eligibility=eligibility
        )
        if why is None and record is not None:
            todo = {c.name: w for c in self.metric_conventions if (w := self._score_stale(record, c, reference_sha))}
            if not todo or not record.has_reference:
                summary.skipped += 1
                return "skipped"
            if record.files and not Path(record.files[0]).is_absolute():
                return CaseTask(
                    job=job.spec, case_id=case_id, action="rescore", run_id=summary.run_id, previous=record, todo=todo,
                    reference_sha256=reference_sha, eligibility=eligibility,
                )
            # read from its sources again (a folder of predictions), or predicted again when not kept
            for reason in set(todo.values()):
                summary.redone[f"scored again: {reason}"] += 1
            if not record.files:
                if self.score_only:
                    return self._score_only_stale(job, record, "predictions were not kept (--no-predictions)")
                summary.redone["predicted again: predictions were not kept (--no-predictions)"] += 1
            return CaseTask(
                job=job.spec, case_id=case_id, action="predict", run_id=summary.run_id, previous=record, only=frozenset(todo),
                eligibility=eligibility,
            )
        stored = self._unprocessed(job, case_id)
        if stored is not None:
            summary.redone[f"post-processed the stored predictions of {stored.model} (no model loaded)"] += 1
            return replace(task, action="postprocess", stored=stored)
        if why != "new":
            summary.redone[f"predicted again: {why}"] += 1
        return task

    def _unprocessed(self, job: Job, case_id: str) -> PredictionRecord | None:
        """The stored prediction of the same model without its post-processors, when it can stand
        for a new prediction: same model identity, files as recorded, the case's label convention,
        and post-processors that read no probabilities (stored files hold labels and uncertainty)."""
        spec = job.spec
        if self.score_only or spec.unprocessed is None:
            return None
        env = self.env(job)
        if not env.postprocessors or any(step.spec.needs_probabilities for step in env.postprocessors):
            return None
        record = self.results.prediction(spec.unprocessed, spec.dataset, case_id)
        if (
            record is None or record.status != "ok" or not record.files
            or record.identity_sha256 != spec.unprocessed_identity_sha256
            or record.label_convention != spec.default_convention
            or self.results.files_hash(record.files) != record.prediction_sha256
        ):
            return None
        return record

    def _score_only_stale(self, job: Job, record: PredictionRecord, why: str) -> str:
        """``bench score`` meets a prediction it cannot score: a failed case gets worst-case rows
        under every convention it lacks (so no table leaves it out); a stale one is reported."""
        summary = self.summary
        assert summary is not None
        if record.status == "failed":
            missing = [
                c for c in self.metric_conventions
                if record.has_reference and self.results.score(int(record.id or 0), c.name, self.options.units) is None
            ]
            shape = record.shape or DEFAULT_SHAPE
            scores = [worst_score(shape, record.regions, c, record.reason or "failed") for c in missing]
            rows = score_records(scores, self.options.units, summary.run_id, None, None, None, status="case-failed")
            self.results.record_case(record, rows, replace=False)
            summary.failed += 1
            summary.failures.append((job.model, job.dataset, record.case_id, record.reason or "failed"))
            return "failed"
        summary.redone[f"not scored, `bench run` predicts it again: {why}"] += 1
        summary.skipped += 1
        return "skipped"

    # ------------------------------------------------------------------ recording
    def record(self, job: Job, task: CaseTask, result: CaseResult) -> str:
        """Write a task's result (one transaction) and count it. Returns the case's status."""
        summary = self.summary
        assert summary is not None
        if result.shape is not None:
            job.shapes[task.case_id] = result.shape
        summary.task_seconds += result.seconds
        summary.task_cpu_seconds += result.cpu_seconds
        if result.status == "failed":
            return self._record_failure(job, task, result)
        assert result.record is not None
        try:
            self.results.record_case(result.record, result.scores, replace=result.replace, hashes=result.hashes)
        except (DiskFullError, StoreLockedError, StoreCorruptError):
            raise  # the store itself failed: nothing more can be recorded
        except Exception as exc:  # noqa: BLE001 - a case that cannot be stored is failed like any other
            return self._record_failure(job, task, CaseResult.failure(one_line(exc), result.seconds))
        summary.metric_failures += sum(1 for s in result.scores for r in s.rows if r.status == "failed")
        if result.rescored:
            for why in set(task.todo.values()):
                summary.redone[f"scored again: {why}"] += 1
            summary.rescored += 1
        if result.status == "predicted":
            summary.predicted += 1
            return "predicted"
        summary.ok += 1
        return "ok"

    def _record_failure(self, job: Job, task: CaseTask, result: CaseResult) -> str:
        summary = self.summary
        assert summary is not None
        reason = result.reason or "failed"
        if result.traceback:
            try:
                with open(Path(self.options.out) / "errors.log", "a", encoding="utf-8") as log:
                    log.write(f"--- {job.model} {job.dataset} {task.case_id}\n{result.traceback}\n")
            except OSError as log_error:
                if (full := disk_full(log_error)) is not None:
                    raise full from log_error
                raise
        summary.failed += 1
        summary.failures.append((job.model, job.dataset, task.case_id, reason))
        if result.shape is None and job.known_shape() is None:
            self._deferred.append((job, task, result))  # scored worst-case on a grid seen later (see flush)
        else:
            self._write_failure(job, task, result)
        return "failed"

    def _write_failure(self, job: Job, task: CaseTask, result: CaseResult) -> None:
        previous = task.previous
        shape = result.shape or job.known_shape() or DEFAULT_SHAPE
        has_label = result.has_label if result.has_label is not None else (previous.has_reference if previous else True)
        spec = job.spec
        record = PredictionRecord(
            model=spec.model, dataset=spec.dataset, case_id=task.case_id, status="failed", reason=result.reason or "failed",
            label_convention=result.label_convention or spec.default_convention,
            regions=spec.regions, shape=tuple(shape), has_reference=has_label,
            identity=spec.identity, identity_sha256=spec.identity_sha256, seconds=result.seconds, run_id=task.run_id,
        )
        scores = [worst_score(shape, spec.regions, c, record.reason or "failed") for c in self.metric_conventions] if has_label else []
        rows = score_records(scores, self.options.units, task.run_id, None, None, None, status="case-failed")
        self.results.record_case(record, rows, replace=True, hashes=result.hashes)

    def flush(self) -> None:
        """Write the failures of cases that failed before any case of their dataset was read:
        worst-case on the grid of the dataset's first case read (else 240x240x155)."""
        deferred, self._deferred = self._deferred, []
        for job, task, result in deferred:
            self._write_failure(job, task, result)


def _plan_all(runner: Runner, items: Iterator[tuple[Job, str]], finished: Callable[[Job, str, str], None]) -> Iterator[tuple[Job, CaseTask]]:
    """The tasks of ``items``; cases that need none are finished here."""
    for job, case_id in items:
        planned = runner.plan(job, case_id)
        if isinstance(planned, str):
            finished(job, case_id, planned)
        else:
            yield job, planned


def drive(runner: Runner, items: Iterator[tuple[Job, str]], executor: Any, progress: Progress | None) -> None:
    """Plan every case, execute the tasks on ``executor``, record each result as it comes."""
    summary = runner.summary
    assert summary is not None

    def finished(job: Job, case_id: str, status: str) -> None:
        runner.finished(job, case_id, status)
        summary.done += 1
        if progress:
            progress.advance(failed=status == "failed", skipped=status == "skipped", description=f"{job.model} | {job.dataset}")

    def recorded(job: Job, task: CaseTask, result: CaseResult) -> None:
        finished(job, task.case_id, runner.record(job, task, result))

    try:
        executor.run(_plan_all(runner, items, finished), runner.env, recorded)
    finally:
        runner.flush()


def run(
    options: RunOptions, registry: Registry | None = None, progress: Progress | None = None, executor: Any = None,
) -> RunSummary:
    """Run the whole matrix into ``options.out``: ``results.sqlite`` and ``eligibility.json``; the
    pages (``metrics.csv``, ``leaderboard.md``) are the caller's to render from the store
    (:func:`tumorbench.report.folder.write_run_folder`). Returns what the run did.

    ``executor``: a :class:`tumorbench.run.executors.ExecutorOptions` (None: every case in this
    process, one after another).
    """
    from tumorbench.run.executors import ExecutorOptions, open_executor

    custom_registry = registry is not None
    registry = registry or Registry()
    refs, conventions = _check_run(registry, options)
    sources, case_lists = _open_datasets(registry, options)
    for ref in refs:  # regions the datasets' label conventions have (as the opened data says), before any store is made
        for name, source in sources.items():
            model_regions(registry, options, ref, name, source)
    out = Path(options.out)
    refuse_foreign_folder(out, model_store=options.model_store)
    out.mkdir(parents=True, exist_ok=True)
    total = sum(len(ids) for ids in case_lists.values()) * len(refs)
    with open_executor(executor or ExecutorOptions(), custom_registry=custom_registry, progress=progress) as pool:
        store = open_store(out)
        run_id = store.start_run(provenance(registry, options, refs, case_lists, conventions, sources), planned=total)
        runner = Runner(options, registry, store, conventions)
        summary = runner.summary = RunSummary(
            out, run_id, planned=total, executor=pool.name, startup_seconds=pool.startup_seconds, dashboard=pool.dashboard
        )
        items = _out_of_fold_items(runner, refs, sources, case_lists, progress)
        drive_to_the_end(runner, items, pool, progress, total=total, verdicts=runner.verdicts)
    return summary


def _check_run(registry: Registry, options: RunOptions) -> tuple[list[ModelRef], list[MetricConvention]]:
    """Everything that can be refused before any case: units, models (each under its label),
    conventions, post-processors, model options and modalities."""
    if options.units not in UNITS:
        raise BenchError(f"--units must be one of {', '.join(UNITS)}, got {options.units!r}")
    refs = [parse_model_ref(m, registry) for m in options.models]
    refs = [replace(r, result_name=options.model_names[m]) if m in options.model_names else r for m, r in zip(options.models, refs, strict=True)]
    conventions = select_conventions(registry, options.metric_conventions, options.datasets)
    for convention in conventions:
        convention.check_units(options.units)
    resolve_postprocessors(registry, options.postprocess)  # unknown names and bad options fail before any case
    check_model_options(registry, refs, options.model_params)
    for ref in refs:
        for dataset in options.datasets:
            check_modalities(registry, ref, dataset)
    return refs, conventions


def _open_datasets(registry: Registry, options: RunOptions) -> tuple[dict[str, DatasetSource], dict[str, list[str]]]:
    """Each dataset opened, with the ids of the cases the run scores (``--case``, when given)."""
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
    return sources, case_lists


def _out_of_fold_items(
    runner: Runner, refs: Sequence[ModelRef], sources: Mapping[str, DatasetSource], case_lists: Mapping[str, list[str]],
    progress: Progress | None,
) -> Iterator[tuple[Job, str]]:
    """Every (job, case) to plan, dataset by dataset and model by model. A case that every stored
    fold of a member trained on is excluded here: never scored, and forgotten if an earlier run scored it."""
    summary, store = runner.summary, runner.results
    assert summary is not None
    for name, source in sources.items():
        for ref in refs:
            job = assemble_job(
                runner.registry, runner.options, runner.metric_conventions, ref=ref, plugin=name, source=source,
                file_hash=store.file_hash,
            )
            plan = job.predictors.plan
            assert plan is not None
            for case_id in case_lists[name]:
                verdict = plan.eligibility(case_id)  # out-of-fold: only the folds that held the case out
                if not verdict.scored:
                    store.forget(job.model, job.dataset, case_id)
                    runner.verdicts.setdefault((job.model, job.dataset), []).append(verdict)
                    summary.excluded += 1
                    summary.done += 1
                    if progress:
                        progress.advance(failed=False, skipped=True, description=f"{job.model} | {job.dataset}")
                    continue
                job.eligibility[case_id] = verdict
                yield job, case_id


def drive_to_the_end(
    runner: Runner, items: Iterator[tuple[Job, str]], executor: Any, progress: Progress | None, *, total: int,
    verdicts: Mapping[tuple[str, str], Sequence[CaseEligibility]] | None = None,
) -> None:
    """:func:`drive` every case under one progress bar; whatever stops it (Ctrl-C, a full disk, a
    bug) marks the run cut short, and the run is ended in its store either way: marked finished or
    cut short, the out-of-fold verdicts recorded (when the run made any), the store closed."""
    summary = runner.summary
    assert summary is not None
    if progress:
        progress.start(total)
    try:
        drive(runner, items, executor, progress)
    except BaseException:
        summary.interrupted = True
        raise
    finally:
        if progress:
            progress.stop()
        _end_run(runner, summary, verdicts)


def _end_run(runner: Runner, summary: RunSummary, verdicts: Mapping[tuple[str, str], Sequence[CaseEligibility]] | None) -> None:
    store = runner.results
    try:
        store.finish_run(summary.run_id, done=summary.done, interrupted=summary.interrupted)
        if verdicts is not None:
            record_eligibility(summary.run_dir, verdicts)
    except OSError as exc:
        full = disk_full(exc, summary.run_dir)
        if full is None:
            raise
        raise full from exc
    finally:
        store.close()
