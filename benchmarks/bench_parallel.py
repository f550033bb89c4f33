"""Time ``bench evaluate`` and a model run on one process against 2 Dask workers.

The 12 real BraTS 2018 cases are laid out again under distinct ids (symlinks, in a BraTS 2018
folder layout in a temporary folder) to make 1,000 cases. A prediction folder of the 12
ground-truth maps shifted by (3, -2, 1) voxels, also symlinked under the 1,000 ids, is scored by
``bench evaluate`` (the runner with a ``folder:`` model, brats-legacy and qu-brats as a plain
``bench evaluate`` does); ``intensity-baseline`` is run on the first 100. Each with the default
serial executor (every case in this process, ``--workers 1``) and with ``--workers 2`` (a
LocalCluster of 2 processes, 1 thread each), in this order; between them, the machine's ceiling:
two plain processes at once, each running half the ids serially (no Dask, no scheduler, no
messages), which is the most any executor can get here, since two cases at once each run slower
than one alone (they share the caches and the memory bus). Printed: the cluster's start-up
(start, workers' plugin imports) apart, the wall time of each run start-up included, the speed-up
over serial and the efficiency (speed-up / workers), start-up included and excluded; the tasks'
CPU and wall seconds summed (wall above CPU is time spent waiting for a core or for files); and whether
the sorted ``metrics.csv`` is identical across executors (it must be). Goal on the 2-core
machine: at least 1.8x with 2 workers for both, start-up included. Times are wall seconds: on a
shared machine they depend on what else runs.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from bench_data import brats2018_root  # noqa: E402

MODALITIES = ("flair", "t1", "t1ce", "t2", "seg")
KEYS = ["model", "dataset", "case", "metric_convention", "units", "region", "metric"]


def lay_out(root: Path, target: Path, n: int) -> tuple[list[str], dict[str, Path]]:
    """``n`` case folders under ``target`` (BraTS 2018 layout) symlinking the real cases in turn."""
    folders = sorted(p for grade in ("HGG", "LGG") for p in (root / grade).glob("*") if p.is_dir())
    ids, source = [], {}
    for k in range(n):
        folder = folders[k % len(folders)]
        case_id = f"Brats18_Copy{k:04d}_1"
        case_dir = target / folder.parent.name / case_id
        case_dir.mkdir(parents=True)
        for m in MODALITIES:
            (case_dir / f"{case_id}_{m}.nii.gz").symlink_to(folder / f"{folder.name}_{m}.nii.gz")
        ids.append(case_id)
        source[case_id] = folder
    return ids, source


def shifted_predictions(source: dict[str, Path], target: Path) -> None:
    """One shifted ground truth per real case, symlinked under every id made from it."""
    import nibabel as nib

    made: dict[Path, Path] = {}
    (target / "maps").mkdir(parents=True)
    for case_id, folder in source.items():
        if folder not in made:
            seg = nib.load(folder / f"{folder.name}_seg.nii.gz")
            labels = np.roll(np.asarray(seg.dataobj), (3, -2, 1), axis=(0, 1, 2)).astype(np.uint8)
            made[folder] = target / "maps" / f"{folder.name}.nii.gz"
            nib.save(nib.Nifti1Image(labels, seg.affine), str(made[folder]))
        (target / f"{case_id}.nii.gz").symlink_to(made[folder])


def two_processes(options_of, ids: list[str], out: Path, parts: int) -> float:
    """Wall seconds of ``parts`` forked processes, each running its share of ``ids`` serially, at once."""
    import multiprocessing
    from dataclasses import replace

    from tumorbench.run.runner import run

    def part(k: int) -> None:
        run(replace(options_of(out / f"part{k}"), cases=tuple(ids[k::parts])))

    context = multiprocessing.get_context("fork")  # the imports are done: each starts at once
    started = time.perf_counter()
    processes = [context.Process(target=part, args=(k,)) for k in range(parts)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    if any(process.exitcode for process in processes):
        raise SystemExit(f"a part of the two-process ceiling failed: exit codes {[p.exitcode for p in processes]}")
    return time.perf_counter() - started


def timed(options, executor) -> tuple[float, float, object]:
    from tumorbench.run.runner import run

    started = time.perf_counter()
    summary = run(options, executor=executor)
    return time.perf_counter() - started, summary.startup_seconds, summary


def sorted_metrics(out: Path):
    import pandas as pd

    return pd.read_csv(out / "metrics.csv").sort_values(KEYS).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="case ids for bench evaluate")
    parser.add_argument("--model-cases", type=int, default=100, help="case ids for the intensity-baseline run")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    from tabulate import tabulate

    from tumorbench.run.executors import ExecutorOptions
    from tumorbench.run.options import RunOptions

    root = brats2018_root()
    if not (root / "HGG").is_dir():
        print(f"no BraTS cases under {root}; set BENCH_TEST_DATA", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-parallel-"))
    rows, identical = [], {}
    try:
        data = work / "data"
        ids, source = lay_out(root, data, args.cases)
        shifted_predictions(source, work / "preds")
        print(f"{len(ids)} case ids over {len(set(source.values()))} real cases under {data}", file=sys.stderr)
        plans = {
            "bench evaluate": (ids, lambda out: RunOptions(
                models=("folder:shifted",), datasets=("brats18",), out=out, data_roots={"brats18": data},
                model_params={"path": str(work / "preds"), "name": "shifted"}, write_predictions=False,
            )),
            "intensity-baseline": (ids[: args.model_cases], lambda out: RunOptions(
                models=("intensity-baseline",), datasets=("brats18",), out=out, data_roots={"brats18": data},
                cases=tuple(ids[: args.model_cases]),
            )),
        }
        for what, (chosen, make) in plans.items():
            n = len(chosen)
            serial_out, parallel_out = work / "runs" / f"{what}-serial", work / "runs" / f"{what}-dask"
            wall1, _, s1 = timed(make(serial_out), ExecutorOptions())
            ceiling = two_processes(make, chosen, work / "runs" / f"{what}-ceiling", args.workers)
            wall2, startup, s2 = timed(make(parallel_out), ExecutorOptions(workers=args.workers))
            assert s1.ok == s2.ok == n and not s1.failed and not s2.failed, (s1.failures[:3], s2.failures[:3])
            identical[what] = sorted_metrics(serial_out).equals(sorted_metrics(parallel_out))
            speed, speed_run = wall1 / wall2, wall1 / (wall2 - startup)
            rows.append([
                what, n, "serial (1)", "-", f"{wall1:.1f}", f"{n / wall1:.2f}", f"{s1.task_cpu_seconds:.1f} / {s1.task_seconds:.1f}",
                "1.00x", "",
            ])
            rows.append([
                what, n, f"{args.workers} plain processes, no Dask (ceiling)", "-", f"{ceiling:.1f}", f"{n / ceiling:.2f}", "",
                f"{wall1 / ceiling:.2f}x", f"{wall1 / ceiling / args.workers:.0%}",
            ])
            rows.append([
                what, n, f"LocalCluster ({args.workers}): {ceiling / wall2:.0%} of the ceiling", f"{startup:.1f}", f"{wall2:.1f}", f"{n / wall2:.2f}",
                f"{s2.task_cpu_seconds:.1f} / {s2.task_seconds:.1f}",
                f"{speed:.2f}x ({speed_run:.2f}x without start-up)",
                f"{speed / args.workers:.0%} ({speed_run / args.workers:.0%})",
            ])
            print(f"  {what}: done", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(tabulate(
        rows, headers=["run", "cases", "executor (workers)", "start-up s", "wall s (start-up incl.)", "cases/s",
                       "tasks: CPU s / wall s", "speed-up", "efficiency"], tablefmt="github",
    ))
    for what, same in identical.items():
        print(f"{what}: sorted metrics.csv identical across executors: {'yes' if same else 'NO'}")
    print(f"machine: {os.cpu_count()} CPU(s), shared with other work while this ran; goal >= 1.8x with 2 workers")
    return 0 if all(identical.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
