"""Invertible preprocessing shared by the models: canonical orientation, z-score, crop, resample.

Every forward step returns what it needs to be undone, so predictions go back onto the case's own
grid and affine::

    canon = to_canonical(case)                     # RAS voxel order, same voxels
    x = zscore(canon.stack(modalities))            # per modality, over brain voxels
    box = brain_box(x, margin=0); x = crop(x, box)
    ...model...
    p = paste(p, box, canon.shape); p = from_canonical(p, case)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tumorbench.contract.values import Case, Volume


# ------------------------------------------------------------------ orientation
def orientation_transform(affine: np.ndarray) -> np.ndarray:
    """nibabel orientation transform from an affine's voxel axes to RAS+."""
    import nibabel as nib

    return nib.orientations.io_orientation(affine)


def to_canonical_array(data: np.ndarray, affine: np.ndarray) -> np.ndarray:
    """Reorder the last three axes of ``data`` (leading channel axes allowed) into RAS+ order."""
    import nibabel as nib

    ornt = orientation_transform(affine)
    lead = data.ndim - 3
    full = np.concatenate([np.array([[i, 1] for i in range(lead)]).reshape(-1, 2), ornt + [lead, 0]])
    return np.ascontiguousarray(nib.orientations.apply_orientation(data, full))


def from_canonical_array(data: np.ndarray, affine: np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_canonical_array` for a case whose grid has ``affine``."""
    import nibabel as nib

    ornt = orientation_transform(affine)
    inverse = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt(("R", "A", "S")), ornt)
    lead = data.ndim - 3
    full = np.concatenate([np.array([[i, 1] for i in range(lead)]).reshape(-1, 2), inverse + [lead, 0]])
    return np.ascontiguousarray(nib.orientations.apply_orientation(data, full))


def from_canonical(data: np.ndarray, case: Case) -> np.ndarray:
    """Inverse of :func:`to_canonical` for an array on the canonical grid of ``case`` (channel
    axes in front allowed): back to the case's own voxel order, the grid predictions are written on."""
    return from_canonical_array(data, case.reference.affine)


def to_canonical(case: Case) -> Case:
    """The same case with every volume reordered to RAS+ voxel order (affine updated)."""
    import nibabel as nib

    def convert(v: Volume) -> Volume:
        ornt = orientation_transform(v.affine)
        data = to_canonical_array(np.asarray(v.data), v.affine)
        affine = v.affine @ nib.orientations.inv_ornt_aff(ornt, v.shape)
        spacing = tuple(float(np.linalg.norm(affine[:3, i])) for i in range(3))
        return Volume(data=data, affine=affine, spacing=spacing, path=v.path)  # type: ignore[arg-type]

    images = {m: convert(v) for m, v in case.images.items()}
    label = convert(case.label) if case.label is not None else None
    return replace(case, images=images, label=label)


# ------------------------------------------------------------------ intensity
def brain_mask(channels: np.ndarray) -> np.ndarray:
    """Voxels where any channel is non-zero (BraTS images are skull-stripped, 0 outside)."""
    return np.any(channels != 0, axis=0)


def zscore(channels: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Per-channel (mean 0, sd 1) over brain voxels; voxels outside the brain stay 0 (float32)."""
    channels = np.asarray(channels, dtype=np.float32)
    mask = brain_mask(channels) if mask is None else mask
    out = np.zeros_like(channels)
    for c in range(channels.shape[0]):
        values = channels[c][mask]
        if values.size:
            sd = float(values.std()) or 1.0
            out[c][mask] = (values - float(values.mean())) / sd
    return out


# ------------------------------------------------------------------ crop and paste
@dataclass(frozen=True)
class Box:
    """A box in voxel coordinates: ``start`` inclusive, ``stop`` exclusive, per spatial axis."""

    start: tuple[int, int, int]
    stop: tuple[int, int, int]

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(b - a for a, b in zip(self.start, self.stop, strict=True))  # type: ignore[return-value]

    @property
    def slices(self) -> tuple[slice, slice, slice]:
        return tuple(slice(a, b) for a, b in zip(self.start, self.stop, strict=True))  # type: ignore[return-value]


def brain_box(channels: np.ndarray, margin: int = 0) -> Box:
    """Bounding box of the brain (non-zero in any channel), grown by ``margin`` and clamped."""
    mask = brain_mask(channels)
    shape = mask.shape
    if not mask.any():
        return Box((0, 0, 0), tuple(shape))  # type: ignore[arg-type]
    start, stop = [], []
    for axis in range(3):
        other = tuple(a for a in range(3) if a != axis)
        nz = np.flatnonzero(mask.any(axis=other))
        start.append(max(int(nz[0]) - margin, 0))
        stop.append(min(int(nz[-1]) + 1 + margin, shape[axis]))
    return Box(tuple(start), tuple(stop))  # type: ignore[arg-type]


def centred_box(around: Box, size: tuple[int, int, int], shape: tuple[int, ...]) -> Box:
    """A box of ``size`` centred on ``around``, shifted to lie inside ``shape`` where it fits.

    Where ``size`` exceeds the image along an axis, the box starts at 0 and :func:`crop` pads.
    """
    start, stop = [], []
    for axis in range(3):
        centre = (around.start[axis] + around.stop[axis]) // 2
        s = centre - size[axis] // 2
        s = min(max(s, 0), max(shape[axis] - size[axis], 0))
        start.append(s)
        stop.append(s + size[axis])
    return Box(tuple(start), tuple(stop))  # type: ignore[arg-type]


def crop(data: np.ndarray, box: Box) -> np.ndarray:
    """The box's content from the last three axes, zero-padded where the box leaves the image."""
    spatial = data.shape[-3:]
    out = np.zeros(data.shape[:-3] + box.shape, dtype=data.dtype)
    src, dst = [], []
    for axis in range(3):
        a, b = max(box.start[axis], 0), min(box.stop[axis], spatial[axis])
        src.append(slice(a, b))
        dst.append(slice(a - box.start[axis], b - box.start[axis]))
    out[(..., *dst)] = data[(..., *src)]
    return out


def paste(data: np.ndarray, box: Box, shape: tuple[int, ...], fill: float = 0) -> np.ndarray:
    """Inverse of :func:`crop`: put ``data`` back into an array of spatial ``shape``."""
    out = np.full(data.shape[:-3] + tuple(shape[-3:]), fill, dtype=data.dtype)
    src, dst = [], []
    for axis in range(3):
        a, b = max(box.start[axis], 0), min(box.stop[axis], shape[-3 + axis])
        dst.append(slice(a, b))
        src.append(slice(a - box.start[axis], b - box.start[axis]))
    out[(..., *dst)] = data[(..., *src)]
    return out


# ------------------------------------------------------------------ resampling
def resample(data: np.ndarray, shape: tuple[int, int, int], order: int = 1) -> np.ndarray:
    """Resample the last three axes to ``shape`` (linear for images, order 0 for labels)."""
    from scipy import ndimage

    spatial = data.shape[-3:]
    factors = [t / s for t, s in zip(shape, spatial, strict=True)]
    if data.ndim == 3:
        return ndimage.zoom(data, factors, order=order, grid_mode=True, mode="grid-constant" if order == 0 else "nearest")
    return np.stack([resample(c, shape, order) for c in data])
