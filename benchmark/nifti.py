"""Reading and writing NIfTI volumes: native dtype, affine, spacing; clear errors; atomic writes."""

from __future__ import annotations

import os
import tempfile
import zlib
from pathlib import Path

import numpy as np

from .errors import BenchError
from .types import Volume


def load_volume(path: Path | str, *, expect_3d: bool = True) -> Volume:
    """Load a NIfTI file keeping its stored dtype (scaled integers are scaled to float32).

    Raises:
        BenchError: one line naming the file and the cause (missing, corrupt, truncated, not 3D).
    """
    import nibabel as nib

    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: file not found")
    try:
        image = nib.load(str(path))
        header = image.header
        slope, inter = header.get_slope_inter()
        scaled = slope is not None and (slope != 1 or (inter or 0) != 0)
        if scaled:
            data = np.asarray(image.get_fdata(dtype=np.float32))
        else:
            data = np.asarray(image.dataobj)
    except (EOFError, zlib.error) as exc:
        raise BenchError(f"{path}: truncated or corrupt gzip ({exc})") from exc
    except OSError as exc:
        raise BenchError(f"{path}: cannot read ({exc})") from exc
    except Exception as exc:  # nibabel raises several types for bad headers
        raise BenchError(f"{path}: not a readable NIfTI image ({type(exc).__name__}: {exc})") from exc
    if expect_3d and data.ndim != 3:
        raise BenchError(f"{path}: expected a 3D image, found shape {tuple(data.shape)}")
    spacing = tuple(float(s) for s in header.get_zooms()[:3])
    return Volume(data=data, affine=np.asarray(image.affine, dtype=np.float64), spacing=spacing, path=path)


def save_volume(path: Path | str, data: np.ndarray, affine: np.ndarray) -> Path:
    """Write ``data`` on grid ``affine`` atomically (temporary file, then rename)."""
    import nibabel as nib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = nib.Nifti1Image(np.asarray(data), np.asarray(affine, dtype=np.float64))
    image.set_qform(affine, code=1)
    image.set_sform(affine, code=1)
    suffix = ".nii.gz" if path.name.endswith(".nii.gz") else path.suffix
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        nib.save(image, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
