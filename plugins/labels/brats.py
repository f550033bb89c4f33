"""The BraTS label conventions up to 2023: labels, the regions WT (whole tumour), TC (tumour
core) and ET (enhancing tumour) they make, and the BraTS 2019 uncertainty-file suffixes
(``<case>_unc_whole``, ``_unc_core``, ``_unc_enhance``)."""

from __future__ import annotations

from tumorbench.api import LabelConvention, hookimpl

UNCERTAINTY_SUFFIXES = {"WT": "whole", "TC": "core", "ET": "enhance"}
REGION_TITLES = {"WT": "whole tumour", "TC": "tumour core", "ET": "enhancing tumour"}

BRATS_2017 = LabelConvention(
    name="brats-2017",
    summary="BraTS 2017-2022: 1 necrosis/non-enhancing, 2 edema, 4 enhancing",
    labels={0: "background", 1: "necrotic / non-enhancing core", 2: "edema", 4: "enhancing"},
    regions={"WT": (1, 2, 4), "TC": (1, 4), "ET": (4,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 4)),
    aliases=("brats-legacy",),
    uncertainty_suffixes=UNCERTAINTY_SUFFIXES,
    region_titles=REGION_TITLES,
)
BRATS_2023 = LabelConvention(
    name="brats-2023",
    summary="BraTS 2023+: 1 NETC, 2 SNFH/edema, 3 enhancing",
    labels={0: "background", 1: "non-enhancing tumour core", 2: "edema (SNFH)", 3: "enhancing"},
    regions={"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 3)),
    uncertainty_suffixes=UNCERTAINTY_SUFFIXES,
    region_titles=REGION_TITLES,
)
BRATS_2015 = LabelConvention(
    name="brats-2015",
    summary="BraTS 2013/2015: 1 necrosis, 2 edema, 3 non-enhancing, 4 enhancing",
    labels={0: "background", 1: "necrosis", 2: "edema", 3: "non-enhancing", 4: "enhancing"},
    regions={"WT": (1, 2, 3, 4), "TC": (1, 3, 4), "ET": (4,)},
    paint_order=(("WT", 2), ("TC", 1), ("ET", 4)),
    uncertainty_suffixes=UNCERTAINTY_SUFFIXES,
    region_titles=REGION_TITLES,
)


@hookimpl
def tumorbench_label_conventions() -> list[LabelConvention]:
    return [BRATS_2017, BRATS_2023, BRATS_2015]
