"""BraTS 2023 and later (same scheme): ``BraTS-GLI-00000-000/BraTS-GLI-00000-000-{t1c,t1n,t2f,t2w,seg}``.

The 2023 files name modalities ``t2f`` (FLAIR), ``t1n`` (native T1), ``t1c`` (contrast T1) and
``t2w``; they are exposed as ``flair``, ``t1``, ``t1ce``, ``t2``. Labels follow the brats-2023
convention (1 NETC, 2 SNFH/edema, 3 enhancing). Any sub-challenge prefix with this id shape is
accepted (``BraTS-GLI``, ``BraTS-MEN``, ``BraTS-MET``, ``BraTS-SSA``, ...); sets whose labels go
beyond 1-3 (the 2024 post-treatment glioma set adds 4, resection cavity) are reported as label
values outside the convention rather than silently read. Validation folders have no ``seg``.
"""

from __future__ import annotations

from tumorbench.api import DatasetSpec, hookimpl

from .brats import BratsLayout, BratsScheme, spec_for

SUFFIXES = {"flair": "t2f", "t1": "t1n", "t1ce": "t1c", "t2": "t2w"}

SCHEME = BratsScheme(
    name="brats23",
    summary="BraTS 2023+ layout (BraTS-GLI-00000-000-{t1c,t1n,t2f,t2w,seg}), labels 1,2,3",
    convention="brats-2023",
    id_pattern=r"BraTS-[A-Z]+-\d{5}-\d{3}",
    example="BraTS-GLI-00000-000",
    separator="-",
    suffixes=SUFFIXES,
)
LAYOUT = BratsLayout(SCHEME)


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    # the challenge ranks 2023 data lesion-wise: brats-2023 is scored when a run names no convention
    return [spec_for(LAYOUT, metric_conventions=("brats-2023",))]
