"""One (model, dataset, case) as a task: plain picklable values in, plain values out.

The driver plans a case (store reads, staleness) into a :class:`CaseTask`; :func:`execute` does
the work (load the case, predict, finalize, post-process, check labels, write, hash, score, or
score stored prediction files again) and returns a :class:`CaseResult`; the driver records it,
being the only writer of ``results.sqlite``. ``execute`` touches no store: it runs in the
driver process (the serial executor) or on a Dask worker, given a :class:`JobEnv` that holds the
loaded objects (dataset source, predictor, conventions) for its job.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tumorbench.contract.phases import PhaseError, in_phase, on_grid
from tumorbench.contract.values import Case, Prediction
from tumorbench.errors import BenchError, disk_full, one_line
from tumorbench.io.hashing import FileHasher, bytes_hash
from tumorbench.prediction.finalize import finalize
from tumorbench.results.prediction_files import read_prediction, write_prediction
from tumorbench.results.results_store import PredictionRecord, ScoreRecord
from tumorbench.run.tasks import CaseResult, CaseTask, JobEnv
from tumorbench.scoring.evaluation import ConventionScore, score_case

if TYPE_CHECKING:
    pass


# ---------------------------------------------------------------------------------- files


def array_hash(prediction: Prediction) -> str:
    """A prediction kept only in memory (``--no-predictions``): the hash of its arrays."""
    digest = hashlib.sha256(bytes_hash(prediction.labels).encode())  # type: ignore[arg-type]
    for region, unc in sorted((prediction.uncertainty or {}).items()):
        digest.update(region.encode() + bytes_hash(unc).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------- the task
def score_records(
    scores: Sequence[ConventionScore], units: str, run_id: int, prediction_sha: str | None, reference_sha: str | None,
    seconds: float | None, status: str = "ok",
) -> tuple[ScoreRecord, ...]:
    return tuple(
        ScoreRecord(
            convention=s.convention, units=units, status=status, rows=s.rows, prediction_sha256=prediction_sha,
            reference_sha256=reference_sha, seconds=seconds, run_id=run_id,
        )
        for s in scores
    )


def load_case(env: JobEnv, case_id: str) -> Case:
    case = env.source.load(case_id)
    if env.label_override is not None:
        if case.label is not None:
            env.label_override.validate(case.label.data, str(case.label.path))
        case = replace(case, convention=env.label_override)
    return case


def execute(task: CaseTask, env: JobEnv) -> CaseResult:
    """Do one case; any exception becomes a failed result with its one-line reason, except a
    write that failed for lack of space: :class:`tumorbench.errors.DiskFullError` stops the run."""
    cpu = time.thread_time()
    result = _execute(task, env)
    return replace(result, cpu_seconds=time.thread_time() - cpu)


def _execute(task: CaseTask, env: JobEnv) -> CaseResult:
    started = time.perf_counter()
    hasher = FileHasher()
    case: Case | None = None
    try:
        case = load_case(env, task.case_id)
        if task.action == "rescore":
            return _rescore(task, env, case, hasher, started)
        return _predict(task, env, case, hasher, started)
    except (Exception, SystemExit) as exc:  # a bad case (or a plugin calling sys.exit) must not stop the run; a full disk does
        if (full := disk_full(exc, task.job.pred_dir if task.action in ("predict", "postprocess") else None)) is not None:
            raise full from exc
        unexpected = not isinstance(exc, BenchError) or (isinstance(exc, PhaseError) and exc.unexpected)
        return CaseResult(
            status="failed", reason=one_line(exc),
            traceback=traceback.format_exc() if unexpected else None,
            shape=tuple(case.shape) if case is not None else None,
            has_label=case.label is not None if case is not None else None,
            label_convention=case.convention.name if case is not None else None,
            hashes=tuple(hasher.computed), seconds=time.perf_counter() - started,
        )


def _rescore(task: CaseTask, env: JobEnv, case: Case, hasher: FileHasher, started: float) -> CaseResult:
    """Score a stored prediction under the conventions in ``task.todo`` (no model is loaded)."""
    record = task.previous
    assert record is not None
    options = task.job.options
    conventions = [c for c in env.metric_conventions if c.name in task.todo]
    prediction = read_prediction(Path(options.out), record, case.convention)
    scores = score_case(case, prediction, conventions, units=options.units, brain_mask=env.brain_mask)
    seconds = time.perf_counter() - started
    return CaseResult(
        status="ok", rescored=True, replace=False,
        record=replace(record, reference_sha256=task.reference_sha256 or record.reference_sha256),
        scores=score_records(scores, options.units, task.run_id, record.prediction_sha256, task.reference_sha256, seconds),
        shape=tuple(case.shape), has_label=True, label_convention=case.convention.name,
        hashes=tuple(hasher.computed), seconds=seconds,
    )


def _predict(task: CaseTask, env: JobEnv, case: Case, hasher: FileHasher, started: float) -> CaseResult:
    """Predict (or read) a case, write it, score it. With ``task.only``, the stored prediction was
    sound and is read again just to score those conventions: when it is unchanged, its record and
    its other scores are kept."""
    job, previous, options = task.job, task.previous, task.job.options
    out = Path(options.out)
    if task.action == "postprocess" and task.stored is not None:  # the model's stored labels and uncertainty
        prediction = on_grid(read_prediction(out, task.stored, case.convention), case)
    else:
        predictor = in_phase("load", env.predictor, task)
        prediction = finalize(in_phase("predict", lambda: on_grid(predictor.predict(case), case)), case.convention)
    for post in env.postprocessors:  # each post-processor's result is checked as a model's is
        prediction = in_phase(
            f"postprocess {post.text}", lambda post=post, prediction=prediction: on_grid(post.apply(prediction, case), case),
        )
    if env.postprocessors:  # post-processed labels are this run's own files, not those a model read
        prediction = replace(prediction, sources=())
    unknown = case.convention.unknown_values(prediction.labels)  # type: ignore[arg-type]
    if unknown:
        raise BenchError(
            f"model {job.model}: predicted label value(s) {unknown} not in convention {case.convention.name} "
            f"of case {task.case_id}"
        )
    if prediction.sources:
        files = [str(Path(p).resolve()) for p in prediction.sources]
    elif options.write_predictions:
        written = write_prediction(job.pred_dir, case, prediction)
        files = [str(Path(p).resolve().relative_to(out.resolve())) for p in written]
    else:
        files = []
    prediction_sha = hasher.files(files, out) if files else array_hash(prediction)
    reference_sha = None
    if case.label is not None:
        reference_sha = hasher.file(case.label.path) if case.label.path else bytes_hash(case.label.data)
    record = PredictionRecord(
        model=job.model, dataset=job.dataset, case_id=task.case_id, status="ok",
        label_convention=case.convention.name, regions=tuple(prediction.regions), files=tuple(files),
        shape=tuple(case.shape), prediction_sha256=prediction_sha, reference_sha256=reference_sha,
        has_reference=case.label is not None, identity=job.identity, identity_sha256=job.identity_sha256,
        seconds=time.perf_counter() - started, run_id=task.run_id,
    )
    keep = (
        task.only is not None and previous is not None and previous.prediction_sha256 == prediction_sha
        and previous.identity_sha256 == job.identity_sha256
    )
    conventions = [c for c in env.metric_conventions if c.name in task.only] if keep and task.only is not None else list(env.metric_conventions)
    scores: list[ConventionScore] = []
    if case.label is not None:
        scores = score_case(case, prediction, conventions, units=options.units, brain_mask=env.brain_mask)
    if keep:
        record = replace(previous, reference_sha256=reference_sha)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return CaseResult(
        status="ok" if case.label is not None else "predicted", record=record, replace=not keep,
        scores=score_records(scores, options.units, task.run_id, prediction_sha, reference_sha, seconds),
        shape=tuple(case.shape), has_label=case.label is not None, label_convention=case.convention.name,
        hashes=tuple(hasher.computed), seconds=seconds,
    )
