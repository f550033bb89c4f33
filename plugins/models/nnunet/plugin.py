"""Registers the ``nnunet`` model and the ``nnunet-raw`` dataset; nnunetv2 and torch are
imported only when a model loads."""

from __future__ import annotations

from pathlib import Path

from tumorbench.api import DatasetSpec, ModelContext, ModelSpec, Predictor, hookimpl

from .dataset import NAME, detect, open_raw
from .options import NnunetOptions
from .results import checkpoint_files, declared_folds


def _load(context: ModelContext) -> Predictor:
    from .predict import load_predictor

    return load_predictor(context)


def _checkpoints(context: ModelContext) -> list[Path]:
    return checkpoint_files(context)


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name="nnunet",
            summary="a trained nnU-Net v2 results folder (nnunet:PATH) through nnU-Net's own predictor",
            framework="torch",
            load=_load,
            checkpoints=_checkpoints,
            folds=declared_folds,
            options=NnunetOptions,
        )
    ]


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [
        DatasetSpec(
            name=NAME,
            summary="an nnU-Net v2 raw dataset (dataset.json, imagesTr/<case>_0000.nii.gz, labelsTr/, imagesTs/)",
            label_convention="msd",
            open=open_raw,
            detect=detect,
        )
    ]
