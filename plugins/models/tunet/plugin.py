"""Registers the six TuNet variants (Vu et al. 2019); Keras loads only when one is used.

``tunet``, ``tunet-seb``, ``tunet-reb1``, ``tunet-reb1-seb``, ``tunet-reb2``, ``tunet-reb2-seb``.
Registration imports nothing heavy; Keras/TensorFlow load when a variant is described, trained or
loaded. Options (``--model-opt``): see :class:`~.options.TuNetOptions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from tumorbench.api import ModelContext, ModelSpec, TrainRequest, hookimpl

from .options import MODALITIES, PAPER_PARAMS, REGIONS, VARIANTS, parse_options

_SUMMARIES = {
    "tunet": "TuNet cascade W->C->E-Net, conv blocks (Keras)",
    "tunet-seb": "TuNet + squeeze-and-excitation blocks (Keras)",
    "tunet-reb1": "TuNet + bottleneck residual blocks REB1 (Keras)",
    "tunet-reb1-seb": "TuNet + REB1 + squeeze-and-excitation (Keras)",
    "tunet-reb2": "TuNet + pre-activation residual blocks REB2 (Keras)",
    "tunet-reb2-seb": "TuNet + REB2 + squeeze-and-excitation (Keras)",
}


def _load(model: str, context: ModelContext):
    from .predict import load_tunet

    return load_tunet(model, context)


def _train(request: TrainRequest) -> Path:
    from .train import train_tunet

    return train_tunet(request)


def _describe(model: str, params: Mapping[str, Any]) -> str:
    from .network import build_tunet, describe_model

    opts = parse_options(model, params)
    paper = PAPER_PARAMS[model] if (opts.width, opts.depth) == (16, 4) else None
    return describe_model(build_tunet(opts), opts, paper)


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name=name,
            summary=_SUMMARIES[name],
            framework="keras",
            regions=REGIONS,
            modalities=MODALITIES,
            load=partial(_load, name),
            train=_train,
            describe=partial(_describe, name),
            options=parse_options(name),
        )
        for name in VARIANTS
    ]
