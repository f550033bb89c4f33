"""What a Dask worker process keeps between the case tasks it runs.

A worker builds its own plugin registry once, opens each dataset once, and loads each model once,
keeping it for the cases that follow: the cache key is the model, the dataset, the fold, the
model's identity hash (plugin versions, options and checkpoint SHA-256), the device, the seed and
the model store, so a retrained checkpoint is never served from the cache. An out-of-fold job
(``bench run``) is cached as its :class:`tumorbench.prediction.folds.FoldPlan`, which loads each (member,
fold) once, on first use; each task names the folds that predict its case, as the driver planned
it. At most ``MAX_MODELS`` models stay loaded (least recently used goes first), so a worker that
moves on through a matrix does not hold every model's weights.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from distributed import WorkerPlugin

from tumorbench.errors import BenchError, DiskFullError, one_line
from tumorbench.run.case_task import execute
from tumorbench.run.tasks import DISK_FULL, CaseResult, CaseTask, JobEnv, JobPredictors, JobSpec

MAX_MODELS = 2

_registries: dict[str, Any] = {}
_sources: dict[tuple[str, ...], Any] = {}
_models: OrderedDict[tuple[Any, ...], JobPredictors] = OrderedDict()
_running: dict[str, tuple[float, str]] = {}  # task key -> (start, what), read by running_cases()
loads: list[tuple[Any, ...]] = []  # model keys this process loaded, in order (read by tests through client.run)


def _factory_name(factory: Callable[[], Any] | None) -> str:
    if factory is None:
        return "default"
    return f"{getattr(factory, '__module__', '?')}:{getattr(factory, '__qualname__', repr(factory))}"


def registry(factory: Callable[[], Any] | None) -> Any:
    """This process's registry: ``factory()`` or the installed plugins, built once."""
    name = _factory_name(factory)
    if name not in _registries:
        if factory is None:
            from tumorbench.loading.registry import Registry

            _registries[name] = Registry()
        else:
            _registries[name] = factory()
    return _registries[name]


def job_env(spec: JobSpec, factory: Callable[[], Any] | None) -> JobEnv:
    """The objects ``spec``'s cases run with here, from this worker's caches."""
    from tumorbench.prediction.postprocess import resolve_postprocessors
    from tumorbench.run.jobs import open_dataset

    reg = registry(factory)
    options = spec.options
    root = options.data_roots.get(spec.plugin)
    source_key = (_factory_name(factory), spec.plugin, str(root), json.dumps(dict(options.dataset_params), sort_keys=True))
    if source_key not in _sources:
        _sources[source_key] = open_dataset(reg, spec.plugin, options)
    model_key = (_factory_name(factory), *spec.model_key)
    if model_key not in _models:
        _models[model_key] = _predictors(spec, reg, model_key)
        while len(_models) > MAX_MODELS:
            _models.popitem(last=False)
    _models.move_to_end(model_key)
    return JobEnv(
        source=_sources[source_key],
        predictor=_models[model_key],
        metric_conventions=[reg.metric_convention(n) for n in spec.metric_conventions],
        postprocessors=resolve_postprocessors(reg, options.postprocess),
        label_override=reg.label_convention(options.label_convention) if options.label_convention else None,
        brain_mask=reg.datasets.get(spec.plugin).brain_mask,
    )


def _predictors(spec: JobSpec, reg: Any, key: tuple[Any, ...]) -> JobPredictors:
    """The job's predictors on this worker, each load noted in ``loads``: its out-of-fold plan
    (rebuilt from the spec: the stored folds and their splits), or the model as its plugin loads it."""
    from tumorbench.prediction.references import load_predictor

    options = spec.options
    if spec.out_of_fold:
        from tumorbench.prediction.folds import plan_predictions

        plan = plan_predictions(
            spec.ref, reg, spec.base, options.model_params, allow_training_cases=options.allow_training_cases,
            advice=spec.advice, on_load=lambda member, fold: loads.append((*key, member, fold)),
        )
        return JobPredictors(plan=plan)

    def load() -> Any:
        loads.append(key)
        return load_predictor(spec.ref, reg, spec.base, options.model_params)

    return JobPredictors(load=load)


MMAP_THRESHOLD = 32 << 20  # the most glibc allows on 64-bit, and its own dynamic ceiling
TRIM_THRESHOLD = 64 << 20
_malloc_tuned: list[bool] = []


def tune_malloc() -> bool:
    """Undo what Dask's nanny sets for its workers (``MALLOC_TRIM_THRESHOLD_=65536``): that fixes
    glibc's thresholds, so every array above 128 KiB is mapped afresh and its pages faulted in
    again; our cases allocate volumes of 9-36 MB by the dozen, and ran 2-3x slower on a worker
    than in the driver. Setting the thresholds to glibc's own dynamic ceilings restores reuse."""
    if _malloc_tuned:
        return _malloc_tuned[0]
    ok = False
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        ok = bool(libc.mallopt(-3, MMAP_THRESHOLD)) and bool(libc.mallopt(-1, TRIM_THRESHOLD))  # M_MMAP/M_TRIM_THRESHOLD
    except (OSError, AttributeError):  # not glibc: nothing to undo
        ok = False
    _malloc_tuned.append(ok)
    return ok


def run_case_task(task: CaseTask, key: str, factory: Callable[[], Any] | None = None) -> CaseResult:
    """The function a Dask task runs: one case, with this worker's cached registry, sources, models."""
    tune_malloc()
    started = time.perf_counter()
    _running[key] = (time.monotonic(), f"{task.job.model} | {task.job.dataset} | {task.case_id}")
    try:
        try:
            env = job_env(task.job, factory)
        except Exception as exc:  # noqa: BLE001 - an unknown plugin or an unreadable dataset fails its case
            return CaseResult(
                status="failed", reason=one_line(exc),
                traceback=None if isinstance(exc, BenchError) else traceback.format_exc(),
                seconds=time.perf_counter() - started,
            )
        return execute(task, env)
    finally:
        _running.pop(key, None)


def run_case_tasks(tasks: Sequence[CaseTask], key: str, factory: Callable[[], Any] | None = None) -> list[CaseResult]:
    """The function a Dask task runs: its cases one after another (several when they are short),
    each with its own result, as :func:`run_case_task` gives it. A full disk ends the task with a
    ``disk-full`` result (returned, not raised: Dask would log a traceback for it), on which the
    driver stops the run as it does for its own writes."""
    results = []
    for task in tasks:
        try:
            results.append(run_case_task(task, key, factory))
        except DiskFullError as exc:
            return [*results, *[CaseResult(status=DISK_FULL, reason=str(exc))] * (len(tasks) - len(results))]
    return results


def running_cases() -> list[tuple[str, str, float]]:
    """(task key, what, seconds running) of the case this worker runs now (``client.run`` calls it)."""
    now = time.monotonic()
    return [(key, what, now - start) for key, (start, what) in list(_running.items())]


def warm(factory: Callable[[], Any] | None = None) -> int:
    """Build this worker's registry now (plugin imports), so that the first case does not pay for it."""
    tune_malloc()
    registry(factory)
    return os.getpid()


def model_loads() -> list[tuple[Any, ...]]:
    return list(loads)


class PinGPUs(WorkerPlugin):
    """A worker plugin: worker ``i`` of a LocalCluster with ``k`` GPUs per worker sees GPUs
    ``i*k .. i*k+k-1`` of those visible to the driver (``CUDA_VISIBLE_DEVICES``), set before any
    model initialises CUDA."""

    name = "tumorbench-pin-gpus"

    def __init__(self, per_worker: int, visible: list[str]) -> None:
        self.per_worker = per_worker
        self.visible = visible

    def setup(self, worker: Any) -> None:
        try:
            index = int(worker.name)
        except (TypeError, ValueError):
            return
        chosen = self.visible[index * self.per_worker:(index + 1) * self.per_worker]
        if chosen:
            os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(chosen)
