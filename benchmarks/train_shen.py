"""Measure the Shen models: train within a CPU time budget, score whole-tumour Dice on held-out
cases, time inference. Prints one JSON line per result and a Markdown table at the end.

    python benchmarks/train_shen.py synthetic --budget 120          # all ten models
    python benchmarks/train_shen.py synthetic --budget 300 --threads 1 --models fifcn-dice fifcn-ce
    python benchmarks/train_shen.py real --budget 600 --models bcn fcn
    python benchmarks/train_shen.py infer --store STORE_OF_THE_REAL_RUN   # time predict() on one case

Every run prints a reference throughput (one 40->40 channel 3^3 conv on 61^3, GMAC/s) at its start
and end: this shared 2-core machine varied about 5x in speed between runs, so seconds are only
comparable next to the reference printed with them.
    # real data: env BENCH_TEST_DATA (default ../shared/data) / MICCAI_BraTS_2018_Data_Training

The commands ``bench train`` would run are equivalent to the TrainRequest built here (the CLI
splits folds; this script fixes the split: synthetic 8 train / 4 held out, real 10 / 2). Synthetic
phantom i depends only on (seed, i), so the held-out cases 8-11 are the same four whatever
``--train-cases`` (cases 0-7, then 12, 13, ...) says.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
from bench_data import brats2018_root

from tumorbench.api import get_convention
from tumorbench.contract.values import DatasetOptions, ModelContext, TrainRequest
from tumorbench_plugins.datasets.brats import BratsFolder
from tumorbench_plugins.datasets.synthetic import open_synthetic
from tumorbench_plugins.models.shen.options import VARIANTS
from tumorbench_plugins.models.shen.plugin import _load, _train
from tumorbench_plugins.models.shen.train import dice

# CPU recipes [A]: what fits a few minutes on 2 cores. Widths default to the paper's (docs/torch-models.md) unless noted.
SYNTHETIC = {
    "bcn": {"width": "0.5", "patch": "33", "batch": "8", "steps": "10"},
    "fcn": {"batch": "16", "steps": "10"},
    # FIFCN: 300 epochs of 4 steps of 2 augmented volumes (or the budget, if that comes first)
    "fifcn": {"width": "0.5", "batch": "2", "steps": "4", "lr": "0.003", "lr_decay": "0.99", "epochs": "300"},
}
SYNTHETIC_TRAIN_CASES = {"bcn": 8, "fcn": 8, "fifcn": 8}
REAL = {
    "bcn": {"patch": "33", "batch": "8", "steps": "10"},
    "fcn": {"batch": "16", "steps": "10"},
}


def run(model: str, dataset: str, source, train_ids, val_ids, params, store: Path, budget: float) -> dict:
    params = {"epochs": "100000", **params, "time_budget": str(budget), "val_cases": "0"}
    request = TrainRequest(model=model, dataset=dataset, source=source, train_ids=tuple(train_ids),
                           val_ids=tuple(val_ids), fold=0, folds=1, store=store, seed=0, device="cpu",
                           resume=False, params=params)
    t0 = time.perf_counter()
    folder = _train(model, request)
    wall = time.perf_counter() - t0
    config = json.loads((folder / "config.json").read_text())
    predictor = _load(model, ModelContext(dataset=dataset, store=store, fold=0, device="cpu"))
    scores, seconds = [], []
    for case_id in val_ids:
        case = source.load(case_id)
        t = time.perf_counter()
        prediction = predictor.predict(case)
        seconds.append(time.perf_counter() - t)
        ref = case.convention.region_mask(np.asarray(case.label.data), "WT")
        scores.append(dice(prediction.probabilities["WT"] >= 0.5, ref))
    history = config["history"]
    return {"model": model, "dataset": dataset, "train_cases": len(train_ids), "val_ids": list(val_ids),
            "params": {k: v for k, v in params.items() if k != "epochs" or v != "100000"},
            "train_seconds": config["train_seconds"], "wall_seconds": round(wall, 1),
            "epochs": config["epochs_done"], "steps_per_epoch": int(params.get("steps", 0)),
            "first_loss": round(history[0]["loss"], 4), "last_loss": round(history[-1]["loss"], 4),
            "dice": [round(s, 4) for s in scores], "mean_dice": round(float(np.mean(scores)), 4),
            "shape": list(case.shape), "infer_seconds": [round(s, 2) for s in seconds]}


def reference_gmacs() -> float:
    """Throughput of one 40->40 channel 3^3 convolution on a 61^3 volume (GMAC/s)."""
    import torch

    conv = torch.nn.Conv3d(40, 40, 3)
    x = torch.randn(1, 40, 61, 61, 61)
    with torch.inference_mode():
        conv(x)
        t = time.perf_counter()
        conv(x)
        conv(x)
        dt = (time.perf_counter() - t) / 2
    return round(59**3 * 40 * 40 * 27 / dt / 1e9, 1)


def infer(store: Path, models: list[str]) -> None:
    """Seconds of ``predict`` for one full 240x240x155 case with the models trained by ``real``."""
    source = BratsFolder(name="brats18", root=brats2018_root(), convention=get_convention("brats-2017"))
    case = source.load(sorted(source.case_ids())[0])
    for model in models:
        predictor = _load(model, ModelContext(dataset="brats18", store=store, fold=0, device="cpu"))
        t = time.perf_counter()
        predictor.predict(case)
        print(json.dumps({"model": model, "case": case.case_id, "shape": list(case.shape),
                          "predict_seconds": round(time.perf_counter() - t, 2)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["synthetic", "real", "infer"])
    parser.add_argument("--budget", type=float, default=120.0, help="training seconds per model")
    parser.add_argument("--models", nargs="*", default=None)
    parser.add_argument("--train-cases", type=int, default=0,
                        help="synthetic: training phantoms (cases 0-7, then 12, 13, ...); default per architecture")
    parser.add_argument("--opt", nargs="*", default=[], metavar="KEY=VALUE", help="override recipe options")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch CPU threads (default: torch's); 1 ran faster than 2 on the shared 2-core machine")
    parser.add_argument("--store", type=Path, default=Path("/tmp/tumorbench-shen-bench"))
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    print(json.dumps({"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
                      "threads": args.threads or "default", "reference_gmacs": reference_gmacs()}), flush=True)
    rows = []
    if args.part == "infer":
        infer(args.store, args.models or ["bcn", "fcn"])
    elif args.part == "synthetic":
        for model in args.models or list(VARIANTS):
            arch = VARIANTS[model]["arch"]
            n_train = args.train_cases or SYNTHETIC_TRAIN_CASES[arch]
            # phantom i depends only on (seed, i): cases 8-11 are the same four whatever the count
            source = open_synthetic(DatasetOptions(params={"cases": max(12, n_train + 4)}))
            ids = sorted(source.case_ids())
            train_ids, val_ids = (ids[:8] + ids[12:])[:n_train], ids[8:12]
            recipe = {**SYNTHETIC[arch], **dict(o.split("=", 1) for o in args.opt)}
            rows.append(run(model, "synthetic", source, train_ids, val_ids, recipe, args.store, args.budget))
            print(json.dumps(rows[-1]), flush=True)
    else:
        source = BratsFolder(name="brats18", root=brats2018_root(), convention=get_convention("brats-2017"))
        ids = sorted(source.case_ids())
        order = np.random.default_rng(0).permutation(len(ids))
        val_ids = [ids[i] for i in sorted(order[:2])]
        train_ids = [i for i in ids if i not in val_ids]
        for model in args.models or ["bcn", "fcn"]:
            recipe = REAL[VARIANTS[model]["arch"]]
            rows.append(run(model, "brats18", source, train_ids, val_ids, recipe, args.store, args.budget))
            print(json.dumps(rows[-1]), flush=True)
    print(json.dumps({"reference_gmacs_end": reference_gmacs()}))
    if not rows:
        return
    print("\n| model | data (train cases) | options | train s | epochs x steps | loss first->last | held-out WT Dice | infer s/case |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        opts = " ".join(f"{k}={v}" for k, v in r["params"].items() if k not in ("time_budget", "val_cases", "epochs"))
        print(f"| {r['model']} | {r['dataset']} ({r['train_cases']}) | {opts} | {r['train_seconds']:.0f} | {r['epochs']} x {r['steps_per_epoch']} | "
              f"{r['first_loss']:.3f} -> {r['last_loss']:.3f} | {r['mean_dice']:.3f} ({', '.join(map(str, r['dice']))}) | "
              f"{np.mean(r['infer_seconds']):.1f} |")


if __name__ == "__main__":
    main()
