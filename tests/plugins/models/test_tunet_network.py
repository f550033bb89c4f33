"""TuNet graph: parameter counts against docs/tunet.md, a hand count, output shapes, cascade wiring,
``.keras`` round trip with ``safe_mode=True``; options and tiling helpers."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.errors import BenchError
from tumorbench.models.preprocess import Box
from tumorbench_plugins.models.tunet.data import extract, stitch, tile_boxes, tile_starts
from tumorbench_plugins.models.tunet.options import PAPER_PARAMS, VARIANTS, parse_options

MODELS_MD = {  # docs/tunet.md (the paper's counts), in millions
    "tunet": 12.32,
    "tunet-seb": 12.45,
    "tunet-reb1": 4.91,
    "tunet-reb1-seb": 4.95,
    "tunet-reb2": 4.61,
    "tunet-reb2-seb": 4.64,
}


# ------------------------------------------------------------------ no TensorFlow needed
def test_options_parse_strings_and_reject_bad_values():
    opts = parse_options("tunet-reb2-seb", {"width": "4", "depth": "3", "patch": "32,32,32", "grid": "none", "lr": "1e-3"})
    assert (opts.block, opts.se, opts.width, opts.depth, opts.patch, opts.grid, opts.lr) == (
        "reb2", True, 4, 3, (32, 32, 32), None, 1e-3
    )
    assert parse_options("tunet").patch == (80, 96, 64) and parse_options("tunet").grid == (160, 192, 128)
    with pytest.raises(BenchError, match="not a tunet option"):
        parse_options("tunet", {"widht": "4"})
    with pytest.raises(BenchError, match="divisible"):
        parse_options("tunet", {"patch": "30,32,32"})  # depth 4 pools three times
    with pytest.raises(BenchError, match="three"):
        parse_options("tunet", {"patch": "32,32"})
    assert set(VARIANTS) == set(MODELS_MD) == set(PAPER_PARAMS)


def test_tiles_cover_and_stitch_back():
    assert tile_starts(160, 80) == [0, 80]  # the paper's 2 x 2 x 2 tiles
    assert tile_starts(50, 32) == [0, 18]
    assert tile_starts(20, 32) == [0]
    assert tile_starts(64, 32, overlap=0.5) == [0, 16, 32]
    rng = np.random.default_rng(0)
    volume = rng.random((50, 40, 20, 3)).astype(np.float32)
    boxes = tile_boxes(volume.shape, (32, 32, 16))
    assert len(boxes) == 2 * 2 * 2
    patches = [extract(volume, b) for b in boxes]
    np.testing.assert_array_equal(stitch(patches, boxes, volume.shape[:3]), volume)
    # overlapping tiles are averaged: a constant per tile gives the mean where they overlap
    ones = [np.full((32, 32, 16, 1), float(i), np.float32) for i in range(len(boxes))]
    out = stitch(ones, boxes, (50, 40, 20))
    inside = [i for i, b in enumerate(boxes) if all(b.start[a] <= (25, 20, 10)[a] < b.stop[a] for a in range(3))]
    assert len(inside) == 8 and out[25, 20, 10, 0] == pytest.approx(np.mean(inside))
    assert Box((0, 0, 0), (1, 1, 1)).shape == (1, 1, 1)


# ------------------------------------------------------------------ Keras
def _hand_count_plain(width: int, depth: int, channels_in: int) -> int:
    """Conv-block U-Net sub-network as docs/tunet.md describes it, counted by hand."""

    def conv(cin: int, cout: int, k: int = 3) -> int:
        return k**3 * cin * cout + cout

    total, cin, skips = 0, channels_in, []
    for level in range(depth):
        w = width * 2**level
        if level:
            cin += 4  # the pooled image
        total += conv(cin, w) + 2 * w + conv(w, 2 * w) + 2 * 2 * w
        skips.append(2 * w)
        cin = 2 * w
    for skip in reversed(skips[:-1]):
        total += conv(cin + skip, skip) + 2 * skip + conv(skip, skip) + 2 * skip
        cin = skip
    return total + conv(cin, 1, 1)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(MODELS_MD))
def test_full_size_parameter_counts_match_models_md(name: str):
    from tumorbench_plugins.models.tunet.network import build_tunet

    count = build_tunet(parse_options(name)).count_params()
    assert abs(count - MODELS_MD[name] * 1e6) <= 0.01 * MODELS_MD[name] * 1e6


@pytest.mark.tensorflow
def test_plain_count_equals_hand_count_and_describe_prints_it():
    from tumorbench.loading.registry import Registry
    from tumorbench_plugins.models.tunet.network import build_tunet

    opts = parse_options("tunet", {"width": "2", "depth": "3", "patch": "16,16,16"})
    expected = sum(_hand_count_plain(2, 3, c) for c in (4, 5, 6))
    assert build_tunet(opts).count_params() == expected
    text = Registry().models.get("tunet").describe({"width": "2", "depth": "3", "patch": "16,16,16"})
    assert f"{expected:,}" in text
    full = Registry().models.get("tunet").describe({})
    assert "12.32 M" in full and "paper 12.32 M" in full


def _sources(layer_config: dict) -> list[str]:
    """Names of the layers feeding a layer, from its serialized config."""
    names: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            if "keras_history" in value.get("config", {}):
                names.append(value["config"]["keras_history"][0])
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(layer_config["inbound_nodes"])
    return names


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", ["tunet-seb", "tunet-reb1-seb", "tunet-reb2-seb"])
def test_output_shape_and_cascade_wiring(name: str):
    from tumorbench_plugins.models.tunet.network import build_tunet

    opts = parse_options(name, {"width": "2", "depth": "3", "patch": "16,16,16"})
    model = build_tunet(opts)
    x = np.random.default_rng(0).standard_normal((2, 16, 24, 8, 4)).astype(np.float32)
    y = np.asarray(model.predict_on_batch(x))
    assert y.shape == (2, 16, 24, 8, 3) and y.min() >= 0.0 and y.max() <= 1.0
    layers = {layer["config"]["name"]: layer for layer in model.get_config()["layers"]}
    assert _sources(layers["cnet_input"]) == ["wnet_prob", "image"]  # C-Net gets p_WT and x
    assert _sources(layers["enet_input"]) == ["cnet_prob", "wnet_prob", "image"]  # E-Net gets p_TC, p_WT, x
    assert _sources(layers["regions"]) == ["wnet_prob", "cnet_prob", "enet_prob"]
    # every deeper encoder level of every sub-network concatenates the 4-channel image pooled again
    for net in ("wnet", "cnet", "enet"):
        pools_of_image = [n for n, layer in layers.items() if n.startswith(net + "_pool") and _sources(layer) == ["image"]]
        assert len(pools_of_image) == 1  # the first pooling of x; the next pools the pooled x
        assert model.get_layer(pools_of_image[0]).output.shape[-1] == 4
    # C-Net's output depends on W-Net's: zeroing the W-Net head's bias changes p_TC
    head = model.get_layer("wnet_prob")
    kernel, bias = head.get_weights()
    before = np.asarray(model.predict_on_batch(x))
    head.set_weights([kernel, bias + 5.0])
    after = np.asarray(model.predict_on_batch(x))
    assert not np.allclose(before[..., 1], after[..., 1]) and not np.allclose(before[..., 2], after[..., 2])


@pytest.mark.tensorflow
def test_keras_round_trip_with_safe_mode_gives_identical_predictions(tmp_path):
    from tumorbench_plugins.models.tunet.backend import keras_module
    from tumorbench_plugins.models.tunet.checkpoints import save_model
    from tumorbench_plugins.models.tunet.network import build_tunet

    keras = keras_module()
    opts = parse_options("tunet-reb2-seb", {"width": "2", "depth": "2", "patch": "8,8,8"})
    model = build_tunet(opts, keras)
    rng = np.random.default_rng(1)
    # non-trivial values in every weight (norm scales and shifts included)
    model.set_weights([w + rng.normal(scale=0.1, size=w.shape).astype(w.dtype) for w in model.get_weights()])
    x = rng.standard_normal((2, 8, 8, 8, 4)).astype(np.float32)
    path = tmp_path / "round.keras"
    save_model(model, path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(np.asarray(loaded.predict_on_batch(x)), np.asarray(model.predict_on_batch(x)))
    assert loaded.count_params() == model.count_params()
    assert {type(layer).__name__ for layer in loaded.layers} >= {"InstanceNormalization", "Dense", "Add"}
