"""Variants of the Shen & Anderson models and the options (``--model-opt key=value``) they take.

Pure Python: imported at plugin registration, so it must not import torch.

Tags as in ``docs/torch-models.md``: [P] paper, [A] assumption of this project.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tumorbench.api import FIXED, BenchError, Field, apply_options, check

CHANNELS: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")
"""[A] Input channel order of every Shen model (the BraTS file order)."""

BCN_WIDTHS: tuple[int, ...] = (30, 30, 40, 40, 40, 40, 50, 50)
"""[A] DeepMedic normal-pathway widths for the 8 unpadded 3^3 convs (25^3 -> 9^3)."""
BCN_FC = 150
FCN_WIDTHS: tuple[int, ...] = (32, 64)
FIFCN_WIDTHS: tuple[int, ...] = (16, 32, 64, 128, 128)
FIFCN_DECONV: tuple[int, ...] = (64, 32, 16, 16)

VARIANTS: Mapping[str, Mapping[str, Any]] = {
    "bcn": {"arch": "bcn", "dropout": False, "bn": False},
    "bcn-dropout": {"arch": "bcn", "dropout": True, "bn": False},
    "bcn-bn": {"arch": "bcn", "dropout": False, "bn": True},
    "bcn-dropout-bn": {"arch": "bcn", "dropout": True, "bn": True},
    "fcn": {"arch": "fcn", "dropout": False, "bn": False},
    "fcn-dropout": {"arch": "fcn", "dropout": True, "bn": False},
    "fcn-bn": {"arch": "fcn", "dropout": False, "bn": True},
    "fcn-dropout-bn": {"arch": "fcn", "dropout": True, "bn": True},
    "fifcn-ce": {"arch": "fifcn", "dropout": False, "bn": True, "loss": "ce", "augment": "flip,shift,intensity",
                 "bn_stats": "volume"},
    "fifcn-dice": {"arch": "fifcn", "dropout": False, "bn": True, "loss": "dice", "augment": "flip,shift,intensity",
                   "bn_stats": "volume"},
}

SUMMARIES: Mapping[str, str] = {
    "bcn": "Shen & Anderson baseline voxel-wise CNN (25^3 -> 9^3), whole tumour",
    "fcn": "Shen & Anderson patch-wise FCN (24^3 -> 24^3), whole tumour",
    "fifcn": "Shen & Anderson full-image FCN (crop 160x160x144), whole tumour (classes=5: WT/TC/ET)",
}

TRANSFER_MODES: tuple[str, ...] = ("fine-tune", "retrain", "pretrained")

AUGMENTATIONS: tuple[str, ...] = ("flip", "shift", "intensity")
"""[A] Training-time augmentations (``augment.py``); the paper names none."""

# options that change the network's weights (must match when resuming or loading weights)
ARCH_KEYS: tuple[str, ...] = ("arch", "dropout", "bn", "classes", "width", "channels", "bn_stats")


@dataclass(frozen=True)
class ShenConfig:
    """Everything a Shen model is built, trained and applied with.

    Args:
        arch: ``bcn``, ``fcn`` or ``fifcn``.
        dropout / bn: the ablation switches [P]; dropout ``rate`` 0.5 [A].
        loss: ``ce`` (softmax cross-entropy) or ``dice`` (soft Dice over foreground classes) [P].
        classes: 2 (whole tumour vs background) or 5 (labels 0..4, FIFCN's second mode [P]).
        width: multiplier on every hidden width (1 = the paper's widths, docs/torch-models.md); for CPU work.
        lr / l2: Adam learning rate and L2 penalty (``weight_decay``) [A] 1e-3 / 1e-4.
        lr_decay: the learning rate of epoch e (from 0) is ``lr * lr_decay ** e`` [A] 1 (constant).
        batch / steps / epochs: patches (or volumes) per step, steps per epoch, epochs.
        patch: training input patch edge (0 = the paper's: BCN 25, giving 9^3 targets; FCN 24);
            a larger BCN patch n gives (n - 16)^3 targets per patch, cheaper per voxel on a CPU.
        crop: FIFCN crop ``X,Y,Z`` [P] 160x160x144, shrunk to the image rounded up to 16.
        tile: BCN output tile edge at inference (input tile = tile + 16).
        infer_batch: tiles per forward pass at inference.
        val_every / val_cases: validate every N epochs (and after the last) on at most M cases.
        time_budget: seconds of optimisation after which training stops at the end of an epoch.
        transfer: with ``--init-from``: ``fine-tune`` (default), ``retrain`` or ``pretrained``.
        augment: training augmentations, a comma list of :data:`AUGMENTATIONS` (``all``,
            ``none``) [A]: FIFCN ``flip,shift,intensity``, BCN / FCN ``none`` (their patches are
            drawn at random positions already).
        max_shift: largest ``shift`` per axis, voxels [A] 8.
        bn_stats: FIFCN batch-norm statistics: ``volume`` (each volume's own, in training and
            inference; the FIFCN default [A]) or ``running`` (standard batch norm: running
            averages at inference; what checkpoints without this key were made with).
    """

    arch: str = field(default="bcn", metadata=FIXED)
    dropout: bool = False
    bn: bool = False
    loss: str = "ce"
    classes: int = 2
    width: float = 1.0
    rate: float = 0.5
    lr: float = 1e-3
    lr_decay: float = 1.0
    l2: float = 1e-4
    batch: int = 0
    steps: int = 0
    epochs: int = 20
    crop: tuple[int, int, int] = (160, 160, 144)
    patch: int = 0
    tile: int = 45
    infer_batch: int = 8
    val_every: int = 1
    val_cases: int = 4
    time_budget: float = 0.0
    transfer: str = ""
    augment: str = "none"
    max_shift: int = 8
    bn_stats: str = "running"
    channels: tuple[str, ...] = field(default=CHANNELS, metadata=FIXED)

    # ---------------------------------------------------------------- derived
    def scaled(self, widths: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(max(1, int(round(w * self.width))) for w in widths)

    @property
    def patch_in(self) -> int:
        """Training input patch edge: 25 for BCN [P], 24 for FCN [P], unless ``patch`` is set."""
        return self.patch or (25 if self.arch == "bcn" else 24)

    @property
    def patch_out(self) -> int:
        return self.patch_in - 16 if self.arch == "bcn" else self.patch_in

    @property
    def train_batch(self) -> int:
        return self.batch or (1 if self.arch == "fifcn" else 32)

    def arch_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: (list(d[k]) if isinstance(d[k], tuple) else d[k]) for k in ARCH_KEYS}

    def to_json(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @property
    def augmentations(self) -> tuple[str, ...]:
        return parse_augment(self.augment)

    def fifcn_crop(self, shape: tuple[int, ...]) -> tuple[int, int, int]:
        """Crop edge per axis: the configured crop, or the image rounded up to 16 if smaller."""
        return tuple(min(c, 16 * math.ceil(s / 16)) for c, s in zip(self.crop, shape[-3:], strict=False))  # type: ignore[return-value]


def parse_augment(text: str) -> tuple[str, ...]:
    """``flip,shift,intensity`` / ``all`` / ``none`` (or empty) -> the kinds in :data:`AUGMENTATIONS` order."""
    words = {w.strip() for w in text.lower().replace("+", ",").split(",") if w.strip()}
    if words <= {"none", "off", "0", "false"}:
        return ()
    if words == {"all"}:
        return AUGMENTATIONS
    unknown = sorted(words - set(AUGMENTATIONS))
    if unknown:
        raise BenchError(f"--model-opt augment={text}: unknown {unknown[0]!r} (use {', '.join(AUGMENTATIONS)}, all or none)")
    return tuple(k for k in AUGMENTATIONS if k in words)


def from_params(model: str, params: Mapping[str, Any], base: ShenConfig | None = None) -> ShenConfig:
    """The configuration of ``model`` (a name in :data:`VARIANTS`) with user options applied."""
    if model not in VARIANTS:
        raise BenchError(f"unknown Shen model {model!r} (known: {', '.join(VARIANTS)})")
    cfg = base or replace(ShenConfig(), **VARIANTS[model])
    words = {k: v.strip().lower() if isinstance(v, str) else v for k, v in params.items()}  # case-insensitive
    return validate(apply_options(cfg, words, owner=model, fixed=("arch", "channels")), model)


POSITIVE = {"minimum": 0, "exclusive": True}
CONFIG_SCHEMA: Mapping[str, Field] = {
    "arch": Field(str, choices=("bcn", "fcn", "fifcn")),
    "dropout": Field(bool),
    "bn": Field(bool),
    "loss": Field(str, choices=("ce", "dice")),
    "classes": Field(int, choices=(2, 5)),
    "width": Field(float, **POSITIVE),
    "rate": Field(float, minimum=0, maximum=1),
    "lr": Field(float, **POSITIVE),
    "lr_decay": Field(float, **POSITIVE),
    "l2": Field(float, minimum=0),
    "batch": Field(int, minimum=0),
    "steps": Field(int, minimum=0),
    "epochs": Field(int, minimum=1),
    "crop": Field(list, items=int, length=(3,), minimum=16),
    "patch": Field(int, minimum=0),
    "tile": Field(int, minimum=1),
    "infer_batch": Field(int, minimum=1),
    "val_every": Field(int, minimum=1),
    "val_cases": Field(int, minimum=0),
    "time_budget": Field(float, minimum=0),
    "transfer": Field(str, choices=("", *TRANSFER_MODES)),
    "augment": Field(str),
    "max_shift": Field(int, minimum=0),
    "bn_stats": Field(str, choices=("running", "volume")),
    "channels": Field(list, items=str, item_choices=CHANNELS, length=(1, 2, 3, 4), unique=True),
}
"""What ``config.json`` of a Shen model may hold (every key optional: older files lack some)."""


def from_json(data: Mapping[str, Any], source: Path | str = "config.json") -> ShenConfig:
    """A configuration read back from ``config.json`` (unknown keys ignored), checked against
    :data:`CONFIG_SCHEMA` and :func:`validate`; a bad value is one line naming ``source`` and the key."""
    data = check(data, CONFIG_SCHEMA, source)
    names = {f.name for f in fields(ShenConfig)}
    values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
    cfg = ShenConfig(**values)
    try:
        return validate(cfg, cfg.arch)
    except BenchError as exc:
        raise BenchError(f"{source}: key {str(exc).removeprefix('--model-opt ')}") from None


def validate(cfg: ShenConfig, model: str) -> ShenConfig:
    if cfg.loss not in ("ce", "dice"):
        raise BenchError(f"--model-opt loss={cfg.loss}: use ce or dice ({model})")
    if cfg.classes not in (2, 5):
        raise BenchError(f"--model-opt classes={cfg.classes}: use 2 (whole tumour) or 5 (labels 0..4) ({model})")
    if cfg.width <= 0:
        raise BenchError(f"--model-opt width={cfg.width}: must be positive ({model})")
    if cfg.transfer and cfg.transfer not in TRANSFER_MODES:
        raise BenchError(f"--model-opt transfer={cfg.transfer}: use one of {', '.join(TRANSFER_MODES)} ({model})")
    if len(cfg.crop) != 3 or any(c <= 0 or c % 16 for c in cfg.crop):
        raise BenchError(f"--model-opt crop={cfg.crop}: three positive multiples of 16 ({model})")
    if cfg.patch and (cfg.patch < 17 if cfg.arch == "bcn" else cfg.patch % 4):
        raise BenchError(f"--model-opt patch={cfg.patch}: BCN needs > 16, FCN a multiple of 4 ({model})")
    if "shift" in cfg.augmentations and cfg.arch == "bcn":
        raise BenchError(f"--model-opt augment={cfg.augment}: BCN targets are smaller than its patches, "
                         f"so shift does not apply (use flip,intensity) ({model})")
    if cfg.bn_stats not in ("running", "volume"):
        raise BenchError(f"--model-opt bn_stats={cfg.bn_stats}: use running or volume ({model})")
    if cfg.bn_stats == "volume" and cfg.arch != "fifcn":
        raise BenchError(f"--model-opt bn_stats=volume: only the full-image FCN takes it ({model})")
    if not 0 < cfg.lr_decay <= 1:
        raise BenchError(f"--model-opt lr_decay={cfg.lr_decay}: must be in (0, 1] ({model})")
    if cfg.max_shift < 0:
        raise BenchError(f"--model-opt max_shift={cfg.max_shift}: must be >= 0 ({model})")
    for key in ("tile", "infer_batch", "epochs", "val_every"):
        if getattr(cfg, key) <= 0:
            raise BenchError(f"--model-opt {key}={getattr(cfg, key)}: must be positive ({model})")
    return cfg
