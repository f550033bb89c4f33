"""``intensity-baseline``: a training-free classical baseline (NumPy/SciPy).

Each modality is z-scored over brain voxels; a region's probability is a logistic function of how
far its contrast exceeds a threshold, so the prediction has real, graded uncertainty:

- WT: FLAIR hyperintensity, ``p = sigmoid((z_flair - t_wt) / s)``, restricted to its largest
  connected component;
- TC: the enhancing rim plus the (necrotic) centre it encloses;
- ET: inside WT, T1ce hyperintensity ``z_t1ce > t_et``.

It is the floor every learned model should beat, and it makes the demo need no weights.
Options (``--model-opt``): ``wt``, ``et``, ``scale`` (thresholds in sd units and the logistic width).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tumorbench import hookimpl
from tumorbench.preprocess import brain_mask, zscore
from tumorbench.types import Case, ModelContext, ModelSpec, Prediction

MODALITIES = ("flair", "t1", "t1ce", "t2")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))).astype(np.float32)


def _largest_component(mask: np.ndarray) -> np.ndarray:
    from scipy import ndimage

    labels, n = ndimage.label(mask)
    if n <= 1:
        return mask
    sizes = np.bincount(labels.ravel())[1:]
    return labels == (int(np.argmax(sizes)) + 1)


def _fill_slices(mask: np.ndarray) -> np.ndarray:
    """Holes filled in every axial slice (a rim open at its poles still encloses its centre)."""
    from scipy import ndimage

    out = np.zeros_like(mask)
    for k in range(mask.shape[2]):
        if mask[:, :, k].any():
            out[:, :, k] = ndimage.binary_fill_holes(mask[:, :, k])
    return out


@dataclass(frozen=True)
class IntensityBaseline:
    """Thresholds in standard deviations of each modality's brain intensities."""

    wt: float = 1.0
    et: float = 1.5
    scale: float = 0.25

    def predict(self, case: Case) -> Prediction:
        x = case.stack(MODALITIES)
        brain = brain_mask(x)
        z = dict(zip(MODALITIES, zscore(x, brain)))
        p_wt = _sigmoid((z["flair"] - self.wt) / self.scale) * brain
        wt = _largest_component(p_wt >= 0.5)
        p_wt = np.where(wt | (p_wt < 0.5), p_wt, np.float32(0.49)).astype(np.float32)
        p_et = _sigmoid((z["t1ce"] - self.et) / self.scale) * p_wt
        # core = the enhancing rim plus the (necrotic) centre it encloses, slice by slice and in 3D
        from scipy import ndimage

        rim = p_et >= 0.5
        enclosed = ndimage.binary_fill_holes(rim) | _fill_slices(rim)
        p_tc = np.maximum(p_et, np.where(enclosed, np.maximum(p_wt, 0.5), 0.0).astype(np.float32))
        return Prediction(
            regions=("WT", "TC", "ET"),
            probabilities={"WT": p_wt, "TC": p_tc.astype(np.float32), "ET": p_et.astype(np.float32)},
        )


def load(context: ModelContext) -> IntensityBaseline:
    params = {k: float(v) for k, v in context.params.items() if k in {"wt", "et", "scale"}}
    return IntensityBaseline(**params)


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name="intensity-baseline",
            summary="training-free z-scored intensity thresholds (FLAIR for WT, T1ce for ET); a floor",
            load=load,
            framework="numpy",
        )
    ]
