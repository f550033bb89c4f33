"""Measure the paper's three transfer-learning modes (Shen & Anderson section 5) on real data.

No Rembrandt data are available here, so a real domain shift stands in for it: the **source** is
the BraTS 2018 HGG cases (high grade, enhancing), the **target** the LGG cases (low grade: little
or no enhancement, other contrast). Per target split (``bench train``'s seeded 2-fold split of the
LGG cases; fold 0 and fold 1 are the two halves swapped):

1. source: the model trained on every HGG case (a ``TrainRequest`` built as the CLI builds one;
   the CLI itself cannot train on all cases of a dataset, its splits need >= 2 folds);
2. ``pretrained``: ``bench train --init-from SOURCE --model-opt transfer=pretrained`` (no training);
3. ``retrain``: ``... transfer=retrain`` (source architecture, fresh weights, trained on the target);
4. ``fine-tune``: ``... transfer=fine-tune`` (source weights + dropout + batch norm, trained on the
   target);
5. control (``--no-controls`` leaves it out): ``--model <arch>-dropout-bn ... transfer=retrain``,
   a from-scratch run with the fine-tuned network's architecture, so the effect of the source
   weights is told apart from the effect of adding dropout and batch norm.

Steps 2-5 run the real ``bench train`` command (``python -m tumorbench train ...``) in a
subprocess, one store folder per run. Every model is then scored on the held-out LGG cases of its
split through the plugin's ``load`` / ``predict`` (whole-tumour Dice at probability 0.5, and HD95
with ``--hd95``). Budgets are optimiser steps, not seconds, so the numbers do not depend on the
machine's load; wall times are recorded beside them. Prints one JSON line per result and a
Markdown table at the end.

    BENCH_TEST_DATA=/work/shared/data python benchmarks/transfer_shen.py --threads 1
    python benchmarks/transfer_shen.py --models fcn bcn --source-steps 1000 --target-steps 300 --hd95
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tumorbench.api import get_convention
from tumorbench.contract.values import ModelContext, TrainRequest
from tumorbench.models.splits import kfold
from tumorbench_plugins.datasets.brats import BratsFolder
from tumorbench_plugins.models.shen.plugin import _load, _train
from tumorbench_plugins.models.shen.train import dice

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_data import brats2018_root  # noqa: E402
from train_shen import REAL, reference_gmacs  # noqa: E402

STEPS_PER_EPOCH = 10
MODES = ("pretrained", "retrain", "fine-tune")


def open_grade(grade: str) -> BratsFolder:
    """The BraTS 2018 cases of one grade (the ``HGG`` or ``LGG`` folder as the data root)."""
    return BratsFolder(name="brats18", root=brats2018_root() / grade, convention=get_convention("brats-2017"))


def recipe(model: str) -> dict[str, str]:
    """The CPU recipe of ``benchmarks/train_shen.py`` (REAL) with our steps per epoch, no validation."""
    return {**REAL[model], "steps": str(STEPS_PER_EPOCH), "val_cases": "0"}


def epochs_for(steps: int) -> int:
    if steps % STEPS_PER_EPOCH:
        raise SystemExit(f"step budgets must be multiples of {STEPS_PER_EPOCH}, got {steps}")
    return steps // STEPS_PER_EPOCH


def train_source(model: str, store: Path, steps: int, seed: int) -> dict:
    """The source model on every HGG case; returns timing and the checkpoint path."""
    source = open_grade("HGG")
    ids = tuple(sorted(source.case_ids()))
    request = TrainRequest(model=model, dataset="brats18", source=source, train_ids=ids, val_ids=(), fold=0,
                           folds=1, store=store, epochs=epochs_for(steps), seed=seed, device="cpu", resume=False,
                           params=recipe(model))
    t0 = time.perf_counter()
    folder = _train(model, request)
    wall = time.perf_counter() - t0
    config = json.loads((folder / "config.json").read_text())
    return {"folder": folder, "train_ids": list(ids), "wall_seconds": round(wall, 1),
            "train_seconds": config["train_seconds"], "steps": steps,
            "first_loss": round(config["history"][0]["loss"], 4), "last_loss": round(config["history"][-1]["loss"], 4)}


def bench_train(model: str, mode: str, init_from: Path, store: Path, fold: int, steps: int, seed: int,
                threads: int) -> dict:
    """``bench train`` on the LGG cases (2-fold split, ``fold``) exactly as a user would type it."""
    root = brats2018_root() / "LGG"
    command = [sys.executable, "-m", "tumorbench", "train", "--model", model, "--dataset", "brats18",
               "--data-root", str(root), "--folds", "2", "--fold", str(fold), "--seed", str(seed),
               "--device", "cpu", "--store", str(store), "--init-from", str(init_from), "--fresh",
               "--model-opt", f"transfer={mode}"]
    if mode != "pretrained":
        command += ["--epochs", str(epochs_for(steps))]
    for key, value in recipe(model.split("-")[0]).items():
        command += ["--model-opt", f"{key}={value}"]
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"bench train failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-3000:]}")
    folder = Path(done.stdout.strip().splitlines()[-1].removeprefix("checkpoint: "))
    config = json.loads((folder / "config.json").read_text())
    history = [h for h in config["history"] if "loss" in h]
    return {"folder": folder, "command": "bench " + " ".join(command[3:]), "wall_seconds": round(wall, 1),
            "train_seconds": config["train_seconds"], "steps": 0 if mode == "pretrained" else steps,
            "first_loss": round(history[0]["loss"], 4) if history else None,
            "last_loss": round(history[-1]["loss"], 4) if history else None,
            "config": {k: config[k] for k in ("transfer", "dropout", "bn", "width", "init_from", "epochs_done")}}


def same_weights(a: Path, b: Path) -> bool:
    """Whether two ``checkpoint.pt`` files hold identical tensors."""
    import torch

    sa = torch.load(a, map_location="cpu", weights_only=True)
    sb = torch.load(b, map_location="cpu", weights_only=True)
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def score(model: str, store: Path, fold: int, cases: list, hd95: bool) -> dict:
    """Whole-tumour Dice (and HD95) of the stored model on ``cases`` via the plugin's load/predict."""
    predictor = _load(model, ModelContext(dataset="brats18", store=store, fold=fold, device="cpu"))
    dices, hds, seconds = [], [], []
    for case in cases:
        t = time.perf_counter()
        prediction = predictor.predict(case)
        seconds.append(time.perf_counter() - t)
        ref = case.convention.region_mask(np.asarray(case.label.data), "WT")
        pred = prediction.probabilities["WT"] >= 0.5
        dices.append(round(dice(pred, ref), 4))
        if hd95:
            from tumorbench_plugins.metrics.legacy import compute_hd95

            hds.append(round(compute_hd95(pred, ref, spacing=case.reference.spacing), 2))
    out = {"dice": dices, "mean_dice": round(float(np.mean(dices)), 4), "infer_seconds": [round(s, 1) for s in seconds]}
    if hd95:
        out |= {"hd95": hds, "mean_hd95": round(float(np.mean(hds)), 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=["fcn"], choices=sorted(REAL))
    parser.add_argument("--source-steps", type=int, default=1000, help="optimiser steps on the HGG cases")
    parser.add_argument("--target-steps", type=int, default=300, help="optimiser steps of retrain / fine-tune")
    parser.add_argument("--folds", nargs="*", type=int, default=[0, 1], help="LGG splits (bench train --folds 2 --fold K)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads here and in each bench train (0: default)")
    parser.add_argument("--no-controls", action="store_true", help="skip the from-scratch dropout+BN control")
    parser.add_argument("--hd95", action="store_true", help="also score HD95 (brats-legacy)")
    parser.add_argument("--store", type=Path, default=Path("/tmp/tumorbench-shen-transfer"))
    args = parser.parse_args()
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    print(json.dumps({"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
                      "threads": torch.get_num_threads(), "reference_gmacs": reference_gmacs()}), flush=True)
    t_start = time.perf_counter()
    lgg = open_grade("LGG")
    lgg_ids = sorted(lgg.case_ids())
    rows = []
    for model in args.models:
        src = train_source(model, args.store / model / "source", args.source_steps, args.seed)
        checkpoint = src["folder"] / "checkpoint.pt"
        print(json.dumps({"model": model, "run": "source", **{k: v for k, v in src.items() if k != "folder"}},
                         default=str), flush=True)
        runs = [(model, mode) for mode in MODES] + ([] if args.no_controls else [(f"{model}-dropout-bn", "retrain")])
        for fold in args.folds:
            train_ids, held_out = kfold(lgg_ids, 2, fold, args.seed)
            cases = [lgg.load(i) for i in held_out]
            for name, mode in runs:
                store = args.store / model / f"fold{fold}-{name}-{mode}"
                trained = bench_train(name, mode, checkpoint, store, fold, args.target_steps, args.seed, args.threads)
                result = {"model": name, "mode": mode, "fold": fold, "target_train": train_ids, "held_out": held_out,
                          **{k: v for k, v in trained.items() if k != "folder"},
                          **score(name, store, fold, cases, args.hd95)}
                if mode == "pretrained":
                    result["identical_to_source"] = same_weights(trained["folder"] / "checkpoint.pt", checkpoint)
                result["source_steps"], result["source_wall_seconds"] = args.source_steps, src["wall_seconds"]
                rows.append(result)
                print(json.dumps(result, default=str), flush=True)
    print(json.dumps({"reference_gmacs_end": reference_gmacs(), "total_wall_seconds": round(time.perf_counter() - t_start, 1)}))
    hd = args.hd95
    print("\n| model | mode | LGG fold (held out) | steps | train s | wall s | loss first->last | WT Dice per case | mean"
          + (" | HD95 per case | mean HD95" if hd else "") + " | infer s/case |")
    print("|---|---|---|---|---|---|---|---|---" + ("|---|---" if hd else "") + "|---|")
    for r in rows:
        loss = "-" if r["first_loss"] is None else f"{r['first_loss']:.3f} -> {r['last_loss']:.3f}"
        held = ", ".join(i.removeprefix("Brats18_") for i in r["held_out"])
        extra = f" | {', '.join(map(str, r['hd95']))} | {r['mean_hd95']:.1f}" if hd else ""
        print(f"| {r['model']} | {r['mode']} | {r['fold']} ({held}) | {r['steps']} | {r['train_seconds']:.0f} | "
              f"{r['wall_seconds']:.0f} | {loss} | {', '.join(f'{d:.3f}' for d in r['dice'])} | "
              f"**{r['mean_dice']:.3f}**{extra} | {np.mean(r['infer_seconds']):.0f} |")
    for model in args.models:
        print(f"\n{model}: mean held-out WT Dice over all folds (4 LGG cases when both folds run):")
        for name, mode in {(r["model"], r["mode"]): None for r in rows if r["model"].startswith(model)}:
            values = [d for r in rows if (r["model"], r["mode"]) == (name, mode) for d in r["dice"]]
            print(f"  {name} {mode}: {np.mean(values):.3f} over {len(values)} cases")


if __name__ == "__main__":
    main()
