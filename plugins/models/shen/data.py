"""Preprocessing and training samples for the Shen models (numpy only).

Cases are put in canonical RAS voxel order, the model's channels are stacked in its declared
order and z-scored per modality over brain voxels (any channel non-zero; background stays 0).
Targets are class indices built from the case's region masks, so any label convention works:
2 classes: 1 = whole tumour; 5 classes [P "labels 0..4"]: 4 = ET, 1 = TC outside ET,
2 = WT outside TC (class 3, the old non-enhancing label, is never a target).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tumorbench.api import Box, Case, brain_box, brain_mask, crop, to_canonical, zscore


@dataclass(frozen=True)
class Prepared:
    """One case ready for a network: channels (C, X, Y, Z) float32 in RAS order, target or None."""

    case_id: str
    x: np.ndarray
    target: np.ndarray | None


def targets(case: Case, classes: int) -> np.ndarray:
    """Class-index map (uint8) of a case's label (already in the orientation wanted)."""
    assert case.label is not None
    regions = case.convention.to_regions(np.asarray(case.label.data))
    out = np.zeros(regions["WT"].shape, dtype=np.uint8)
    if classes == 2:
        out[regions["WT"]] = 1
        return out
    out[regions["WT"]] = 2
    out[regions["TC"]] = 1
    out[regions["ET"]] = 4
    return out


def prepare(case: Case, channels: tuple[str, ...], classes: int, with_target: bool = True) -> Prepared:
    """Canonical, z-scored channels (and targets when the case has a label)."""
    canon = to_canonical(case)
    x = zscore(canon.stack(channels))
    target = targets(canon, classes) if with_target and canon.label is not None else None
    return Prepared(case.case_id, x, target)


class PatchSampler:
    """Balanced patches: half centred on a tumour voxel, half on a non-tumour brain voxel [P][A].

    Each volume is cropped to its brain box and zero-padded by half a patch, so every centre has a
    full window. A patch of edge ``size_in`` centred at c spans c - size_in//2 .. ; its target is
    the central ``size_out`` cube (BCN 25 -> 9, FCN 24 -> 24).
    """

    def __init__(self, cases: list[Prepared], size_in: int, size_out: int):
        self.size_in, self.size_out = size_in, size_out
        self.half = size_in // 2
        self.volumes: list[tuple[np.ndarray, np.ndarray]] = []
        self.tumour: list[np.ndarray] = []
        self.normal: list[np.ndarray] = []
        pad = self.half + 1
        for case in cases:
            assert case.target is not None
            box = brain_box(case.x)
            x = np.pad(crop(case.x, box), [(0, 0)] + [(pad, pad)] * 3)
            y = np.pad(crop(case.target, box), [(pad, pad)] * 3)
            brain = np.pad(brain_mask(crop(case.x, box)), [(pad, pad)] * 3)
            self.volumes.append((x, y))
            self.tumour.append(np.flatnonzero(y > 0))
            self.normal.append(np.flatnonzero(brain & (y == 0)))
        if not any(len(t) for t in self.tumour):
            from tumorbench.api import BenchError

            raise BenchError(f"no tumour voxels in the {len(cases)} training case(s): cannot balance patches")

    def _centres(self, rng: np.random.Generator, n: int, tumour: bool) -> list[tuple[int, np.ndarray]]:
        pools = self.tumour if tumour else self.normal
        usable = [i for i, p in enumerate(pools) if len(p)]
        out = []
        for i in rng.choice(usable, size=n):
            flat = pools[i][rng.integers(len(pools[i]))]
            out.append((int(i), np.array(np.unravel_index(flat, self.volumes[i][1].shape))))
        return out

    def sample(self, rng: np.random.Generator, batch: int) -> tuple[np.ndarray, np.ndarray]:
        """``batch`` patches (N, C, s, s, s) float32 and targets (N, o, o, o) int64, half tumour."""
        n_tumour = batch // 2 + (int(rng.integers(2)) if batch % 2 else 0)
        picks = self._centres(rng, n_tumour, True) + self._centres(rng, batch - n_tumour, False)
        order = rng.permutation(len(picks))
        xs, ys = [], []
        o_lo = self.half - (self.size_in - self.size_out) // 2
        for k in order:
            i, c = picks[k]
            x, y = self.volumes[i]
            lo = c - self.half
            sl = tuple(slice(a, a + self.size_in) for a in lo)
            xs.append(x[(slice(None), *sl)])
            olo = c - o_lo
            ys.append(y[tuple(slice(a, a + self.size_out) for a in olo)])
        return np.stack(xs), np.stack(ys).astype(np.int64)


def fifcn_box(x: np.ndarray, size: tuple[int, int, int]) -> Box:
    """[A] The FIFCN crop: ``size`` centred on the brain's bounding box, clamped to the image."""
    from tumorbench.api import centred_box

    return centred_box(brain_box(x), size, x.shape[-3:])
