"""What the model store says about how a model was trained, as a run records it in its provenance
(so that a page, and a published page checked anywhere, can say it without the model store).

Per stored fold: the protocol (validation inside the training folds, or the held-out fold used as
validation by tumorbench before 0.2), the numbers of trained, validation and held-out cases, and
what the harness recorded of the training calls in ``config.json``'s ``training`` (options given,
budget, steps, epochs, wall time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tumorbench.models.model_store import PROTOCOL

INSIDE = "inside"
"""Validation cases from the training folds; the held-out fold never given to the trainer."""
HELD_OUT_AS_VALIDATION = "held-out-as-validation"
"""tumorbench before 0.2: the held-out fold was the validation set (early stopping, the
checkpoint choice), then scored as held out: optimistic scores."""

_FOLD_DIR = re.compile(r"^fold-(\d+)$")


def _json(path: Path) -> dict[str, Any]:
    try:
        blob = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}
    return blob if isinstance(blob, dict) else {}


def fold_summary(directory: Path) -> dict[str, Any]:
    """One stored fold as a page shows it (JSON values only)."""
    split, config = _json(directory / "split.json"), _json(directory / "config.json")
    match = _FOLD_DIR.match(directory.name)
    out: dict[str, Any] = {"fold": int(match.group(1)) if match else None, "folds": split.get("folds")}
    if not split:
        out["protocol"] = None
    elif "held_out" in split or split.get("protocol") == PROTOCOL:
        out.update(protocol=INSIDE, trained=len(split.get("trained") or []), validation=len(split.get("validation") or []),
                   held_out=len(split.get("held_out") or []))
    else:
        out.update(protocol=HELD_OUT_AS_VALIDATION, trained=len(split.get("train") or []),
                   validation=len(split.get("val") or []), held_out=len(split.get("val") or []))
    record = config.get("training")
    if isinstance(record, Mapping):
        params = {str(k): str(v) for k, v in (record.get("params") or {}).items() if k != "time_budget"}
        out.update(recorded=True, params=params, time_budget=record.get("time_budget"), steps=record.get("steps"),
                   epochs=record.get("epochs"), wall_seconds=record.get("wall_seconds"),
                   calls=len(record.get("history") or []))
    else:
        out["recorded"] = False
    return out


def member_summary(store: Path, model: str, dataset: str, *, fold: int | None = None, trainable: bool = True) -> dict[str, Any]:
    """Every stored fold (with a checkpoint) of ``model`` on ``dataset``, or the one ``fold``."""
    base = Path(store) / model / dataset
    folds = []
    if trainable and base.is_dir():
        for child in sorted(base.iterdir(), key=lambda p: p.name):
            match = _FOLD_DIR.match(child.name)
            if match and (fold is None or int(match.group(1)) == fold) and any(child.glob("checkpoint*")):
                folds.append(fold_summary(child))
    folds.sort(key=lambda f: f["fold"] if f["fold"] is not None else -1)
    return {"trainable": trainable, "folder": model == "folder", "folds": folds}
