"""Loading trained TuNets from the model store and predicting region probabilities for a case.

``fold=k`` loads that fold; ``fold=None`` loads every fold found and averages their probabilities
(Eq. 1 of Vu et al. over folds [A]). Each model tiles the preprocessed volume with its training
patch size, averages overlapping tiles, and maps the result back to the case's grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tumorbench.api import REGIONS, Case, ModelContext, Prediction, find, mean_probabilities

from .checkpoints import SUFFIX, load_model
from .data import Prepared, extract, prepare, restore, stitch, tile_boxes
from .options import TuNetOptions

INFERENCE_BATCH = 2
"""Tiles per forward pass at inference [A] (memory, not results, depends on it)."""


@dataclass(frozen=True, eq=False)
class FoldModel:
    """One trained fold: its Keras model and the options it was trained with."""

    model: Any
    opts: TuNetOptions
    fold: int

    def probabilities(self, prepared: Prepared) -> np.ndarray:
        """``(X, Y, Z, 3)`` probabilities on the preprocessed grid (tiles averaged where they overlap)."""
        boxes = tile_boxes(prepared.image.shape, self.opts.patch, self.opts.overlap)
        outputs: list[np.ndarray] = []
        for start in range(0, len(boxes), INFERENCE_BATCH):
            chunk = boxes[start : start + INFERENCE_BATCH]
            tiles = [extract(prepared.image, b) for b in chunk]
            # a constant batch shape: a short last chunk would trace the graph again
            tiles += [tiles[-1]] * (INFERENCE_BATCH - len(tiles))
            outputs.extend(np.asarray(self.model.predict_on_batch(np.stack(tiles)))[: len(chunk)])
        return stitch(outputs, boxes, prepared.image.shape[:3])


@dataclass(frozen=True, eq=False)
class TuNetPredictor:
    """Probabilities of WT, TC, ET from one fold or the mean over several."""

    folds: tuple[FoldModel, ...]

    def predict(self, case: Case) -> Prediction:
        prepared: dict[str, Prepared] = {}
        members = []
        for member in self.folds:
            key = repr(member.opts.grid)
            if key not in prepared:
                prepared[key] = prepare(case, member.opts)
            p = restore(member.probabilities(prepared[key]), prepared[key], case)
            members.append(Prediction(regions=REGIONS, probabilities={r: p[i] for i, r in enumerate(REGIONS)}))
        return members[0] if len(members) == 1 else mean_probabilities(members)


def load_tunet(model: str, context: ModelContext) -> TuNetPredictor:
    """Every stored fold of ``model`` on ``context.dataset`` (or ``context.fold`` only).

    Raises:
        MissingCheckpointError: nothing trained; the message names the ``bench train`` command.
    """
    from .backend import keras_module
    from .options import parse_options
    from .train import options_from_config

    stored = find(context.store, model, context.dataset, suffix=SUFFIX, fold=context.fold)
    keras_module(context.device)
    folds = []
    for item in stored:
        opts = options_from_config(model, item.config, item.directory / "config.json")
        inference = {k: v for k, v in context.params.items() if k in {"overlap", "patch"}}
        opts = parse_options(model, inference, base=opts)
        folds.append(FoldModel(load_model(item.checkpoint(SUFFIX)), opts, item.fold))
    return TuNetPredictor(tuple(folds))
