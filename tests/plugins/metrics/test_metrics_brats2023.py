"""brats-2023: robust HD95 against a plain implementation of the surface-element definition,
analytic surfel areas, and a hand-worked lesion-wise example."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tumorbench.contract.values import MetricInput
from tumorbench_plugins.metrics import brats2023, legacy
from tumorbench_plugins.metrics._surfels import area_table
from tumorbench_plugins.metrics.brats2023 import compute_hd95, lesion_wise


def plain_corner_surfels(mask, spacing):
    """Every voxel corner whose 2x2x2 neighbourhood is mixed, with its position (scaled) and area."""
    table = area_table(tuple(spacing))
    n = mask.shape
    points, areas = [], []
    for corner in itertools.product(*(range(s + 1) for s in n)):
        code = 0
        for a, b, c in itertools.product((0, 1), repeat=3):
            voxel = (corner[0] - 1 + a, corner[1] - 1 + b, corner[2] - 1 + c)
            if all(0 <= v < s for v, s in zip(voxel, n, strict=True)) and mask[voxel]:
                code |= 1 << (4 * a + 2 * b + c)
        if code not in (0, 255):
            points.append([corner[k] * spacing[k] for k in range(3)])
            areas.append(table[code])
    return np.array(points, float), np.array(areas, float)


def plain_directed(points_from, areas_from, points_to, percent=95.0):
    """Nearest-rank percentile of area-weighted nearest distances, written out as a loop."""
    nearest = [min(math.dist(p, q) for q in points_to) for p in points_from]
    total = float(np.sum(areas_from))
    running = 0.0
    for d, a in sorted(zip(nearest, areas_from, strict=True), key=lambda t: t[0]):
        running += a
        if running / total >= percent / 100.0:
            return d
    return max(nearest)


def plain_robust_hd95(p, g, spacing):
    if not p.any() and not g.any():
        return 0.0
    if not p.any() or not g.any():
        return 374.0
    pp, pa = plain_corner_surfels(p, spacing)
    gp, ga = plain_corner_surfels(g, spacing)
    return max(plain_directed(gp, ga, pp), plain_directed(pp, pa, gp))


@st.composite
def small_pairs(draw):
    shape = tuple(draw(st.integers(1, 6)) for _ in range(3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dp, dg = draw(st.sampled_from([0.1, 0.3, 0.6])), draw(st.sampled_from([0.1, 0.3, 0.6]))
    spacing = tuple(draw(st.sampled_from([1.0, 0.6, 1.5, 3.0])) for _ in range(3))
    return rng.random(shape) < dp, rng.random(shape) < dg, spacing


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pairs())
def test_robust_hd95_equals_plain_definition(pair):
    p, g, spacing = pair
    assert compute_hd95(p, g, spacing=spacing) == pytest.approx(plain_robust_hd95(p, g, spacing), abs=1e-9)


def test_robust_hd95_far_apart_and_in_a_bigger_volume():
    shape = (22, 20, 18)
    g = np.zeros(shape, bool)
    g[3:9, 4:10, 2:8] = True
    p = np.roll(g, 2, axis=1)
    p[19:, 17:, 15:] = True  # small far blob on the border (KD-tree path)
    for spacing in ((1.0, 1.0, 1.0), (0.8, 1.0, 2.5)):
        assert compute_hd95(p, g, spacing=spacing) == pytest.approx(plain_robust_hd95(p, g, spacing), abs=1e-9)


def test_surfel_areas_are_the_analytic_ones():
    iso = area_table((1.0, 1.0, 1.0))
    assert iso[0] == 0.0 and iso[255] == 0.0
    assert iso[0b00000001] == pytest.approx(math.sqrt(3) / 8)  # corner triangle
    assert iso[0b00000011] == pytest.approx(math.sqrt(2) / 2)  # two voxels along an edge: 1 x sqrt(1/2)
    assert iso[0b00001111] == pytest.approx(1.0)  # half the cube: a unit square
    # one voxel and its three neighbours: a regular hexagon of side sqrt(1/2)
    assert iso[0b00010111] == pytest.approx(3 * math.sqrt(3) / 2 * 0.5)
    sx, sy, sz = 0.5, 2.0, 3.0
    aniso = area_table((sx, sy, sz))
    assert aniso[1] == pytest.approx(0.125 * math.sqrt((sy * sz) ** 2 + (sx * sz) ** 2 + (sx * sy) ** 2))
    assert aniso[0b00001111] == pytest.approx(sy * sz)  # plane normal to the first axis


def test_robust_hd95_shifted_cube_and_empty_rules():
    g = np.zeros((30, 20, 20), bool)
    g[5:9, 5:9, 5:9] = True
    p = np.roll(g, 5, axis=0)
    assert compute_hd95(p, g) == pytest.approx(5.0)  # the far face holds more than 5 % of the area
    assert compute_hd95(p, g, spacing=(2.0, 1.0, 1.0)) == pytest.approx(10.0)
    empty = np.zeros_like(g)
    assert compute_hd95(empty, empty) == 0.0
    assert compute_hd95(p, empty) == 374.0 and compute_hd95(empty, g) == 374.0


def hand_worked_volume():
    g = np.zeros((48, 48, 48), bool)
    p = np.zeros_like(g)
    g[0:4, 0:4, 0:4] = p[0:4, 0:4, 0:4] = True  # A: perfect, on the image border
    g[20:24, 4:8, 4:8] = True  # B ...
    p[25:29, 4:8, 4:8] = True  # ... predicted 5 voxels off, gap 1: matched, Dice 0, HD95 5
    g[4:8, 20:24, 20:24] = p[4:8, 20:24, 20:24] = True  # D1 and D2: 2 voxels apart, merged by
    g[10:14, 20:24, 20:24] = p[10:14, 20:24, 20:24] = True  # the dilation into one lesion
    g[30:32, 30:32, 30:32] = True  # C: 8 voxels, dropped ...
    p[33:35, 30:32, 30:32] = True  # ... and the component touching it is not a false positive
    p[40:43, 4:7, 40:43] = True  # a false positive
    return p, g


def test_lesion_wise_hand_worked_example():
    p, g = hand_worked_volume()
    # kept lesions A (1, 0), B (0, 5), D (1, 0); one false positive (0, 374)
    dice, hd = lesion_wise(p, g)
    assert dice == pytest.approx(2 / 4)
    assert hd == pytest.approx((0 + 5 + 0 + 374) / 4)
    # one dilation step (meningioma rule): D1 and D2 still merge (their dilations touch), but B's
    # and C's neighbours (1 voxel gap) no longer touch: B is missed (0, 374) and 3 false positives
    assert lesion_wise(p, g, dilation=1) == pytest.approx((2 / 6, 4 * 374 / 6))
    # no dilation: D1 and D2 are two lesions, nothing touches without overlap
    assert lesion_wise(p, g, dilation=0) == pytest.approx((3 / 7, 4 * 374 / 7))
    # with no size threshold C is a lesion matched by its neighbour: Dice 0, HD95 3
    dice_all, hd_all = lesion_wise(p, g, min_volume=0)
    assert dice_all == pytest.approx(2 / 5)
    assert hd_all == pytest.approx((0 + 5 + 0 + 3 + 374) / 5)


def test_lesion_wise_empty_rules():
    g = np.zeros((12, 12, 12), bool)
    assert lesion_wise(g, g) == (1.0, 0.0)
    p = g.copy()
    p[2:5, 2:5, 2:5] = True
    assert lesion_wise(p, g) == (0.0, 374.0)  # only a false positive
    big = np.zeros_like(g)
    big[3:9, 3:9, 3:9] = True
    assert lesion_wise(g, big) == (0.0, 374.0)  # a missed lesion
    small = np.zeros_like(g)
    small[1, 1, 1] = True
    assert lesion_wise(g, small) == (1.0, 0.0)  # only a dropped lesion


def test_spec():
    (spec,) = brats2023.tumorbench_metric_conventions()
    assert spec.name == "brats-2023" and not spec.default
    specs = {m.name: m for m in spec.metrics}
    assert set(specs) == {"dice", "hd95", "sensitivity", "specificity", "lesion_dice", "lesion_hd95"}
    assert specs["hd95"].worst((240, 240, 155)) == 374.0 and specs["lesion_hd95"].unit == "distance"
    assert [m.name for m in spec.metrics if m.ranking] == ["lesion_dice", "lesion_hd95"]
    p, g = hand_worked_volume()
    values = spec.compute(MetricInput(prediction=p, reference=g, spacing=(1.0, 1.0, 1.0), region="ET"))
    assert set(values) == set(specs)
    assert values["lesion_dice"] == pytest.approx(0.5)
    assert values["lesion_hd95"] == pytest.approx(94.75)
    assert values["dice"] == pytest.approx(legacy.compute_dice(p, g), abs=1e-12)


def test_robust_hd95_equals_the_deepmind_package_when_installed():
    """Optional cross-check: `pip install surface-distance` (DeepMind's package, not a dependency)."""
    sd = pytest.importorskip("surface_distance")
    for seed in range(60):
        rng = np.random.default_rng(seed)
        shape = tuple(int(n) for n in rng.integers(2, 10, 3))
        p, g = rng.random(shape) < 0.4, rng.random(shape) < 0.4
        if not (p.any() and g.any()):
            continue
        spacing = tuple(float(s) for s in rng.choice([1.0, 0.6, 1.5, 3.0], 3))
        official = sd.compute_robust_hausdorff(sd.compute_surface_distances(g, p, spacing), 95)
        assert compute_hd95(p, g, spacing=spacing) == pytest.approx(official, abs=1e-9)
        areas = sd.compute_surface_distances(g, g, spacing)["surfel_areas_gt"]
        assert brats2023.surface_elements(g, spacing)[1].sum() == pytest.approx(areas.sum(), rel=1e-9)


def _official_rules_lesion_wise(p, g, spacing, sd, dilation=3, min_volume=50.0):
    """The BraTS 2023 lesion-wise rules written out the long way, full volume, one lesion at a time
    (26-connected components, 18-connected dilation, DeepMind's robust HD95): the reference."""
    from scipy import ndimage

    c26, c18 = ndimage.generate_binary_structure(3, 3), ndimage.generate_binary_structure(3, 2)
    voxel = float(np.prod(spacing))
    pred_cc, _ = ndimage.label(p, structure=c26)
    grown_cc, n_grown = ndimage.label(ndimage.binary_dilation(g, structure=c18, iterations=dilation), structure=c26)
    matched, kept = set(), []
    for lesion_id in range(1, n_grown + 1):
        lesion = g & (grown_cc == lesion_id)
        touching = set(np.unique(pred_cc[ndimage.binary_dilation(lesion, structure=c18, iterations=dilation)])) - {0}
        matched |= touching
        if lesion.sum() * voxel <= min_volume:
            continue
        pred = np.isin(pred_cc, list(touching))
        dice = 2.0 * np.sum(pred & lesion) / (pred.sum() + lesion.sum())
        hd = sd.compute_robust_hausdorff(sd.compute_surface_distances(lesion, pred, spacing), 95)
        kept.append((dice, 374.0 if not np.isfinite(hd) else hd))
    false_positives = len(set(np.unique(pred_cc)) - {0} - matched)
    count = len(kept) + false_positives
    if count == 0:
        return 1.0, 0.0
    return sum(d for d, _ in kept) / count, (sum(h for _, h in kept) + 374.0 * false_positives) / count


@pytest.mark.parametrize("seed", range(8))
def test_lesion_wise_equals_the_official_rules_written_out(seed):
    """Random multi-lesion masks: tiny lesions (under 50 mm3), lesions merged by the dilation,
    missed lesions, spurious ones, and a prediction component touching two lesions."""
    sd = pytest.importorskip("surface_distance")
    rng = np.random.default_rng(seed)
    shape = (40, 36, 30)
    spacing = [(1.0, 1.0, 1.0), (0.9, 0.9, 1.5)][seed % 2]
    grid = np.indices(shape)

    def ball(centre, radius):
        return sum((grid[i] - centre[i]) ** 2 for i in range(3)) <= radius**2

    g, p = np.zeros(shape, bool), np.zeros(shape, bool)
    for _ in range(int(rng.integers(2, 6))):
        centre, radius = rng.integers(4, np.array(shape) - 4), float(rng.choice([1.2, 2.0, 3.5, 5.0]))
        g |= ball(centre, radius)
        fate = rng.random()
        if fate < 0.6:  # found, a little off
            p |= ball(centre + rng.integers(-2, 3, 3), radius * rng.uniform(0.7, 1.2))
        elif fate < 0.8:  # found in two pieces
            p |= ball(centre - 1, radius * 0.6) | ball(centre + 2, radius * 0.5)
    for _ in range(int(rng.integers(0, 3))):  # spurious
        p |= ball(rng.integers(3, np.array(shape) - 3), float(rng.choice([1.0, 2.5])))
    expected = _official_rules_lesion_wise(p, g, spacing, sd)
    assert lesion_wise(p, g, spacing=spacing) == pytest.approx(expected, abs=1e-9)
