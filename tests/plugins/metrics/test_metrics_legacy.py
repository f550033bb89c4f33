"""brats-legacy metrics against medpy (the official CaPTk pipeline calls medpy) and CaPTk's empty rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers.metric_cases import load_seg, require_real_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medpy.metric import binary as mb
from scipy import ndimage

from tumorbench.contract.values import MetricInput
from tumorbench_plugins.metrics import legacy
from tumorbench_plugins.metrics.legacy import (
    compute_dice,
    compute_hd95,
    compute_sensitivity,
    compute_specificity,
    image_diagonal,
)


@st.composite
def mask_pairs(draw):
    shape = tuple(draw(st.integers(1, 9)) for _ in range(3))
    size = int(np.prod(shape))
    density_p = draw(st.sampled_from([0.05, 0.2, 0.5, 0.9]))
    density_g = draw(st.sampled_from([0.05, 0.2, 0.5, 0.9]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    p = rng.random(size).reshape(shape) < density_p
    g = rng.random(size).reshape(shape) < density_g
    spacing = tuple(draw(st.sampled_from([1.0, 0.5, 1.2, 2.5, 3.0])) for _ in range(3))
    return p, g, spacing


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mask_pairs())
def test_dice_and_hd95_equal_medpy_on_random_masks(pair):
    p, g = pair[0], pair[1]
    spacing = pair[2]
    if p.any() and g.any():
        assert compute_dice(p, g) == pytest.approx(mb.dc(p, g), abs=1e-9)
        assert compute_hd95(p, g, spacing=spacing) == pytest.approx(mb.hd95(p, g, voxelspacing=spacing), abs=1e-9)
        assert compute_sensitivity(p, g) == pytest.approx(mb.sensitivity(p, g), abs=1e-9)
        if not g.all():  # medpy gives nan without negatives; the rule there is 1 (tested below)
            assert compute_specificity(p, g) == pytest.approx(mb.specificity(p, g), abs=1e-9)


def _blob(shape, centre, radius, spacing=(1.0, 1.0, 1.0)):
    grid = np.indices(shape).astype(float)
    d2 = sum(((grid[i] - centre[i]) * spacing[i]) ** 2 for i in range(3))
    return d2 <= radius**2


@pytest.mark.parametrize("spacing", [(1.0, 1.0, 1.0), (0.7, 0.7, 3.0), (1.0, 2.0, 5.0)])
def test_hd95_shapes_far_apart_touching_border_and_anisotropic(spacing):
    shape = (40, 36, 30)
    g = _blob(shape, (10, 10, 10), 6, spacing)
    p = _blob(shape, (13, 12, 9), 6, spacing)
    p[35:, 30:, 25:] = True  # spurious blob in the corner, touching three borders (KD-tree path)
    g[:, :, 0] |= _blob(shape, (20, 20, 0), 5)[:, :, 0]  # a slab on the border plane
    assert compute_hd95(p, g, spacing=spacing) == pytest.approx(mb.hd95(p, g, voxelspacing=spacing), abs=1e-9)
    assert compute_hd95(g, p, spacing=spacing) == pytest.approx(mb.hd95(g, p, voxelspacing=spacing), abs=1e-9)


def test_full_masks_and_single_voxels():
    shape = (5, 6, 7)
    full = np.ones(shape, bool)
    assert compute_hd95(full, full) == 0.0 == mb.hd95(full, full)
    a = np.zeros(shape, bool)
    b = np.zeros(shape, bool)
    a[0, 0, 0] = True
    b[4, 5, 6] = True
    expected = math.sqrt(4**2 + 5**2 + 6**2)
    assert compute_hd95(a, b) == pytest.approx(expected, abs=1e-12)
    assert compute_hd95(a, b, spacing=(2.0, 1.0, 0.5)) == pytest.approx(mb.hd95(a, b, voxelspacing=(2.0, 1.0, 0.5)), abs=1e-9)
    assert compute_dice(a, a) == 1.0 and compute_dice(a, b) == 0.0


def test_empty_mask_rules_follow_captk():
    shape = (240, 240, 155)
    empty = np.zeros((4, 4, 4), bool)
    one = empty.copy()
    one[1, 1, 1] = True
    assert image_diagonal(shape) == pytest.approx(373.1286641, abs=1e-7)
    assert compute_hd95(empty, empty) == 0.0
    assert compute_hd95(one, empty) == pytest.approx(math.sqrt(48))
    assert compute_hd95(empty, one) == pytest.approx(math.sqrt(48))
    assert compute_dice(empty, empty) == 1.0
    assert compute_dice(one, empty) == 0.0 and compute_dice(empty, one) == 0.0
    assert compute_sensitivity(empty, empty) == 1.0 and compute_specificity(empty, empty) == 1.0
    assert compute_sensitivity(one, empty) == 0.0  # G empty, P not
    assert compute_specificity(one, empty) == pytest.approx(63 / 64)
    assert compute_sensitivity(empty, one) == 0.0 and compute_specificity(empty, one) == 1.0
    full = np.ones((2, 2, 2), bool)
    assert compute_specificity(full, full) == 1.0  # no negatives at all


def test_spec_declares_units_directions_worst_values_and_places():
    (spec,) = legacy.tumorbench_metric_conventions()
    assert spec.name == "brats-legacy" and spec.default and spec.extends is None
    specs = {m.name: m for m in spec.metrics}
    assert list(specs) == ["dice", "hd95", "sensitivity", "specificity"]
    assert specs["hd95"].unit == "distance" and not specs["hd95"].higher_is_better
    assert {m.unit for n, m in specs.items() if n != "hd95"} == {"ratio"}
    assert specs["hd95"].worst((240, 240, 155)) == pytest.approx(373.1286641)
    assert [m.name for m in spec.metrics if m.ranking] == ["dice", "hd95"]
    assert specs["dice"].group == specs["hd95"].group != specs["sensitivity"].group == specs["specificity"].group
    g = _blob((20, 20, 20), (9, 9, 9), 5)
    p = _blob((20, 20, 20), (10, 9, 9), 5)
    values = spec.compute(MetricInput(prediction=p, reference=g, spacing=(1.0, 1.0, 2.0), region="WT"))
    assert set(values) == set(specs)
    assert values["hd95"] == pytest.approx(mb.hd95(p, g, voxelspacing=(1.0, 1.0, 2.0)), abs=1e-9)
    assert values["dice"] == pytest.approx(mb.dc(p, g), abs=1e-12)


def test_real_case_regions_equal_medpy_with_mixed_memory_layouts():
    seg = load_seg(require_real_case())  # Fortran order, as nibabel loads it
    for labels, shift in (((1, 2, 4), 3), ((1, 4), -2), ((4,), 1)):
        g = np.isin(seg, labels)
        p = ndimage.binary_erosion(np.roll(g, shift, axis=1), iterations=1)
        p = np.asfortranarray(p)
        box = tuple(slice(40, 200) for _ in range(2)) + (slice(10, 150),)  # keeps medpy quick
        gb, pb = g[box], p[box]
        assert compute_hd95(pb, gb) == pytest.approx(mb.hd95(pb, gb), abs=1e-9)
        assert compute_hd95(p, g) == pytest.approx(mb.hd95(pb, gb), abs=1e-9)  # tumour inside the box
        assert compute_dice(p, g) == pytest.approx(mb.dc(p, g), abs=1e-12)


def test_one_compute_per_region_equals_medpy_and_the_pure_functions():
    rng = np.random.default_rng(7)
    for _ in range(5):
        p = rng.random((12, 10, 9)) < 0.3
        g = rng.random((12, 10, 9)) < 0.3
        values = legacy.compute(MetricInput(prediction=p, reference=g, spacing=(1.0, 1.0, 1.0), region="TC"))
        assert values["dice"] == pytest.approx(mb.dc(p, g), abs=1e-12)
        assert values["sensitivity"] == pytest.approx(mb.sensitivity(p, g), abs=1e-12)
        assert values["specificity"] == pytest.approx(mb.specificity(p, g), abs=1e-12)
        assert values["hd95"] == pytest.approx(mb.hd95(p, g), abs=1e-9)
        assert values["dice"] == compute_dice(p, g)


def test_bounding_box_in_every_memory_layout():
    from tumorbench_plugins.metrics._geometry import bounding_box

    rng = np.random.default_rng(11)
    for _ in range(20):
        m = np.zeros((9, 8, 7), bool)
        m[tuple(rng.integers(0, s, 3) for s in m.shape)] = True
        pts = np.argwhere(m)
        expected = tuple(slice(max(lo - 1, 0), min(hi + 2, n)) for lo, hi, n in zip(pts.min(0), pts.max(0), m.shape, strict=True))
        for variant in (m, np.asfortranarray(m), np.zeros((9, 8, 14), bool)[:, :, ::2]):
            if variant is not m and not variant.flags.f_contiguous:
                variant[...] = m
            assert bounding_box(variant, margin=1) == expected
    assert bounding_box(np.zeros((3, 3, 3), bool)) is None


def test_border_coordinates_equal_medpy_surface_in_every_layout():
    from tumorbench_plugins.metrics._geometry import border_coordinates

    rng = np.random.default_rng(5)
    for shape in [(7, 6, 5), (12, 3, 9), (1, 5, 5), (8, 9)]:
        for density in (0.1, 0.5, 0.95):
            m = rng.random(shape) < density
            surface = m ^ ndimage.binary_erosion(m, ndimage.generate_binary_structure(m.ndim, 1), border_value=0)
            for variant in (m, np.asfortranarray(m), np.pad(m, 2)[(slice(2, -2),) * m.ndim]):
                np.testing.assert_array_equal(border_coordinates(variant), np.argwhere(surface))


@pytest.mark.parametrize("spacing", [(1.0, 1.0, 1.0), (0.5, 1.0, 3.0)])
def test_near_and_far_distances_equal_brute_force_on_scattered_points(spacing):
    from scipy.spatial.distance import cdist

    from tumorbench_plugins.metrics._geometry import fill_far, near_distances

    rng = np.random.default_rng(8)
    shape = (40, 35, 30)
    sources = np.argwhere(rng.random(shape) < 0.002)
    targets = np.argwhere(rng.random(shape) < 0.001)
    expected = cdist(sources * np.asarray(spacing), targets * np.asarray(spacing)).min(axis=1)
    near = near_distances(sources, targets, shape, spacing)
    resolved = np.isfinite(near)
    assert resolved.any() and not resolved.all()  # both the shell search and the screened-out path ran
    np.testing.assert_allclose(near[resolved], expected[resolved], atol=1e-12)
    np.testing.assert_allclose(fill_far(near, sources, targets, spacing), expected, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_hd95_equals_medpy_when_thousands_of_points_lie_beyond_the_shells(seed):
    """Half a tumour missed, or a far copy: the percentile reads far points, resolved from bounds."""
    rng = np.random.default_rng(seed)
    shape = (72, 64, 56)
    spacing = [(1.0, 1.0, 1.0), (0.8, 0.8, 2.0), (1.0, 1.2, 1.5)][seed % 3]
    g = ndimage.gaussian_filter(rng.random(shape), 4) > 0.5 + 0.01 * rng.random()
    g &= _blob(shape, (36, 32, 28), 24)
    p = g.copy()
    if seed % 2:
        p[:, :, 28 + seed :] = False
    else:
        p = np.roll(p, (9, -7, 5), axis=(0, 1, 2)) | g
    expected = mb.hd95(p, g, voxelspacing=spacing)
    assert compute_hd95(p, g, spacing=spacing) == pytest.approx(expected, abs=1e-9)
    assert compute_hd95(g, p, spacing=spacing) == pytest.approx(mb.hd95(g, p, voxelspacing=spacing), abs=1e-9)
