"""Label conventions: how each dataset's label values map to the BraTS regions WT, TC and ET.

A convention is a named, frozen object. It turns a label map into region masks, turns region
masks back into a label map, and refuses label values it does not know (naming the file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tumorbench.errors import BenchError

REGIONS: tuple[str, ...] = ("WT", "TC", "ET")
"""The three evaluated regions, in the nesting order whole tumour > tumour core > enhancing."""

REGION_LONG_NAMES: Mapping[str, str] = {"WT": "whole", "TC": "core", "ET": "enhance"}
"""Suffixes used by the BraTS 2019 uncertainty file names (`<case>_unc_whole.nii.gz`, ...)."""


@dataclass(frozen=True, kw_only=True)
class LabelConvention:
    """A dataset's label scheme.

    Args:
        name: identity recorded with every result (e.g. ``brats-2017``).
        labels: every label value the scheme knows, background 0 included, with a short meaning.
        regions: for each region, the label values it is the union of.
        paint_order: how :meth:`from_regions` paints nested region masks: a sequence of
            ``(region, label)`` applied in order, later entries overwriting earlier ones.
    """

    name: str
    summary: str
    labels: Mapping[int, str]
    regions: Mapping[str, tuple[int, ...]]
    paint_order: tuple[tuple[str, int], ...]
    aliases: tuple[str, ...] = field(default=())

    def validate(self, label_map: np.ndarray, source: str = "label map") -> None:
        """Raise :class:`BenchError` naming ``source`` if it holds a value this scheme lacks.

        Integer maps need no sort: a min/max, then one comparison per unknown value in that range
        (a 256-bin count when there are many). A map that does hold something unknown is described
        exactly: non-integer values as they are (``1.5``), never rounded; NaN and infinities
        counted (``NaN in 12 voxels``).
        """
        data = np.asarray(label_map)
        if (np.issubdtype(data.dtype, np.integer) or data.dtype == np.bool_) and not self.unknown_values(data):
            return
        problems = label_value_problems(data, self.labels)
        if problems:
            known = ",".join(str(v) for v in sorted(self.labels))
            raise BenchError(f"{source}: {'; '.join(problems)} not in convention {self.name} (knows {known})")

    def unknown_values(self, label_map: np.ndarray) -> list:
        """The values of ``label_map`` this scheme does not know, sorted."""
        data = np.asarray(label_map)
        if data.size == 0:
            return []
        if np.issubdtype(data.dtype, np.integer) or data.dtype == np.bool_:
            lo, hi = int(data.min()), int(data.max())
            candidates = [v for v in range(lo, hi + 1) if v not in self.labels] if hi - lo <= 1024 else None
            if candidates is not None and len(candidates) <= 8:
                return [v for v in candidates if bool((data == v).any())]
            if data.dtype in (np.uint8, np.bool_):
                present = np.flatnonzero(np.bincount(data.ravel(order="K").view(np.uint8), minlength=256))
                return [int(v) for v in present if int(v) not in self.labels]
        present = np.unique(data)
        return [v.item() for v in present if not np.isfinite(v) or v != int(v) or int(v) not in self.labels]

    def region_mask(self, label_map: np.ndarray, region: str) -> np.ndarray:
        """Boolean mask of ``region`` (one of :data:`REGIONS`), in the label map's memory order."""
        values = self.regions[region]
        mask = np.equal(label_map, values[0])
        for value in values[1:]:
            mask |= np.equal(label_map, value)
        return mask

    def to_regions(self, label_map: np.ndarray) -> dict[str, np.ndarray]:
        """All region masks of a label map."""
        return {region: self.region_mask(label_map, region) for region in REGIONS}

    def from_regions(self, masks: Mapping[str, np.ndarray]) -> np.ndarray:
        """Label map (uint8) from boolean region masks; missing regions are left unpainted.

        With brats-2017 this is the TuNet assembly: 4 where ET, else 1 where TC, else 2 where WT.
        """
        shape = next(iter(masks.values())).shape
        out = np.zeros(shape, dtype=np.uint8)
        for region, label in self.paint_order:
            if region in masks:
                out[np.asarray(masks[region], dtype=bool)] = label
        return out


def _value_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def label_value_problems(label_map: np.ndarray, known: Mapping[int, str], shown: int = 8) -> list[str]:
    """What in ``label_map`` is not one of the ``known`` integer labels, as message parts.

    e.g. ``["NaN in 12 voxels", "label value(s) [1.5, 3]"]``; empty when every value is known.
    """
    data = np.asarray(label_map)
    parts: list[str] = []
    if np.issubdtype(data.dtype, np.floating) or np.issubdtype(data.dtype, np.complexfloating):
        finite = np.isfinite(data)
        if not finite.all():
            nan = int(np.count_nonzero(np.isnan(data)))
            pos = int(np.count_nonzero(np.isposinf(data.real))) if nan < data.size else 0
            neg = int(data.size - int(np.count_nonzero(finite)) - nan - pos)
            parts += [f"{name} in {n} voxel{'s' if n != 1 else ''}"
                      for name, n in (("NaN", nan), ("+inf", pos), ("-inf", neg)) if n]
            data = data[finite]
        if np.issubdtype(data.dtype, np.complexfloating):
            if np.any(data.imag != 0):
                parts.append("complex label values")
            data = data.real
    if data.dtype == np.bool_:
        data = data.astype(np.uint8)
    present = np.unique(data)
    unknown = [v for v in present.tolist() if not (float(v).is_integer() and int(v) in known)]
    if unknown:
        listed = ", ".join(_value_text(v) for v in unknown[:shown])
        more = f", ... ({len(unknown)} distinct)" if len(unknown) > shown else ""
        parts.append(f"label value(s) [{listed}{more}]")
    return parts


BRATS_2017 = LabelConvention(
    name="brats-2017",
    summary="BraTS 2017-2022: 1 necrosis/non-enhancing, 2 edema, 4 enhancing",
    labels={0: "background", 1: "necrotic / non-enhancing core", 2: "edema", 4: "enhancing"},
    regions={"WT": (1, 2, 4), "TC": (1, 4), "ET": (4,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 4)),
    aliases=("brats-legacy",),
)
BRATS_2023 = LabelConvention(
    name="brats-2023",
    summary="BraTS 2023+: 1 NETC, 2 SNFH/edema, 3 enhancing",
    labels={0: "background", 1: "non-enhancing tumour core", 2: "edema (SNFH)", 3: "enhancing"},
    regions={"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 3)),
)
MSD = LabelConvention(
    name="msd",
    summary="Medical Segmentation Decathlon Task01: 1 edema, 2 non-enhancing, 3 enhancing",
    labels={0: "background", 1: "edema", 2: "non-enhancing tumour", 3: "enhancing tumour"},
    regions={"WT": (1, 2, 3), "TC": (2, 3), "ET": (3,)},
    paint_order=(("WT", 1), ("TC", 2), ("ET", 3)),
)
BRATS_2015 = LabelConvention(
    name="brats-2015",
    summary="BraTS 2013/2015: 1 necrosis, 2 edema, 3 non-enhancing, 4 enhancing",
    labels={0: "background", 1: "necrosis", 2: "edema", 3: "non-enhancing", 4: "enhancing"},
    regions={"WT": (1, 2, 3, 4), "TC": (1, 3, 4), "ET": (4,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 4)),
)

CONVENTIONS: Mapping[str, LabelConvention] = {
    c.name: c for c in (BRATS_2017, BRATS_2023, MSD, BRATS_2015)
}


def get_convention(name: str) -> LabelConvention:
    """Look a convention up by name or alias; an unknown name lists the known ones."""
    for convention in CONVENTIONS.values():
        if name == convention.name or name in convention.aliases:
            return convention
    raise BenchError(f"unknown label convention {name!r}; known: {', '.join(CONVENTIONS)}")
