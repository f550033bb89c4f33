"""Importing Keras 3 on the TensorFlow backend, only when a TuNet is built, trained or loaded."""

from __future__ import annotations

import os
from typing import Any

from tumorbench.api import BenchError


def keras_module(device: str = "auto") -> Any:
    """``keras`` on TensorFlow; ``device='cpu'`` hides GPUs (must precede TensorFlow's first use).

    Raises:
        BenchError: Keras/TensorFlow missing, or Keras already imported with another backend.
    """
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import keras
        import tensorflow as tf
    except ImportError as exc:
        raise BenchError(f"TuNet needs Keras 3 and TensorFlow: pip install 'tumorbench[keras]' ({exc})") from exc
    if keras.backend.backend() != "tensorflow":
        raise BenchError(
            f"TuNet needs the Keras TensorFlow backend, but Keras was already imported with "
            f"{keras.backend.backend()!r}; unset KERAS_BACKEND or run TuNet in its own process"
        )
    if device == "cpu":
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:  # already initialised: keep what it has
            pass
    else:
        gpus = tf.config.list_physical_devices("GPU")
        if device.startswith("cuda") and not gpus:
            raise BenchError(f"--device {device}: TensorFlow sees no GPU")
        for gpu in gpus:  # share the GPU with PyTorch models in the same run instead of taking it all
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except RuntimeError:  # already initialised
                pass
    return keras
