"""Custom Keras objects of TuNet, registered so ``.keras`` files load with ``safe_mode=True``.

Imported only through :func:`load_custom_objects` (it imports Keras at module level).
"""

from __future__ import annotations

from .backend import keras_module

keras = keras_module()
ops = keras.ops

PACKAGE = "tumorbench_tunet"


@keras.saving.register_keras_serializable(package=PACKAGE)
class InstanceNormalization(keras.layers.Layer):
    """Per-sample, per-channel normalisation over the spatial axes with a learned scale and shift [P].

    Channels last; ``2 * channels`` weights (the "affine norm" counted in docs/tunet.md).
    """

    def __init__(self, epsilon: float = 1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self.gamma = self.add_weight(name="gamma", shape=(channels,), initializer="ones")
        self.beta = self.add_weight(name="beta", shape=(channels,), initializer="zeros")

    def call(self, inputs):
        axes = tuple(range(1, len(inputs.shape) - 1))
        mean, variance = ops.moments(inputs, axes=axes, keepdims=True)
        normalised = (inputs - mean) * ops.rsqrt(variance + self.epsilon)
        return normalised * self.gamma + self.beta

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package=PACKAGE)
def summed_soft_dice_loss(y_true, y_pred):
    """Eq. 5/6 of Vu et al.: sum over the WT, TC, ET channels of -2 sum(uv) / (sum u + sum v + eps).

    Sums run over the whole flattened batch [C]; eps = 1e-5 in the denominator only [C].
    Ranges over [-3, 0]; -3 is a perfect prediction of all three regions.
    """
    y_true = ops.cast(y_true, y_pred.dtype)
    axes = tuple(range(len(y_pred.shape) - 1))
    intersection = ops.sum(y_true * y_pred, axis=axes)
    total = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
    return ops.sum(-2.0 * intersection / (total + 1e-5))


def load_custom_objects() -> dict[str, object]:
    """The registered objects (importing this module registers them)."""
    return {"InstanceNormalization": InstanceNormalization, "summed_soft_dice_loss": summed_soft_dice_loss}
