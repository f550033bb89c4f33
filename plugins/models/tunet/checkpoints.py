"""Saving and loading TuNet ``.keras`` files (atomic writes; ``safe_mode=True`` loads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tumorbench.api import (
    BenchError,
    Field,
    atomic_path,
    check,
    check_finite,
    read_json_object,
    write_text_atomic,
)

SUFFIX = ".keras"
CHECKPOINT = "checkpoint" + SUFFIX
"""Best weights by validation loss: what inference loads."""
LAST = "train_state" + SUFFIX
"""Weights and optimizer state after the last finished epoch: what ``resume`` continues from."""
STATE = "train_state.json"
STATE_SCHEMA = {
    "epoch": Field(int, required=True, minimum=0),
    "best": Field(float, required=True, nullable=True, finite=False),
    "wait": Field(int, required=True, minimum=0),
    "lr_wait": Field(int, required=True, minimum=0),
    "lr": Field(float, required=True, minimum=0, exclusive=True),
    "history": Field(list, required=True),
    "stopped": Field(bool, required=True),
}
"""``train_state.json``: where an interrupted training run stands (what ``resume`` continues from)."""


def save_model(model: Any, path: Path) -> None:
    """``model.save`` to a temporary file beside ``path``, then an atomic rename."""
    with atomic_path(path) as tmp:
        model.save(tmp)


def copy_atomic(source: Path, target: Path) -> None:
    """Copy a file through a temporary name, so ``target`` is never half-written."""
    import shutil

    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)


def load_model(path: Path, *, compile: bool = False) -> Any:
    """A TuNet from ``path`` with ``safe_mode=True`` (no lambdas; custom layers are registered)."""
    from .backend import keras_module

    keras = keras_module()
    from . import layers  # noqa: F401  (registers the custom objects)

    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: checkpoint not found")
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=compile)
    except Exception as exc:  # corrupt zip, unknown layer, ...: one line naming the file
        raise BenchError(f"{path}: cannot load Keras checkpoint ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from exc
    check_finite(((getattr(w, "path", w.name), keras.ops.convert_to_numpy(w)) for w in model.weights), path, "weight")
    return model


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Atomic JSON write."""
    write_text_atomic(path, json.dumps(dict(data), indent=2, sort_keys=True))


def read_json(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        return {}
    return read_json_object(path)


def read_state(directory: Path) -> dict[str, Any]:
    """``train_state.json`` of a fold checked against :data:`STATE_SCHEMA` ({} when absent)."""
    path = Path(directory) / STATE
    return check(read_json_object(path), STATE_SCHEMA, path) if path.is_file() else {}
