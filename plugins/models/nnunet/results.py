"""A trained nnU-Net v2 results folder, read without torch: its files, its folds and the cases
each fold trained on.

``nnUNet_results/DatasetXXX_Name/Trainer__Plans__configuration/``::

    dataset.json  plans.json  dataset_fingerprint.json
    fold_0/checkpoint_final.pth ... fold_4/checkpoint_final.pth   (or fold_all/)

The training split is nnU-Net's ``splits_final.json`` (a list, one ``{"train": [...], "val":
[...]}`` per fold), which nnU-Net writes to ``nnUNet_preprocessed/DatasetXXX_Name/``; it is read
from ``--model-opt splits=PATH``, else the results folder, the folder above it, or
``$nnUNet_preprocessed/<dataset name>/``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tumorbench.api import BenchError, LabelConvention, ModelContext, absent_reason, read_json_object

from .dataset_json import DatasetJson, match_convention, read_dataset_json
from .options import NnunetOptions, fold_selection, options_of

ALL_FOLDS = -1
"""The fold number tumorbench knows nnU-Net's ``fold_all`` model by (trained on every case)."""
SPLITS = "splits_final.json"
_FOLD = re.compile(r"^fold_(\d+)$")


@dataclass(frozen=True)
class ResultsFolder:
    """What a results folder holds: its dataset.json read, the label convention of its labels,
    its plans file and the checkpoint of each fold chosen (fold number, ``ALL_FOLDS`` for fold_all)."""

    path: Path
    info: DatasetJson
    convention: LabelConvention
    plans: Path
    checkpoints: dict[int, Path]
    dataset_name: str

    def fold_folder(self, fold: int) -> str:
        return "all" if fold == ALL_FOLDS else str(fold)


def results_path(context: ModelContext) -> Path:
    raw = context.params.get("arg") or context.params.get("path")
    if not raw:
        raise BenchError("model nnunet needs a trained nnU-Net v2 results folder: name it as nnunet:PATH "
                         "(the Trainer__Plans__configuration folder)")
    return Path(os.path.expanduser(str(raw))).resolve()


def _fold_checkpoints(path: Path, options: NnunetOptions) -> dict[int, Path]:
    name = options.checkpoint
    if not name or "/" in name or name in (".", ".."):
        raise BenchError(f"--model-opt checkpoint={name}: a file name such as checkpoint_final.pth")
    numbered = {}
    for child in sorted(path.iterdir()):
        match = _FOLD.match(child.name)
        if match and (child / name).is_file():
            numbered[int(match.group(1))] = child / name
    everything = path / "fold_all" / name
    selection = fold_selection(options.folds)
    if selection == "all" or (selection is None and not numbered and everything.is_file()):
        if not everything.is_file():
            raise BenchError(f"{everything}: {absent_reason(everything)}")
        return {ALL_FOLDS: everything}
    if selection is None:
        if not numbered:
            raise BenchError(f"{path}: no fold_<k>/{name} (not a trained nnU-Net v2 results folder, or "
                             f"another checkpoint: --model-opt checkpoint=checkpoint_best.pth)")
        return dict(sorted(numbered.items()))
    missing = [k for k in selection if k not in numbered]  # type: ignore[union-attr]
    if missing:
        where = path / f"fold_{missing[0]}" / name
        raise BenchError(f"{where}: {absent_reason(where)} (--model-opt folds={options.folds})")
    return {k: numbered[k] for k in sorted(selection)}  # type: ignore[union-attr]


def open_results(context: ModelContext) -> ResultsFolder:
    """The results folder ``nnunet:PATH`` names, checked (one line naming the file at fault)."""
    path = results_path(context)
    if not path.is_dir():
        raise BenchError(f"{path}: {absent_reason(path, 'folder')} (nnunet:PATH names a trained nnU-Net v2 results folder)")
    options = options_of(context)
    info = read_dataset_json(path / "dataset.json")
    convention = match_convention(info.labels, info.path, options.label_convention or None, flag="--model-opt")
    plans = path / "plans.json"
    blob = read_json_object(plans) if plans.is_file() else None
    if blob is None:
        raise BenchError(f"{plans}: {absent_reason(plans)} (an nnU-Net v2 results folder carries plans.json)")
    if not isinstance(blob.get("configurations"), dict):
        raise BenchError(f"{plans}: no 'configurations' (not an nnU-Net v2 plans file)")
    name = str(blob.get("dataset_name") or path.parent.name)
    return ResultsFolder(path, info, convention, plans, _fold_checkpoints(path, options), name)


# ------------------------------------------------------------------ folds and their training cases
def find_splits(results: ResultsFolder, options: NnunetOptions) -> Path | None:
    """The ``splits_final.json`` of a results folder (None when there is none to be found)."""
    if options.splits:
        path = Path(os.path.expanduser(options.splits))
        if not path.is_file():
            raise BenchError(f"{path}: {absent_reason(path)} (--model-opt splits)")
        return path
    places = [results.path / SPLITS, results.path.parent / SPLITS]
    preprocessed = os.environ.get("nnUNet_preprocessed")
    if preprocessed:
        places.append(Path(preprocessed) / results.dataset_name / SPLITS)
    return next((p for p in places if p.is_file()), None)


def read_splits(path: Path) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(training ids, validation ids) of each fold of a ``splits_final.json``."""
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchError(f"{path}: not a readable splits file ({type(exc).__name__}: {exc})") from None
    if not isinstance(blob, list) or not blob:
        raise BenchError(f"{path}: expected a list of {{\"train\": [...], \"val\": [...]}}, one per fold")
    out = []
    for k, fold in enumerate(blob):
        if not isinstance(fold, dict) or not isinstance(fold.get("train"), list) or not isinstance(fold.get("val", []), list):
            raise BenchError(f"{path}: fold {k} is not {{\"train\": [...], \"val\": [...]}}")
        out.append((frozenset(str(c) for c in fold["train"]), frozenset(str(c) for c in fold.get("val", []))))
    return out


def declared_folds(context: ModelContext) -> list[tuple[int, frozenset[str] | None]]:
    """Each fold of the results folder with the cases it trained on (None: not known).

    Fold k trained on ``splits_final.json``'s fold k ``train`` cases; ``fold_all`` (number
    :data:`ALL_FOLDS`) on every case the split names. Without a splits file, or for a fold the
    file has no entry for (nnU-Net then draws a random split), the training cases are unknown.
    """
    results = open_results(context)
    path = find_splits(results, options_of(context))
    splits = read_splits(path) if path is not None else []
    out: list[tuple[int, frozenset[str] | None]] = []
    for fold in results.checkpoints:
        if fold == ALL_FOLDS:
            out.append((fold, frozenset().union(*(t | v for t, v in splits)) if splits else None))
        else:
            out.append((fold, splits[fold][0] if fold < len(splits) else None))
    return out


def checkpoint_files(context: ModelContext) -> list[Path]:
    """The files predictions depend on: dataset.json, plans.json and each fold's checkpoint
    (the fold of ``context.fold`` only, when it names one)."""
    results = open_results(context)
    folds = results.checkpoints
    if context.fold is not None:
        if context.fold not in folds:
            wanted = results.path / f"fold_{results.fold_folder(context.fold)}"
            raise BenchError(f"{wanted}: no {options_of(context).checkpoint} for --fold {context.fold}")
        folds = {context.fold: folds[context.fold]}
    return [results.info.path, results.plans, *folds.values()]
