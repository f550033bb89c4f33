"""A SLURM cluster for ``bench run --cluster slurm`` (dask-jobqueue).

Each SLURM job runs one Dask worker process with one thread (``cores=1``, ``processes=1``: our
cases are single-threaded NumPy or one model on one device), as on a LocalCluster; ``--gpus-per-worker K`` asks SLURM for ``--gres=gpu:K`` per job and starts the
worker with the resource ``GPU=K``, so that the tasks of GPU models (which each need ``GPU=1``)
only run where a GPU is. ``--cluster-opt key=value`` sets the rest. The driver (the process that
runs ``bench``) hosts the scheduler; workers must see the same paths (data, model store, run
directory) through a shared file system.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from tumorbench.errors import BenchError

# --cluster-opt keys -> SLURMCluster arguments (strings as given; 'prologue' lines split on ';')
KEYS = {
    "queue": "queue",
    "account": "account",
    "walltime": "walltime",
    "memory": "memory",
    "cores": "cores",
    "interface": "interface",
    "local-directory": "local_directory",
    "log-directory": "log_directory",
    "job-extra": "job_extra_directives",
    "prologue": "job_script_prologue",
    "python": "python",
}
DEFAULT_MEMORY = "16GB"
DEFAULT_WALLTIME = "04:00:00"


def slurm_arguments(*, gpus_per_worker: int = 0, options: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The SLURMCluster keyword arguments for tumorbench's workers; unknown keys are refused."""
    options = dict(options or {})
    unknown = sorted(set(options) - set(KEYS))
    if unknown:
        raise BenchError(f"--cluster-opt {', '.join(unknown)}: unknown for slurm (known: {', '.join(KEYS)})")
    kwargs: dict[str, Any] = {
        "cores": 1,
        "processes": 1,
        "memory": DEFAULT_MEMORY,
        "walltime": DEFAULT_WALLTIME,
        "python": sys.executable,
        "job_extra_directives": [],
        "worker_extra_args": [],
        "job_script_prologue": [],
    }
    for key, value in options.items():
        name = KEYS[key]
        if name in ("job_extra_directives", "job_script_prologue"):
            kwargs[name] = [v.strip() for v in value.split(";") if v.strip()]
        elif name == "cores":
            kwargs[name] = int(value)
        else:
            kwargs[name] = value
    if gpus_per_worker:
        kwargs["job_extra_directives"] = [*kwargs["job_extra_directives"], f"--gres=gpu:{gpus_per_worker}"]
        kwargs["worker_extra_args"] = [*kwargs["worker_extra_args"], "--resources", f"GPU={gpus_per_worker}"]
    return kwargs


def slurm_cluster(*, workers: int, gpus_per_worker: int = 0, options: Mapping[str, str] | None = None) -> Any:
    """A ``dask_jobqueue.SLURMCluster`` (no job is submitted until it is scaled)."""
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError as exc:
        raise BenchError("--cluster slurm needs dask-jobqueue: pip install 'tumorbench[dask]'") from exc
    return SLURMCluster(scheduler_options={"dashboard_address": ":0"}, **slurm_arguments(gpus_per_worker=gpus_per_worker, options=options))
