"""The TuNet graph: W-Net -> C-Net -> E-Net, one Keras model with a 3-channel sigmoid output.

Built as docs/tunet.md describes it. Channels last: input ``(X, Y, Z, 4)`` in :data:`MODALITIES` order,
output ``(X, Y, Z, 3)`` = (p_WT, p_TC, p_ET), each channel the sigmoid head of one sub-network.
Imports Keras on first call only.
"""

from __future__ import annotations

import math
from typing import Any

from .options import TuNetOptions


class _Builder:
    """Layer factories for one sub-network; names are prefixed so the three nets stay apart."""

    def __init__(self, keras: Any, opts: TuNetOptions, prefix: str):
        from .layers import InstanceNormalization

        self.k = keras
        self.opts = opts
        self.prefix = prefix
        self.count = 0
        self.norm_cls = InstanceNormalization

    def name(self, kind: str) -> str:
        self.count += 1
        return f"{self.prefix}_{kind}{self.count}"

    def conv(self, x, filters: int, size: int):
        return self.k.layers.Conv3D(
            filters,
            size,
            padding="same",
            kernel_regularizer=self.k.regularizers.L2(self.opts.l2) if self.opts.l2 > 0 else None,
            name=self.name(f"conv{size}_"),
        )(x)

    def norm(self, x):
        return self.norm_cls(name=self.name("in"))(x)

    def relu(self, x):
        return self.k.layers.ReLU(name=self.name("relu"))(x)

    def se(self, x):
        """Squeeze-and-excitation [P][C]: x * sigmoid(W2 relu(W1 GAP(x))), reduction 16, no biases."""
        if not self.opts.se:
            return x
        channels = int(x.shape[-1])
        s = self.k.layers.GlobalAveragePooling3D(keepdims=True, name=self.name("se_gap"))(x)
        s = self.k.layers.Dense(max(channels // 16, 1), activation="relu", use_bias=False, name=self.name("se_fc"))(s)
        s = self.k.layers.Dense(channels, activation="sigmoid", use_bias=False, name=self.name("se_fc"))(s)
        return self.k.layers.Multiply(name=self.name("se_scale"))([x, s])

    def conv_block(self, x, filters: int):
        """Conv 3^3 -> InstanceNorm -> ReLU [P] (then SE when on)."""
        return self.se(self.relu(self.norm(self.conv(x, filters, 3))))

    def reb1(self, x, filters: int):
        """Bottleneck with projection shortcut [C]: 1-3-1 convs, each normed; ReLU(sum)."""
        y = self.relu(self.norm(self.conv(x, filters, 1)))
        y = self.relu(self.norm(self.conv(y, filters, 3)))
        y = self.norm(self.conv(y, filters, 1))
        shortcut = self.norm(self.conv(x, filters, 1))
        out = self.k.layers.Add(name=self.name("add"))([y, shortcut])
        return self.se(self.relu(out))

    def reb2(self, x, filters: int):
        """Pre-activation block with identity shortcut [C]: N-ReLU-Conv3-N-ReLU-Conv3; ReLU(y + x)."""
        y = self.conv(self.relu(self.norm(x)), filters, 3)
        y = self.conv(self.relu(self.norm(y)), filters, 3)
        out = self.k.layers.Add(name=self.name("add"))([y, x])
        return self.se(self.relu(out))

    def pool(self, x):
        return self.k.layers.MaxPooling3D(2, name=self.name("pool"))(x)

    def up(self, x):
        return self.k.layers.UpSampling3D(2, name=self.name("up"))(x)

    def concat(self, tensors):
        return self.k.layers.Concatenate(axis=-1, name=self.name("cat"))(tensors)


def _encoder_level(b: _Builder, x, level: int):
    """One encoder level's blocks; returns its output (the skip connection)."""
    w = b.opts.width * 2**level
    if b.opts.block == "plain":
        return b.conv_block(b.conv_block(x, w), 2 * w)
    if b.opts.block == "reb1":
        return b.reb1(b.reb1(x, w), w)
    # reb2: a 1^3 projection of the level's input (the stem at level 0), then one REB2
    x = b.conv(x, w, 3 if level == 0 else 1)
    return b.reb2(x, w)


def _decoder_level(b: _Builder, x, skip):
    """Up-sample, concatenate the skip (SE on the concatenation), two blocks of the skip's width."""
    x = b.se(b.concat([b.up(x), skip]))
    w = int(skip.shape[-1])
    if b.opts.block == "plain":
        return b.conv_block(b.conv_block(x, w), w)
    return b.reb1(b.reb1(x, w), w)


def subnet(keras: Any, opts: TuNetOptions, prefix: str, inputs, image):
    """One U-Net-like sub-network on ``inputs``; ``image`` (the 4-channel x) is max-pooled and
    concatenated with the pooled features at every deeper encoder level [P]. Returns p (1 channel)."""
    b = _Builder(keras, opts, prefix)
    skips = []
    x, pooled_image = inputs, image
    for level in range(opts.depth):
        if level > 0:
            x = b.pool(x)
            pooled_image = b.pool(pooled_image)
            x = b.concat([x, pooled_image])
        x = _encoder_level(b, x, level)
        skips.append(x)
    for skip in reversed(skips[:-1]):
        x = _decoder_level(b, x, skip)
    bias = math.log(opts.prior / (1.0 - opts.prior))
    return keras.layers.Conv3D(
        1,
        1,
        activation="sigmoid",
        dtype="float32",
        bias_initializer=keras.initializers.Constant(bias),
        name=f"{prefix}_prob",
    )(x)


def build_tunet(opts: TuNetOptions, keras: Any | None = None, patch: tuple[int, int, int] | None = None):
    """The cascade as one Keras model: W(x) -> p_WT; C([p_WT, x]) -> p_TC; E([p_TC, p_WT, x]) -> p_ET.

    Spatial input size is ``patch`` if given, else free (any multiple of 2^(depth-1)).
    """
    if keras is None:
        from .backend import keras_module

        keras = keras_module()
    shape = (*(patch or (None, None, None)), 4)
    x = keras.Input(shape=shape, name="image")
    p_wt = subnet(keras, opts, "wnet", x, x)
    c_in = keras.layers.Concatenate(axis=-1, name="cnet_input")([p_wt, x])
    p_tc = subnet(keras, opts, "cnet", c_in, x)
    e_in = keras.layers.Concatenate(axis=-1, name="enet_input")([p_tc, p_wt, x])
    p_et = subnet(keras, opts, "enet", e_in, x)
    out = keras.layers.Concatenate(axis=-1, name="regions", dtype="float32")([p_wt, p_tc, p_et])
    return keras.Model(x, out, name=f"tunet_{opts.block}{'_se' if opts.se else ''}")


def compile_tunet(model, opts: TuNetOptions, keras: Any) -> None:
    """Adam (lr, beta 0.9/0.999 [P]) on the summed soft-Dice loss [P]."""
    from .layers import summed_soft_dice_loss

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=opts.lr, beta_1=0.9, beta_2=0.999),
        loss=summed_soft_dice_loss,
        # XLA made the first CPU step ~2x slower to compile and later steps slower; measured here
        jit_compile=False,
    )


def describe_model(model, opts: TuNetOptions, paper: float | None) -> str:
    """Layer and parameter counts, per sub-network and total, against the paper's count."""
    total = model.count_params()
    per_net: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for layer in model.layers:
        net = layer.name.split("_")[0]
        if net in {"wnet", "cnet", "enet"}:
            per_net[net] = per_net.get(net, 0) + layer.count_params()
        kind = type(layer).__name__
        kinds[kind] = kinds.get(kind, 0) + 1
    lines = [
        f"{model.name}: block={opts.block} se={opts.se} width={opts.width} depth={opts.depth} "
        f"patch={','.join(map(str, opts.patch))} grid={','.join(map(str, opts.grid)) if opts.grid else 'none'}",
        f"parameters: {total:,} ({total / 1e6:.2f} M)"
        + (f"; paper {paper / 1e6:.2f} M, difference {100 * (total - paper) / paper:+.2f} %" if paper else ""),
        "per sub-network: " + ", ".join(f"{k} {v:,}" for k, v in per_net.items()),
        "layers: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
    ]
    return "\n".join(lines)
