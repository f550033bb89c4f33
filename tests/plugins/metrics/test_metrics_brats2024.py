"""brats-2024-*: the official 2024 scorer's rules worked by hand on multi-lesion volumes, its
quirks, and a long-way re-implementation of its steps compared on random multi-label cases.

Geometry used throughout (1 mm voxels unless said): a cube of side ``a`` shifted along one axis
by ``a + g`` from an equal cube (a gap of ``g`` empty voxels) has robust HD95 ``a + g``: each
cube's far face, a sixth of its surface (more than the 5 % the percentile leaves out), is
``a + g`` from the other cube's near face. An ``n``-times 18-connected dilation reaches ``n``
voxels along an axis, so it reaches a lesion ``g`` voxels away when ``g < n + 1``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from helpers import brats2024_long_way as long_way

from tumorbench.api import MetricInput
from tumorbench.errors import BenchError
from tumorbench.testing import check_metric_convention
from tumorbench_plugins.metrics import _lesions2024, brats2024
from tumorbench_plugins.metrics.brats2024 import GLI, MEN_RT, MET, PED, SSA, score_label_maps

SHAPE = (40, 40, 40)
SIZE = 40 * 40 * 40


def volume() -> np.ndarray:
    return np.zeros(SHAPE, dtype=np.uint8)


def paint(image: np.ndarray, value: int, lo: tuple[int, int, int], hi: tuple[int, int, int]) -> None:
    image[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]] = value


@dataclasses.dataclass(frozen=True)
class LabelledInput(MetricInput):
    """A MetricInput with the two whole label maps: the fields the core is asked to add."""

    prediction_labels: np.ndarray | None = None
    reference_labels: np.ndarray | None = None


# --------------------------------------------------------------------------------------------
# Hand-worked rules
# --------------------------------------------------------------------------------------------


def test_gli_thresholds_per_region_and_predicted_pieces_erased_before_matching():
    ref, pred = volume(), volume()
    paint(ref, 3, (5, 5, 5), (8, 8, 8))  # ET lesion A, 27 voxels
    paint(ref, 3, (30, 30, 30), (32, 32, 32))  # ET lesion B, 8 voxels: at most 10, not scored
    paint(pred, 3, (5, 5, 5), (8, 8, 8))  # A exactly
    paint(pred, 3, (20, 5, 30), (22, 10, 31))  # 2 x 5 x 1 = 10 voxels: erased (ET keeps > 10)
    paint(pred, 3, (5, 30, 5), (16, 31, 6))  # 11 voxels: kept, a false positive for ET
    s = score_label_maps(GLI, pred, ref)
    # ET: lesion A scores Dice 1, HD95 0; the 11-voxel piece is one false positive (Dice 0, 337)
    assert s["ET"]["lesion_dice"] == pytest.approx((1 + 0) / 2)
    assert s["ET"]["lesion_hd95"] == pytest.approx((0 + 337) / 2)
    # Legacy Dice counts the prediction after erasing: (27 + 11) predicted, (27 + 8) true, 27 shared
    assert s["ET"]["dice"] == pytest.approx(2 * 27 / (38 + 35))
    # WT keeps lesions over 20 voxels: both predicted pieces (10 and 11) are erased there
    assert s["WT"]["lesion_dice"] == 1.0 and s["WT"]["lesion_hd95"] == 0.0
    assert s["WT"]["dice"] == pytest.approx(2 * 27 / (27 + 35))
    # Sensitivity on lesion numbers: true lesions A = 1, B = 2 (first voxel order); the predicted
    # map holds A = 1 only. TP = voxels numbered 1 in both = 27; positives = sum of numbers = 27 + 2 x 8
    assert s["WT"]["sensitivity"] == pytest.approx(27 / (27 + 2 * 8))
    # FP = sum of predicted numbers - TP = 0: specificity 1
    assert s["WT"]["specificity"] == 1.0


def test_gli_five_dilations_for_netc_and_rc_three_for_et_and_for_snfh_spelt_sfnh():
    ref, pred = volume(), volume()
    for value, y in ((1, 2), (2, 12), (3, 22), (4, 32)):  # NETC, SNFH, ET, RC, well apart
        paint(ref, value, (5, y, 5), (8, y + 3, 8))  # cube a = 3
        paint(pred, value, (12, y, 5), (15, y + 3, 8))  # same cube g = 4 voxels further along x
    s = score_label_maps(GLI, pred, ref)
    for region in ("NETC", "RC"):  # 5 dilations reach 4 voxels: matched, Dice 0, HD95 a + g = 7
        assert s[region]["lesion_dice"] == 0.0
        assert s[region]["lesion_hd95"] == pytest.approx(7.0)
    for region in ("ET", "SNFH"):  # 3 dilations do not: one miss and one false positive
        assert s[region]["lesion_dice"] == 0.0
        assert s[region]["lesion_hd95"] == pytest.approx((337 + 337) / 2)


def test_gli_lesions_touching_one_et_lesion_are_one_netc_lesion():
    ref, pred = volume(), volume()
    paint(ref, 3, (5, 20, 20), (35, 22, 22))  # an ET bar
    paint(ref, 1, (5, 22, 20), (11, 24, 22))  # NETC n1, 6 x 2 x 2 = 24 voxels, on the bar
    paint(ref, 1, (28, 22, 20), (34, 24, 22))  # NETC n2, 24 voxels, 17 voxels from n1
    paint(pred, 3, (5, 20, 20), (35, 22, 22))
    paint(pred, 1, (5, 22, 20), (11, 24, 22))  # n1 only
    s = score_label_maps(GLI, pred, ref)
    # n1 and n2 both touch the bar (two touching pairs): one true NETC lesion of 48 voxels,
    # matched by the predicted n1: Dice 2 x 24 / (48 + 24) (apart, it would be (1 + 0) / 2)
    assert s["NETC"]["lesion_dice"] == pytest.approx(2 * 24 / (48 + 24))
    # the far end of n2 is 34 - 11 = 23 voxels from n1: HD95 between 17 and 23
    assert 17.0 <= s["NETC"]["lesion_hd95"] <= 23.0
    assert s["NETC"]["lesion_hd95"] == pytest.approx(long_way.score("gli", pred, ref)["NETC"]["lesion_hd95"])


def test_gli_a_lesion_follows_the_lowest_numbered_lesion_it_touches():
    ref, pred = volume(), volume()
    paint(ref, 3, (2, 0, 10), (4, 3, 13))  # ET e1 (first in index order: number 1)
    paint(ref, 3, (30, 0, 10), (32, 31, 13))  # ET e2, a long bar (number 2)
    paint(ref, 1, (4, 0, 10), (30, 3, 13))  # NETC n1 between e1 and e2, touching both
    paint(ref, 1, (32, 25, 10), (36, 28, 13))  # NETC n2, touching e2 only, 22 voxels from n1
    paint(pred, 1, (32, 25, 10), (36, 28, 13))  # n2 only
    s = score_label_maps(GLI, pred, ref)
    # pairs (n1, e1), (n1, e2), (n2, e2): n1 follows e1, n2 follows e2 -- two lesions, though
    # both touch e2. n1 missed (Dice 0), n2 exact (Dice 1); n1 + n2 as one would give 2|n2|/(|n1| + 2|n2|)
    assert s["NETC"]["lesion_dice"] == pytest.approx((0 + 1) / 2)
    assert s["NETC"]["lesion_hd95"] == pytest.approx((337 + 0) / 2)
    # ET: pairs (e1, n1), (e2, n1), (e2, n2) -- e1 and e2 both follow n1: one ET lesion, missed
    assert s["ET"]["lesion_dice"] == 0.0 and s["ET"]["lesion_hd95"] == 337.0


def test_gli_a_single_touching_pair_renumbers_nothing():
    ref, pred = volume(), volume()
    paint(ref, 1, (2, 2, 2), (8, 4, 4))  # NETC na (number 1), 24 voxels
    paint(ref, 3, (2, 4, 2), (8, 6, 4))  # ET touching na: the only touching pair
    paint(ref, 1, (25, 25, 25), (31, 27, 27))  # NETC nb (number 2), 24 voxels, alone
    paint(pred, 1, (2, 2, 2), (8, 4, 4))  # na only
    s = score_label_maps(GLI, pred, ref)
    # one pair: the scorer copies the map, na stays 1 and nb 2. TP = 24 voxels numbered 1 in both,
    # positives = 24 x 1 + 24 x 2. (Renumbered, na would become 2 after nb and TP would be 0.)
    assert s["NETC"]["sensitivity"] == pytest.approx(24 / (24 + 48))
    assert s["NETC"]["lesion_dice"] == pytest.approx((1 + 0) / 2)


def test_gli_empty_prediction_empty_truth_and_both_empty():
    ref = volume()
    for value, x in ((1, 2), (2, 12), (3, 22), (4, 32)):
        paint(ref, value, (x, 5, 5), (x + 3, 8, 8))  # one 27-voxel lesion per label
    missed = score_label_maps(GLI, volume(), ref)
    for region in GLI.regions:
        row = missed[region]
        assert (row["lesion_dice"], row["lesion_hd95"], row["dice"], row["hd95"]) == (0.0, 337.0, 0.0, 337.0)
        assert row["sensitivity"] == 0.0 and row["specificity"] == 1.0  # no predicted number: FP = 0
    invented = score_label_maps(GLI, ref, volume())
    for region in GLI.regions:
        assert (invented[region]["lesion_dice"], invented[region]["lesion_hd95"]) == (0.0, 337.0)
        assert invented[region]["sensitivity"] == 0.0  # 0 / (0 + tiny)
    # WT predicts three lesions numbered 1, 2, 3 (NETC, SNFH, ET cubes): FP = 27 x (1 + 2 + 3),
    # TN = every voxel not numbered 1 in either map = SIZE - 27
    assert invented["WT"]["specificity"] == pytest.approx((SIZE - 27) / (SIZE - 27 + 27 * 6))
    assert invented["RC"]["specificity"] == pytest.approx((SIZE - 27) / (SIZE - 27 + 27))
    nothing = score_label_maps(GLI, volume(), volume())
    for region in GLI.regions:
        assert nothing[region] == {"dice": 1.0, "hd95": 0.0, "sensitivity": 1.0, "specificity": 1.0,
                                   "lesion_dice": 1.0, "lesion_hd95": 0.0}


def test_men_rt_millimetre_threshold_no_false_positive_term_diagonal_penalty():
    spacing = (2.0, 2.0, 2.0)  # 8 mm^3 voxels
    ref, pred = volume(), volume()
    paint(ref, 1, (5, 5, 5), (8, 8, 8))  # 27 voxels = 216 mm^3
    paint(ref, 1, (20, 5, 5), (22, 8, 6))  # 6 voxels = 48 mm^3: at most 50, not scored
    paint(pred, 1, (5, 5, 5), (8, 8, 8))
    paint(pred, 1, (30, 30, 30), (32, 32, 32))  # 8 voxels = 64 mm^3: kept, unmatched
    paint(pred, 1, (30, 5, 30), (32, 8, 31))  # 6 voxels = 48 mm^3: erased
    s = score_label_maps(MEN_RT, pred, ref, spacing)["GTV"]
    assert s["lesion_dice"] == 1.0 and s["lesion_hd95"] == 0.0  # the unmatched lesion is not counted
    assert s["dice"] == pytest.approx(2 * 27 / ((27 + 8) + (27 + 6)))
    missed = score_label_maps(MEN_RT, volume(), ref, spacing)["GTV"]
    assert missed["lesion_hd95"] == pytest.approx(math.sqrt(3 * 40**2))  # the image diagonal in voxels
    assert missed["hd95"] == pytest.approx(math.sqrt(3 * 40**2))


def test_ped_labels_five_dilations_threshold_ten_penalty_374():
    ref, pred = volume(), volume()
    paint(ref, 3, (5, 5, 5), (8, 8, 8))  # a cystic component (CC = 3)
    paint(pred, 3, (12, 5, 5), (15, 8, 8))  # 4 voxels further: 5 dilations reach it
    paint(pred, 4, (5, 30, 5), (15, 31, 6))  # 10 voxels of edema: erased
    paint(pred, 4, (5, 35, 5), (16, 36, 6))  # 11 voxels of edema: a false positive
    s = score_label_maps(PED, pred, ref)
    assert s["CC"]["lesion_dice"] == 0.0 and s["CC"]["lesion_hd95"] == pytest.approx(7.0)
    assert s["ED"]["lesion_dice"] == 0.0 and s["ED"]["lesion_hd95"] == 374.0  # only the false positive
    assert s["TC"]["lesion_hd95"] == pytest.approx(7.0)  # TC = labels 1-3
    assert s["ET"] == {"dice": 1.0, "hd95": 0.0, "sensitivity": 1.0, "specificity": 1.0, "lesion_dice": 1.0, "lesion_hd95": 0.0}


@pytest.mark.parametrize(("sub", "side"), [(SSA, 4), (MET, 2)])
def test_ssa_and_met_join_enhancing_lesions_through_a_touching_necrosis(sub, side):
    ref, pred = volume(), volume()
    paint(ref, 1, (5, 10, 10), (35, 12, 12))  # a NETC bar
    paint(ref, 3, (5, 12, 10), (5 + side, 12 + side, 10 + side))  # ET e1 on it
    paint(ref, 3, (30, 12, 10), (30 + side, 12 + side, 10 + side))  # ET e2 on it, far from e1
    paint(pred, 3, (5, 12, 10), (5 + side, 12 + side, 10 + side))  # e1 only
    n = side**3  # SSA: 64 voxels (over 50); MET: 8 voxels (over 2)
    s = score_label_maps(sub, pred, ref)
    assert s["ET"]["lesion_dice"] == pytest.approx(2 * n / (2 * n + n))
    assert s["ET"]["lesion_hd95"] < 374.0


def test_men_uses_the_2023_rules_small_predicted_pieces_count():
    ref, pred = volume(), volume()
    paint(ref, 3, (5, 5, 5), (9, 9, 9))  # 64 voxels (over 50)
    paint(pred, 3, (5, 5, 5), (9, 9, 9))
    pred[30, 30, 30] = 3  # one voxel: not erased under the 2023 rules, a false positive
    spec = next(s for s in brats2024.SPECS if s.name == "brats-2024-men")
    row = spec.compute(MetricInput(prediction=pred == 3, reference=ref == 3, spacing=(1.0, 1.0, 1.0), region="ET"))
    assert row["lesion_dice"] == pytest.approx((1 + 0) / 2)
    assert row["lesion_hd95"] == pytest.approx((0 + 374) / 2)


# --------------------------------------------------------------------------------------------
# The long way, on random multi-label cases
# --------------------------------------------------------------------------------------------


def random_labels(rng: np.random.Generator, shape, values, blobs) -> np.ndarray:
    """Ellipsoidal blobs of random labels; most hold smaller blobs of other labels (cores
    inside a rim), so that lesions of different tissues touch, often several at once."""
    out = np.zeros(shape, dtype=np.uint8)
    grid = np.indices(shape)
    for _ in range(blobs):
        centre = np.array([rng.integers(1, s - 1) for s in shape])
        radii = rng.uniform(0.6, 3.0, size=3)
        inside = sum(((grid[i] - centre[i]) / radii[i]) ** 2 for i in range(3)) <= 1
        out[inside] = rng.choice(values)
        if rng.random() < 0.8:
            for _ in range(int(rng.integers(1, 5))):
                core = centre + rng.integers(-2, 3, size=3)
                inner = sum(((grid[i] - core[i]) / (radii[i] * 0.5)) ** 2 for i in range(3)) <= 1
                out[inner & inside] = rng.choice(values)
    return out


def random_case(rng: np.random.Generator, values, shape=(40, 36, 30)):
    ref = random_labels(rng, shape, values, int(rng.integers(6, 18)))
    pred = np.roll(ref, int(rng.integers(-2, 3)), axis=int(rng.integers(0, 3)))
    noise = (pred > 0) & (rng.random(shape) < 0.05)
    pred[noise] = rng.choice(values, size=int(noise.sum()))
    extra = random_labels(rng, shape, values, int(rng.integers(0, 4)))
    return np.where(extra > 0, extra, pred).astype(np.uint8), ref


CASES = [
    (GLI, "gli", (1, 2, 3, 4)), (PED, "ped", (1, 2, 3, 4)), (MET, "met", (1, 2, 3)), (SSA, "ssa", (1, 2, 3)),
    (MEN_RT, "men-rt", (1,)),
]


@pytest.mark.parametrize(("sub", "key", "values"), CASES, ids=[c[1] for c in CASES])
def test_equals_the_long_way_on_random_multi_label_cases(sub, key, values):
    rng = np.random.default_rng(sum(map(ord, key)))
    for _ in range(4):
        pred, ref = random_case(rng, values)
        spacing = (1.0, 1.0, 1.0) if rng.random() < 0.5 else tuple(float(s) for s in rng.choice([0.8, 1.0, 1.5], 3))
        ours, theirs = score_label_maps(sub, pred, ref, spacing), long_way.score(key, pred, ref, spacing)
        for region, row in theirs.items():
            for metric, value in row.items():
                assert ours[region][metric] == pytest.approx(value, rel=1e-9, abs=1e-9), (region, metric)


def test_the_clustered_dilation_equals_the_whole_box_one(monkeypatch):
    rng = np.random.default_rng(7)
    for _ in range(12):
        mask = rng.random((30, 34, 26)) < rng.choice([0.0008, 0.003])
        mask[5:9, 5:9, 5:9] = True
        dilation = int(rng.choice([1, 3, 5]))
        whole, _ = _lesions2024.scan_order_components(_lesions2024.dilate(mask, dilation))
        clustered = _lesions2024._clustered_reach(mask, dilation)
        assert clustered is None or np.array_equal(clustered, whole)
    monkeypatch.setattr(_lesions2024, "CLUSTER_MIN_VOXELS", 0)
    pred, ref = random_case(np.random.default_rng(3), (1, 2, 3, 4), shape=(30, 28, 24))
    pred[1, 1, 1] = pred[28, 26, 22] = 3  # far specks: several clusters
    monkeypatch.setattr(_lesions2024, "CLUSTER_MIN_VOXELS", 1 << 30)
    plain = score_label_maps(GLI, pred, ref)
    monkeypatch.setattr(_lesions2024, "CLUSTER_MIN_VOXELS", 0)
    assert score_label_maps(GLI, pred, ref) == plain


# --------------------------------------------------------------------------------------------
# The conventions
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", brats2024.SPECS, ids=[s.name for s in brats2024.SPECS])
def test_every_convention_passes_the_contract(spec):
    values = check_metric_convention(spec)
    assert values["perfect"]["lesion_dice"] == 1.0 and values["disjoint"]["lesion_dice"] == 0.0
    assert [m.name for m in spec.metrics if m.ranking] == ["lesion_dice", "lesion_hd95"]


def test_worst_values_are_the_scorers_penalties():
    worst = {s.name: {m.name: m.worst((182, 218, 182)) for m in s.metrics} for s in brats2024.SPECS}
    assert worst["brats-2024-gli"]["lesion_hd95"] == 337.0 and worst["brats-2024-gli"]["hd95"] == 337.0
    assert worst["brats-2024-ped"]["lesion_hd95"] == 374.0
    assert worst["brats-2024-men-rt"]["lesion_hd95"] == pytest.approx(math.sqrt(182**2 + 218**2 + 182**2))
    assert all(worst[s][m] == 0.0 for s in worst for m in ("dice", "lesion_dice", "sensitivity", "specificity"))


def _inputs(sub, pred, ref, with_labels: bool):
    extra = {"prediction_labels": pred, "reference_labels": ref} if with_labels else {}
    return {
        region: LabelledInput(prediction=np.isin(pred, sub.tissues[region]), reference=np.isin(ref, sub.tissues[region]),
                              spacing=(1.0, 1.0, 1.0), region=region, **extra)
        for region in sub.regions
    }


def test_compute_per_region_equals_the_whole_case_and_needs_label_maps_for_joined_tissues():
    pred, ref = random_case(np.random.default_rng(11), (1, 2, 3, 4), shape=(24, 22, 20))
    spec = next(s for s in brats2024.SPECS if s.name == "brats-2024-gli")
    whole = score_label_maps(GLI, pred, ref)
    for region, item in _inputs(GLI, pred, ref, with_labels=True).items():
        assert spec.compute(item) == whole[region]
    alone = _inputs(GLI, pred, ref, with_labels=False)
    for region in ("WT", "TC"):  # no partner tissue: the two masks suffice
        assert spec.compute(alone[region]) == whole[region]
    with pytest.raises(BenchError, match="region NETC joins lesions that touch ET, RC, so it needs the case's label maps"):
        spec.compute(alone["NETC"])


def test_label_maps_changed_in_place_between_cases_are_read_again():
    ref, pred = volume(), volume()
    paint(ref, 1, (5, 5, 5), (10, 10, 10))
    paint(pred, 1, (5, 5, 5), (10, 10, 10))
    spec = next(s for s in brats2024.SPECS if s.name == "brats-2024-gli")
    first = spec.compute(_inputs(GLI, pred, ref, with_labels=True)["NETC"])
    pred[5:10, 5:10, 5:10] = 0  # the same array object, now empty
    pred[20:25, 20:25, 20:25] = 1
    second = spec.compute(_inputs(GLI, pred, ref, with_labels=True)["NETC"])
    assert first["lesion_dice"] == 1.0
    assert second["lesion_dice"] == 0.0 and second == score_label_maps(GLI, pred, ref)["NETC"]


def test_label_maps_in_another_numbering_are_refused():
    ref = volume()
    paint(ref, 4, (5, 5, 5), (8, 8, 8))  # brats-2017 enhancing (4) where GLI reads a resection cavity
    spec = next(s for s in brats2024.SPECS if s.name == "brats-2024-gli")
    item = LabelledInput(prediction=ref == 4, reference=ref == 4, spacing=(1.0, 1.0, 1.0), region="ET",
                         prediction_labels=ref, reference_labels=ref)
    with pytest.raises(BenchError, match=r"brats-2024-gli: the pred mask of region ET is not labels \(3,\)"):
        spec.compute(item)
