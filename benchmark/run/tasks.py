"""The plain values a run's tasks are made of: what every case of a job shares (:class:`JobSpec`),
one case to do (:class:`CaseTask`), what doing it returned (:class:`CaseResult`), and the loaded
objects a job's cases run with in the process that runs them (:class:`JobEnv`). Tasks and results
are picklable: they travel to Dask workers and back."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.metric_conventions import MetricConvention
from tumorbench.contract.specs import BrainMaskRule
from tumorbench.contract.values import DatasetSource, ModelContext, Predictor
from tumorbench.errors import BenchError
from tumorbench.io.hashing import FileHash
from tumorbench.prediction.folds import CaseEligibility, FoldPlan, TrainAdvice
from tumorbench.prediction.loaders import Lazy
from tumorbench.prediction.postprocess import PostStep
from tumorbench.prediction.references import ModelRef
from tumorbench.results.results_store import PredictionRecord, ScoreRecord
from tumorbench.run.options import RunOptions

DISK_FULL = "disk-full"  # a worker's result for a case it could not write for lack of space (tumorbench.run.worker)


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """What every case of one (model, dataset) pair shares, as plain values a worker can rebuild from.

    ``model`` and ``dataset`` are the names results carry, ``plugin`` the dataset plugin opened (they differ for
    a subset carried under its own name). ``regions``: the regions the model speaks for on this
    dataset's label convention, in its order (a failed case is scored worst-case in these). ``out_of_fold``: the cases are predicted by the folds
    that held them out (tumorbench.prediction.folds; ``advice`` for the message of a missing checkpoint);
    else by the model as its plugin loads it (``bench score``). ``unprocessed`` and
    ``unprocessed_identity_sha256``: with post-processors, the name and identity of the same model
    without them, whose stored prediction may be post-processed instead of predicting again.
    """

    model: str
    dataset: str
    plugin: str
    ref: ModelRef
    options: RunOptions
    base: ModelContext
    metric_conventions: tuple[str, ...]
    regions: tuple[str, ...]
    pred_dir: Path
    identity: Mapping[str, Any]
    identity_sha256: str
    default_convention: str
    gpu: bool = False
    out_of_fold: bool = False
    advice: TrainAdvice | None = None
    unprocessed: str | None = None
    unprocessed_identity_sha256: str | None = None

    @property
    def model_key(self) -> tuple[Any, ...]:
        """What a loaded model is cached under on a worker: model, dataset (scored, and trained
        on), fold, identity (plugin versions, options and checkpoint hashes), device, seed, store,
        and whether it is an out-of-fold plan."""
        base = self.base
        return (
            self.ref.result_name, self.dataset, base.dataset, base.fold, self.identity_sha256, base.device, base.seed,
            str(base.store), self.out_of_fold,
        )


@dataclass(frozen=True, kw_only=True)
class JobEnv:
    """The loaded objects a job's tasks use, in the process that runs them."""

    source: DatasetSource
    predictor: Callable[[CaseTask], Predictor]
    metric_conventions: Sequence[MetricConvention]
    postprocessors: Sequence[PostStep]
    label_override: LabelConvention | None
    brain_mask: BrainMaskRule | None


class JobPredictors:
    """The predictor of each case of one job, loaded on first use: the case's folds (out of fold,
    from ``plan`` and the task's eligibility), or the model as its plugin loads it (``load``)."""

    def __init__(self, plan: FoldPlan | None = None, load: Callable[[], Predictor] | None = None) -> None:
        self.plan = plan
        self._lazy = Lazy(load) if load is not None else None

    def __call__(self, task: CaseTask) -> Predictor:
        if task.eligibility is not None and self.plan is not None:
            return self.plan.predictor_for(task.eligibility)
        if self._lazy is None:
            raise BenchError(f"model {task.job.model}: no predictor for case {task.case_id} (not planned out of fold)")
        return self._lazy.get()


@dataclass(frozen=True, kw_only=True)
class CaseTask:
    """One case to do. ``action``: ``predict`` (``only``: the stored prediction was sound and is
    read again to score just those conventions), ``rescore`` the stored ``previous`` files under
    the conventions in ``todo`` (convention -> why), or ``postprocess`` the ``stored`` prediction of
    the same model without post-processors (no model is loaded). ``eligibility``: the folds that
    predict the case, as the driver planned it (out-of-fold jobs)."""

    job: JobSpec
    case_id: str
    action: str
    run_id: int
    previous: PredictionRecord | None = None
    only: frozenset[str] | None = None
    todo: Mapping[str, str] = field(default_factory=dict)
    reference_sha256: str | None = None
    eligibility: CaseEligibility | None = None
    stored: PredictionRecord | None = None


@dataclass(frozen=True, kw_only=True)
class CaseResult:
    """What a task returns. ``ok``/``predicted``: the records to write (``replace``: the prediction
    record replaces the stored one and its scores). ``failed``: the reason, and what was learnt of
    the case before it failed (its grid, whether it has ground truth, its label convention)."""

    status: str
    record: PredictionRecord | None = None
    scores: tuple[ScoreRecord, ...] = ()
    replace: bool = True
    rescored: bool = False
    reason: str | None = None
    traceback: str | None = None
    shape: tuple[int, ...] | None = None
    has_label: bool | None = None
    label_convention: str | None = None
    hashes: tuple[FileHash, ...] = ()
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the thread that ran the task (wall minus waiting)

    @classmethod
    def failure(cls, reason: str, seconds: float = 0.0) -> CaseResult:
        """A case that failed outside the task (a dead worker, a timeout)."""
        return cls(status="failed", reason=reason, seconds=seconds)
