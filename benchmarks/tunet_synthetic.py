"""Train a small TuNet on synthetic phantoms on this machine and score held-out cases.

Prints the time per training step (median, tracing excluded) and the Dice of WT / TC / ET on the
validation cases of the split, labels assembled as the runner does (benchmark/finalize.py).

    python benchmarks/tunet_synthetic.py --model tunet-seb --cases 16 --epochs 20 \
        --opt width=4 depth=3 grid=none patch=32,32,32 lr=1e-3
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from tumorbench.contract.values import DatasetOptions, ModelContext, TrainRequest
from tumorbench.loading.registry import Registry
from tumorbench.models.splits import kfold
from tumorbench.prediction.finalize import finalize


def dice(a: np.ndarray, b: np.ndarray) -> float:
    total = int(a.sum()) + int(b.sum())
    return 1.0 if total == 0 else 2.0 * int(np.logical_and(a, b).sum()) / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tunet-seb")
    parser.add_argument("--cases", type=int, default=16)
    parser.add_argument("--size", default="64,64,48")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--store", default=None)
    parser.add_argument("--opt", nargs="*", default=[])
    args = parser.parse_args()

    registry = Registry()
    dataset = registry.datasets.get("synthetic")
    source = dataset.open(DatasetOptions(params={"cases": args.cases, "size": args.size}))
    train_ids, val_ids = kfold(source.case_ids(), args.folds, args.fold, args.seed)
    params = dict(o.split("=", 1) for o in args.opt)
    store = Path(args.store or tempfile.mkdtemp(prefix="tunet-bench-"))
    spec = registry.models.get(args.model)
    started = time.perf_counter()
    spec.train(
        TrainRequest(
            model=args.model, dataset="synthetic", source=source, train_ids=tuple(train_ids),
            val_ids=tuple(val_ids), fold=args.fold, folds=args.folds, store=store, epochs=args.epochs,
            seed=args.seed, device="cpu", params=params,
            progress=lambda r: print(
                f"epoch {r['epoch']:3d} loss {r['loss']:+.3f} val {r['val_loss']:+.3f} lr {r['lr']:.1e} "
                f"steps {r['steps']} step {r['step_seconds']:.2f}s cpu {r['step_cpu_seconds']:.2f}s "
                f"epoch {r['epoch_seconds']:.1f}s", flush=True
            ),
        )
    )
    train_seconds = time.perf_counter() - started
    predictor = spec.load(ModelContext(dataset="synthetic", store=store, fold=args.fold, device="cpu"))
    scores = []
    for case_id in val_ids:
        case = source.load(case_id)
        prediction = finalize(predictor.predict(case), case.convention)
        ours = case.convention.to_regions(prediction.labels)
        truth = case.convention.to_regions(np.asarray(case.label.data))
        scores.append([dice(ours[r], truth[r]) for r in ("WT", "TC", "ET")])
    mean = np.mean(scores, axis=0)
    print(f"train {train_seconds:.1f}s store {store}")
    print(f"held-out Dice ({len(val_ids)} cases) WT {mean[0]:.3f} TC {mean[1]:.3f} ET {mean[2]:.3f}")


if __name__ == "__main__":
    main()
