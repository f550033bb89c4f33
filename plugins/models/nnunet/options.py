"""The options of the ``nnunet`` model (``--model-opt key=value``). Pure Python: imported when
the plugin registers, so it imports neither torch nor nnunetv2."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tumorbench.api import BenchError, ModelContext, parse_options


@dataclass(frozen=True)
class NnunetOptions:
    """How a trained nnU-Net v2 results folder is run.

    Args:
        folds: which ``fold_k`` folders to use: comma-separated numbers (``0,1``), ``all`` (the
            ``fold_all`` model), or empty: every ``fold_k`` holding the checkpoint.
        checkpoint: the checkpoint file name in each fold folder (nnU-Net's ``-chk``).
        step: the sliding window's step as a fraction of the patch (nnU-Net's ``-step_size``).
        mirroring: test-time mirroring along the axes the checkpoint allows (``--disable_tta`` off).
        gaussian: Gaussian weighting of overlapping tiles.
        splits: a ``splits_final.json`` naming each fold's training cases; empty: looked for in
            the results folder, the folder above it and ``$nnUNet_preprocessed/<dataset>/``.
        label_convention: the label convention of the model's labels (empty: the installed one
            its dataset.json's ``labels`` fit).
    """

    folds: str = ""
    checkpoint: str = "checkpoint_final.pth"
    step: float = 0.5
    mirroring: bool = True
    gaussian: bool = True
    splits: str = ""
    label_convention: str = ""


def options_of(context: ModelContext) -> NnunetOptions:
    """The parsed options of a context (parsed here when the harness did not: an identity's context)."""
    if isinstance(context.options, NnunetOptions):
        return context.options
    params: Mapping[str, Any] = context.params
    return parse_options(NnunetOptions, params, owner="nnunet", flag="--model-opt", ignored=("arg",))


def fold_selection(text: str) -> tuple[int, ...] | str | None:
    """``folds`` as numbers, ``"all"``, or None (every fold found)."""
    text = text.strip().lower()
    if not text:
        return None
    if text == "all":
        return "all"
    try:
        folds = tuple(int(t) for t in text.split(","))
    except ValueError:
        raise BenchError(f"--model-opt folds={text}: use fold numbers such as 0,1,2 or all") from None
    if any(f < 0 for f in folds):
        raise BenchError(f"--model-opt folds={text}: fold numbers are >= 0")
    return folds
