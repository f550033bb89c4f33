"""Training augmentation of the Shen models: analytic flips and shifts, seeded, image and target alike."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.errors import BenchError
from tumorbench_plugins.models.shen.augment import Augmenter, flip, intensity, shift, translate
from tumorbench_plugins.models.shen.options import AUGMENTATIONS, from_params, parse_augment

SHAPE = (2, 6, 5, 4)  # N, X, Y, Z


def _indexed(channels: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Targets hold each voxel's own index (1..); channel c holds index + 1000 c, so every voxel is
    recognisable after a transform and channel 0 equals the target wherever the image is non-zero."""
    n, *spatial = SHAPE
    y = np.arange(1, n * int(np.prod(spatial)) + 1, dtype=np.int64).reshape(SHAPE)
    x = np.stack([y + 1000 * c for c in range(channels)], axis=1).astype(np.float32)
    return x, y


def test_flip_is_numpy_flip_of_image_and_target():
    x, y = _indexed()
    fx, fy = flip(x[0], y[0], (0, 2))
    np.testing.assert_array_equal(fx, np.flip(x[0], axis=(1, 3)))
    np.testing.assert_array_equal(fy, np.flip(y[0], axis=(0, 2)))
    x0, y0 = x[0], y[0]
    same_x, same_y = flip(x0, y0, ())
    assert same_x is x0 and same_y is y0


def test_translate_moves_content_and_fills_zero():
    a = np.arange(1, 6 * 5 * 4 + 1).reshape(6, 5, 4)
    out = translate(a, (2, 0, -1))
    # hand rule: out[i + 2, j, k - 1] = a[i, j, k]; the uncovered slabs are 0
    for i in range(6):
        for j in range(5):
            for k in range(4):
                src = (i - 2, j, k + 1)
                inside = 0 <= src[0] < 6 and 0 <= src[2] < 4
                assert out[i, j, k] == (a[src] if inside else 0)
    assert not translate(a, (7, 0, 0)).any()  # moved out entirely


def test_shift_requires_matching_target_shape():
    x, y = _indexed()
    with pytest.raises(ValueError, match="shape"):
        shift(x[0], y[0, 1:-1, 1:-1, 1:-1], (1, 0, 0))


def test_intensity_scales_brain_and_keeps_background():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 5, 5)).astype(np.float32)
    x[:, 0] = 0.0  # a background slab (all channels 0)
    out = intensity(x, np.array([2.0, 0.5]), np.array([1.0, -3.0]))
    assert out.dtype == np.float32 and out.shape == x.shape
    assert not out[:, 0].any()
    np.testing.assert_allclose(out[0, 1:], x[0, 1:] * 2.0 + 1.0, rtol=1e-6)
    np.testing.assert_allclose(out[1, 1:], x[1, 1:] * 0.5 - 3.0, rtol=1e-6)


@pytest.mark.parametrize("kinds", [("flip",), ("shift",), ("flip", "shift")])
def test_image_and_target_move_together(kinds):
    x, y = _indexed()
    augment = Augmenter(kinds, max_shift=2)
    rng = np.random.default_rng(5)
    moved = 0
    for _ in range(20):
        ax, ay = augment(rng, x, y)
        assert ax.shape == x.shape and ay.shape == y.shape and ax.dtype == x.dtype and ay.dtype == y.dtype
        for c in range(x.shape[1]):  # every channel carries the same voxel as the target
            np.testing.assert_array_equal(ax[:, c], np.where(ay > 0, ay + 1000 * c, 0))
        moved += not np.array_equal(ay, y)
    assert moved >= 10  # the transforms do happen


def test_augmenter_leaves_its_inputs_untouched():
    x, y = _indexed()
    x0, y0 = x.copy(), y.copy()
    Augmenter(AUGMENTATIONS)(np.random.default_rng(1), x, y)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_augmentation_is_seeded():
    x, y = _indexed()
    augment = Augmenter(AUGMENTATIONS, max_shift=2)
    a = augment(np.random.default_rng([3, 7, 1]), x, y)
    b = augment(np.random.default_rng([3, 7, 1]), x, y)
    c = augment(np.random.default_rng([3, 8, 1]), x, y)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_each_axis_flips_about_half_the_time():
    x, y = _indexed()
    rng = np.random.default_rng(0)
    flips = np.zeros(3)
    draws = 400
    for _ in range(draws):
        _, ay = Augmenter(("flip",))(rng, x[:1], y[:1])
        for axis in range(3):  # voxel 0 goes to the far end along each flipped axis
            where = np.argwhere(ay[0] == 1)[0]
            flips[axis] += where[axis] != 0
    assert np.all(np.abs(flips / draws - 0.5) < 0.1)


def test_no_augmentation_is_the_identity():
    x, y = _indexed()
    ax, ay = Augmenter(())(np.random.default_rng(0), x, y)
    assert ax is x and ay is y
    assert not Augmenter(())


def test_augment_option_parsing_and_defaults():
    assert parse_augment("shift, flip") == ("flip", "shift")
    assert parse_augment("all") == AUGMENTATIONS and parse_augment("none") == () and parse_augment("") == ()
    assert from_params("fifcn-ce", {}).augmentations == AUGMENTATIONS
    assert from_params("fifcn-dice", {"augment": "none"}).augmentations == ()
    assert from_params("fcn", {}).augmentations == ()
    assert from_params("fcn", {"augment": "flip,shift"}).augmentations == ("flip", "shift")
    with pytest.raises(BenchError, match="augment=flop"):
        from_params("fifcn-ce", {"augment": "flop"})
    with pytest.raises(BenchError, match="BCN"):
        from_params("bcn", {"augment": "shift"})
    with pytest.raises(ValueError, match="unknown"):
        Augmenter(("rotate",))
