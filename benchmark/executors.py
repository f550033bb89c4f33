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
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .case_task import CaseResult, CaseTask, JobEnv, execute, one_line
from .errors import BenchError, DiskFullError

CLUSTERS = ("local", "slurm")
POLL_S = 0.5  # how often the driver asks the workers what they are doing (activity, timeouts)


@dataclass(frozen=True, kw_only=True)
class ExecutorOptions:
    """How the cases of a run are executed.

    Args:
        workers: 1 runs every case in this process; N > 1 starts N worker processes (a
            LocalCluster, or N SLURM workers with ``cluster="slurm"``).
        scheduler: the address of a running Dask scheduler (``tcp://host:8786``) to use instead.
        cluster: ``local`` or ``slurm``.
        cluster_options: ``--cluster-opt`` values for a SLURM cluster (see tumorbench.slurm).
        gpus_per_worker: GPUs each worker holds (a worker resource ``GPU``); tasks of models on
            torch/keras whose device is not ``cpu`` then each need one.
        case_timeout: seconds after which a running case is failed and its worker restarted.
        registry_factory: a picklable function building the registry on each worker, for a run
            given its own registry (default: the installed plugins).
        dashboard_address: where a LocalCluster serves its dashboard (``:0``: any free port).
    """

    workers: int = 1
    scheduler: str | None = None
    cluster: str = "local"
    cluster_options: Mapping[str, str] = field(default_factory=dict)
    gpus_per_worker: int = 0
    case_timeout: float | None = None
    registry_factory: Callable[[], Any] | None = None
    dashboard_address: str = ":0"

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

    def _cluster_has_gpus(self) -> bool:
        workers = self.client.scheduler_info().get("workers", {})
        return any((w.get("resources") or {}).get("GPU") for w in workers.values())

    def _window(self) -> int:
        workers = self.client.scheduler_info().get("workers", {})
        threads = sum(int(w.get("nthreads", 1)) for w in workers.values())
        return max(64, 4 * threads)

    def run(
        self, items: Iterable[tuple[Any, CaseTask]], env: Callable[[Any], JobEnv],
        recorded: Callable[[Any, CaseTask, CaseResult], None],
    ) -> None:
        from distributed import wait

        from .worker import run_case_task

        pending: dict[Any, tuple[Any, CaseTask, float]] = {}
        todo: Iterator[tuple[Any, CaseTask]] = iter(items)
        more = True
        window = self._window()
        factory = self.options.registry_factory
        try:
            while True:
                while more and len(pending) < window:
                    try:
                        job, task = next(todo)
                    except StopIteration:
                        more = False
                        break
                    key = f"case-{task.case_id}-{uuid.uuid4().hex[:12]}"
                    resources = {"GPU": 1} if task.job.gpu and self._gpu_tasks else None
                    future = self.client.submit(run_case_task, task, key, factory, key=key, pure=False, resources=resources)
                    pending[future] = (job, task, time.perf_counter())
                if not pending:
                    break
                with contextlib.suppress(TimeoutError):
                    wait(list(pending), timeout=POLL_S, return_when="FIRST_COMPLETED")
                for future in [f for f in pending if f.done()]:
                    job, task, submitted = pending.pop(future)
                    recorded(job, task, self._result(future, submitted))
                    future.release()
                self._watch(pending, recorded)
        except BaseException:
            with contextlib.suppress(Exception):  # the cluster may be what failed
                self.client.cancel(list(pending))
            raise

    def _result(self, future: Any, submitted: float) -> CaseResult:
        if future.status == "finished":
            try:
                return future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be unpickled
                return CaseResult.failure(one_line(exc), time.perf_counter() - submitted)
        try:
            exc = future.exception()
        except Exception as error:  # noqa: BLE001 - a cancelled future raises here
            exc = error
        if isinstance(exc, DiskFullError):
            raise exc  # a worker could not write for lack of space: the run stops, as in one process
        return CaseResult.failure(killed_reason(exc) if exc is not None else f"task {future.status}", time.perf_counter() - submitted)

    def _watch(self, pending: dict[Any, tuple[Any, CaseTask, float]], recorded: Callable[[Any, CaseTask, CaseResult], None]) -> None:
        """What each worker runs now (shown under the bar); a case past ``--case-timeout`` is
        cancelled, failed with that reason, and its worker restarted."""
        now = time.monotonic()
        if now - self._last_poll < POLL_S:
            return
        self._last_poll = now
        from .worker import running_cases

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
                    job, task, submitted = pending.pop(future)
                    self.client.cancel([future])
                    with contextlib.suppress(Exception):
                        self.client.restart_workers([address], raise_for_error=False)
                    reason = f"timed out after {timeout:g} s (--case-timeout); its worker was restarted"
                    recorded(job, task, CaseResult.failure(reason, seconds))
        if activity:
            self.progress.activity(lines)


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
        try:
            client = Client(options.scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise BenchError(f"--scheduler {options.scheduler}: cannot connect ({one_line(exc)})") from exc
        name = f"dask scheduler {options.scheduler}"
    elif options.cluster == "slurm":
        from .slurm import slurm_cluster

        cluster = slurm_cluster(workers=options.workers, gpus_per_worker=options.gpus_per_worker, options=options.cluster_options)
        cluster.scale(options.workers)
        client = Client(cluster)
        name = f"SLURM, {options.workers} worker(s)"
    else:
        cluster = local_cluster(options)
        client = Client(cluster)
        if options.gpus_per_worker:
            from .worker import PinGPUs

            visible = os.environ.get("CUDA_VISIBLE_DEVICES")
            devices = visible.split(",") if visible else [str(i) for i in range(options.workers * options.gpus_per_worker)]
            client.register_plugin(PinGPUs(options.gpus_per_worker, devices))
        name = f"LocalCluster, {options.workers} worker(s)"
    if cluster is not None and options.cluster == "local":
        from .worker import warm

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


def local_cluster(options: ExecutorOptions) -> Any:
    """N worker processes on this machine, one thread each (our cases are single-threaded NumPy)."""
    from distributed import LocalCluster

    resources = {"GPU": options.gpus_per_worker} if options.gpus_per_worker else None
    return LocalCluster(
        n_workers=options.workers, threads_per_worker=1, processes=True, dashboard_address=options.dashboard_address,
        resources=resources,
    )
