"""Label conventions as the core sees them: a named, frozen description of a dataset's label values
and of the regions (unions of label values) that are evaluated. Every convention comes from a
plugin (hook ``tumorbench_label_conventions``); the core knows none by name, and takes region order,
uncertainty-file names and overlay choices from the convention.

A convention turns a label map into region masks, turns region masks back into a label map, and
refuses label values it does not know (naming the file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tumorbench.errors import BenchError


@dataclass(frozen=True, kw_only=True)
class LabelConvention:
    """A dataset's label scheme.

    Args:
        name: identity recorded with every result (e.g. ``brats-2017``).
        summary: one line for ``bench plugins``.
        labels: every label value the scheme knows, background 0 included, with a short meaning.
        regions: for each evaluated region, the label values it is the union of. The mapping's
            order is the regions' order everywhere (scores, tables, files).
        paint_order: how :meth:`from_regions` paints nested region masks: a sequence of
            ``(region, label)`` applied in order, later entries overwriting earlier ones.
        aliases: other names that find this convention.
        uncertainty_suffixes: region -> ``suffix`` of its uncertainty map ``<case>_unc_<suffix>.nii.gz``
            (default: the region name in lower case).
        region_titles: region -> words for pages and pictures (``whole tumour``; default: the name).
    """

    name: str
    summary: str
    labels: Mapping[int, str]
    regions: Mapping[str, tuple[int, ...]]
    paint_order: tuple[tuple[str, int], ...]
    aliases: tuple[str, ...] = field(default=())
    uncertainty_suffixes: Mapping[str, str] = field(default_factory=dict)
    region_titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def region_names(self) -> tuple[str, ...]:
        """The evaluated regions, in the convention's order."""
        return tuple(self.regions)

    def uncertainty_suffix(self, region: str) -> str:
        """The ``<suffix>`` of ``region``'s uncertainty file ``<case>_unc_<suffix>.nii.gz``."""
        return self.uncertainty_suffixes.get(region, region.lower())

    def region_title(self, region: str) -> str:
        """Words for ``region`` on pages and pictures."""
        return self.region_titles.get(region, region)

    def ordered(self, regions) -> tuple[str, ...]:  # noqa: ANN001 - any iterable of region names
        """``regions`` in this convention's order; names it does not know follow in their own order."""
        given = list(dict.fromkeys(regions))
        return tuple([r for r in self.regions if r in given] + [r for r in given if r not in self.regions])

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
        """Boolean mask of ``region`` (one of :attr:`region_names`), in the label map's memory order."""
        values = self.regions[region]
        mask = np.equal(label_map, values[0])
        for value in values[1:]:
            mask |= np.equal(label_map, value)
        return mask

    def to_regions(self, label_map: np.ndarray) -> dict[str, np.ndarray]:
        """All region masks of a label map."""
        return {region: self.region_mask(label_map, region) for region in self.regions}

    def from_regions(self, masks: Mapping[str, np.ndarray]) -> np.ndarray:
        """Label map (uint8) from boolean region masks; missing regions are left unpainted.

        Nested regions paint inner over outer (for BraTS: enhancing over core over whole tumour).
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
