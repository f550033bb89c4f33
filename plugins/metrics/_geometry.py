"""Shared geometry for the distance metrics: bounding-box crops, medpy surfaces, nearest distances.

Everything here is exact: cropping and KD-tree queries change the cost, never a value [C].
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.spatial import cKDTree


def as_mask(array: np.ndarray) -> np.ndarray:
    """A boolean view of ``array`` (no copy when it is already boolean)."""
    a = np.asarray(array)
    return a if a.dtype == bool else a.astype(bool)


def bounding_box(mask: np.ndarray, margin: int = 0) -> tuple[slice, ...] | None:
    """Slices of the smallest box holding every True voxel, grown by ``margin`` and clamped.

    None for an empty mask. One pass per axis over a projection, so it costs about one read of
    the mask.
    """
    slices = []
    # project along the last axis first (contiguous), then reduce the rest
    proj = mask.any(axis=-1) if mask.ndim > 1 else mask
    for axis in range(mask.ndim):
        if axis == mask.ndim - 1:
            line = mask.reshape(-1, mask.shape[-1]).any(axis=0)
        else:
            other = tuple(a for a in range(mask.ndim - 1) if a != axis)
            line = proj.any(axis=other) if other else proj
        nz = np.flatnonzero(line)
        if nz.size == 0:
            return None
        slices.append(slice(max(int(nz[0]) - margin, 0), min(int(nz[-1]) + 1 + margin, mask.shape[axis])))
    return tuple(slices)


def union_box(a: np.ndarray, b: np.ndarray, margin: int = 1) -> tuple[slice, ...] | None:
    """Bounding box of ``a | b`` grown by ``margin`` voxels (clamped to the image)."""
    return bounding_box(a | b, margin)


def medpy_surface(mask: np.ndarray) -> np.ndarray:
    """Voxels of ``mask`` with a 6-neighbour outside it; the array border counts as outside.

    Equals ``mask ^ binary_erosion(mask, generate_binary_structure(ndim, 1))`` (medpy) [C].
    """
    padded = np.pad(mask, 1, constant_values=False)
    interior = mask.copy()
    for axis in range(mask.ndim):
        lo = [slice(1, -1)] * mask.ndim
        hi = [slice(1, -1)] * mask.ndim
        lo[axis] = slice(0, -2)
        hi[axis] = slice(2, None)
        interior &= padded[tuple(lo)]
        interior &= padded[tuple(hi)]
    return mask & ~interior


SHELL_RADIUS = 5
"""Offsets up to this many (smallest) voxel spacings are tried directly; farther points use a KD-tree."""


@lru_cache(maxsize=32)
def _offsets(spacing: tuple[float, ...], radius: int) -> tuple[tuple[int, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Integer offsets with 0 < scaled length <= ``radius * min(spacing)``, sorted by length.

    Returns (half-widths per axis, offsets (n, ndim), lengths (n,), start index of each run of
    equal length).
    """
    limit = radius * min(spacing)
    half = tuple(int(math.floor(limit / s)) for s in spacing)
    grids = np.meshgrid(*[np.arange(-h, h + 1) for h in half], indexing="ij")
    off = np.stack([x.ravel() for x in grids], axis=1)
    length = np.sqrt(((off * np.asarray(spacing, dtype=np.float64)) ** 2).sum(axis=1))
    keep = (length > 0) & (length <= limit)
    off, length = off[keep], length[keep]
    order = np.argsort(length, kind="stable")
    off, length = off[order], length[order]
    starts = np.flatnonzero(np.r_[True, length[1:] != length[:-1]])
    return half, off, length, starts


def nearest_distances(
    sources: np.ndarray, targets: np.ndarray, spacing: tuple[float, ...]
) -> np.ndarray:
    """Euclidean distance (scaled by ``spacing``) from every True voxel of ``sources`` to the
    nearest True voxel of ``targets``, in the C order of ``np.argwhere(sources)``.
    ``targets`` must not be empty.

    Exact nearest-neighbour search in two stages: voxels set in both are 0; then grid offsets
    are tried in increasing length (the first offset that lands on a target is the nearest), up
    to :data:`SHELL_RADIUS` spacings; the points left query a KD-tree of the targets.
    """
    spacing = tuple(float(s) for s in spacing)
    all_pts = np.argwhere(sources)
    out = np.zeros(len(all_pts), dtype=np.float64)
    pending = ~targets[tuple(all_pts.T)]
    pos = np.flatnonzero(pending)
    if pos.size == 0:
        return out
    half, off, length, starts = _offsets(spacing, SHELL_RADIUS)
    padded = np.pad(targets, [(h, h) for h in half])
    flat = padded.ravel()
    strides = np.array([int(np.prod(padded.shape[i + 1 :])) for i in range(padded.ndim)], dtype=np.int64)
    idx = (all_pts[pos] + np.asarray(half)) @ strides
    flat_off = off @ strides
    ends = np.r_[starts[1:], len(off)]
    for start, end in zip(starts, ends, strict=True):
        hit = flat[idx + flat_off[start]]
        for j in range(start + 1, end):
            hit |= flat[idx + flat_off[j]]
        if hit.any():
            out[pos[hit]] = length[start]
            keep = ~hit
            idx, pos = idx[keep], pos[keep]
            if idx.size == 0:
                return out
    scale = np.asarray(spacing, dtype=np.float64)
    tree = cKDTree(np.argwhere(targets) * scale)
    dist, _ = tree.query(all_pts[pos] * scale, k=1, workers=1)
    out[pos] = dist
    return out
