"""Reading and writing NIfTI volumes: native dtype, affine, spacing; clear errors; atomic writes.

Loading reads a NIfTI-1 file (``.nii`` or ``.nii.gz``) straight into one preallocated array of
the stored dtype, decompressing with ISA-L (``isal``) when it is installed and with the standard
``gzip`` module otherwise. There is no float64 copy (``get_fdata``) and no intermediate buffer.
Scaled integers (``scl_slope``/``scl_inter``) come back as float32 with the scaling applied, as
nibabel applies it. Anything the fast path does not cover (NIfTI-2, Analyze, other suffixes) is
read by nibabel.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from tumorbench.contract.values import Volume
from tumorbench.errors import BenchError, folded
from tumorbench.io.atomic import atomic_path
from tumorbench.io.paths import absent_reason
from tumorbench.io.size_cap import check_size, max_bytes

try:  # ISA-L's gzip is several times faster than zlib's; same file format
    from isal import igzip as _gzip
    from isal.isal_zlib import error as _IsalError

    _GZIP_ERRORS: tuple[type[BaseException], ...] = (zlib.error, _IsalError, gzip.BadGzipFile)
except ImportError:  # pragma: no cover - isal is a declared dependency
    _gzip = gzip  # type: ignore[assignment]
    _GZIP_ERRORS = (zlib.error, gzip.BadGzipFile)

GZIP_BACKEND = "isal" if _gzip is not gzip else "gzip"
"""Which gzip implementation :func:`load_volume` uses."""

_NIFTI1_HEADER_SIZE = 348


def _open(path: Path) -> BinaryIO:
    if path.name.endswith(".gz"):
        return _gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _read_exact(stream: BinaryIO, buffer: memoryview) -> int:
    """Fill ``buffer`` from ``stream``; returns the number of bytes read (less at end of file)."""
    total = 0
    size = len(buffer)
    while total < size:
        n = stream.readinto(buffer[total:])  # type: ignore[attr-defined]
        if not n:
            break
        total += n
    return total


def _data_offset(path: Path, header) -> int:
    """Where the data starts (at least 352); an offset beyond the byte cap is refused."""
    offset = float(header["vox_offset"])
    if not np.isfinite(offset) or offset > max_bytes():
        raise BenchError(f"{path}: header's data offset {offset:g} is not a plausible position")
    return max(int(offset), 352)


def _skip(stream: BinaryIO, count: int, chunk: int = 1 << 20) -> int:
    """Read and drop ``count`` bytes in bounded chunks; returns how many there were."""
    done = 0
    while done < count:
        got = len(stream.read(min(chunk, count - done)))
        if not got:
            break
        done += got
    return done


def _fast_load(path: Path):
    """(array, header) read directly, or None when the file is not a single-file NIfTI-1."""
    import nibabel as nib

    with _open(path) as stream:
        raw = stream.read(_NIFTI1_HEADER_SIZE)
        if len(raw) < _NIFTI1_HEADER_SIZE:
            raise BenchError(f"{path}: not a NIfTI image (file shorter than a NIfTI-1 header)")
        size_le = int.from_bytes(raw[:4], "little")
        size_be = int.from_bytes(raw[:4], "big")
        if _NIFTI1_HEADER_SIZE not in (size_le, size_be) or raw[344:347] != b"n+1":
            return None
        header = nib.Nifti1Header.from_fileobj(io.BytesIO(raw), check=False)
        try:
            dtype = header.get_data_dtype()
        except Exception:  # KeyError / HeaderDataError for a code NIfTI does not define
            raise BenchError(f"{path}: unknown NIfTI data type code {int(header['datatype'])}") from None
        if dtype.fields is not None or dtype.hasobject:
            return None
        shape = tuple(int(s) for s in header.get_data_shape())
        check_size(path, shape, dtype, scaled=_has_scaling(header), swapped=not dtype.isnative)
        offset = _data_offset(path, header)
        if _skip(stream, offset - _NIFTI1_HEADER_SIZE) < offset - _NIFTI1_HEADER_SIZE:
            raise BenchError(f"{path}: truncated file (ends inside the header)")
        data = np.empty(shape, dtype=dtype, order="F")
        flat = data.reshape(-1, order="F").view(np.uint8)
        got = _read_exact(stream, memoryview(flat))
        if got < flat.size:
            raise BenchError(f"{path}: truncated file ({got} of {flat.size} data bytes)")
        stream.read(1)  # reach the gzip trailer so its CRC and length are checked
    if not dtype.isnative:
        data = data.astype(dtype.newbyteorder("="))
    return data, header


def _has_scaling(header) -> bool:
    slope, inter = header.get_slope_inter()
    return (slope is not None and float(slope) != 1.0) or (inter is not None and float(inter) != 0.0)


def _scaled(data: np.ndarray, header) -> np.ndarray:
    slope, inter = header.get_slope_inter()
    if slope is None and inter is None:
        return data
    return _apply_scaling(data, 1.0 if slope is None else float(slope), 0.0 if inter is None else float(inter))


def _apply_scaling(data: np.ndarray, slope: float, inter: float) -> np.ndarray:
    if slope == 1.0 and inter == 0.0:
        return data
    # integers scale to float32; float64 and complex data keep their precision (and imaginary part)
    kind = np.result_type(data.dtype, np.float32) if data.dtype.kind in "fc" else np.dtype(np.float32)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow gives inf, which the data checks report
        out = data.astype(kind)
        if slope != 1.0:
            out *= kind.type(slope)
        if inter != 0.0:
            out += kind.type(inter)
    return out


def _nibabel_load(path: Path):
    """(data, header, affine) through nibabel, for what the fast path does not read."""
    import logging

    import nibabel as nib

    logger = logging.getLogger("nibabel.global")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # nibabel logs its header "fixes"; errors reach the user as BenchError
    try:
        image = nib.load(str(path))
    finally:
        logger.setLevel(level)
    proxy = image.dataobj
    dtype = np.dtype(image.header.get_data_dtype())
    slope, inter = (float(getattr(proxy, "slope", 1.0)), float(getattr(proxy, "inter", 0.0)))
    check_size(path, tuple(int(s) for s in image.header.get_data_shape()), dtype,
               scaled=(slope, inter) != (1.0, 0.0), swapped=not dtype.isnative)
    if hasattr(proxy, "get_unscaled"):
        data = _apply_scaling(np.asarray(proxy.get_unscaled()), float(proxy.slope), float(proxy.inter))
    else:
        data = np.asarray(proxy)
    return data, image.header, np.asarray(image.affine, dtype=np.float64)


def geometry_problem(affine: np.ndarray, spacing: tuple[float, ...]) -> str | None:
    """Why an image's geometry cannot be trusted (distances in mm would be wrong), or None."""
    if not all(np.isfinite(s) and s > 0 for s in spacing):
        return f"voxel size {tuple(float(s) for s in spacing)} is not positive and finite"
    if not np.isfinite(affine).all():
        return "affine holds NaN or infinity"
    if abs(float(np.linalg.det(affine[:3, :3]))) < 1e-12:
        return "affine is singular (its axes do not span space)"
    return None


def load_volume(path: Path | str, *, expect_3d: bool = True) -> Volume:
    """Load a NIfTI file keeping its stored dtype (scaled integers are scaled to float32).

    Raises:
        BenchError: one line naming the file and the cause (missing, corrupt, truncated, not 3D).
    """
    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: {absent_reason(path)}")
    try:
        fast = _fast_load(path) if path.name.endswith((".nii", ".nii.gz")) else None
        if fast is not None:
            raw, header = fast
            data = _scaled(raw, header)
            affine = np.asarray(header.get_best_affine(), dtype=np.float64)
        else:
            data, header, affine = _nibabel_load(path)
    except BenchError:
        raise
    except EOFError as exc:
        raise BenchError(f"{path}: truncated gzip file") from exc
    except _GZIP_ERRORS as exc:
        raise BenchError(f"{path}: corrupt gzip data") from exc
    except OSError as exc:
        raise BenchError(f"{path}: cannot read ({folded(exc)})") from exc
    except Exception as exc:  # nibabel raises several types for bad headers
        raise BenchError(f"{path}: not a readable NIfTI image ({type(exc).__name__}: {folded(exc)})") from exc
    if expect_3d and data.ndim != 3:
        raise BenchError(f"{path}: expected a 3D image, found shape {tuple(data.shape)}")
    try:
        spacing = tuple(float(s) for s in header.get_zooms()[:3])
    except Exception as exc:  # nibabel's header checks
        raise BenchError(f"{path}: unreadable voxel size ({type(exc).__name__}: {folded(exc)})") from exc
    problem = geometry_problem(affine, spacing)
    if problem:
        raise BenchError(f"{path}: {problem}")
    return Volume(data=data, affine=affine, spacing=spacing, path=path)  # type: ignore[arg-type]


def save_volume(path: Path | str, data: np.ndarray, affine: np.ndarray) -> Path:
    """Write ``data`` on grid ``affine`` atomically (temporary file, then rename)."""
    import nibabel as nib

    path = Path(path)
    image = nib.Nifti1Image(np.asarray(data), np.asarray(affine, dtype=np.float64))
    image.set_qform(affine, code=1)
    image.set_sform(affine, code=1)
    with atomic_path(path) as tmp:
        nib.save(image, str(tmp))
    return path
