"""Shen & Anderson networks: analytic output shapes, parameter counts against docs/torch-models.md, options."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench_plugins.models.shen.options import VARIANTS, from_params

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

from tumorbench_plugins.models.shen.network import build, count_parameters  # noqa: E402


def test_ten_models_registered_as_whole_tumour_torch_models():
    registry = Registry()
    for name in ("bcn", "bcn-dropout", "bcn-bn", "bcn-dropout-bn", "fcn", "fcn-dropout", "fcn-bn",
                 "fcn-dropout-bn", "fifcn-ce", "fifcn-dice"):
        spec = registry.models.get(name)
        assert spec.regions == ("WT",) and spec.framework == "torch"
        assert spec.train is not None and spec.describe is not None


def test_plugin_import_does_not_import_torch():
    code = "import sys, tumorbench_plugins.models.shen.plugin; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "model, spatial, expected",
    [
        ("bcn", (25, 25, 25), (9, 9, 9)),          # [P] 25^3 -> 9^3
        ("bcn-dropout-bn", (33, 30, 27), (17, 14, 11)),  # 8 unpadded 3^3 convs: n - 16
        ("fcn", (24, 24, 24), (24, 24, 24)),       # [P] 24 -> 12 -> 6 -> 12 -> 24
        ("fcn-dropout-bn", (32, 24, 16), (32, 24, 16)),
        ("fifcn-ce", (32, 48, 16), (32, 48, 16)),  # four poolings: edges divisible by 16
    ],
)
def test_output_shapes(model, spatial, expected):
    net = build(from_params(model, {"width": "0.25"})).eval()
    with torch.no_grad():
        out = net(torch.zeros(2, 4, *spatial))
    assert tuple(out.shape) == (2, 2, *expected)


def test_fifcn_full_crop_and_five_classes():
    net = build(from_params("fifcn-dice", {"width": "0.125", "classes": "5"})).eval()
    with torch.no_grad():
        out = net(torch.zeros(1, 4, 160, 160, 144))
    assert tuple(out.shape) == (1, 5, 160, 160, 144)


# docs/torch-models.md: BCN about 0.32 M, FCN about 76 k, FIFCN about 0.82 M parameters.
# Hand count, BCN: convs 3270+24330+32440+3*43240+54050+67550, FC 7650+302 = 319,312.
@pytest.mark.parametrize("model, reference", [
    ("bcn", 0.32e6), ("bcn-dropout", 0.32e6), ("bcn-bn", 0.32e6), ("bcn-dropout-bn", 0.32e6),
    ("fcn", 76e3), ("fcn-dropout", 76e3), ("fcn-bn", 76e3), ("fcn-dropout-bn", 76e3),
    ("fifcn-ce", 0.82e6), ("fifcn-dice", 0.82e6),
])
def test_parameter_counts_match_models_md(model, reference):
    n = count_parameters(build(from_params(model, {})))
    assert abs(n - reference) / reference < 0.03


def test_hand_counted_bcn_and_fcn():
    assert count_parameters(build(from_params("bcn", {}))) == 319_312
    # FCN: conv 4*32*27+32, 32*64*27+64, deconv 64*32*8+32, 32*2*8+2
    assert count_parameters(build(from_params("fcn", {}))) == 3488 + 55360 + 16416 + 514
    # batch norm adds 2 parameters per channel after each conv/deconv (32 + 64 + 32)
    assert count_parameters(build(from_params("fcn-bn", {}))) == 75778 + 2 * 128


def test_width_scales_parameters_roughly_quadratically():
    full = count_parameters(build(from_params("bcn", {})))
    half = count_parameters(build(from_params("bcn", {"width": "0.5"})))
    assert 0.2 < half / full < 0.3


def test_describe_lists_layers_and_count():
    text = Registry().models.get("bcn").describe({})
    assert "319,312" in text and "0.32 M" in text and "convs.7" in text and "fc2" in text
    assert "flair, t1, t1ce, t2" in text


def test_bad_options_are_one_line_errors():
    with pytest.raises(BenchError, match="--model-opt nonsense"):
        from_params("bcn", {"nonsense": "1"})
    with pytest.raises(BenchError, match="width=abc"):
        from_params("bcn", {"width": "abc"})
    with pytest.raises(BenchError, match="classes=3"):
        from_params("fifcn-ce", {"classes": "3"})
    assert set(VARIANTS) == {"bcn", "bcn-dropout", "bcn-bn", "bcn-dropout-bn", "fcn", "fcn-dropout", "fcn-bn",
                             "fcn-dropout-bn", "fifcn-ce", "fifcn-dice"}


def test_fifcn_counts_823986_parameters_whatever_its_batch_norm_statistics():
    # docs/torch-models.md layer list at full width; bn_stats changes no parameter
    for stats in ("volume", "running"):
        assert count_parameters(build(from_params("fifcn-ce", {"bn_stats": stats}))) == 823_986
    assert from_params("fifcn-dice", {}).bn_stats == "volume" and from_params("fcn-bn", {}).bn_stats == "running"
    with pytest.raises(BenchError, match="bn_stats=volume"):
        from_params("fcn-bn", {"bn_stats": "volume"})
    with pytest.raises(BenchError, match="bn_stats=batch"):
        from_params("fifcn-ce", {"bn_stats": "batch"})


def test_fifcn_volume_statistics_are_batch_norm_of_one_volume():
    """bn_stats=volume in inference = standard batch norm in training mode on that volume alone,
    and every volume of a batch is normalised independently."""
    torch.manual_seed(0)
    volume = build(from_params("fifcn-ce", {"width": "0.25", "bn_stats": "volume"}))
    standard = build(from_params("fifcn-ce", {"width": "0.25", "bn_stats": "running"}))
    standard.load_state_dict(volume.state_dict())
    for module in standard.modules():
        if isinstance(module, torch.nn.BatchNorm3d):
            module.momentum = 0.0  # batch statistics, running averages left alone
    x = torch.randn(2, 4, 16, 32, 16)
    with torch.no_grad():
        ours = volume.eval()(x)
        reference = torch.cat([standard.train()(x[i : i + 1]) for i in range(2)])
        alone = volume(x[1:])
    torch.testing.assert_close(ours, reference, rtol=1e-3, atol=1e-4)  # float32 sums in another order
    torch.testing.assert_close(ours[1:], alone, rtol=1e-3, atol=1e-4)
    # in eval mode the standard network uses its (initial) running averages instead: different
    with torch.no_grad():
        assert not torch.allclose(standard.eval()(x), ours, atol=1e-3)


def test_fifcn_volume_statistics_train_like_batch_norm_with_batch_one():
    torch.manual_seed(1)
    volume = build(from_params("fifcn-dice", {"width": "0.25"})).train()
    standard = build(from_params("fifcn-dice", {"width": "0.25", "bn_stats": "running"})).train()
    standard.load_state_dict(volume.state_dict())
    x = torch.randn(1, 4, 32, 32, 16)
    torch.testing.assert_close(volume(x), standard(x), rtol=1e-4, atol=1e-5)
    # the running averages are still tracked, as batch norm does
    np.testing.assert_allclose(volume.norms[0].running_mean.numpy(), standard.norms[0].running_mean.numpy(), rtol=1e-4, atol=1e-6)
