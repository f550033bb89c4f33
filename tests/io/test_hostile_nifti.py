"""Hypothesis-generated NIfTI headers against the loader: a Volume or one BenchError, never a
traceback, and never more memory than the size cap (measured with tracemalloc)."""

from __future__ import annotations

import gzip
import math
import os
import tempfile
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nibabel as nib
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tumorbench.errors import BenchError
from tumorbench.io.nifti import load_volume

MAX_VOXELS = 50_000
MAX_BYTES = 1 << 20
SLACK = 1 << 20
"""Interpreter and nibabel overhead allowed above the byte cap."""

DTYPES = [np.uint8, np.int8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]
ODD_FLOATS = st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-30, 1e30, 3e38, float("nan"), float("inf"), float("-inf")])
FLOATS = st.one_of(ODD_FLOATS, st.floats(-1e6, 1e6, allow_nan=False, width=32))


@contextmanager
def capped() -> Iterator[None]:
    """The loader's caps lowered for the test, restored afterwards."""
    saved = {k: os.environ.get(k) for k in ("TUMORBENCH_MAX_VOXELS", "TUMORBENCH_MAX_BYTES")}
    os.environ.update(TUMORBENCH_MAX_VOXELS=str(MAX_VOXELS), TUMORBENCH_MAX_BYTES=str(MAX_BYTES))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@st.composite
def headers(draw: st.DrawFn) -> tuple[bytes, int]:
    """(header bytes, declared data bytes) of a NIfTI-1 single file, any of its fields odd."""
    header = nib.Nifti1Header()
    dtype = draw(st.sampled_from(DTYPES))
    header.set_data_dtype(dtype)
    ndim = draw(st.integers(1, 7))
    small = st.integers(0, 40)
    big = st.sampled_from([1, 255, 1000, 32767])
    shape = [draw(st.one_of(small, small, big)) for _ in range(ndim)]
    header["dim"][0] = ndim
    header["dim"][1:ndim + 1] = shape
    if draw(st.booleans()):
        header["dim"][0] = draw(st.integers(-3, 12))  # out-of-range dimension counts
    if draw(st.booleans()):
        header["datatype"] = draw(st.integers(-5, 3000))  # possibly no dtype at all
    header["pixdim"][: 8] = [draw(FLOATS) for _ in range(8)]
    header["scl_slope"], header["scl_inter"] = draw(FLOATS), draw(FLOATS)
    header["qform_code"], header["sform_code"] = draw(st.integers(-2, 6)), draw(st.integers(-2, 6))
    for field in ("quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z"):
        header[field] = draw(FLOATS)
    for row in ("srow_x", "srow_y", "srow_z"):
        header[row] = [draw(FLOATS) for _ in range(4)]
    header["vox_offset"] = draw(st.one_of(st.just(352.0), FLOATS))
    declared = math.prod(max(s, 0) for s in shape) * np.dtype(dtype).itemsize
    return header.binaryblock, declared


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, bool]:
    """A whole file: header, 4 extension bytes, data (complete, short or long), gzipped or not."""
    block, declared = draw(headers())
    if draw(st.integers(0, 9)) == 0:  # flip a few raw header bytes as well
        raw = bytearray(block)
        for _ in range(draw(st.integers(1, 8))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        block = bytes(raw)
    size = min(declared, 4 * MAX_BYTES)
    length = draw(st.sampled_from([size, size // 2, 0, size + 17]))
    payload = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).bytes(length)
    return block + b"\0" * 4 + payload, draw(st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files(), st.booleans())
def test_any_header_gives_a_volume_or_one_bench_error_within_the_cap(file: tuple[bytes, bool], expect_3d: bool) -> None:
    raw, gz = file
    with tempfile.TemporaryDirectory() as folder, capped():
        path = Path(folder) / ("case.nii.gz" if gz else "case.nii")
        path.write_bytes(gzip.compress(raw, compresslevel=1) if gz else raw)
        tracemalloc.start()
        try:
            volume = load_volume(path, expect_3d=expect_3d)
        except BenchError as exc:
            message = str(exc)
            assert message.startswith(f"{path}: ") and "\n" not in message
            volume = None
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert peak <= MAX_BYTES + SLACK
    if volume is not None:
        assert volume.data.size <= MAX_VOXELS
        assert volume.data.nbytes <= MAX_BYTES
        assert np.isfinite(volume.affine).all()
        assert all(np.isfinite(s) and s > 0 for s in volume.spacing)
        if expect_3d:
            assert volume.data.ndim == 3
