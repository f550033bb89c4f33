"""Seeded training-time augmentation for the Shen models (numpy only).

Every transform acts on a batch ``x`` (N, C, X, Y, Z) and its targets ``y`` (N, X', Y', Z'):

* ``flip``: each spatial axis mirrored with probability 1/2, image and target alike (the target
  must be centred in the input, as it is for every Shen sampler).
* ``shift``: an integer translation of up to ``max_shift`` voxels per axis, image and target
  alike, the uncovered border filled with background (0 after z-scoring; label 0). Needs targets
  of the input's shape (FIFCN, FCN).
* ``intensity``: per channel, brain voxels (any channel non-zero) become ``x * s + b`` with
  ``s`` in [1 - scale, 1 + scale] and ``b`` in [-offset, offset] (z-score units); the background
  stays 0.

The paper does not mention augmentation; all of this is [A]. Draws come from the generator the
caller passes, in a fixed order per sample, so a (seed, epoch) generator repeats them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .options import AUGMENTATIONS as KINDS


@dataclass(frozen=True)
class Augmenter:
    """The transforms in ``kinds`` (a subset of :data:`KINDS`) with their magnitudes."""

    kinds: tuple[str, ...] = KINDS
    max_shift: int = 8
    scale: float = 0.1
    offset: float = 0.1

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown augmentation {unknown[0]!r} (known: {', '.join(KINDS)})")

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __call__(self, rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Augmented copies of ``x`` and ``y``; the inputs are left untouched."""
        if not self.kinds:
            return x, y
        xs, ys = [], []
        for xi, yi in zip(x, y, strict=True):
            xi, yi = self.one(rng, xi, yi)
            xs.append(xi)
            ys.append(yi)
        return np.stack(xs), np.stack(ys)

    def one(self, rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One sample: ``x`` (C, X, Y, Z), ``y`` (X', Y', Z')."""
        if "flip" in self.kinds:
            axes = tuple(a for a in range(3) if rng.random() < 0.5)
            x, y = flip(x, y, axes)
        if "shift" in self.kinds and self.max_shift > 0:
            offsets = tuple(int(v) for v in rng.integers(-self.max_shift, self.max_shift + 1, size=3))
            x, y = shift(x, y, offsets)
        if "intensity" in self.kinds:
            channels = x.shape[0]
            scales = rng.uniform(1 - self.scale, 1 + self.scale, size=channels)
            offsets_i = rng.uniform(-self.offset, self.offset, size=channels)
            x = intensity(x, scales, offsets_i)
        return np.ascontiguousarray(x), np.ascontiguousarray(y)


def flip(x: np.ndarray, y: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Mirror spatial ``axes`` (0..2) of ``x`` (C, X, Y, Z) and ``y`` (X, Y, Z)."""
    if not axes:
        return x, y
    return np.flip(x, axis=tuple(a + 1 for a in axes)), np.flip(y, axis=axes)


def translate(a: np.ndarray, offsets: tuple[int, int, int]) -> np.ndarray:
    """``a`` moved by ``offsets`` voxels along its last three axes, uncovered voxels 0."""
    out = np.zeros_like(a)
    src, dst = [], []
    for d, n in zip(offsets, a.shape[-3:], strict=True):
        d = max(-n, min(n, d))
        src.append(slice(max(-d, 0), n - max(d, 0)))
        dst.append(slice(max(d, 0), n - max(-d, 0)))
    out[(..., *dst)] = a[(..., *src)]
    return out


def shift(x: np.ndarray, y: np.ndarray, offsets: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Translate image and target alike (they must share their spatial shape)."""
    if x.shape[-3:] != y.shape[-3:]:
        raise ValueError(f"shift needs targets of the input's shape, got {x.shape[-3:]} and {y.shape[-3:]}")
    return translate(x, offsets), translate(y, offsets)


def intensity(x: np.ndarray, scales: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per channel ``x * scale + offset`` on brain voxels (any channel non-zero); background 0."""
    brain = np.any(x != 0, axis=0)
    out = x * np.asarray(scales, dtype=x.dtype)[:, None, None, None]
    out += np.asarray(offsets, dtype=x.dtype)[:, None, None, None] * brain
    return out.astype(x.dtype, copy=False)
