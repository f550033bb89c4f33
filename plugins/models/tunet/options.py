"""TuNet options: the variant a plugin name stands for and the ``--model-opt`` values it accepts.

Values arrive as strings from the command line (``width=4 depth=3 patch=32,32,32``) and are parsed
here; nothing in this module imports TensorFlow. Defaults are the paper's ([P]) or its code's ([C])
as summarised in ``docs/tunet.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from tumorbench.api import FIXED, BenchError, Field, apply_options

MODALITIES: tuple[str, ...] = ("t1", "t1ce", "flair", "t2")
REGIONS: tuple[str, ...] = ("WT", "TC", "ET")
"""The regions a TuNet predicts, in its output channels' order."""
"""Input channel order of the authors' code [C]."""

VARIANTS: Mapping[str, tuple[str, bool]] = {
    "tunet": ("plain", False),
    "tunet-seb": ("plain", True),
    "tunet-reb1": ("reb1", False),
    "tunet-reb1-seb": ("reb1", True),
    "tunet-reb2": ("reb2", False),
    "tunet-reb2-seb": ("reb2", True),
}
"""Plugin name -> (block type, squeeze-and-excitation on)."""

PAPER_PARAMS: Mapping[str, float] = {
    "tunet": 12.32e6,
    "tunet-seb": 12.45e6,
    "tunet-reb1": 4.91e6,
    "tunet-reb1-seb": 4.95e6,
    "tunet-reb2": 4.61e6,
    "tunet-reb2-seb": 4.64e6,
}
"""Parameter counts of the full-size variants (docs/tunet.md)."""


@dataclass(frozen=True)
class TuNetOptions:
    """Architecture, preprocessing and training options of one TuNet variant.

    Architecture: ``width`` base filters (16 [P]), ``depth`` levels (4 [C]), ``block`` and ``se``
    from the plugin name. Preprocessing: ``grid`` the size the brain box is resampled to
    (160,192,128 [C]; ``none`` keeps the cropped voxels), ``patch`` (80,96,64 [P]). Training:
    ``batch`` (4 [P]), ``lr`` (1e-4 [P]), ``l2`` (1e-5 [P]), ``lr_patience`` (6 [P]) with
    ``lr_factor`` (0.2 [P]), ``stop_patience`` (15 [P]), ``max_epochs`` (200 [P]), ``augment``
    (rotation +-1 degree and x-flip p=0.5 [P]), ``steps`` (cap on steps per epoch, 0 = every
    patch [A]), ``val_steps`` (cap on validation batches per epoch, spread evenly over the
    validation tiles, 0 = every tile [A]; Keras's ``validation_steps``), ``prior`` (initial output of the sigmoid heads via their bias: 0.5 is Keras's zero
    bias [C]; a small prior such as 0.01 lets short CPU runs skip the slow descent from 0.5 [A]),
    ``time_budget`` (seconds for the whole ``bench train`` call, loading and validation included;
    0 = none [A]). Inference: ``overlap`` fraction of a patch shared by neighbouring tiles (0 [C]).
    """

    block: str = field(default="plain", metadata=FIXED)
    se: bool = field(default=False, metadata=FIXED)
    width: int = 16
    depth: int = 4
    patch: tuple[int, int, int] = (80, 96, 64)
    grid: tuple[int, int, int] | None = (160, 192, 128)
    batch: int = 4
    lr: float = 1e-4
    l2: float = 1e-5
    lr_patience: int = 6
    lr_factor: float = 0.2
    stop_patience: int = 15
    max_epochs: int = 200
    augment: bool = True
    steps: int = 0
    val_steps: int = 0
    overlap: float = 0.0
    prior: float = 0.5
    time_budget: float = 0.0

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["patch"] = list(self.patch)
        out["grid"] = list(self.grid) if self.grid is not None else None
        return out

    @property
    def architecture(self) -> dict[str, Any]:
        """The options that fix the weights' shapes."""
        return {"block": self.block, "se": self.se, "width": self.width, "depth": self.depth}


_IGNORED = {"arg", "path"}

_SIZE3 = Field(list, items=int, length=(3,), minimum=1)
OPTIONS_SCHEMA: Mapping[str, Field] = {
    "block": Field(str, choices=tuple(sorted({b for b, _ in VARIANTS.values()}))),
    "se": Field(bool),
    "width": Field(int, minimum=1),
    "depth": Field(int, minimum=1),
    "patch": _SIZE3,
    "grid": Field(list, items=int, length=(3,), minimum=1, nullable=True),
    "batch": Field(int, minimum=1),
    "lr": Field(float, minimum=0, exclusive=True),
    "l2": Field(float, minimum=0),
    "lr_patience": Field(int, minimum=0),
    "lr_factor": Field(float, minimum=0, maximum=1, exclusive=True),
    "stop_patience": Field(int, minimum=0),
    "max_epochs": Field(int, minimum=1),
    "augment": Field(bool),
    "steps": Field(int, minimum=0),
    "val_steps": Field(int, minimum=0),
    "overlap": Field(float, minimum=0, maximum=1),
    "prior": Field(float, minimum=0, maximum=1, exclusive=True),
}
"""``options`` in a TuNet fold's ``config.json`` (every key optional)."""

CONFIG_SCHEMA: Mapping[str, Field] = {
    "model": Field(str),
    "dataset": Field(str),
    "framework": Field(str, choices=("keras",)),
    "options": Field(dict),
    "seed": Field(int),
    "epochs": Field(int, minimum=0, nullable=True),
    "init_from": Field(str, nullable=True),
}
"""The top level of a TuNet fold's ``config.json``."""


def parse_options(model: str, params: Mapping[str, Any] | None = None, base: TuNetOptions | None = None) -> TuNetOptions:
    """Options of ``model`` with ``params`` (strings or typed values) applied over ``base``.

    Raises:
        BenchError: an unknown key, a value that does not parse, or a patch the depth cannot pool.
    """
    if model not in VARIANTS:
        raise BenchError(f"unknown TuNet variant {model!r} (known: {', '.join(VARIANTS)})")
    block, se = VARIANTS[model]
    values = dict(params or {})
    if str(values.get("grid", "")).strip().lower() in {"crop", "native"}:
        values["grid"] = None  # keep the cropped voxels
    opts = apply_options(
        replace(base or TuNetOptions(), block=block, se=se), values, owner=model, fixed=("block", "se"), ignored=_IGNORED
    )
    _check(model, opts)
    return opts


def _check(model: str, opts: TuNetOptions) -> None:
    if min(opts.patch) < 1 or (opts.grid is not None and min(opts.grid) < 1):
        raise BenchError(f"{model}: patch and grid sizes must be positive")
    if opts.width < 1 or opts.depth < 1 or opts.batch < 1:
        raise BenchError(f"{model}: width, depth and batch must be positive")
    factor = 2 ** (opts.depth - 1)
    if any(p % factor for p in opts.patch):
        raise BenchError(f"{model}: patch {opts.patch} must be divisible by 2^(depth-1) = {factor}")
    if not 0.0 < opts.prior < 1.0:
        raise BenchError(f"{model}: prior must be in (0, 1), got {opts.prior}")
    if not 0.0 <= opts.overlap < 1.0:
        raise BenchError(f"{model}: overlap must be in [0, 1), got {opts.overlap}")
