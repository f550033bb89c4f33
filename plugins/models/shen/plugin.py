"""Registers the ten Shen & Anderson model names; torch is imported only when one is used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from tumorbench.api import ModelContext, ModelSpec, Predictor, TrainRequest, hookimpl

from .options import SUMMARIES, VARIANTS, ShenConfig, from_params


def _load(model: str, context: ModelContext) -> Predictor:
    from .train import load_predictor

    return load_predictor(model, context)


def _train(model: str, request: TrainRequest) -> Path:
    from .train import train

    return train(model, request)


def _describe(model: str, params: Mapping[str, Any]) -> str:
    from .network import describe

    return describe(from_params(model, params), model)


def _summary(model: str) -> str:
    variant = VARIANTS[model]
    extras = [k for k in ("dropout", "bn") if variant[k] and variant["arch"] != "fifcn"]
    if variant["arch"] == "fifcn":
        extras.append("soft Dice loss" if variant.get("loss") == "dice" else "cross-entropy loss")
    return SUMMARIES[variant["arch"]] + (f" + {' + '.join(extras)}" if extras else "")


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name=name,
            summary=_summary(name),
            framework="torch",
            regions=("WT",),
            modalities=("flair", "t1", "t1ce", "t2"),
            load=partial(_load, name),
            train=partial(_train, name),
            describe=partial(_describe, name),
            options=replace(ShenConfig(), **VARIANTS[name]),
        )
        for name in VARIANTS
    ]
