"""The Medical Segmentation Decathlon's brain-tumour labels (Task01, BraTS 2016/2017 cases), also
the labels of nnU-Net's own BraTS datasets (e.g. Dataset137_BraTS21: 1 edema, 2 non-enhancing and
necrosis, 3 enhancing)."""

from __future__ import annotations

from tumorbench.api import LabelConvention, hookimpl

MSD = LabelConvention(
    name="msd",
    summary="Medical Segmentation Decathlon Task01: 1 edema, 2 non-enhancing, 3 enhancing",
    labels={0: "background", 1: "edema", 2: "non-enhancing tumour", 3: "enhancing tumour"},
    regions={"WT": (1, 2, 3), "TC": (2, 3), "ET": (3,)},
    paint_order=(("WT", 1), ("TC", 2), ("ET", 3)),
    uncertainty_suffixes={"WT": "whole", "TC": "core", "ET": "enhance"},
    region_titles={"WT": "whole tumour", "TC": "tumour core", "ET": "enhancing tumour"},
)


@hookimpl
def tumorbench_label_conventions() -> list[LabelConvention]:
    return [MSD]
