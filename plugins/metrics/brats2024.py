"""The BraTS 2024 metric conventions: one per sub-challenge, equal to the official scorer.

``brats-2024-gli``, ``-ped``, ``-met``, ``-ssa``, ``-men-rt`` follow rachitsaluja/BraTS-2024-Metrics
at 9a0ab9c (``metrics_GLI.py`` ... ``metrics_SSA.py``); ``brats-2024-men`` follows the 2023 code
the 2024 meningioma task was scored with. Each region gets the scorer's own dilation, minimum
lesion size and HD95 penalty (:data:`SUB_CHALLENGES`); its quirks are reproduced, not fixed
(``docs/brats2024.md``).

Metric names, as brats-2023: ``lesion_dice`` and ``lesion_hd95`` (LesionWise_Score_Dice/HD95, the
ranking metrics), ``dice``, ``hd95``, ``sensitivity``, ``specificity`` (Legacy_Dice, Legacy_HD95,
Sensitivity, Specificity as the scorer computes them).

Lesions of different tissues that touch (GLI: NETC, SNFH, ET, RC; MET and SSA: ET with NETC) are
renumbered together, so scoring such a region needs the other tissues: the convention reads the
case's whole label maps from ``MetricInput.prediction_labels`` / ``reference_labels`` when the
core passes them, and refuses such a region (one line) when it does not. Regions without
partners (WT, TC, PED's regions, GTV) need only their own masks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from tumorbench.api import BenchError, MetricConventionSpec, MetricDef, MetricInput, hookimpl

from . import brats2023, legacy
from ._geometry import union_box
from ._lesions2024 import (
    LegacyResult,
    LesionMap,
    LesionResult,
    coded_hd95,
    combine,
    legacy_scores,
    lesion_scores,
    merged_lesions,
    remove_small,
    renumbered,
    reorder,
    touching_pairs,
)

OFFICIAL_REPOSITORY = "rachitsaluja/BraTS-2024-Metrics"
OFFICIAL_COMMIT = "9a0ab9c7d75f158a3ea685cd44ac059c3a6712a1"


@dataclass(frozen=True)
class RegionRule:
    """How the scorer treats one region.

    Args:
        dilation: 18-connected dilations that join lesions and match predictions to them.
        min_size: reference lesions of at most this volume (voxel count x voxel volume) are not
            scored; predicted lesions of at most this many voxels (this volume for MEN-RT) are
            erased before matching.
        partners: tissues whose touching lesions renumber this region's lesions, in the order
            the scorer applies them.
    """

    dilation: int
    min_size: float
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubChallenge:
    """One sub-challenge's scoring.

    Args:
        tissues: label values of every region and partner tissue, as the scorer's
            ``get_TissueWiseSeg`` builds them.
        rules: per region; any other region name gets ``default`` (the scorer's ``else`` branch).
        penalty: HD95 of a missed or false-positive lesion and of an empty side; None: the
            image diagonal in voxels.
        false_positives: whether unmatched predicted lesions enter the lesion-wise averages.
        small_by_volume: predicted lesions are erased by volume (mm^3), not by voxel count.
    """

    name: str
    script: str
    summary: str
    tissues: Mapping[str, tuple[int, ...]]
    rules: Mapping[str, RegionRule]
    default: RegionRule
    penalty: float | None = 374.0
    false_positives: bool = True
    small_by_volume: bool = False
    regions: tuple[str, ...] = field(default=())

    def rule(self, region: str) -> RegionRule:
        return self.rules.get(region, self.default)

    def penalty_for(self, shape: tuple[int, ...]) -> float:
        return legacy.image_diagonal(shape) if self.penalty is None else float(self.penalty)

    @property
    def max_dilation(self) -> int:
        return max([self.default.dilation, *(r.dilation for r in self.rules.values())])


_GLI_TISSUES = {"WT": (1, 2, 3), "TC": (1, 3), "NETC": (1,), "SNFH": (2,), "ET": (3,), "RC": (4,)}
_ADULT_TISSUES = {"WT": (1, 2, 3), "TC": (1, 3), "NETC": (1,), "ET": (3,)}

GLI = SubChallenge(
    name="brats-2024-gli",
    script="metrics_GLI.py",
    summary="BraTS 2024 post-treatment glioma (WT, TC, NETC, SNFH, ET, RC; touching tissues joined; HD95 penalty 337)",
    tissues=_GLI_TISSUES,
    rules={
        "WT": RegionRule(3, 20),
        "TC": RegionRule(3, 20),
        "NETC": RegionRule(5, 20, ("ET", "RC")),
        # the scorer compares with "SFNH", so SNFH keeps the default dilation of 3
        "SNFH": RegionRule(3, 20, ("ET", "RC", "NETC")),
        "ET": RegionRule(3, 10, ("NETC", "RC")),
        "RC": RegionRule(5, 20, ("ET", "NETC")),
    },
    default=RegionRule(3, 20),
    penalty=337.0,
    regions=("WT", "TC", "NETC", "SNFH", "ET", "RC"),
)
SSA = SubChallenge(
    name="brats-2024-ssa",
    script="metrics_SSA.py",
    summary="BraTS 2024 sub-Saharan Africa glioma (dilation 3, lesions over 50 voxels, ET joined with touching NETC)",
    tissues=_ADULT_TISSUES,
    rules={"ET": RegionRule(3, 50, ("NETC",))},
    default=RegionRule(3, 50),
    regions=("WT", "TC", "ET"),
)
MET = SubChallenge(
    name="brats-2024-met",
    script="metrics_MET.py",
    summary="BraTS 2024 metastases (dilation 1, lesions over 2 voxels, ET joined with touching NETC)",
    tissues=_ADULT_TISSUES,
    rules={"ET": RegionRule(1, 2, ("NETC",))},
    default=RegionRule(1, 2),
    regions=("WT", "TC", "ET"),
)
PED = SubChallenge(
    name="brats-2024-ped",
    script="metrics_PED.py",
    summary="BraTS 2024 paediatric (WT, TC, ET, NETC, CC, ED; dilation 5, lesions over 10 voxels)",
    tissues={"WT": (1, 2, 3, 4), "TC": (1, 2, 3), "ET": (1,), "NETC": (2,), "CC": (3,), "ED": (4,)},
    rules={},
    default=RegionRule(5, 10),
    regions=("WT", "TC", "ET", "NETC", "CC", "ED"),
)
MEN_RT = SubChallenge(
    name="brats-2024-men-rt",
    script="metrics_MEN_RT.py",
    summary="BraTS 2024 meningioma radiotherapy GTV (dilation 1, lesions over 50 mm^3, no false-positive term)",
    tissues={"GTV": (1,)},
    rules={},
    default=RegionRule(1, 50),
    penalty=None,
    false_positives=False,
    small_by_volume=True,
    regions=("GTV",),
)

SUB_CHALLENGES: tuple[SubChallenge, ...] = (GLI, PED, MET, SSA, MEN_RT)


# --------------------------------------------------------------------------------------------
# One case's lesion maps
# --------------------------------------------------------------------------------------------


class CaseLesions:
    """The lesion maps of one case under one sub-challenge, made on first use and kept.

    ``masks(region, side)`` gives a region's (or partner tissue's) mask on ``box`` (``side``:
    ``"pred"`` or ``"ref"``); every lesion map lives on that box's grid.
    """

    def __init__(
        self,
        sub: SubChallenge,
        masks: Callable[[str, str], np.ndarray],
        box: tuple[slice, ...] | None,
        shape: tuple[int, ...],
        spacing: tuple[float, float, float],
    ) -> None:
        self.sub, self.box, self.shape, self.spacing = sub, box, shape, spacing
        self._masks = masks
        self._base: dict[tuple[str, str], LesionMap] = {}
        self._final: dict[tuple[str, str], LesionMap] = {}
        self._reach: dict[str, LesionMap] = {}
        self._scores: dict[str, dict[str, float]] = {}

    def base(self, region: str, side: str) -> LesionMap:
        """Lesions joined by dilation; predicted ones at or under the minimum size erased."""
        key = (region, side)
        if key not in self._base:
            rule = self.sub.rule(region)
            lesions, reach = merged_lesions(self._masks(region, side), rule.dilation)
            if side == "pred":
                limit = rule.min_size / float(np.prod(self.spacing)) if self.sub.small_by_volume else rule.min_size
                lesions = remove_small(lesions, limit)
            else:
                self._reach[region] = reach
            self._base[key] = lesions
        return self._base[key]

    def lesions(self, region: str, side: str) -> LesionMap:
        """The scored lesion map: the base map renumbered by touching partner tissues."""
        key = (region, side)
        if key not in self._final:
            lesions = self.base(region, side)
            partners = self.sub.rule(region).partners
            if partners and lesions.box is not None:
                data = lesions.data
                for partner in partners:
                    data = combine(data, touching_pairs(lesions.with_data(data), self.base(partner, side)))
                lesions = lesions.with_data(reorder(data))
            self._final[key] = lesions
        return self._final[key]

    def reach(self, region: str) -> LesionMap:
        """Each scored reference lesion's dilation, numbered like it."""
        base, final = self.base(region, "ref"), self.lesions(region, "ref")
        return renumbered(self._reach[region], base, final)

    def results(self, region: str) -> tuple[LesionResult, LegacyResult]:
        rule, penalty = self.sub.rule(region), self.sub.penalty_for(self.shape)
        pred, ref = self.lesions(region, "pred"), self.lesions(region, "ref")
        hd = coded_hd95(pred, ref, self.spacing)
        lesion = lesion_scores(
            pred, ref, self.reach(region), min_volume=rule.min_size, spacing=self.spacing, penalty=penalty,
            count_false_positives=self.sub.false_positives, whole_hd95=hd,
        )
        whole = legacy_scores(pred, ref, size=int(np.prod(self.shape)), penalty=penalty, hd95=hd)
        return lesion, whole

    def scores(self, region: str) -> dict[str, float]:
        """Every metric of the convention for ``region``."""
        if region not in self._scores:
            if self.box is None:  # nothing anywhere: the scorer's both-empty values
                lesion, whole = LesionResult(1.0, 0.0, 0, 0, 0), LegacyResult(1.0, 0.0, 1.0, 1.0)
            else:
                lesion, whole = self.results(region)
            self._scores[region] = {
                "dice": whole.dice, "hd95": whole.hd95, "sensitivity": whole.sensitivity,
                "specificity": whole.specificity, "lesion_dice": lesion.dice, "lesion_hd95": lesion.hd95,
            }
        return self._scores[region]


def _members(values: np.ndarray, labels: tuple[int, ...]) -> np.ndarray:
    """Where ``values`` is one of ``labels``."""
    out = values == labels[0]
    for label in labels[1:]:
        out |= values == label
    return out


def from_label_maps(
    sub: SubChallenge, pred_labels: np.ndarray, ref_labels: np.ndarray, spacing: tuple[float, float, float]
) -> CaseLesions:
    """A case's lesions from its whole label maps (in the sub-challenge's label numbering)."""
    pred_labels, ref_labels = np.asarray(pred_labels), np.asarray(ref_labels)
    if pred_labels.shape != ref_labels.shape or pred_labels.ndim != 3:
        raise ValueError(f"need two 3-D label maps of one shape, got {pred_labels.shape} and {ref_labels.shape}")
    box = union_box(pred_labels != 0, ref_labels != 0, margin=sub.max_dilation + 1)
    crops = {"pred": np.ascontiguousarray(pred_labels[box]), "ref": np.ascontiguousarray(ref_labels[box])} if box else {}

    def masks(region: str, side: str) -> np.ndarray:
        if region not in sub.tissues:
            raise BenchError(f"{sub.name}: unknown region {region!r} (known: {', '.join(sub.tissues)})")
        return _members(crops[side], sub.tissues[region])

    return CaseLesions(sub, masks, box, tuple(pred_labels.shape), spacing)


def from_region_masks(
    sub: SubChallenge, region: str, pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, float, float]
) -> CaseLesions:
    """One region's lesions from its own two masks (a region that joins no partner tissue)."""
    rule = sub.rule(region)
    if rule.partners:
        raise BenchError(
            f"{sub.name}: region {region} joins lesions that touch {', '.join(rule.partners)}, so it needs the "
            f"case's label maps (MetricInput.prediction_labels / reference_labels), which were not given"
        )
    p, g = np.asarray(pred, dtype=bool), np.asarray(ref, dtype=bool)
    if p.shape != g.shape or p.ndim != 3:
        raise ValueError(f"need two 3-D masks of one shape, got {p.shape} and {g.shape}")
    box = union_box(p, g, margin=rule.dilation + 1)
    crops = {"pred": np.ascontiguousarray(p[box]), "ref": np.ascontiguousarray(g[box])} if box else {}
    return CaseLesions(sub, lambda _region, side: crops[side], box, tuple(p.shape), spacing)


_CACHE = threading.local()
_CACHE_SIZE = 4


def _cached_case(
    sub: SubChallenge, pred_labels: np.ndarray, ref_labels: np.ndarray, spacing, *, renew: bool = False
) -> tuple[CaseLesions, bool]:
    """The case's :class:`CaseLesions`, kept for the next regions of the same two label maps, and
    whether it came from the cache.

    Keyed by the identity of the two arrays, which the cache keeps alive (so an id is not reused
    while its entry exists); per thread, the last few cases. The arrays are expected unchanged
    between the regions of a case (:func:`region_scores` renews an entry whose region masks no
    longer match).
    """
    cache: OrderedDict = getattr(_CACHE, "cases", None) or OrderedDict()
    _CACHE.cases = cache
    key = (sub.name, id(pred_labels), id(ref_labels), tuple(spacing))
    if key in cache and not renew:
        cache.move_to_end(key)
        return cache[key][0], True
    case = from_label_maps(sub, pred_labels, ref_labels, spacing)
    cache[key] = (case, pred_labels, ref_labels)
    cache.move_to_end(key)
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return case, False


def _check_region(sub: SubChallenge, case: CaseLesions, region: str, side: str, given: np.ndarray) -> None:
    """The region mask the core gave equals the one the label maps give under this sub-challenge."""
    mask = np.asarray(given, dtype=bool)
    inside = case._masks(region, side) if case.box is not None else None
    same = (inside is None and not mask.any()) or (
        inside is not None and np.array_equal(mask[case.box], inside)
        and int(np.count_nonzero(mask)) == int(np.count_nonzero(inside))
    )
    if not same:
        raise BenchError(
            f"{sub.name}: the {side} mask of region {region} is not labels {sub.tissues[region]} of the label map; "
            f"score this convention on data in the {sub.name} label numbering"
        )


def region_scores(sub: SubChallenge, m: MetricInput) -> dict[str, float]:
    """Every metric of ``sub`` for the region of ``m``."""
    spacing = tuple(float(s) for s in m.spacing)
    pred_labels, ref_labels = m.prediction_labels, m.reference_labels
    if pred_labels is None or ref_labels is None or m.region not in sub.tissues:
        return from_region_masks(sub, m.region, m.prediction, m.reference, spacing).scores(m.region)  # type: ignore[arg-type]
    case, cached = _cached_case(sub, pred_labels, ref_labels, spacing)
    try:
        _check_region(sub, case, m.region, "pred", m.prediction)
        _check_region(sub, case, m.region, "ref", m.reference)
    except BenchError:
        if not cached:
            raise
        case, _ = _cached_case(sub, pred_labels, ref_labels, spacing, renew=True)  # the maps changed in place
        _check_region(sub, case, m.region, "pred", m.prediction)
        _check_region(sub, case, m.region, "ref", m.reference)
    return case.scores(m.region)


def score_label_maps(
    sub: SubChallenge, pred_labels: np.ndarray, ref_labels: np.ndarray, spacing=(1.0, 1.0, 1.0)
) -> dict[str, dict[str, float]]:
    """Every region's metrics of one case (``{region: {metric: value}}``), from its label maps."""
    case = from_label_maps(sub, pred_labels, ref_labels, tuple(float(s) for s in spacing))
    return {region: case.scores(region) for region in sub.regions}


# --------------------------------------------------------------------------------------------
# The conventions
# --------------------------------------------------------------------------------------------

_OVERLAP, _RATES, _LESION = legacy.OVERLAP_GROUP, legacy.RATES_GROUP, brats2023.LESION_GROUP


def _zero(shape: tuple[int, ...]) -> float:
    return 0.0


def _metrics(sub: SubChallenge, penalty_text: str) -> tuple[MetricDef, ...]:
    penalty = sub.penalty_for
    fp_text = "" if sub.false_positives else "; false positives not counted"
    return (
        MetricDef(name="dice", summary="Legacy_Dice: Dice of the region after small predicted lesions are erased",
                  higher_is_better=True, worst=_zero, group=_OVERLAP, order=10, report_name="Dice"),
        MetricDef(name="hd95", summary=f"Legacy_HD95: robust HD95 on the lesion-numbered maps; {penalty_text} when one is empty",
                  higher_is_better=False, worst=penalty, unit="distance", group=_OVERLAP, order=20, report_name="Hausdorff95"),
        MetricDef(name="sensitivity", summary="Sensitivity as the scorer computes it on the lesion-numbered maps",
                  higher_is_better=True, worst=_zero, group=_RATES, order=30, report_name="Sensitivity"),
        MetricDef(name="specificity", summary="Specificity as the scorer computes it on the lesion-numbered maps",
                  higher_is_better=True, worst=_zero, group=_RATES, order=40, report_name="Specificity"),
        MetricDef(name="lesion_dice", summary=f"LesionWise_Score_Dice ({sub.script} rules{fp_text})",
                  higher_is_better=True, worst=_zero, group=_LESION, order=50, ranking=True,
                  report_name="LesionWise_Dice"),
        MetricDef(name="lesion_hd95", summary=f"LesionWise_Score_HD95 ({penalty_text} per missed lesion{fp_text or ' or false positive'})",
                  higher_is_better=False, worst=penalty, unit="distance", group=_LESION, order=60, ranking=True,
                  report_name="LesionWise_Hausdorff95"),
    )


def _spec(sub: SubChallenge) -> MetricConventionSpec:
    penalty_text = "the image diagonal" if sub.penalty is None else f"{sub.penalty:g}"
    return MetricConventionSpec(
        name=sub.name, summary=sub.summary, metrics=_metrics(sub, penalty_text), compute=lambda m: region_scores(sub, m),
    )


# -- MEN: the 2023 scorer with the meningioma parameters --------------------------------------

MEN_DILATION = 1
MEN_MIN_VOLUME = 50.0


def _men_compute(m: MetricInput) -> dict[str, float]:
    lesion_dice, lesion_hd95 = brats2023.lesion_wise(
        m.prediction, m.reference, spacing=m.spacing, dilation=MEN_DILATION, min_volume=MEN_MIN_VOLUME
    )
    return {
        **legacy.overlap_scores(m.prediction, m.reference),
        "hd95": brats2023.compute_hd95(m.prediction, m.reference, spacing=m.spacing),
        "lesion_dice": lesion_dice,
        "lesion_hd95": lesion_hd95,
    }


def _men_metrics() -> tuple[MetricDef, ...]:
    out = []
    for metric in brats2023.METRICS:
        if metric.name == "lesion_dice":
            metric = MetricDef(name="lesion_dice", summary="BraTS 2023 lesion-wise Dice, meningioma rules (dilation 1, lesions over 50 mm^3)",
                               higher_is_better=True, worst=metric.worst, group=metric.group, order=metric.order, ranking=True,
                               report_name=metric.report_name)
        out.append(metric)
    return tuple(out)


MEN_SPEC = MetricConventionSpec(
    name="brats-2024-men",
    summary="BraTS meningioma as scored in 2024: the 2023 code with dilation 1, lesions over 50 mm^3, penalty 374",
    metrics=_men_metrics(),
    compute=_men_compute,
)

SPECS: tuple[MetricConventionSpec, ...] = (*(_spec(s) for s in SUB_CHALLENGES), MEN_SPEC)


@hookimpl
def tumorbench_metric_conventions() -> list[MetricConventionSpec]:
    return list(SPECS)
