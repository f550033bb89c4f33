"""How much memory a TuNet training holds at once, estimated before it starts [A].

Bytes = 4 x (parameters x 4: weights, gradients, Adam's two moments)
      + 4 x batch x (every layer's output on one patch) x 2 (kept for the backward pass, and its gradient)
      + the preprocessed cases kept in memory (up to the case cache's limit).
The layer outputs are read from the network built on the training patch, so the estimate follows
width, depth, blocks, patch and batch.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from tumorbench.api import MemoryEstimate, check_memory, memory_available

from .options import TuNetOptions

FLOAT = 4
ACTIVATION_FACTOR = 2


def _activation_values(model: Any) -> int:
    total = 0
    for layer in model.layers:
        outputs = layer.output if isinstance(layer.output, (list, tuple)) else [layer.output]
        for out in outputs:
            total += math.prod(int(d) for d in out.shape[1:])
    return total


def estimate(opts: TuNetOptions, cases: int, keras: Any, cache_limit: int) -> MemoryEstimate:
    """The estimate for ``opts`` with ``cases`` preprocessed cases to keep."""
    from .network import build_tunet

    model = build_tunet(opts, keras, patch=opts.patch)
    params, values = model.count_params(), _activation_values(model)
    del model
    keras.backend.clear_session()
    per_case = math.prod(opts.grid) * (4 * FLOAT + 3) if opts.grid else 0
    return MemoryEstimate(
        parameters=params * FLOAT,
        optimizer=3 * params * FLOAT,
        activations=ACTIVATION_FACTOR * opts.batch * values * FLOAT,
        data=min(cases * per_case, cache_limit),
    )


def _scaled(base: MemoryEstimate, opts: TuNetOptions, new: TuNetOptions) -> MemoryEstimate:
    """``base`` rescaled to other batch / patch / width (activations ~ batch x voxels x width)."""
    voxels = math.prod(new.patch) / math.prod(opts.patch)
    width = new.width / opts.width
    return replace(
        base,
        parameters=int(base.parameters * width**2),
        optimizer=int(base.optimizer * width**2),
        activations=int(base.activations * new.batch / opts.batch * voxels * width),
    )


def _smaller_patch(opts: TuNetOptions) -> tuple[int, int, int]:
    factor = 2 ** (opts.depth - 1)
    return tuple(max(factor, (p // 2) // factor * factor) for p in opts.patch)  # type: ignore[return-value]


def suggestion(base: MemoryEstimate, opts: TuNetOptions, available: int) -> str:
    """The first of: a smaller batch, a smaller patch, a smaller width, that fits ``available``."""
    tries: list[tuple[str, TuNetOptions]] = []
    batch = opts.batch
    while batch > 1:
        batch //= 2
        tries.append((f"batch={batch}", replace(opts, batch=batch)))
    one = replace(opts, batch=1)
    patch = _smaller_patch(one)
    if patch != one.patch:
        tries.append((f"batch=1 --model-opt patch={','.join(map(str, patch))}", replace(one, patch=patch)))
    small = replace(one, patch=patch)
    width = max(1, opts.width // 2)
    while width >= 1:
        tries.append((f"batch=1 --model-opt patch={','.join(map(str, patch))} --model-opt width={width}",
                      replace(small, width=width)))
        if width == 1:
            break
        width //= 2
    for text, new in tries:
        if _scaled(base, opts, new).total <= available:
            return f"use --model-opt {text}"
    return "use a machine with more memory (or a GPU: --device cuda)"


def check(model: str, opts: TuNetOptions, cases: int, keras: Any, cache_limit: int) -> MemoryEstimate:
    """Refuse with one line naming an option that fits when the training will not fit in memory."""
    base = estimate(opts, cases, keras, cache_limit)
    available = memory_available()
    if available is not None and base.total > available:
        check_memory(model, base, suggestion(base, opts, available), available)
    return base
