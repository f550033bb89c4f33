"""Loading trained TuNets from the model store and predicting region probabilities for a case.

``fold=k`` loads that fold; ``fold=None`` loads every fold found and averages their probabilities
(Eq. 1 of Vu et al. over folds [A]). Each model tiles the preprocessed volume with its training
patch size, averages overlapping tiles, and maps the result back to the case's grid.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from tumorbench.api import Case, ModelContext, Prediction, find, mean_probabilities

from .checkpoints import SUFFIX, load_model
from .data import Prepared, extract, prepare, restore, stitch, tile_boxes
from .options import REGIONS, TuNetOptions

INFERENCE_BATCH = 2
"""Tiles per forward pass at inference [A] (memory, not results, depends on it)."""


# Folds of one architecture share one Keras model (the first loaded), each loading its own weights
# into it before it predicts: a model's traced predict function is then traced once per process,
# not once per fold (tracing, not predicting, is most of a small model's inference on a CPU).
MAX_SHARED = 4
_shared: OrderedDict[str, Any] = OrderedDict()  # architecture and device -> the Keras model folds share
_holding: dict[int, int] = {}  # id(shared model) -> the token of the fold whose weights it holds now
_tokens = itertools.count()  # one per fold loaded, never reused (ids of freed objects are)


def _share(model: str, device: str, opts: TuNetOptions, loaded: Any) -> tuple[Any, list[np.ndarray], int]:
    """The model that runs ``loaded``'s fold, that fold's weights, and its token."""
    import json

    key = json.dumps({"model": model, "device": device, **opts.architecture}, sort_keys=True)
    token = next(_tokens)
    runner = _shared.get(key)
    if runner is None:  # the first of its architecture runs itself, holding its own weights
        runner = _shared[key] = loaded
        _holding[id(runner)] = token
        while len(_shared) > MAX_SHARED:
            _shared.popitem(last=False)
    _shared.move_to_end(key)
    return runner, loaded.get_weights(), token


@dataclass(frozen=True, eq=False)
class FoldModel:
    """One trained fold: the Keras model that runs it, the options it was trained with, and its
    weights with their token (None: the model holds them alone), loaded into that model before
    it predicts when it holds another fold's."""

    model: Any
    opts: TuNetOptions
    fold: int
    weights: list[np.ndarray] | None = None
    token: int = -1

    def _load(self) -> None:
        if self.weights is not None and _holding.get(id(self.model)) != self.token:
            self.model.set_weights(self.weights)
            _holding[id(self.model)] = self.token

    def probabilities(self, prepared: Prepared) -> np.ndarray:
        """``(X, Y, Z, 3)`` probabilities on the preprocessed grid (tiles averaged where they overlap)."""
        self._load()
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
        runner, weights, token = _share(model, context.device, opts, load_model(item.checkpoint(SUFFIX)))
        folds.append(FoldModel(runner, opts, item.fold, weights, token))
    return TuNetPredictor(tuple(folds))
