"""Shared geometry for the distance metrics: bounding boxes, medpy surfaces, nearest distances.

Everything here is exact: cropping, grid shells and KD-tree queries change the cost, never a
value [C].
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

SHELL_RADIUS = 4
"""Grid offsets up to this many (smallest) voxel spacings are tried directly; points farther
away are left unresolved (``inf``) until :func:`fill_far` asks a KD-tree."""


def as_mask(array: np.ndarray) -> np.ndarray:
    """A boolean view of ``array`` (no copy when it is already boolean)."""
    a = np.asarray(array)
    return a if a.dtype == bool else a.astype(bool)


def _c_box(v: np.ndarray) -> list[tuple[int, int]] | None:
    """(start, stop) per axis of the True voxels of a C-contiguous uint8 array (ndim >= 2)."""
    first = np.flatnonzero(v.reshape(v.shape[0], -1).max(axis=1))
    if first.size == 0:
        return None
    lo, hi = int(first[0]), int(first[-1]) + 1
    rest = v[lo:hi].max(axis=0)
    ranges = [(lo, hi)]
    if rest.ndim == 1:
        nz = np.flatnonzero(rest)
        return ranges + [(int(nz[0]), int(nz[-1]) + 1)]
    sub = _c_box(np.ascontiguousarray(rest))
    return ranges + sub if sub is not None else None


def bounding_box(mask: np.ndarray, margin: int = 0) -> tuple[slice, ...] | None:
    """Slices of the smallest box holding every True voxel, grown by ``margin`` and clamped.

    None for an empty mask. About one fast read of the mask, in its own memory order.
    """
    m = as_mask(mask)
    if m.ndim == 1:
        nz = np.flatnonzero(m)
        ranges = [(int(nz[0]), int(nz[-1]) + 1)] if nz.size else None
    elif m.flags.c_contiguous:
        ranges = _c_box(m.view(np.uint8))
    elif m.flags.f_contiguous:
        ranges = _c_box(m.T.view(np.uint8))
        ranges = ranges[::-1] if ranges is not None else None
    else:
        ranges = _c_box(np.ascontiguousarray(m).view(np.uint8))
    if ranges is None:
        return None
    return tuple(
        slice(max(lo - margin, 0), min(hi + margin, n)) for (lo, hi), n in zip(ranges, m.shape, strict=True)
    )


def union_box(a: np.ndarray, b: np.ndarray, margin: int = 1) -> tuple[slice, ...] | None:
    """Bounding box of ``a | b`` grown by ``margin`` voxels (clamped to the image)."""
    box_a, box_b = bounding_box(a, margin), bounding_box(b, margin)
    if box_a is None or box_b is None:
        return box_a or box_b
    return hull(box_a, box_b)


def hull(box_a: tuple[slice, ...], box_b: tuple[slice, ...]) -> tuple[slice, ...]:
    """The smallest box holding both boxes."""
    return tuple(slice(min(a.start, b.start), max(a.stop, b.stop)) for a, b in zip(box_a, box_b, strict=True))


def border_coordinates(mask: np.ndarray) -> np.ndarray:
    """``(n, ndim)`` coordinates of the voxels of ``mask`` with a 6-neighbour outside it; the array
    border counts as outside.

    The voxels of ``mask ^ binary_erosion(mask, generate_binary_structure(ndim, 1))`` (medpy's
    surface) [C], in C order. Only the mask's own voxels are visited (six neighbour lookups each),
    so a sparse mask in a large box costs little.
    """
    m = as_mask(mask)
    padded = np.zeros(tuple(n + 2 for n in m.shape), dtype=bool)
    padded[tuple(slice(1, -1) for _ in m.shape)] = m
    flat = padded.ravel()
    idx = np.flatnonzero(flat)
    interior = np.ones(idx.size, dtype=bool)
    for stride in (int(np.prod(padded.shape[axis + 1 :])) for axis in range(m.ndim)):
        interior &= flat[idx - stride]
        interior &= flat[idx + stride]
    border = idx[~interior]
    return np.stack(np.unravel_index(border, padded.shape), axis=1) - 1


@lru_cache(maxsize=32)
def _offsets(spacing: tuple[float, ...], radius: int) -> tuple[tuple[int, ...], np.ndarray, np.ndarray, np.ndarray, float]:
    """Integer offsets with scaled length <= ``radius * min(spacing)``, sorted by length (0 first).

    Returns (half-widths per axis, offsets (n, ndim), lengths (n,), start index of each run of
    equal length, the length limit).
    """
    limit = radius * min(spacing)
    half = tuple(int(math.floor(limit / s)) for s in spacing)
    grids = np.meshgrid(*[np.arange(-h, h + 1) for h in half], indexing="ij")
    off = np.stack([x.ravel() for x in grids], axis=1)
    length = np.sqrt(((off * np.asarray(spacing, dtype=np.float64)) ** 2).sum(axis=1))
    keep = length <= limit
    off, length = off[keep], length[keep]
    order = np.argsort(length, kind="stable")
    off, length = off[order], length[order]
    starts = np.flatnonzero(np.r_[True, length[1:] != length[:-1]])
    return half, off, length, starts, limit


def _may_have_target(
    sources: np.ndarray, targets: np.ndarray, shape: tuple[int, ...], half: tuple[int, ...]
) -> np.ndarray:
    """False for the sources with no target inside their shell cube (``|offset| <= half`` per axis).

    Blocks of ``max(half, 1)`` voxels per axis: a source whose block and 26 neighbouring blocks
    hold no target has none within ``half`` voxels along any axis, so its shell search would find
    nothing; it is left to the KD-tree without walking every offset (exact screen) [C].
    """
    block = np.maximum(np.asarray(half, dtype=np.float64), 1.0)
    grid = tuple(int(n // b) + 3 for n, b in zip(shape, block, strict=True))  # one empty block each side
    strides = np.array([int(np.prod(grid[i + 1 :])) for i in range(len(grid))], dtype=np.int64)
    inverse = 1.0 / block

    def block_index(points: np.ndarray) -> np.ndarray:
        # floor(c / b) for integers c >= 0 as floor((c + 0.5) / b): no exact-multiple rounding trap
        return ((points + 0.5) * inverse).astype(np.int64) @ strides + int(strides.sum())

    occupied = np.zeros(grid, dtype=bool)
    occupied.ravel()[block_index(targets)] = True
    for axis in range(occupied.ndim):  # dilate by one block along each axis (a 3x3x3 neighbourhood)
        lo, hi = [slice(None)] * occupied.ndim, [slice(None)] * occupied.ndim
        lo[axis], hi[axis] = slice(0, -1), slice(1, None)
        grown = occupied.copy()
        grown[tuple(lo)] |= occupied[tuple(hi)]
        grown[tuple(hi)] |= occupied[tuple(lo)]
        occupied = grown
    return occupied.ravel()[block_index(sources)]


def near_distances(
    sources: np.ndarray, targets: np.ndarray, shape: tuple[int, ...], spacing: tuple[float, ...]
) -> np.ndarray:
    """Distance from each source point to the nearest target point, where it is at most
    :data:`SHELL_RADIUS` smallest spacings; ``inf`` for farther points (use :func:`fill_far`).

    ``sources`` and ``targets`` are integer voxel coordinates ``(n, ndim)`` inside a grid of
    ``shape``; distances are Euclidean with ``spacing``. Grid offsets are tried in increasing
    length: the first one that lands on a target gives the exact nearest distance.
    """
    spacing = tuple(float(s) for s in spacing)
    out = np.full(len(sources), np.inf)
    if len(sources) == 0 or len(targets) == 0:
        return out
    half, off, length, starts, _ = _offsets(spacing, SHELL_RADIUS)
    padded_shape = tuple(n + 2 * h for n, h in zip(shape, half, strict=True))
    lookup = np.zeros(int(np.prod(padded_shape)), dtype=bool)
    strides = np.array([int(np.prod(padded_shape[i + 1 :])) for i in range(len(shape))], dtype=np.int64)
    shift = np.asarray(half, dtype=np.int64)
    lookup[(targets + shift) @ strides] = True
    pos = np.flatnonzero(_may_have_target(sources, targets, shape, half))
    idx = (sources[pos] + shift) @ strides
    flat_off = off @ strides
    ends = np.r_[starts[1:], len(off)]
    for start, end in zip(starts, ends, strict=True):
        hit = lookup[idx + flat_off[start]]
        for j in range(start + 1, end):
            hit |= lookup[idx + flat_off[j]]
        if hit.any():
            out[pos[hit]] = length[start]
            keep = ~hit
            idx, pos = idx[keep], pos[keep]
            if idx.size == 0:
                break
    return out


def fill_far(
    distances: np.ndarray, sources: np.ndarray, targets: np.ndarray, spacing: tuple[float, ...]
) -> np.ndarray:
    """Replace the ``inf`` entries of :func:`near_distances` by exact KD-tree distances (in place)."""
    far = np.flatnonzero(np.isinf(distances))
    if far.size:
        from scipy.spatial import cKDTree  # deferred: scipy.spatial takes ~0.3 s to import

        scale = np.asarray(spacing, dtype=np.float64)
        # sliding-midpoint tree: cheaper to build and to query for surface points; still exact
        tree = cKDTree(targets * scale, leafsize=32, balanced_tree=False, compact_nodes=False)
        distances[far], _ = tree.query(sources[far] * scale, k=1, workers=1)
    return distances


def nearest_distances(sources: np.ndarray, targets: np.ndarray, spacing: tuple[float, ...]) -> np.ndarray:
    """Exact distance from every True voxel of the mask ``sources`` to the nearest True voxel of the
    mask ``targets`` (same shape, ``targets`` not empty), in the order of ``np.argwhere(sources)``."""
    src, tgt = np.argwhere(sources), np.argwhere(targets)
    return fill_far(near_distances(src, tgt, sources.shape, spacing), src, tgt, spacing)
