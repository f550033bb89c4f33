"""A case's images read from disk on first use, each checked as it is read.

A dataset plugin gives :class:`LazyImages` the file of each modality and the volume the images
must share a grid with (the label map, or None: then the first image read sets the grid); a model
or a metric then reads only the images it uses. A bad file fails the case when it is first used,
with a :class:`~tumorbench.errors.DataError` (the data's fault, not the model's) naming the file:
unreadable, NaN or infinite voxels, one value everywhere, or on another grid than the reference.
Several modalities may share one 4D file (``channels``: modality -> index on the fourth axis).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from tumorbench.contract.values import Volume
from tumorbench.errors import BenchError, DataError
from tumorbench.io.nifti import load_volume


class LazyImages(Mapping[str, Volume]):
    """Modality -> :class:`Volume`, each read on first access and checked then.

    Args:
        files: modality -> NIfTI file (several modalities may name one 4D file).
        reference: the volume every image must share the grid (shape and affine) of; None: the
            first image read is the reference.
        channels: for 4D files, modality -> index along the fourth axis.
        order: the modalities listed first when iterating (the rest follow in ``files`` order).
    """

    def __init__(
        self, files: Mapping[str, Path | str], reference: Volume | None = None, *,
        channels: Mapping[str, int] | None = None, order: Sequence[str] = (),
    ) -> None:
        self._files = {m: Path(p) for m, p in files.items()}
        self._reference = reference
        self._channels = dict(channels) if channels is not None else None
        self._loaded: dict[str, Volume] = {}
        self._names = [m for m in order if m in self._files] + [m for m in self._files if m not in order]

    def __getitem__(self, modality: str) -> Volume:
        if modality not in self._loaded:
            if modality not in self._files:
                raise KeyError(modality)
            self._load(modality)
        return self._loaded[modality]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def loaded(self) -> list[str]:
        """The modalities read so far."""
        return list(self._loaded)

    def _load(self, modality: str) -> None:
        """Read ``modality`` and every modality stored in the same (4D) file; check them."""
        path = self._files[modality]
        together = {m: p for m, p in self._files.items() if p == path}
        volumes, problems = self.read(together, self._channels)
        for volume in volumes.values():
            found = self.image_problems(volume)
            if not found and self._reference is not None:
                found = [p for p in [self.grid_problem(self._reference, volume)] if p]
            problems += found
        if problems:
            raise DataError(problems[0])
        if self._reference is None:
            self._reference = volumes[modality]
        self._loaded.update(volumes)

    # ------------------------------------------------------------------ the checks, for checkers too
    @staticmethod
    def read(files: Mapping[str, Path | str], channels: Mapping[str, int] | None = None) -> tuple[dict[str, Volume], list[str]]:
        """Every file read at once (no intensity or grid check): ``(modality -> volume, problems)``,
        each problem one line ``<file>: <cause>``; a modality whose file fails is left out."""
        images: dict[str, Volume] = {}
        problems: list[str] = []
        if channels is None:
            for modality, path in files.items():
                try:
                    images[modality] = load_volume(Path(path))
                except BenchError as exc:
                    problems.append(str(exc))
            return images, problems
        loaded: dict[Path, Volume | None] = {}
        count = max(channels.values()) + 1
        for modality, raw in files.items():
            path = Path(raw)
            if path not in loaded:
                try:
                    volume: Volume | None = load_volume(path, expect_3d=False)
                    if volume is not None and (volume.data.ndim != 4 or volume.data.shape[3] < count):
                        problems.append(f"{path}: expected a 4D image with {count} channels, found shape {volume.shape}")
                        volume = None
                except BenchError as exc:
                    problems.append(str(exc))
                    volume = None
                loaded[path] = volume
            whole = loaded[path]
            if whole is not None:
                channel = np.asarray(whole.data[..., channels[modality]])
                images[modality] = Volume(data=channel, affine=whole.affine, spacing=whole.spacing, path=path)
        return images, problems

    @staticmethod
    def image_problems(volume: Volume) -> list[str]:
        """Intensity problems of one image: NaN or infinite voxels, no voxels, or one value everywhere
        (an all-zero image is a failed export: there is nothing to segment)."""
        data = volume.data
        if np.issubdtype(data.dtype, np.floating):
            bad = int(data.size - np.count_nonzero(np.isfinite(data)))
            if bad:
                return [f"{volume.path}: NaN or infinite intensities ({bad} voxels)"]
        if data.size == 0:
            return [f"{volume.path}: empty image (no voxels)"]
        lo, hi = data.min(), data.max()  # no temporary the size of the image
        if lo != hi:
            return []
        what = "all-zero image" if lo == 0 else f"constant image (every voxel {lo.item():g})"
        return [f"{volume.path}: {what}"]

    @staticmethod
    def grid_problem(reference: Volume, other: Volume) -> str | None:
        """``<file>: shape ... differs from <reference file> ...`` or ``affine differs``; None on one grid."""
        name = reference.path.name if reference.path is not None else "the reference"
        if other.shape != reference.shape:
            return f"{other.path}: shape {other.shape} differs from {name} {reference.shape}"
        if not np.allclose(other.affine, reference.affine, atol=1e-3):
            return f"{other.path}: affine differs from {name}"
        return None
