"""Time the README demo's TuNet ensemble: three members x one fold on the synthetic default, then score.

Mirrors what ``bench train`` + ``bench run --model tunet-ensemble`` do, through the same specs:

    python benchmarks/tunet_demo.py --epochs 6 --opt width=4 depth=3 grid=none patch=56,56,40 \
        batch=2 lr=3e-3 prior=0.01
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from tumorbench.contract.values import DatasetOptions, ModelContext, TrainRequest
from tumorbench.loading.registry import Registry
from tumorbench.models.splits import kfold
from tumorbench.prediction.ensemble import EnsemblePredictor, get_combiner
from tumorbench.prediction.finalize import finalize


def dice(a: np.ndarray, b: np.ndarray) -> float:
    total = int(a.sum()) + int(b.sum())
    return 1.0 if total == 0 else 2.0 * int(np.logical_and(a, b).sum()) / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=8)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--store", default=None)
    parser.add_argument("--opt", nargs="*", default=[])
    args = parser.parse_args()
    registry = Registry()
    source = registry.datasets.get("synthetic").open(DatasetOptions(params={"cases": args.cases}))
    train_ids, val_ids = kfold(source.case_ids(), args.folds, 0, 0)
    params = dict(o.split("=", 1) for o in args.opt)
    store = Path(args.store or tempfile.mkdtemp(prefix="tunet-demo-"))
    ensemble = registry.ensembles.get("tunet-ensemble")
    t_all = time.perf_counter()
    for member in ensemble.members:
        t0 = time.perf_counter()
        registry.models.get(member).train(
            TrainRequest(model=member, dataset="synthetic", source=source, train_ids=tuple(train_ids),
                         val_ids=tuple(val_ids), fold=0, folds=args.folds, store=store, epochs=args.epochs,
                         seed=0, device="cpu", params=params)
        )
        seconds = time.perf_counter() - t0
        history = json.loads((store / member / "synthetic" / "fold-0" / "train_state.json").read_text())["history"]
        last = history[-1]
        print(f"trained {member} in {seconds:.1f}s: {len(history)} epochs x {last['steps']} steps, "
              f"step {last['step_seconds']:.2f}s wall {last['step_cpu_seconds']:.2f}s cpu, "
              f"loss {last['loss']:+.3f} val {last['val_loss']:+.3f}", flush=True)
    t_train = time.perf_counter() - t_all
    context = ModelContext(dataset="synthetic", store=store, fold=None, device="cpu")
    members = {m: registry.models.get(m).load(context) for m in ensemble.members}
    predictors = {**members, "tunet-ensemble": EnsemblePredictor(tuple(members.values()), get_combiner("mean"))}
    post = registry.postprocessors.get("tunet-postprocess")
    t0 = time.perf_counter()
    for name, predictor in predictors.items():
        scores, scores_pp = [], []
        for case_id in val_ids:
            case = source.load(case_id)
            prediction = finalize(predictor.predict(case), case.convention)
            truth = case.convention.to_regions(np.asarray(case.label.data))
            for out, target in ((prediction, scores), (post.apply(prediction, case), scores_pp)):
                ours = case.convention.to_regions(out.labels)
                target.append([dice(ours[r], truth[r]) for r in ("WT", "TC", "ET")])
        m, mp = np.mean(scores, axis=0), np.mean(scores_pp, axis=0)
        print(f"{name:16s} Dice WT {m[0]:.3f} TC {m[1]:.3f} ET {m[2]:.3f} | +post-process "
              f"WT {mp[0]:.3f} TC {mp[1]:.3f} ET {mp[2]:.3f}", flush=True)
    print(f"training {t_train:.1f}s, inference+scoring {time.perf_counter() - t0:.1f}s, "
          f"{len(val_ids)} held-out cases, store {store}")


if __name__ == "__main__":
    main()
