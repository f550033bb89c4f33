"""``otsu-flair`` (training-free) and ``otsu-fitted`` (its cut scaled by a factor fitted by ``bench train``).

Whole tumour = FLAIR voxels above a second Otsu threshold taken inside the bright class of the
brain's FLAIR histogram.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    ModelContext,
    Prediction,
    TrainRequest,
    find,
    fold_dir,
    write_metadata,
    write_text_atomic,
)

CHECKPOINT = ".json"


@dataclass(frozen=True)
class OtsuOptions:
    """``--model-opt``: ``bins`` of the histogram; ``scale`` multiplies the final cut."""

    bins: int = 256
    scale: float = 1.0


def otsu_threshold(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold: the cut maximising the between-class variance of the histogram."""
    hist, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * centres)
    total_w, total_m = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_m * weight - mean * total_w) ** 2 / (weight * (total_w - weight))
    return float(centres[np.nanargmax(between[:-1])])


@dataclass(frozen=True)
class OtsuFlair:
    options: OtsuOptions = OtsuOptions()

    def cut(self, flair: np.ndarray) -> float:
        brain = flair > 0
        cut = otsu_threshold(flair[brain], self.options.bins)
        # a second Otsu split inside the bright class isolates the hyperintense lesion
        return otsu_threshold(flair[brain & (flair > cut)], self.options.bins) * self.options.scale

    def predict(self, case: Case) -> Prediction:
        flair = np.asarray(case.images["flair"].data, dtype=np.float32)
        return Prediction(regions=("WT",), probabilities={"WT": (flair > self.cut(flair)).astype(np.float32)})


def load(context: ModelContext) -> OtsuFlair:
    return OtsuFlair(context.options or OtsuOptions())


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    total = a.sum() + b.sum()
    return 1.0 if total == 0 else float(2 * (a & b).sum() / total)


def train(request: TrainRequest) -> Path:
    """Fit ``scale`` (0.6 .. 1.4) for the best mean whole-tumour Dice on the training cases."""
    cases = [c for c in (request.source.load(i) for i in request.train_ids) if c.label is not None]
    if not cases:
        raise BenchError(f"dataset {request.dataset}: no labelled training cases")
    base = request.options or OtsuOptions()
    best = (-1.0, 1.0)
    for scale in np.round(np.arange(0.6, 1.41, 0.1), 2):
        model = OtsuFlair(OtsuOptions(bins=base.bins, scale=float(scale)))
        score = float(np.mean([
            _dice(model.predict(c).probabilities["WT"] >= 0.5, c.convention.region_mask(c.label.data, "WT"))
            for c in cases
        ]))
        if score > best[0]:
            best = (score, float(scale))
    directory = request.output or fold_dir(request.store, request.model, request.dataset, request.fold)
    write_metadata(
        directory,
        {"model": request.model, "bins": base.bins, "scale": best[1], "train_dice": best[0]},
        {"train": list(request.train_ids), "val": list(request.val_ids), "fold": request.fold,
         "folds": request.folds, "seed": request.seed},
    )
    write_text_atomic(directory / f"checkpoint{CHECKPOINT}", json.dumps({"bins": base.bins, "scale": best[1]}))
    return directory


def load_fitted(context: ModelContext) -> OtsuFlair:
    """The scale ``bench train`` fitted (the first fold found, or the one asked for)."""
    stored = find(context.store, "otsu-fitted", context.dataset, suffix=CHECKPOINT, fold=context.fold)[0]
    values = json.loads(stored.checkpoint(CHECKPOINT).read_text(encoding="utf-8"))
    return OtsuFlair(OtsuOptions(bins=int(values["bins"]), scale=float(values["scale"])))
