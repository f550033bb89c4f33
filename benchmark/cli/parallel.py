"""The options that choose where cases run (``--workers``, ``--scheduler``, ...), shared by
``bench run``, ``bench evaluate`` and ``bench score``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tumorbench.config import parse_pairs

WorkersOpt = Annotated[
    int, typer.Option(help="Worker processes (a Dask LocalCluster, 1 thread each); 1 runs every case in this process.")
]
SchedulerOpt = Annotated[str | None, typer.Option(help="Address of a running Dask scheduler to run the cases on.")]
ClusterOpt = Annotated[str, typer.Option(help="local, or slurm (workers as SLURM jobs through dask-jobqueue).")]
ClusterOptOpt = Annotated[
    list[str], typer.Option("--cluster-opt", help="SLURM setting key=value (queue, account, walltime, memory, ...).")
]
GpusOpt = Annotated[int, typer.Option(help="GPUs per worker; each task of a torch/keras model then takes one.")]
TimeoutOpt = Annotated[
    float | None, typer.Option(help="Fail a case running longer than this many seconds (runs the cases on Dask).")
]


def executor_options(
    workers: int, scheduler: str | None, cluster: str, cluster_opt: list[str], gpus_per_worker: int, case_timeout: float | None,
) -> Any:
    from tumorbench.run.executors import ExecutorOptions

    return ExecutorOptions(
        workers=workers, scheduler=scheduler, cluster=cluster, cluster_options=parse_pairs(cluster_opt, "--cluster-opt"),
        gpus_per_worker=gpus_per_worker, case_timeout=case_timeout,
    )
