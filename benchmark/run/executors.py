"""Where case tasks run: in this process one after another, or on a Dask cluster.

``ExecutorOptions()`` (``--workers 1``, the default) runs every case in the driver process, as
tumorbench always has: no cluster to start, a model loaded once, nothing to configure.
``--workers N`` starts a ``LocalCluster`` of N processes with one thread each;
``--scheduler ADDRESS`` uses a running cluster; ``--cluster slurm`` submits workers as SLURM
jobs (dask-jobqueue). Results always come back to the driver, the only writer of the store.

Faults: a worker that dies mid-case has its case retried on another worker by the scheduler
(``distributed.scheduler.allowed-failures``, default 3); past that, the case is failed with the
reason (``KilledWorker``). ``--case-timeout S`` fails a case running longer than S seconds, cancels
it and restarts its worker; it needs a worker process to stop, so with ``--workers 1`` it runs the
cases on a one-worker LocalCluster (as does ``--gpus-per-worker`` with ``--workers 1``: one
worker holding the GPUs). A worker that cannot write for lack of space stops the run with
:class:`tumorbench.errors.DiskFullError`, as the driver does.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tumorbench.errors import BenchError, DiskFullError, one_line
from tumorbench.run.case_task import execute
from tumorbench.run.tasks import DISK_FULL, CaseResult, CaseTask, JobEnv

CLUSTERS = ("local", "slurm")
POLL_S = 0.5  # how often the driver asks the workers what they are doing (activity, timeouts)
BATCH_SECONDS = 0.5  # short cases travel several to a task, about this long in all
MAX_BATCH = 16


@dataclass(frozen=True)
class _Batch:
    """The cases one Dask task runs, and when it was submitted."""

    cases: list[tuple[Any, CaseTask]]
    submitted: float


@dataclass(frozen=True, kw_only=True)
class ExecutorOptions:
    """How the cases of a run are executed.

    Args:
        workers: 1 runs every case in this process; N > 1 starts N worker processes (a
            LocalCluster, or N SLURM workers with ``cluster="slurm"``).
        scheduler: the address of a running Dask scheduler (``tcp://host:8786``) to use instead.
        cluster: ``local`` or ``slurm``.
        cluster_options: ``--cluster-opt`` values for a SLURM cluster (see tumorbench.run.slurm).
        gpus_per_worker: GPUs each worker holds (a worker resource ``GPU``); tasks of models on
            torch/keras whose device is not ``cpu`` then each need one.
        case_timeout: seconds after which a running case is failed and its worker restarted.
        registry_factory: a picklable function building the registry on each worker, for a run
            given its own registry (default: the installed plugins).
        dashboard_address: where a LocalCluster serves its dashboard (``:0``: any free port).
        cases_per_task: how many cases one Dask task carries; None (the default) chooses, as
            joblib's ``batch_size="auto"`` does: 1 until cases are timed, then enough short cases
            to fill about ``BATCH_SECONDS`` (a case of a second or more always travels alone).
    """

    workers: int = 1
    scheduler: str | None = None
    cluster: str = "local"
    cluster_options: Mapping[str, str] = field(default_factory=dict)
    gpus_per_worker: int = 0
    case_timeout: float | None = None
    registry_factory: Callable[[], Any] | None = None
    dashboard_address: str = ":0"
    cases_per_task: int | None = None

    @property
    def on_dask(self) -> bool:
        return (
            self.scheduler is not None or self.workers > 1 or self.cluster != "local" or self.case_timeout is not None
            or self.gpus_per_worker > 0
        )

    def check(self, *, custom_registry: bool) -> None:
        if self.workers < 1:
            raise BenchError(f"--workers must be at least 1, got {self.workers}")
        if self.cluster not in CLUSTERS:
            raise BenchError(f"--cluster must be one of {', '.join(CLUSTERS)}, got {self.cluster!r}")
        if self.scheduler is not None and (self.workers > 1 or self.cluster != "local"):
            raise BenchError("--scheduler uses a running cluster: give it without --workers and --cluster")
        if self.gpus_per_worker < 0:
            raise BenchError(f"--gpus-per-worker must be 0 or more, got {self.gpus_per_worker}")
        if self.case_timeout is not None and not self.case_timeout > 0:
            raise BenchError(f"--case-timeout must be a positive number of seconds, got {self.case_timeout}")
        if self.cases_per_task is not None and self.cases_per_task < 1:
            raise BenchError(f"cases per task must be at least 1, got {self.cases_per_task}")
        if self.cases_per_task not in (None, 1) and self.case_timeout is not None:
            raise BenchError("--case-timeout stops the task of the case that runs too long: it needs one case per task")
        if self.cluster_options and self.cluster != "slurm":
            raise BenchError("--cluster-opt applies to --cluster slurm only")
        if self.on_dask and custom_registry and self.registry_factory is None:
            raise BenchError(
                "a registry built in this process cannot reach Dask workers: pass ExecutorOptions(registry_factory=...) "
                "or install the plugins as packages"
            )


class SerialExecutor:
    """Every case in this process, in order (the default)."""

    name = "serial"
    startup_seconds = 0.0
    dashboard: str | None = None

    def run(
        self, items: Iterable[tuple[Any, CaseTask]], env: Callable[[Any], JobEnv],
        recorded: Callable[[Any, CaseTask, CaseResult], None],
    ) -> None:
        for job, task in items:
            recorded(job, task, execute(task, env(job)))


def _drain(completed: queue.SimpleQueue[Any], *, timeout: float) -> list[Any]:
    """What ``completed`` holds: waits up to ``timeout`` for the first item, then takes the rest."""
    try:
        batch = [completed.get(timeout=timeout)]
    except queue.Empty:
        return []
    with contextlib.suppress(queue.Empty):
        while True:
            batch.append(completed.get_nowait())
    return batch


def killed_reason(exc: BaseException) -> str:
    """One line for a task that did not return: a dead worker, or another scheduler error."""
    from distributed.scheduler import KilledWorker

    if isinstance(exc, KilledWorker):
        attempts = int(getattr(exc, "allowed_failures", 0)) + 1
        return f"KilledWorker: the worker running this case died ({attempts} attempt(s), allowed-failures {attempts - 1})"
    return one_line(exc)


class DaskExecutor:
    """Case tasks on a Dask cluster; results recorded in the driver as they complete."""

    def __init__(
        self, client: Any, options: ExecutorOptions, *, name: str, startup_seconds: float, progress: Any = None,
    ) -> None:
        self.client = client
        self.options = options
        self.name = name
        self.startup_seconds = startup_seconds
        self.progress = progress
        try:
            self.dashboard: str | None = client.dashboard_link
        except Exception:  # noqa: BLE001 - no dashboard (bokeh missing, or the scheduler serves none)
            self.dashboard = None
        self._gpu_tasks = options.gpus_per_worker > 0 or self._cluster_has_gpus()
        self._last_poll = 0.0
        self._case_seconds: float | None = None  # recent mean seconds a case takes on a worker

    def _cluster_has_gpus(self) -> bool:
        workers = self.client.scheduler_info().get("workers", {})
        return any((w.get("resources") or {}).get("GPU") for w in workers.values())

    def _window(self) -> int:
        """How many tasks are kept submitted: enough that no worker waits for the driver."""
        workers = self.client.scheduler_info().get("workers", {})
        threads = sum(int(w.get("nthreads", 1)) for w in workers.values())
        return max(8, 4 * threads)

    def _batch_size(self) -> int:
        """How many cases the next task carries: ``cases_per_task``, else 1 until cases have been timed, with
        ``--case-timeout`` (a task is what is stopped) and for GPU tasks; else enough recent-mean
        cases to fill about ``BATCH_SECONDS``, at most ``MAX_BATCH``."""
        if self.options.cases_per_task is not None:
            return self.options.cases_per_task
        if self.options.case_timeout is not None or self._gpu_tasks or self._case_seconds is None:
            return 1
        return max(1, min(MAX_BATCH, int(BATCH_SECONDS / max(self._case_seconds, 1e-3))))

    def _timed(self, result: CaseResult) -> None:
        """Fold a case's seconds into the recent mean (:meth:`_batch_size`)."""
        if result.seconds > 0:
            previous = self._case_seconds
            self._case_seconds = result.seconds if previous is None else 0.7 * previous + 0.3 * result.seconds

    def run(
        self, items: Iterable[tuple[Any, CaseTask]], env: Callable[[Any], JobEnv],
        recorded: Callable[[Any, CaseTask, CaseResult], None],
    ) -> None:
        """Keep a window of tasks submitted; record each case's result as its task completes.

        Short cases travel several to a task (:meth:`_batch_size`): Dask's own cost per task, in
        a LocalCluster's scheduler that runs in this process, is time the workers' cores lose.
        Completions arrive through a done-callback queue (constant work per task, where
        ``distributed.wait`` on the whole window does work per pending task at every call), and
        the finished tasks of a round are fetched with one ``gather``."""
        pending: dict[Any, _Batch] = {}
        completed: queue.SimpleQueue[Any] = queue.SimpleQueue()
        todo: Iterator[tuple[Any, CaseTask]] = iter(items)
        retry: list[tuple[Any, CaseTask]] = []  # the cases of a batch whose worker died, each to run alone
        more = True
        window = self._window()
        try:
            while True:
                while (retry or more) and len(pending) < window:
                    if retry:
                        self._submit([retry.pop(0)], pending, completed)
                        continue
                    batch = list(itertools.islice(todo, self._batch_size()))
                    if not batch:
                        more = False
                        break
                    self._submit(batch, pending, completed)
                if not pending:
                    break
                done = [f for f in dict.fromkeys(_drain(completed, timeout=POLL_S)) if f in pending]
                self._record_done(done, pending, recorded, retry)
                self._watch(pending, recorded)
        except BaseException:
            with contextlib.suppress(Exception):  # the cluster may be what failed
                self.client.cancel(list(pending))
            raise

    def _submit(self, cases: list[tuple[Any, CaseTask]], pending: dict[Any, _Batch], completed: queue.SimpleQueue[Any]) -> None:
        from tumorbench.run.worker import run_case_tasks

        tasks = [task for _, task in cases]
        key = f"case-{tasks[0].case_id}{f'-and-{len(tasks) - 1}' if len(tasks) > 1 else ''}-{uuid.uuid4().hex[:12]}"
        resources = {"GPU": 1} if tasks[0].job.gpu and self._gpu_tasks else None
        future = self.client.submit(
            run_case_tasks, tasks, key, self.options.registry_factory, key=key, pure=False, resources=resources,
        )
        pending[future] = _Batch(cases, time.perf_counter())
        future.add_done_callback(completed.put)

    def _record_done(
        self, done: list[Any], pending: dict[Any, _Batch], recorded: Callable[[Any, CaseTask, CaseResult], None],
        retry: list[tuple[Any, CaseTask]],
    ) -> None:
        """Record the cases of the ``done`` tasks: the finished tasks' results fetched together,
        the others (and any a joint fetch could not return) one by one. A task of several cases
        whose worker died gives its cases back to run one per task, so that only the case that
        kills its worker is failed for it."""
        finished = [f for f in done if f.status == "finished"]
        fetched: dict[Any, Any] = {}
        if len(finished) > 1:
            with contextlib.suppress(Exception):  # e.g. one result that cannot be unpickled: fetched alone below
                fetched = dict(zip(finished, self.client.gather(finished), strict=True))
        for future in done:
            batch = pending.pop(future)
            values = self._results(future, batch, fetched.get(future))
            future.release()
            if values is None:  # the worker died under several cases
                retry.extend(batch.cases)
                continue
            for (job, task), result in zip(batch.cases, values, strict=True):
                if result.status == DISK_FULL:  # a worker could not write: the run stops, as in one process
                    raise DiskFullError(result.reason or "no space left on the device")
                self._timed(result)
                recorded(job, task, result)

    def _results(self, future: Any, batch: _Batch, values: Any = None) -> list[CaseResult] | None:
        """One task's results (``values``: as a joint fetch returned them; else fetched here), or
        one failure per case (None: retry its cases one by one)."""
        n = len(batch.cases)
        if future.status != "finished":
            failure = self._failure(future, batch.submitted)
            if n > 1 and (failure.reason or "").startswith("KilledWorker"):
                return None
            return [failure] * n
        if values is None:
            try:
                values = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be unpickled
                return [CaseResult.failure(one_line(exc), time.perf_counter() - batch.submitted)] * n
        if isinstance(values, list) and len(values) == n and all(isinstance(v, CaseResult) for v in values):
            return values
        return [CaseResult.failure(f"the task returned {type(values).__name__}, not its cases' results")] * n

    @staticmethod
    def _failure(future: Any, submitted: float) -> CaseResult:
        """The failure of a task that did not finish: a dead worker, a cancelled task, an error."""
        try:
            exc = future.exception()
        except Exception as error:  # noqa: BLE001 - a cancelled future raises here
            exc = error
        return CaseResult.failure(killed_reason(exc) if exc is not None else f"task {future.status}", time.perf_counter() - submitted)

    def _watch(self, pending: dict[Any, _Batch], recorded: Callable[[Any, CaseTask, CaseResult], None]) -> None:
        """What each worker runs now (shown under the bar); a case past ``--case-timeout`` is
        cancelled, failed with that reason, and its worker restarted."""
        now = time.monotonic()
        if now - self._last_poll < POLL_S:
            return
        self._last_poll = now
        from tumorbench.run.worker import running_cases

        try:
            running = self.client.run(running_cases, on_error="ignore")
        except Exception:  # noqa: BLE001 - a worker going away while asked
            return
        names = {a: str(w.get("name", a)) for a, w in self.client.scheduler_info().get("workers", {}).items()}
        activity = self.progress is not None and hasattr(self.progress, "activity")
        lines: dict[str, str] = {}
        by_key = {f.key: f for f in pending}
        timeout = self.options.case_timeout
        for address, cases in sorted(running.items()):
            if not isinstance(cases, list):
                continue
            for key, what, seconds in cases:
                lines[f"worker {names.get(address, address)}"] = f"{what} ({seconds:.0f} s)"
                future = by_key.get(key)
                if timeout is not None and future is not None and seconds > timeout:
                    batch = pending.pop(future)  # one case: with --case-timeout a task carries one
                    self.client.cancel([future])
                    with contextlib.suppress(Exception):
                        self.client.restart_workers([address], raise_for_error=False)
                    reason = f"timed out after {timeout:g} s (--case-timeout); its worker was restarted"
                    for job, task in batch.cases:
                        recorded(job, task, CaseResult.failure(reason, seconds))
        if activity:
            self.progress.activity(lines)


CONNECT_TIMEOUT_ENV = "TUMORBENCH_CONNECT_TIMEOUT"


def connect(address: str) -> Any:
    """A client of the running Dask scheduler at ``address``, or one line: a listener that accepts
    and never answers is given up after ``$TUMORBENCH_CONNECT_TIMEOUT`` seconds (default 20), and
    whatever a peer that is no scheduler sends (garbage, a length of exabytes) is a refusal, never a
    traceback. The client is made in a thread of its own, so that no handshake can hold the run."""
    import threading

    import dask
    from distributed import Client

    seconds = float(os.environ.get(CONNECT_TIMEOUT_ENV) or 20)
    box: dict[str, Any] = {}

    def make() -> None:
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": f"{seconds}s", "distributed.comm.timeouts.tcp": f"{seconds}s"}):
                box["client"] = Client(address, timeout=f"{seconds}s")
        except BaseException as exc:  # noqa: BLE001 - anything the peer makes of the handshake
            box["error"] = exc

    thread = threading.Thread(target=make, name="tumorbench-connect", daemon=True)
    thread.start()
    thread.join(seconds + 10)
    if thread.is_alive():
        raise BenchError(f"--scheduler {address}: no answer within {seconds:g} s (is a Dask scheduler listening there?)")
    if "error" in box:
        raise BenchError(f"--scheduler {address}: cannot connect ({one_line(box['error'])}); is a Dask scheduler listening there?")
    return box["client"]


@contextlib.contextmanager
def open_executor(options: ExecutorOptions, *, custom_registry: bool = False, progress: Any = None) -> Iterator[Any]:
    """The executor ``options`` ask for, with its cluster started (and closed at the end)."""
    options.check(custom_registry=custom_registry)
    if not options.on_dask:
        yield SerialExecutor()
        return
    try:
        from distributed import Client
    except ImportError as exc:
        raise BenchError("--workers/--scheduler/--case-timeout need Dask: pip install 'tumorbench[dask]'") from exc
    started = time.perf_counter()
    cluster = None
    if options.scheduler is not None:
        client = connect(options.scheduler)
        name = f"dask scheduler {options.scheduler}"
    elif options.cluster == "slurm":
        from tumorbench.run.slurm import slurm_cluster

        cluster = slurm_cluster(workers=options.workers, gpus_per_worker=options.gpus_per_worker, options=options.cluster_options)
        cluster.scale(options.workers)
        client = Client(cluster)
        name = f"SLURM, {options.workers} worker(s)"
    else:
        cluster = local_cluster(options)
        client = Client(cluster)
        if options.gpus_per_worker:
            from tumorbench.run.worker import PinGPUs

            visible = os.environ.get("CUDA_VISIBLE_DEVICES")
            devices = visible.split(",") if visible else [str(i) for i in range(options.workers * options.gpus_per_worker)]
            client.register_plugin(PinGPUs(options.gpus_per_worker, devices))
        name = f"LocalCluster, {options.workers} worker(s)"
    if cluster is not None and options.cluster == "local":
        from tumorbench.run.worker import warm

        client.run(warm, options.registry_factory)  # plugin imports belong to start-up, not to the first cases
    executor = DaskExecutor(client, options, name=name, startup_seconds=time.perf_counter() - started, progress=progress)
    if progress is not None and hasattr(progress, "note"):
        progress.note(f"{name}; started in {executor.startup_seconds:.1f} s"
                      + (f"; Dask dashboard: {executor.dashboard}" if executor.dashboard else ""))
    try:
        yield executor
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# Dask's servers poll several times a second (event-loop ticks every 20 ms, the nanny's look at
# its worker's memory every 100 ms, system metrics every 500 ms). A LocalCluster's scheduler and
# nannies run in the driver process: on a 2-core machine that polling took 5 % of a core (measured
# 47-55 ms of CPU per second idle; about 9 ms/s with these values), time taken from the workers.
QUIETER = {  # key: (Dask's default, ours); a value the user configured is left as it is
    "distributed.admin.tick.interval": ("20ms", "500ms"),
    "distributed.worker.memory.monitor-interval": ("100ms", "500ms"),
    "distributed.admin.system-monitor.interval": ("500ms", "2s"),
}


def quieter_config() -> dict[str, str]:
    """The :data:`QUIETER` values for the keys still at Dask's default."""
    import dask

    return {key: ours for key, (default, ours) in QUIETER.items() if str(dask.config.get(key, default)) == default}


def local_cluster(options: ExecutorOptions) -> Any:
    """N worker processes on this machine, one thread each (our cases are single-threaded NumPy),
    with Dask's polling slowed (:data:`QUIETER`)."""
    import dask
    from distributed import LocalCluster

    resources = {"GPU": options.gpus_per_worker} if options.gpus_per_worker else None
    with dask.config.set(quieter_config()):  # read when the servers start; workers inherit it
        return LocalCluster(
            n_workers=options.workers, threads_per_worker=1, processes=True, dashboard_address=options.dashboard_address,
            resources=resources,
        )
