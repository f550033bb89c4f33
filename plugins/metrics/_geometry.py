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


def block_edges(half: tuple[int, ...]) -> np.ndarray:
    """Edge per axis, in voxels, of the blocks that screen and bound far points: ``max(half, 1)``."""
    return np.maximum(np.asarray(half, dtype=np.int64), 1)


def _may_have_target(
    sources: np.ndarray, targets: np.ndarray, shape: tuple[int, ...], half: tuple[int, ...]
) -> np.ndarray:
    """False for the sources with no target inside their shell cube (``|offset| <= half`` per axis).

    Blocks of ``max(half, 1)`` voxels per axis: a source whose block and 26 neighbouring blocks
    hold no target has none within ``half`` voxels along any axis, so its shell search would find
    nothing; it is left to the KD-tree without walking every offset (exact screen) [C].
    """
    block = block_edges(half)
    grid = tuple(int(n) // int(b) + 3 for n, b in zip(shape, block, strict=True))  # one empty block each side

    def block_index(points: np.ndarray) -> np.ndarray:
        return np.ravel_multi_index(tuple((points // block + 1).T), grid)

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


def _tree(targets: np.ndarray, spacing: tuple[float, ...]):
    from scipy.spatial import cKDTree  # deferred: scipy.spatial takes ~0.3 s to import

    # sliding-midpoint tree: cheaper to build and to query for surface points; still exact
    return cKDTree(targets * np.asarray(spacing, dtype=np.float64), leafsize=32, balanced_tree=False, compact_nodes=False)


def fill_far(
    distances: np.ndarray, sources: np.ndarray, targets: np.ndarray, spacing: tuple[float, ...]
) -> np.ndarray:
    """Replace the ``inf`` entries of :func:`near_distances` by exact KD-tree distances (in place)."""
    far = np.flatnonzero(np.isinf(distances))
    if far.size:
        scale = np.asarray(spacing, dtype=np.float64)
        distances[far], _ = _tree(targets, spacing).query(sources[far] * scale, k=1, workers=1)
    return distances


FEW_FAR = 256
"""Up to this many far points of one direction are resolved exactly at once; more get bounds first."""


def _block_bounds(
    tree, sources: np.ndarray, spacing: tuple[float, ...], block: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the distances from ``sources`` to the tree's points: the exact
    distance ``D`` of each source's block centre ``c``, plus or minus ``|x - c|`` (a distance
    to a set is 1-Lipschitz); lower bounds are at least ``floor``."""
    scale = np.asarray(spacing, dtype=np.float64)
    cells = sources // block
    keys = np.ravel_multi_index(tuple(cells.T), tuple(cells.max(axis=0) + 1))
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    centres = (cells[first] * block + (block - 1) / 2.0) * scale
    centre_distance = tree.query(centres, k=1, workers=1)[0]
    inverse = inverse.ravel()
    radius = np.sqrt(((sources * scale - centres[inverse]) ** 2).sum(axis=1))
    return np.maximum(centre_distance[inverse] - radius, floor), centre_distance[inverse] + radius


def pooled_percentile(
    directions: list[tuple[np.ndarray, np.ndarray, np.ndarray]], spacing: tuple[float, ...], percent: float
) -> float:
    """``np.percentile`` (linear) of the pooled distances of several ``(distances, sources,
    targets)`` directions whose ``inf`` entries (beyond the shells) are still unresolved.

    Only the order statistics the interpolation reads matter, and every resolved distance sorts
    before every far one. When those ranks reach the far points, large directions get bounds
    first (:func:`_block_bounds`): the bounds give an interval that holds the order statistics,
    and only far points whose bounds meet it are resolved exactly. A point wholly below (above)
    the interval stands in with its upper (lower) bound, which leaves the order statistics
    unchanged [C].
    """
    pooled = np.concatenate([d for d, _, _ in directions])
    n, n_near = pooled.size, int(np.count_nonzero(np.isfinite(pooled)))
    rank = (n - 1) * percent / 100.0
    # ranks floor - 1 .. floor + 1: safe whichever way rounding takes numpy's own virtual index
    i, k = max(int(math.floor(rank)) - 1, 0), min(int(math.floor(rank)) + 1, n - 1)
    if k < n_near:  # the far points lie above every rank read
        return float(np.percentile(pooled, percent))
    half, _, _, _, limit = _offsets(tuple(float(x) for x in spacing), SHELL_RADIUS)
    block = block_edges(half)
    scale = np.asarray(spacing, dtype=np.float64)
    far_lo, far_hi, pending, offset = [], [], [], 0
    for distances, sources, targets in directions:
        far = np.flatnonzero(np.isinf(distances))
        if far.size:
            tree = _tree(targets, spacing)
            if far.size <= FEW_FAR:
                lo = hi = tree.query(sources[far] * scale, k=1, workers=1)[0]
            else:
                lo, hi = _block_bounds(tree, sources[far], spacing, block, limit)
            pending.append((offset + far, tree, sources[far], far.size > FEW_FAR))
            far_lo.append(lo)
            far_hi.append(hi)
        offset += distances.size
    lo, hi = np.concatenate(far_lo), np.concatenate(far_hi)
    floor_value = np.partition(lo, i - n_near)[i - n_near] if i >= n_near else np.partition(pooled[np.isfinite(pooled)], i)[i]
    ceiling_value = np.partition(hi, k - n_near)[k - n_near]
    tolerance = 1e-9 * max(1.0, float(ceiling_value))
    start = 0
    for where, tree, points, bounded in pending:
        stop = start + where.size
        lo_d, hi_d = lo[start:stop], hi[start:stop]
        values = lo_d.copy()
        if bounded:
            values[hi_d < floor_value - tolerance] = hi_d[hi_d < floor_value - tolerance]  # wholly below
            meets = (hi_d >= floor_value - tolerance) & (lo_d <= ceiling_value + tolerance)
            values[meets] = tree.query(points[meets] * scale, k=1, workers=1)[0]
        pooled[where] = values
        start = stop
    return float(np.percentile(pooled, percent))
