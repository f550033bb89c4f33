"""Step time of every trainable model family on this machine (short runs), and intensity-fitted's fit.

    python benchmarks/bench_training.py                 # every family, small CPU recipes and paper sizes
    python benchmarks/bench_training.py --steps 8 --only tunet-seb fcn

Each configuration trains a few steps through its plugin's ``train`` in a child process of its own
(so PyTorch and TensorFlow do not share one, and each peak memory is its own) and reports the
median wall and CPU seconds of a step after the first (which traces graphs and warms caches), the
memory estimate the trainer checks before it starts, and the child's peak resident memory. The
machine is shared: a fixed NumPy matrix product is timed before and after, and the load average is
printed, so numbers from two runs can be compared. Paper-size configurations need the real BraTS
2018 cases (``$BENCH_TEST_DATA`` or ``../shared/data``); they are skipped without them.

intensity-fitted: the fit's one read per case (``grid_dice``) against the brute-force reference
(predict and finalize the case for each of the 49 grid points) on the same real case.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_data import brats2018_root

SMALL = "synthetic 64x64x48"
REAL = "BraTS 2018 (real)"
TUNET_SMALL = {"width": "4", "depth": "2", "grid": "none", "patch": "56,56,40", "batch": "1", "prior": "0.01"}
CONFIGS: list[tuple[str, str, dict[str, str], str]] = [
    # (label, model, options, data)
    ("bcn CPU recipe", "bcn", {"width": "0.5", "patch": "33", "batch": "8"}, SMALL),
    ("fcn CPU recipe", "fcn", {"batch": "16"}, SMALL),
    ("fifcn-ce CPU recipe", "fifcn-ce", {"width": "0.5", "batch": "2"}, SMALL),
    ("tunet-seb demo", "tunet-seb", TUNET_SMALL, SMALL),
    ("tunet-reb1-seb demo", "tunet-reb1-seb", TUNET_SMALL, SMALL),
    ("tunet-reb2-seb demo", "tunet-reb2-seb", TUNET_SMALL, SMALL),
    ("bcn paper", "bcn", {}, REAL),
    ("fcn paper", "fcn", {}, REAL),
    ("fifcn-ce paper", "fifcn-ce", {}, REAL),
    ("tunet-seb paper net, batch 1", "tunet-seb", {"batch": "1"}, REAL),
    ("tunet-seb paper net, half patch, batch 1", "tunet-seb", {"batch": "1", "patch": "40,48,32"}, REAL),
]


def matmul_gflops(n: int = 768, repeats: int = 5) -> float:
    """A fixed reference: GFLOP/s of a float32 matrix product, best of ``repeats``."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype(np.float32)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def _source(data: str, scratch: Path, cases: int = 3):
    from tumorbench.contract.values import DatasetOptions
    from tumorbench.loading.registry import Registry

    registry = Registry()
    if data == REAL:
        return registry.datasets.get("brats18").open(DatasetOptions(root=brats2018_root()))
    return registry.datasets.get("synthetic").open(
        DatasetOptions(root=scratch / "synthetic", params={"cases": str(cases), "size": "64,64,48", "seed": "1"}))


def _estimate(model: str, params: dict[str, str]) -> float | None:
    """The trainer's own memory estimate, in bytes."""
    if model.startswith("tunet"):
        from tumorbench_plugins.models.tunet import memory
        from tumorbench_plugins.models.tunet.backend import keras_module
        from tumorbench_plugins.models.tunet.options import parse_options
        from tumorbench_plugins.models.tunet.train import CACHE_BYTES

        return memory.estimate(parse_options(model, params), 2, keras_module("cpu"), CACHE_BYTES).total
    from tumorbench_plugins.models.shen.network import build
    from tumorbench_plugins.models.shen.options import from_params
    from tumorbench_plugins.models.shen.train import memory_estimate

    cfg = from_params(model, params)
    found = memory_estimate(cfg, build(cfg))
    return found.total if found else None


def child(index: int, steps: int) -> dict:
    """Train configuration ``index`` for ``steps`` steps; time every step."""
    from tumorbench.contract.values import TrainRequest
    from tumorbench.loading.registry import Registry
    from tumorbench.models.training import available_cores

    label, model, params, data = CONFIGS[index]
    params = {**params, "steps": str(steps)}
    if not model.startswith("tunet"):
        params["val_cases"] = "0"
    marks: list[tuple[float, float]] = []

    def progress(values) -> None:  # noqa: ANN001
        if "step" in values:
            marks.append((time.perf_counter(), time.process_time()))

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        source = _source(data, scratch, cases=steps + 1)  # a small TuNet takes one patch per phantom
        ids = source.case_ids()[: 2 if data == REAL else steps + 1]
        estimate = _estimate(model, params)
        started = time.perf_counter()
        Registry().models.get(model).train(TrainRequest(
            model=model, dataset="bench", source=source, train_ids=tuple(ids), val_ids=(), fold=0, folds=2,
            store=scratch / "store", epochs=1, seed=0, device="cpu", params=params, progress=progress,
        ))
        total = time.perf_counter() - started
    wall = np.diff([m[0] for m in marks])[1:]  # the first step traces; the rest are steady
    cpu = np.diff([m[1] for m in marks])[1:]
    return {
        "label": label, "model": model, "data": data, "params": params, "steps": len(marks),
        "wall_s": float(np.median(wall)) if wall.size else float("nan"),
        "cpu_s": float(np.median(cpu)) if cpu.size else float("nan"),
        "first_s": float(marks[0][0] - started) if marks else float("nan"),
        "total_s": total, "estimate_gb": (estimate or float("nan")) / 2**30,
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, "threads": available_cores(),
    }


def fitted_speed() -> dict:
    """intensity-fitted on one real case: one read (grid_dice) against 49 predictions."""
    from tumorbench_plugins.models.baseline import GRID, IntensityBaseline, _mean_dice, grid_dice, grid_scores

    source = _source(REAL, Path(tempfile.gettempdir()))
    case = source.load(source.case_ids()[0])
    t0 = time.perf_counter()
    fast = grid_dice(case)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    brute = np.array([[_mean_dice(IntensityBaseline(wt=w, et=e), [case]) for e in GRID] for w in GRID])
    t_brute = time.perf_counter() - t0
    return {"fast_s": t_fast, "brute_s": t_brute, "ratio": t_brute / t_fast,
            "identical": bool(np.array_equal(grid_scores([fast]), brute))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=5, help="steps per configuration (the first is not timed)")
    parser.add_argument("--only", nargs="*", default=None, help="only these models")
    parser.add_argument("--data", choices=("small", "real", "all"), default="all",
                        help="small CPU recipes on phantoms, paper sizes on the real cases, or both")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.steps)))
        return
    real = brats2018_root().is_dir()
    print(f"load average {os.getloadavg()[0]:.1f}, reference {matmul_gflops():.1f} GFLOP/s (768^2 float32 matmul)")
    rows = []
    for index, (label, model, _params, data) in enumerate(CONFIGS):
        if (args.only and model not in args.only) or (args.data == "small" and data == REAL) or (
                args.data == "real" and data != REAL):
            continue
        if data == REAL and not real:
            print(f"skip {label}: no real cases at {brats2018_root()}")
            continue
        done = subprocess.run([sys.executable, __file__, "--child", str(index), "--steps", str(args.steps)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{label}: failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{label}: {row['wall_s']:.3f} wall-s, {row['cpu_s']:.3f} CPU-s / step; first step after "
              f"{row['first_s']:.1f} s; estimate {row['estimate_gb']:.2f} GB, peak RSS {row['peak_rss_gb']:.2f} GB")
    print(f"load average {os.getloadavg()[0]:.1f}, reference {matmul_gflops():.1f} GFLOP/s")
    print()
    print("| configuration | data | options | wall-s / step | CPU-s / step | memory estimate | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        opts = " ".join(f"{k}={v}" for k, v in r["params"].items() if k not in ("steps", "val_cases")) or "defaults"
        print(f"| {r['label']} | {r['data']} | {opts} | {r['wall_s']:.3f} | {r['cpu_s']:.3f} | "
              f"{r['estimate_gb']:.2f} GB | {r['peak_rss_gb']:.2f} GB |")
    if real and args.data != "small" and (not args.only or "intensity-fitted" in args.only):
        f = fitted_speed()
        print(f"\nintensity-fitted, one real case: one read {f['fast_s']:.1f} s, brute force (49 predictions) "
              f"{f['brute_s']:.1f} s: {f['ratio']:.0f}x; identical Dice grid: {f['identical']}")


if __name__ == "__main__":
    main()
