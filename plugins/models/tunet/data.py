"""TuNet's data path in NumPy: case -> preprocessed volume, patches, augmentation, and back.

Forward (per case): RAS+ orientation, the channels in :data:`MODALITIES` order, z-score over the
brain [P][C], crop to the brain box [C], resample to ``grid`` [C] (or keep the crop when
``grid`` is None [A]). Backward: resample the probabilities to the box, paste them into the
canonical grid (0 outside), undo the orientation, so they lie on the case's own grid and affine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tumorbench.api import (
    Box,
    Case,
    brain_box,
    brain_mask,
    crop,
    from_canonical_array,
    paste,
    resample,
    to_canonical,
    zscore,
)

from .options import MODALITIES, REGIONS, TuNetOptions


@dataclass(frozen=True, eq=False)
class Prepared:
    """One preprocessed case: image ``(X, Y, Z, 4)`` float32, targets ``(X, Y, Z, 3)`` uint8 or None,
    and what is needed to map predictions back (``box`` in the canonical grid of ``canonical_shape``)."""

    case_id: str
    image: np.ndarray
    target: np.ndarray | None
    box: Box
    canonical_shape: tuple[int, int, int]


def prepare(case: Case, opts: TuNetOptions) -> Prepared:
    """Preprocess ``case`` (targets WT/TC/ET from its label map when it has one)."""
    canon = to_canonical(case)
    channels = canon.stack(MODALITIES)
    mask = brain_mask(channels)
    image = zscore(channels, mask)
    box = brain_box(channels)
    image = crop(image, box)
    target = None
    if canon.label is not None:
        masks = case.convention.to_regions(np.asarray(canon.label.data))
        target = crop(np.stack([masks[r] for r in REGIONS]).astype(np.uint8), box)
    if opts.grid is not None and tuple(opts.grid) != box.shape:
        image = resample(image, opts.grid, order=1).astype(np.float32)
        if target is not None:
            target = resample(target, opts.grid, order=0)
    return Prepared(
        case_id=case.case_id,
        image=np.ascontiguousarray(np.moveaxis(image, 0, -1)),
        target=None if target is None else np.ascontiguousarray(np.moveaxis(target, 0, -1)),
        box=box,
        canonical_shape=tuple(canon.reference.shape),  # type: ignore[arg-type]
    )


def restore(probabilities: np.ndarray, prepared: Prepared, case: Case) -> np.ndarray:
    """``(X, Y, Z, 3)`` probabilities on the preprocessed grid -> ``(3, *case.shape)`` on the case's grid."""
    p = np.moveaxis(probabilities, -1, 0).astype(np.float32)
    if p.shape[1:] != prepared.box.shape:
        p = resample(p, prepared.box.shape, order=1)
    p = paste(np.clip(p, 0.0, 1.0), prepared.box, prepared.canonical_shape, fill=0.0)
    return from_canonical_array(p, case.reference.affine).astype(np.float32)


# ------------------------------------------------------------------ tiles
def tile_starts(size: int, patch: int, overlap: float = 0.0) -> list[int]:
    """Start offsets along one axis covering ``size`` with ``patch``-long tiles.

    Tiles are evenly spread between 0 and ``size - patch``; their number is the fewest that keeps
    neighbours sharing at most ``overlap`` of a patch (so 160 / 80 gives 0, 80). A patch longer
    than the axis gives one tile at 0 (the crop is zero-padded).
    """
    if size <= patch:
        return [0]
    stride = max(1, int(round(patch * (1.0 - overlap))))
    count = math.ceil((size - patch) / stride) + 1
    return sorted({int(round(i * (size - patch) / (count - 1))) for i in range(count)})


def tile_boxes(shape: tuple[int, ...], patch: tuple[int, int, int], overlap: float = 0.0) -> list[Box]:
    """Every tile of the spatial ``shape`` (first three axes)."""
    axes = [tile_starts(shape[i], patch[i], overlap) for i in range(3)]
    return [
        Box((a, b, c), (a + patch[0], b + patch[1], c + patch[2]))
        for a in axes[0]
        for b in axes[1]
        for c in axes[2]
    ]


def _channels_first(a: np.ndarray) -> np.ndarray:
    return np.moveaxis(a, -1, 0)


def extract(volume: np.ndarray, box: Box) -> np.ndarray:
    """A channels-last patch (zero-padded outside the volume)."""
    return np.moveaxis(crop(_channels_first(volume), box), 0, -1)


def stitch(patches: list[np.ndarray], boxes: list[Box], shape: tuple[int, int, int]) -> np.ndarray:
    """Average channels-last patch predictions where tiles overlap; ``(X, Y, Z, C)``."""
    channels = patches[0].shape[-1]
    total = np.zeros((channels, *shape), dtype=np.float64)
    count = np.zeros(shape, dtype=np.float64)
    for patch, box in zip(patches, boxes, strict=True):
        total += paste(_channels_first(patch).astype(np.float64), box, shape)
        count += paste(np.ones(box.shape), box, shape)
    return np.moveaxis((total / np.maximum(count, 1.0)).astype(np.float32), 0, -1)


# ------------------------------------------------------------------ augmentation
def augment(image: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random rotation in [-1, 1] degrees (axial plane [A]) and a mirror flip of x with p = 0.5 [P]."""
    from scipy import ndimage

    angle = float(rng.uniform(-1.0, 1.0))
    image = ndimage.rotate(image, angle, axes=(0, 1), reshape=False, order=1, mode="constant", cval=0.0)
    target = ndimage.rotate(target, angle, axes=(0, 1), reshape=False, order=0, mode="constant", cval=0)
    if rng.random() < 0.5:
        image, target = image[::-1], target[::-1]
    return np.ascontiguousarray(image, dtype=np.float32), np.ascontiguousarray(target)
