"""Shen inference: tiling against one direct forward pass, crop/paste, orientation, missing weights."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.contract.values import ModelContext
from tumorbench.errors import MissingCheckpointError
from tumorbench.models.preprocess import to_canonical, to_canonical_array
from tumorbench_plugins.models.shen.options import from_params

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

from helpers.shen import tiny_source  # noqa: E402

from tumorbench_plugins.models.shen.network import build  # noqa: E402
from tumorbench_plugins.models.shen.plugin import _load  # noqa: E402
from tumorbench_plugins.models.shen.predict import (  # noqa: E402
    ShenPredictor,
    bcn_probabilities,
    fcn_probabilities,
    fifcn_probabilities,
    probabilities,
)

CPU = torch.device("cpu")


def _net(model: str, **params):
    torch.manual_seed(1)
    net = build(from_params(model, {"width": "0.25", **params}))
    for m in net.modules():  # non-trivial batch-norm statistics, so eval mode is not the identity
        if isinstance(m, torch.nn.BatchNorm3d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    return net.eval()


def _direct(net, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return torch.softmax(net(torch.from_numpy(x[None])), 1)[0].numpy()


@pytest.mark.parametrize("tile", [9, 7, 40])
def test_bcn_tiles_reproduce_one_forward_pass(tile):
    net = _net("bcn-bn")
    x = np.random.default_rng(0).normal(size=(4, 30, 23, 19)).astype(np.float32)
    direct = _direct(net, np.pad(x, [(0, 0)] + [(8, 8)] * 3))  # pad by 8: output on the input grid
    tiled = bcn_probabilities(net, x, 2, tile=tile, batch=3, device=CPU)
    assert tiled.shape == (2, 30, 23, 19)
    np.testing.assert_allclose(tiled, direct, atol=1e-5)


def test_bcn_brain_box_crop_is_exact():
    net = _net("bcn")
    x = np.zeros((4, 34, 30, 26), dtype=np.float32)
    x[:, 6:27, 5:22, 4:20] = np.random.default_rng(1).normal(size=(4, 21, 17, 16))
    direct = _direct(net, np.pad(x, [(0, 0)] + [(8, 8)] * 3))
    inside = probabilities(net, from_params("bcn", {"width": "0.25"}), x, CPU, tile=10, batch=4)
    box = (slice(None), slice(6, 27), slice(5, 22), slice(4, 20))
    np.testing.assert_allclose(inside[box], direct[box], atol=1e-5)
    outside = np.ones(x.shape[1:], bool)
    outside[box[1:]] = False
    assert (inside[0][outside] == 1).all()  # background outside the brain


def test_fcn_single_tile_is_the_forward_pass():
    net = _net("fcn-dropout-bn")
    x = np.random.default_rng(2).normal(size=(4, 24, 24, 24)).astype(np.float32)
    np.testing.assert_allclose(fcn_probabilities(net, x, 2, batch=4, device=CPU), _direct(net, x), atol=1e-6)


def test_fcn_overlapping_tiles_are_averaged():
    net = _net("fcn")
    x = np.random.default_rng(3).normal(size=(4, 36, 24, 24)).astype(np.float32)
    first, second = _direct(net, x[:, :24]), _direct(net, x[:, 12:])  # stride 12 along x
    expected = np.concatenate([first[:, :12], (first[:, 12:] + second[:, :12]) / 2, second[:, 12:]], axis=1)
    np.testing.assert_allclose(fcn_probabilities(net, x, 2, batch=2, device=CPU), expected, atol=1e-6)


def test_fifcn_whole_image_crop_is_the_forward_pass():
    net = _net("fifcn-ce")
    cfg = from_params("fifcn-ce", {"width": "0.25"})
    x = np.random.default_rng(4).normal(size=(4, 32, 48, 16)).astype(np.float32)
    np.testing.assert_allclose(fifcn_probabilities(net, x, cfg, CPU), _direct(net, x), atol=1e-6)


def test_fifcn_crop_is_centred_on_brain_and_pasted_back():
    cfg = from_params("fifcn-ce", {"width": "0.25", "crop": "16,16,16"})
    net = _net("fifcn-ce")
    x = np.zeros((4, 40, 30, 20), dtype=np.float32)
    x[:, 10:30, 8:22, 2:18] = np.random.default_rng(5).normal(size=(4, 20, 14, 16))  # brain box centre (20,15,10)
    out = fifcn_probabilities(net, x, cfg, CPU)
    box = (slice(12, 28), slice(7, 23), slice(2, 18))  # 16^3 centred on the brain box
    np.testing.assert_allclose(out[(slice(None), *box)], _direct(net, np.ascontiguousarray(x[(slice(None), *box)])), atol=1e-6)
    mask = np.ones(x.shape[1:], bool)
    mask[box] = False
    assert (out[0][mask] == 1).all() and (out[1][mask] == 0).all()


def test_predictions_follow_the_case_orientation(tmp_path):
    source = tiny_source(tmp_path / "data")
    case = source.load(source.case_ids()[0])  # LPS affine, as BraTS
    canon = to_canonical(case)  # the same voxels in RAS order
    cfg = from_params("fcn", {"width": "0.25"})
    predictor = ShenPredictor(cfg=cfg, nets=[_net("fcn")], device=CPU)
    native = predictor.predict(case).probabilities["WT"]
    ras = predictor.predict(canon).probabilities["WT"]
    assert native.shape == case.shape and native.dtype == np.float32
    assert not np.allclose(native, ras)  # the grids differ (x and y flipped) ...
    np.testing.assert_array_equal(to_canonical_array(native, case.reference.affine), ras)  # ... the voxels agree


def test_five_class_prediction_covers_three_regions(tmp_path):
    source = tiny_source(tmp_path / "data")
    case = source.load(source.case_ids()[0])
    cfg = from_params("fifcn-ce", {"width": "0.25", "classes": "5"})
    prediction = ShenPredictor(cfg=cfg, nets=[_net("fifcn-ce", classes="5")], device=CPU).predict(case)
    assert prediction.regions == ("WT", "TC", "ET")
    wt, tc, et = (prediction.probabilities[r] for r in ("WT", "TC", "ET"))
    assert (wt >= tc - 1e-6).all() and (tc >= et - 1e-6).all()  # nested regions


def test_missing_checkpoint_names_the_train_command(tmp_path):
    with pytest.raises(MissingCheckpointError) as err:
        _load("bcn-dropout", ModelContext(dataset="synthetic", store=tmp_path / "store", fold=2))
    message = str(err.value)
    assert "bench train --model bcn-dropout --dataset synthetic --fold 2" in message
    assert "\n" not in message
