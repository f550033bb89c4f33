"""``tunet-postprocess``: the post-processing of Vu et al. 2019 (section 2.6), usable after any model.

1. Core rescue [P]: if the label map has no tumour-core voxel, lower the TC threshold through
   0.3, 0.1, 0.05, 0.01 and stop at the first that finds one; those voxels get the convention's
   core label. Needs TC probabilities; a label-only prediction skips this rule.
2. Small enhancing tumour [P] (Isensee et al. 2018): if the case has enhancing-tumour voxels but
   fewer than :data:`ET_MIN_VOXELS`, they become the convention's core (necrosis) label.

Probabilities and uncertainty maps are left as they are (labels change only).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tumorbench.api import Case, PostprocessorSpec, Prediction, hookimpl

TC_THRESHOLDS: tuple[float, ...] = (0.3, 0.1, 0.05, 0.01)
"""Lowered tumour-core thresholds tried in order after the default 0.5 [P]."""

ET_MIN_VOXELS = 500
"""Enhancing tumour with fewer voxels than this (whole case, on the case's grid) becomes core [P]."""


def _label_of(case: Case, region: str) -> int:
    return dict(case.convention.paint_order)[region]


def rescue_core(
    labels: np.ndarray, prediction: Prediction, case: Case, thresholds: tuple[float, ...] = TC_THRESHOLDS
) -> np.ndarray:
    """Rule 1; returns ``labels`` unchanged when a core exists or no TC probabilities are given."""
    if case.convention.region_mask(labels, "TC").any():
        return labels
    probabilities = prediction.probabilities or {}
    if "TC" not in probabilities:
        return labels
    p_tc = np.asarray(probabilities["TC"])
    for threshold in thresholds:
        core = p_tc >= threshold
        if core.any():
            out = labels.copy()
            out[core] = _label_of(case, "TC")
            return out
    return labels


def drop_small_enhancing(labels: np.ndarray, case: Case, min_voxels: int = ET_MIN_VOXELS) -> np.ndarray:
    """Rule 2; enhancing voxels become the core label when there are 1..min_voxels-1 of them."""
    enhancing = case.convention.region_mask(labels, "ET")
    count = int(enhancing.sum())
    if 0 < count < min_voxels:
        out = labels.copy()
        out[enhancing] = _label_of(case, "TC")
        return out
    return labels


@dataclass(frozen=True)
class TunetPostprocessOptions:
    """``tc_thresholds``: the lowered core thresholds tried in order (empty: no core rescue);
    ``et_min_voxels``: enhancing tumour smaller than this becomes core (0: never)."""

    tc_thresholds: tuple[float, ...] = TC_THRESHOLDS
    et_min_voxels: int = ET_MIN_VOXELS


def tunet_postprocess(prediction: Prediction, case: Case, options: TunetPostprocessOptions | None = None) -> Prediction:
    """Both rules on a finalized prediction (it must have labels)."""
    options = options or TunetPostprocessOptions()
    if prediction.labels is None:
        raise ValueError("tunet-postprocess needs a finalized prediction (labels)")
    labels = np.asarray(prediction.labels)
    labels = rescue_core(labels, prediction, case, options.tc_thresholds)
    labels = drop_small_enhancing(labels, case, options.et_min_voxels)
    return replace(prediction, labels=labels.astype(np.uint8))


@hookimpl
def tumorbench_postprocessors() -> list[PostprocessorSpec]:
    return [
        PostprocessorSpec(
            name="tunet-postprocess",
            summary=f"Vu et al.: lower the core threshold until a core is found; ET < {ET_MIN_VOXELS} voxels -> core",
            apply=tunet_postprocess,
            options=TunetPostprocessOptions,
        )
    ]
