"""The size cap on images, checked from the NIfTI header before any data is read or decompressed.

A small ``.nii.gz`` can declare (and expand to) gigabytes. The loader refuses a header whose
voxel count or memory need exceeds the cap, so a hostile file costs a few kilobytes, not the
machine's memory. The defaults are far above BraTS (240 x 240 x 155 = 8.9 M voxels, 36 MB as
float32) and above typical research MRI:

    TUMORBENCH_MAX_VOXELS   default 512^3 = 134,217,728 voxels (all channels of a 4D image)
    TUMORBENCH_MAX_BYTES    default 2 GiB: the array as stored, plus the float32 copy that
                            scaling (``scl_slope``/``scl_inter``) or a byte swap makes

Both take an integer, optionally with a binary suffix (``K``, ``M``, ``G``, ``T``: ``4G``).
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np

from tumorbench.errors import BenchError

VOXELS_ENV = "TUMORBENCH_MAX_VOXELS"
BYTES_ENV = "TUMORBENCH_MAX_BYTES"
DEFAULT_MAX_VOXELS = 512**3
DEFAULT_MAX_BYTES = 2 * 1024**3

_SUFFIX = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def _limit(env: str, default: int) -> int:
    text = os.environ.get(env, "").strip()
    if not text:
        return default
    match = re.fullmatch(r"(\d+)\s*([KMGT]?)(?:i?B)?", text, flags=re.IGNORECASE)
    if match is None or int(match.group(1)) <= 0:
        raise BenchError(f"{env}={text!r}: expected a positive integer, optionally with K, M, G or T")
    return int(match.group(1)) * _SUFFIX[match.group(2).upper()]


def max_voxels() -> int:
    """The voxel cap (``TUMORBENCH_MAX_VOXELS``, default 512^3)."""
    return _limit(VOXELS_ENV, DEFAULT_MAX_VOXELS)


def max_bytes() -> int:
    """The memory cap per image (``TUMORBENCH_MAX_BYTES``, default 2 GiB)."""
    return _limit(BYTES_ENV, DEFAULT_MAX_BYTES)


def bytes_needed(shape: tuple[int, ...], dtype: np.dtype, *, scaled: bool, swapped: bool) -> int:
    """Peak bytes of loading: the stored array, plus the scaled copy (float32 for integers, the
    stored precision for float64 and complex) or the byte-swapped copy, whichever is larger."""
    voxels = math.prod(shape)
    dtype = np.dtype(dtype)
    raw = voxels * dtype.itemsize
    copy = max(dtype.itemsize, 4) if dtype.kind in "fc" else 4
    extra = max(voxels * copy if scaled else 0, raw if swapped else 0)
    return raw + extra


def check_size(path: Path | str, shape: tuple[int, ...], dtype: np.dtype, *, scaled: bool = False,
               swapped: bool = False) -> None:
    """Raise one line naming ``path`` when the declared image is malformed or over the cap."""
    if any(s < 0 for s in shape):
        raise BenchError(f"{path}: header declares a negative dimension {shape}")
    voxels = math.prod(shape)
    if voxels == 0:
        raise BenchError(f"{path}: header declares an empty image (shape {shape})")
    limit = max_voxels()
    if voxels > limit:
        raise BenchError(f"{path}: header declares {'x'.join(map(str, shape))} = {voxels:,} voxels, over the "
                         f"cap of {limit:,} ({VOXELS_ENV} raises it)")
    need = bytes_needed(shape, dtype, scaled=scaled, swapped=swapped)
    cap = max_bytes()
    if need > cap:
        raise BenchError(f"{path}: header declares {'x'.join(map(str, shape))} {np.dtype(dtype).name}, "
                         f"{need:,} bytes to load, over the cap of {cap:,} ({BYTES_ENV} raises it)")
