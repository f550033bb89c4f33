"""The model store: checkpoints by model, dataset and fold, each with its configuration and split.

Layout::

    <store>/<model>/<dataset>/fold-<k>/
        checkpoint.*        framework-specific weights (``.pt`` state_dict, ``.keras``)
        config.json         the options the model was built and trained with; ``training``: what the
                            harness recorded of each training call (budget, steps, epochs, wall time)
        split.json          {"train": [...], "trained": [...], "validation": [...], "held_out": [...],
                             "fold": k, "folds": n, "seed": s, "protocol": ...}
        train_state.*       optional state for resuming an interrupted run

``split.json``: ``train`` lists every case the model saw in any way (trained on or validated on:
out-of-fold scoring never scores them); ``trained`` and ``validation`` split them; ``held_out``
is the fold's scored cases, never given to the trainer. A file without ``held_out`` was written
before tumorbench 0.2, when the held-out fold itself was the validation set (``val``).

The store root is ``--store``, else ``$TUMORBENCH_STORE``, else ``./models``
(resolved by :func:`tumorbench.config.model_store`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tumorbench.errors import BenchError, MissingCheckpointError
from tumorbench.io.atomic import write_text_atomic
from tumorbench.io.paths import path_component

_FOLD_DIR = re.compile(r"^fold-(\d+)$")


@dataclass(frozen=True)
class StoredModel:
    """One trained fold in the store."""

    model: str
    dataset: str
    fold: int
    directory: Path

    @property
    def config(self) -> dict[str, Any]:
        return _read_json(self.directory / "config.json")

    @property
    def split(self) -> dict[str, Any]:
        return _read_json(self.directory / "split.json")

    def checkpoint(self, suffix: str) -> Path:
        return self.directory / f"checkpoint{suffix}"


def _read_json(path: Path) -> dict[str, Any]:
    """The JSON object in ``path`` ({} when absent); invalid files are one line naming them."""
    from tumorbench.io.schema import read_json_object

    return read_json_object(path) if path.is_file() else {}


def fold_dir(store: Path, model: str, dataset: str, fold: int) -> Path:
    """``<store>/<model>/<dataset>/fold-<fold>``; a model or dataset name that would lead outside
    the store (``..``, a separator, an absolute path) is refused."""
    return Path(store) / path_component(model, "model") / path_component(dataset, "dataset") / f"fold-{int(fold)}"


PROTOCOL = "validation inside the training folds"
"""``split.json``'s ``protocol`` since tumorbench 0.2: the trainer validates on cases of the
training folds, and the held-out fold is never given to it."""


def split_record(request: Any) -> dict[str, Any]:
    """What a trainer writes as ``split.json`` for a ``TrainRequest``: the harness's record when it
    gave one (``request.split``), else one built from the request's ids (``train`` = every case the
    trainer was given, validation included)."""
    if request.split:
        return dict(request.split)
    trained, validation = list(request.train_ids), list(request.val_ids)
    return {"train": sorted({*trained, *validation}), "trained": trained, "validation": validation,
            "fold": request.fold, "folds": request.folds, "seed": request.seed}


def write_metadata(directory: Path, config: Mapping[str, Any], split: Mapping[str, Any]) -> None:
    """Write ``config.json`` and ``split.json`` beside a checkpoint (each atomically)."""
    directory.mkdir(parents=True, exist_ok=True)
    write_text_atomic(directory / "config.json", json.dumps(dict(config), indent=2, sort_keys=True))
    write_text_atomic(directory / "split.json", json.dumps(dict(split), indent=2))


def train_command(
    model: str,
    dataset: str,
    fold: int | None,
    *,
    store: Path | None = None,
    data_root: Path | None = None,
    folds: int | None = None,
    dataset_params: Mapping[str, Any] | None = None,
) -> str:
    """The ``bench train`` command line that makes the checkpoint, quoted for a POSIX shell."""
    import shlex

    words = ["bench", "train", "--model", model, "--dataset", dataset]
    if data_root is not None:
        words += ["--data-root", str(data_root)]
    for key, value in (dataset_params or {}).items():
        words += ["--dataset-opt", f"{key}={value}"]
    if fold is not None:
        words += ["--fold", str(fold)]
    if folds is not None:
        words += ["--folds", str(folds)]
    if store is not None:
        words += ["--store", str(store)]
    return shlex.join(words)


def fold_count(cases: int, preferred: int = 5) -> int:
    """The folds a dataset of ``cases`` cases can be split into: ``preferred``, fewer for a small set."""
    return max(2, min(preferred, cases))


def find(store: Path, model: str, dataset: str, *, suffix: str, fold: int | None = None) -> list[StoredModel]:
    """Trained folds of ``model`` for ``dataset`` that have ``checkpoint<suffix>``.

    Raises:
        MissingCheckpointError: none found; the message names the ``bench train`` command.
    """
    base = Path(store) / model / dataset
    found: list[StoredModel] = []
    if base.is_dir():
        for child in sorted(base.iterdir()):
            match = _FOLD_DIR.match(child.name)
            if match and (child / f"checkpoint{suffix}").is_file():
                k = int(match.group(1))
                if fold is None or k == fold:
                    found.append(StoredModel(model, dataset, k, child))
    if not found:
        where = fold_dir(store, model, dataset, fold if fold is not None else 0)
        raise MissingCheckpointError(
            f"{where}: no checkpoint{suffix} for model {model} on {dataset}; make one with: "
            f"{train_command(model, dataset, fold, store=store)}"
        )
    return found


def resolve_checkpoint(path: Path) -> Path:
    """A checkpoint file as given, or the one ``checkpoint.*`` file of a fold folder.

    Raises:
        BenchError: the path does not exist, or the folder holds no (or several) checkpoint files.
    """
    path = Path(path)
    if path.is_file():
        return path
    if not path.is_dir():
        raise BenchError(f"{path}: checkpoint not found (give a checkpoint file or its fold folder)")
    found = sorted(p for p in path.glob("checkpoint.*") if p.is_file() and not p.name.endswith(".tmp"))
    if not found:
        raise BenchError(f"{path}: no checkpoint.* file in this folder (give a checkpoint file or its fold folder)")
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise BenchError(f"{path}: several checkpoint files ({names}); give the one to start from")
    return found[0]
