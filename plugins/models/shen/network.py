"""The three Shen & Anderson networks as ``torch.nn`` modules (import this module lazily).

Module names are fixed per layer (``convs.3``, ``norms.3``, ``fc1``...), so weights keep their
keys whether or not batch norm or dropout are present: a fine-tuned network with extra batch
norm loads the weights of a plain one (``strict=False``, new norm layers keep their init).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .options import BCN_FC, BCN_WIDTHS, FCN_WIDTHS, FIFCN_DECONV, FIFCN_WIDTHS, ShenConfig


def _norm(bn: bool, channels: int) -> nn.Module:
    return nn.BatchNorm3d(channels) if bn else nn.Identity()


def _volume_norm(norm: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Batch norm with each sample normalised by its own statistics, in training and inference.

    With one volume per batch this is exactly what :class:`torch.nn.BatchNorm3d` computes in
    training; in inference it replaces the running averages (which are still tracked) by the
    statistics of the volume being segmented, so inference normalises as training did.
    """
    if not isinstance(norm, nn.BatchNorm3d):
        return norm(x)
    if norm.training:
        return F.instance_norm(x, norm.running_mean, norm.running_var, norm.weight, norm.bias,
                               use_input_stats=True, momentum=norm.momentum or 0.1, eps=norm.eps)
    dims = tuple(range(2, x.dim()))  # written out: also defined for a single voxel (F.instance_norm refuses it)
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, unbiased=False, keepdim=True)
    shape = (1, -1) + (1,) * len(dims)
    return (x - mean) * torch.rsqrt(var + norm.eps) * norm.weight.view(shape) + norm.bias.view(shape)


def _drop(on: bool, rate: float) -> nn.Module:
    return nn.Dropout(rate) if on else nn.Identity()


class BCN(nn.Module):
    """Baseline voxel-wise CNN: 8 unpadded 3^3 convs + ReLU, FC 150 (1^3) + ReLU + dropout, FC K.

    [P] input 4 x 25^3 -> scores K x 9^3; fully convolutional, so an input of n^3 gives (n-16)^3.
    [A] widths 30,30,40,40,40,40,50,50; batch norm after each 3^3 conv (before ReLU).
    """

    shrink = 16

    def __init__(self, cfg: ShenConfig, in_channels: int = 4):
        super().__init__()
        widths = cfg.scaled(BCN_WIDTHS)
        fc = cfg.scaled((BCN_FC,))[0]
        chans = (in_channels, *widths)
        self.convs = nn.ModuleList(nn.Conv3d(a, b, 3) for a, b in zip(chans[:-1], chans[1:], strict=False))
        self.norms = nn.ModuleList(_norm(cfg.bn, b) for b in widths)
        self.fc1 = nn.Conv3d(widths[-1], fc, 1)
        self.drop = _drop(cfg.dropout, cfg.rate)
        self.fc2 = nn.Conv3d(fc, cfg.classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv, norm in zip(self.convs, self.norms, strict=False):
            x = torch.relu(norm(conv(x)))
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


class FCN(nn.Module):
    """Patch-wise FCN: 2 x (conv 3^3 'same', ReLU, BN, dropout, max-pool 2), 2 x deconv 2^3 stride 2.

    [P] 24^3 -> 12^3 -> 6^3 -> 12^3 -> 24^3 (any edge divisible by 4 works); the first deconv is
    followed by ReLU and BN, the second gives the class scores. [A] widths 32, 64; dropout 0.5.
    [A] The paper lists "ReLU, dropout, batch normalization"; with dropout *before* BN the BN
    statistics learnt under dropout do not fit inference (no dropout): measured here, held-out Dice
    0.43 at training loss 0.03. Batch norm therefore comes before dropout.
    """

    def __init__(self, cfg: ShenConfig, in_channels: int = 4):
        super().__init__()
        w1, w2 = cfg.scaled(FCN_WIDTHS)
        self.conv1 = nn.Conv3d(in_channels, w1, 3, padding=1)
        self.drop1 = _drop(cfg.dropout, cfg.rate)
        self.norm1 = _norm(cfg.bn, w1)
        self.conv2 = nn.Conv3d(w1, w2, 3, padding=1)
        self.drop2 = _drop(cfg.dropout, cfg.rate)
        self.norm2 = _norm(cfg.bn, w2)
        self.pool = nn.MaxPool3d(2)
        self.deconv1 = nn.ConvTranspose3d(w2, w1, 2, stride=2)
        self.norm3 = _norm(cfg.bn, w1)
        self.deconv2 = nn.ConvTranspose3d(w1, cfg.classes, 2, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.drop1(self.norm1(torch.relu(self.conv1(x)))))
        x = self.pool(self.drop2(self.norm2(torch.relu(self.conv2(x)))))
        x = self.norm3(torch.relu(self.deconv1(x)))
        return self.deconv2(x)


class FIFCN(nn.Module):
    """Full-image FCN: 5 convs 3^3 (BN, ReLU; max-pool 2 after the first four), 4 deconvs 2^3
    stride 2 (BN, ReLU), a 1^3 conv to K classes; no skip connections.

    [P] input 4 x 160x160x144 (edges divisible by 16). [A] widths 16,32,64,128,128 / 64,32,16,16;
    with ``dropout`` (fine-tuning) a dropout layer follows the fifth conv.
    [A] ``bn_stats=volume`` (the FIFCN default): every batch-norm layer normalises each volume by
    that volume's own statistics, in training and inference (:func:`_volume_norm`); trained one
    volume per step, the network learns with these statistics, and the running averages of
    ``bn_stats=running`` (standard inference) did not fit a held-out volume (measured:
    ``docs/torch-models.md``).
    """

    def __init__(self, cfg: ShenConfig, in_channels: int = 4):
        super().__init__()
        enc = cfg.scaled(FIFCN_WIDTHS)
        dec = cfg.scaled(FIFCN_DECONV)
        chans = (in_channels, *enc)
        self.convs = nn.ModuleList(nn.Conv3d(a, b, 3, padding=1) for a, b in zip(chans[:-1], chans[1:], strict=False))
        self.norms = nn.ModuleList(_norm(cfg.bn, b) for b in enc)
        self.pool = nn.MaxPool3d(2)
        self.drop = _drop(cfg.dropout, cfg.rate)
        dchans = (enc[-1], *dec)
        self.deconvs = nn.ModuleList(nn.ConvTranspose3d(a, b, 2, stride=2) for a, b in zip(dchans[:-1], dchans[1:], strict=False))
        self.dnorms = nn.ModuleList(_norm(cfg.bn, b) for b in dec)
        self.head = nn.Conv3d(dec[-1], cfg.classes, 1)
        self.volume_stats = cfg.bn_stats == "volume"

    def _norm(self, norm: nn.Module, x: torch.Tensor) -> torch.Tensor:
        return _volume_norm(norm, x) if self.volume_stats else norm(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self.convs) - 1
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms, strict=False)):
            x = torch.relu(self._norm(norm, conv(x)))
            if i < last:
                x = self.pool(x)
        x = self.drop(x)
        for deconv, norm in zip(self.deconvs, self.dnorms, strict=False):
            x = torch.relu(self._norm(norm, deconv(x)))
        return self.head(x)


def build(cfg: ShenConfig) -> nn.Module:
    """The network a configuration describes (weights freshly initialised)."""
    cls = {"bcn": BCN, "fcn": FCN, "fifcn": FIFCN}[cfg.arch]
    return cls(cfg, in_channels=len(cfg.channels))


def count_parameters(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


def output_shape(cfg: ShenConfig, spatial: tuple[int, int, int]) -> tuple[int, int, int]:
    """Output spatial shape for an input shape (the analytic rule of each architecture)."""
    if cfg.arch == "bcn":
        return tuple(s - BCN.shrink for s in spatial)  # type: ignore[return-value]
    return tuple(spatial)  # type: ignore[return-value]


def describe(cfg: ShenConfig, name: str) -> str:
    """Layers and parameter counts, as ``bench models show`` prints them."""
    net = build(cfg)
    example = {"bcn": (25, 25, 25), "fcn": (24, 24, 24), "fifcn": tuple(cfg.crop)}[cfg.arch]
    lines = [
        f"{name}: {SUMMARY_LINE[cfg.arch]}",
        f"  input  {len(cfg.channels)} x {'x'.join(map(str, example))} (channels {', '.join(cfg.channels)})",
        f"  output {cfg.classes} x {'x'.join(map(str, output_shape(cfg, example)))} class scores (softmax)",
        f"  dropout={cfg.dropout} bn={cfg.bn} loss={cfg.loss} width={cfg.width}"
        + (f" bn_stats={cfg.bn_stats}" if cfg.arch == "fifcn" else ""),
        "  layers:",
    ]
    for layer_name, module in net.named_modules():
        if not layer_name or list(module.children()) or isinstance(module, nn.Identity):
            continue
        n = sum(p.numel() for p in module.parameters())
        lines.append(f"    {layer_name:<12} {module!r:<70} {n:>9,d}")
    total = count_parameters(net)
    lines.append(f"  parameters: {total:,d} ({total / 1e6:.2f} M)")
    return "\n".join(lines)


SUMMARY_LINE = {
    "bcn": "baseline voxel-wise CNN, 8 unpadded 3^3 convs + 2 FC (1^3 convs)",
    "fcn": "patch-wise FCN, 2 convs + 2 max-pools, 2 deconvs",
    "fifcn": "full-image FCN, 5 convs + 4 max-pools, 4 deconvs, 1^3 head",
}
