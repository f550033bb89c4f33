"""Importing Keras 3 on the TensorFlow backend, only when a TuNet is built, trained or loaded."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tumorbench.api import BenchError, configure_tensorflow_threads


@contextmanager
def _quiet_native_stderr(enabled: bool = True) -> Iterator[None]:
    """Send file descriptor 2 to a scratch file while TensorFlow starts: its C++ start-up notices
    (oneDNN, CUDA driver probing, ``cuInit`` on a machine without a GPU) are written before its
    log level applies. On an error they are replayed; ``--verbose`` shows them always."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            if failed:
                sink.seek(0)
                sys.stderr.write(sink.read().decode(errors="replace"))


def keras_module(device: str = "auto") -> Any:
    """``keras`` on TensorFlow; ``device='cpu'`` hides GPUs (must precede TensorFlow's first use).

    Raises:
        BenchError: Keras/TensorFlow missing, or Keras already imported with another backend.
    """
    os.environ["KERAS_BACKEND"] = "tensorflow"
    verbose = os.environ.get("TUMORBENCH_VERBOSE", "") not in ("", "0")
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    first = "tensorflow" not in sys.modules
    try:
        with _quiet_native_stderr(enabled=first and not verbose):
            import keras
            import tensorflow as tf

            if first:  # probe the devices now, while TensorFlow's start-up notices are silenced
                tf.config.list_physical_devices("GPU")
    except ImportError as exc:
        raise BenchError(f"TuNet needs Keras 3 and TensorFlow: pip install 'tumorbench[keras]' ({exc})") from exc
    if first:
        configure_tensorflow_threads(tf)
        if not verbose:
            import absl.logging

            absl.logging.set_verbosity(absl.logging.ERROR)
            tf.get_logger().setLevel("ERROR")
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
