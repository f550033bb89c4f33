"""Label conventions of the BraTS 2024 sub-challenges, as the official 2024 scorer reads them.

Each convention's regions are the label sets the official ``get_TissueWiseSeg`` of that
sub-challenge builds (``docs/brats2024.md``), in the order the scorer reports them:

================  ==========================================  ===========================================
convention        labels                                      regions
================  ==========================================  ===========================================
brats-2024-gli    1 NETC, 2 SNFH, 3 ET, 4 RC                  WT 1-3, TC 1+3, NETC, SNFH, ET, RC
brats-2024-ped    1 ET, 2 NETC, 3 CC, 4 ED                    WT 1-4, TC 1-3, ET, NETC, CC, ED
brats-2024-met    1 NETC, 2 SNFH, 3 ET (as brats-2023)        WT 1-3, TC 1+3, ET
brats-2024-ssa    1 NETC, 2 SNFH, 3 ET (as brats-2023)        WT 1-3, TC 1+3, ET
brats-2024-men    1 NETC, 2 SNFH, 3 ET (as brats-2023)        WT 1-3, TC 1+3, ET
brats-2024-men-rt 1 GTV                                       GTV
================  ==========================================  ===========================================

The paint orders let a WT/TC/ET model's regions become labels: WT paints the outer tissue
(SNFH, or ED for PED), TC the core's non-enhancing label, ET the enhancing label; a model that
predicts the tissues themselves paints them last. RC (GLI) and CC (PED) have no WT/TC/ET source
and stay unpainted for a WT/TC/ET model; MEN-RT's GTV has none either.
"""

from __future__ import annotations

from tumorbench.api import LabelConvention, hookimpl

_TUMOUR_2023 = {0: "background", 1: "non-enhancing tumour core (NETC)", 2: "surrounding FLAIR hyperintensity (SNFH)",
                3: "enhancing tumour (ET)"}

GLI = LabelConvention(
    name="brats-2024-gli",
    summary="BraTS 2024 post-treatment glioma: 1 NETC, 2 SNFH, 3 ET, 4 resection cavity (not in WT)",
    labels={**_TUMOUR_2023, 4: "resection cavity (RC)"},
    regions={"WT": (1, 2, 3), "TC": (1, 3), "NETC": (1,), "SNFH": (2,), "ET": (3,), "RC": (4,)},
    paint_order=(("WT", 2), ("TC", 1), ("NETC", 1), ("SNFH", 2), ("ET", 3), ("RC", 4)),
)
PED = LabelConvention(
    name="brats-2024-ped",
    summary="BraTS 2024 paediatric: 1 ET, 2 NETC, 3 cystic component, 4 edema",
    labels={0: "background", 1: "enhancing tumour (ET)", 2: "non-enhancing tumour (NETC)", 3: "cystic component (CC)",
            4: "peritumoral edema (ED)"},
    regions={"WT": (1, 2, 3, 4), "TC": (1, 2, 3), "ET": (1,), "NETC": (2,), "CC": (3,), "ED": (4,)},
    paint_order=(("WT", 4), ("TC", 2), ("NETC", 2), ("CC", 3), ("ED", 4), ("ET", 1)),
)


def _three_labels(name: str, summary: str) -> LabelConvention:
    return LabelConvention(
        name=name,
        summary=summary,
        labels=dict(_TUMOUR_2023),
        regions={"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,)},
        paint_order=(("WT", 2), ("TC", 1), ("ET", 3)),
    )


MET = _three_labels("brats-2024-met", "BraTS 2024 metastases: 1 NETC, 2 SNFH, 3 ET (the brats-2023 numbering)")
SSA = _three_labels("brats-2024-ssa", "BraTS 2024 sub-Saharan Africa glioma: 1 NETC, 2 SNFH, 3 ET (brats-2023 numbering)")
MEN = _three_labels("brats-2024-men", "BraTS meningioma (scored in 2024 by the 2023 code): 1 NETC, 2 SNFH, 3 ET")
MEN_RT = LabelConvention(
    name="brats-2024-men-rt",
    summary="BraTS 2024 meningioma radiotherapy: 1 gross tumour volume (GTV)",
    labels={0: "background", 1: "gross tumour volume (GTV)"},
    regions={"GTV": (1,)},
    paint_order=(("GTV", 1),),
)

CONVENTIONS: tuple[LabelConvention, ...] = (GLI, PED, MET, SSA, MEN, MEN_RT)


def convention(name: str) -> LabelConvention:
    """One of these conventions by name (KeyError for another name)."""
    for candidate in CONVENTIONS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


@hookimpl
def tumorbench_label_conventions() -> list[LabelConvention]:
    return list(CONVENTIONS)
