"""Training one fold of a model, as ``bench train`` and an experiment both do it: the fold's
three-way split of the dataset's cases, the request the model's trainer gets, its time budget and
Ctrl-C, and what ``split.json`` and ``config.json`` record of it.

The split (nnU-Net's and the seed papers' protocol): a seeded k-fold split holds fold K out; the
other folds are the training cases, of which a seeded share (:data:`VALIDATION_FRACTION`, at
least one case) validates (early stopping, the learning-rate schedule, the checkpoint choice).
The held-out fold is never given to the trainer, and only it is scored out of fold.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tumorbench.contract.options import option_fields
from tumorbench.contract.phases import in_phase
from tumorbench.contract.specs import ModelSpec
from tumorbench.contract.values import DatasetSource, TrainRequest
from tumorbench.errors import BenchError
from tumorbench.io.atomic import write_text_atomic
from tumorbench.models.model_store import PROTOCOL, fold_dir, resolve_checkpoint
from tumorbench.models.splits import VALIDATION_FRACTION, inner_split, kfold
from tumorbench.models.training import BUDGET, TrainControl, stop_on_sigint

MIN_STEPS = 10
"""A training stopped by its time budget must have kept at least this many steps (over every
call that trained the fold), else it stored no model: the fold's checkpoint is removed (its
resumable state is kept) and the call fails, naming the budget."""

BUDGET_KEY = "time_budget"
"""``--model-opt time_budget=S``: the same as ``--time-budget S`` for every trainable model."""


class TooFewSteps(BenchError):
    """A time budget ended a training before it kept :data:`MIN_STEPS` steps."""


@dataclass(frozen=True)
class FoldSplit:
    """The cases of one fold: trained on, validated on (both from the training folds), held out."""

    trained: tuple[str, ...]
    validation: tuple[str, ...]
    held_out: tuple[str, ...]

    def describe(self) -> str:
        return (f"{len(self.trained)} training, {len(self.validation)} validation (from the training folds), "
                f"{len(self.held_out)} held-out case(s) (never given to the trainer)")


@dataclass(frozen=True, kw_only=True)
class FoldJob:
    """One fold to train: which model on which dataset, the split, and how.

    ``options``: the model's ``--model-opt`` values parsed into its options dataclass (or None);
    ``params``: the same values as given (see :func:`training_params`); ``validation``: the share
    (below 1) or the number (1 or more) of training cases kept for validation; ``time_budget``:
    seconds for the call (0: none), recorded in ``config.json``.
    """

    spec: ModelSpec
    dataset: str
    source: DatasetSource
    fold: int
    folds: int
    store: Path
    seed: int = 0
    epochs: int | None = None
    device: str = "auto"
    init_from: Path | None = None
    resume: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)
    options: Any = None
    validation: float = VALIDATION_FRACTION
    time_budget: float = 0.0

    @property
    def output(self) -> Path:
        return fold_dir(self.store, self.spec.name, self.dataset, self.fold)

    def split(self) -> FoldSplit:
        """The fold's cases: a seeded k-fold split of the dataset's ids holds this fold out, and a
        seeded share of the other folds' cases validates."""
        training, held_out = kfold(self.source.case_ids(), self.folds, self.fold, self.seed)
        try:
            trained, validation = inner_split(training, self.fold, self.seed, self.validation)
        except BenchError as exc:
            raise BenchError(f"{self.spec.name} on {self.dataset}, fold {self.fold} of {self.folds}: {exc}") from None
        return FoldSplit(tuple(trained), tuple(validation), tuple(held_out))

    def split_record(self, split: FoldSplit) -> dict[str, Any]:
        """``split.json``: ``train`` is every case the model saw (trained or validated on)."""
        return {
            "protocol": PROTOCOL, "fold": self.fold, "folds": self.folds, "seed": self.seed,
            "validation_rule": self.validation,
            "train": sorted({*split.trained, *split.validation}), "trained": list(split.trained),
            "validation": list(split.validation), "held_out": list(split.held_out),
        }


def declares(spec: ModelSpec, option: str) -> bool:
    """Whether the model's typed options have ``option``."""
    return spec.options is not None and any(name == option for name, _, _ in option_fields(spec.options))


def training_params(spec: ModelSpec, params: Mapping[str, str], time_budget: float = 0.0) -> tuple[dict[str, str], float]:
    """(the model's parameters, the budget in seconds) from ``--model-opt`` and ``--time-budget``:
    ``time_budget=S`` is the harness's budget for every trainable model (``--time-budget`` wins),
    passed on to the model's own option only where it declares one, so that its configuration
    records the budget it ran under."""
    params = dict(params)
    given = params.pop(BUDGET_KEY, None)
    try:
        budget = float(time_budget or (given or 0))
    except ValueError:
        raise BenchError(f"--model-opt {BUDGET_KEY}={given}: expected a number of seconds") from None
    if budget < 0:
        raise BenchError(f"time budget {budget:g}: must be >= 0 seconds")
    if declares(spec, BUDGET_KEY) and (budget or given is not None):
        params[BUDGET_KEY] = f"{budget:g}"
    return params, budget


class _Counter:
    """The trainer's progress reports passed on, counting steps and epochs."""

    def __init__(self, inner: Callable[[Mapping[str, float]], None] | None) -> None:
        self.inner, self.steps, self.epochs, self.last_epoch, self.reported = inner, 0, 0, 0, False

    def __call__(self, values: Mapping[str, float]) -> None:
        self.reported = True
        if "step" in values:
            self.steps += 1
        elif "epoch" in values:
            self.epochs += 1
            self.last_epoch = max(self.last_epoch, int(values["epoch"]))
        if self.inner is not None:
            self.inner(values)


def train_fold(
    job: FoldJob, control: TrainControl, *, progress: Callable[[Mapping[str, float]], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> Path:
    """Run the model's trainer on the fold (the first Ctrl-C asks it to stop after its step) and
    return the fold folder it wrote; ``split.json`` and the ``training`` history of ``config.json``
    are written whatever the trainer wrote. Errors name the ``train`` phase.

    Raises:
        TooFewSteps: the time budget ended the training before it kept :data:`MIN_STEPS` steps.
    """
    split = job.split()
    record = job.split_record(split)
    counter = _Counter(progress)
    request = TrainRequest(
        model=job.spec.name, dataset=job.dataset, source=job.source, train_ids=split.trained, val_ids=split.validation,
        fold=job.fold, folds=job.folds, store=job.store, epochs=job.epochs, seed=job.seed, device=job.device,
        init_from=job.init_from, init_checkpoint=resolve_checkpoint(job.init_from) if job.init_from is not None else None,
        resume=job.resume, params=dict(job.params), options=job.options, output=job.output, progress=counter,
        control=control, split=record,
    )
    before = _checkpoints(job.output)
    history = _history(job.output) if job.resume else []
    started, clock = datetime.now(timezone.utc), time.monotonic()

    def recorded() -> int | None:
        call = {
            "started": started.isoformat(timespec="seconds"), "wall_seconds": round(time.monotonic() - clock, 1),
            "steps": _steps(counter, control), "epochs": counter.epochs,
            "last_epoch": counter.last_epoch or None, "time_budget": control.budget or None, "epochs_asked": job.epochs,
            "stopped": control.stopped, "kept": control.kept or None, "resumed": bool(history),
        }
        return _record(job, split, record, [*history, call])

    try:
        with stop_on_sigint(control, notice=notice):
            directory = in_phase("train", job.spec.train, request)
    except BaseException:
        with contextlib.suppress(Exception):  # the trainer's own error is the one to report
            recorded()  # what an interrupted or failed call kept is recorded too
        raise
    _refuse_too_few(job, control, recorded(), before)
    return directory


def _steps(counter: _Counter, control: TrainControl) -> int | None:
    """The steps this call trained: as the trainer reported them; 0 when it reported none and kept
    nothing when it stopped (``kept`` reads "nothing ..."); else unknown (None)."""
    if counter.reported:
        return counter.steps
    if control.stopped and (control.kept or "nothing").startswith("nothing"):
        return 0
    return None


def _checkpoints(directory: Path) -> set[str]:
    return {p.name for p in directory.glob("checkpoint.*")} if directory.is_dir() else set()


def _history(directory: Path) -> list[dict[str, Any]]:
    """The earlier training calls ``config.json`` records (none when it records none)."""
    path = directory / "config.json"
    try:
        blob = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        calls = (blob.get("training") or {}).get("history") or []
        return [dict(c) for c in calls if isinstance(c, Mapping)]
    except (OSError, ValueError, AttributeError):
        return []


def _record(job: FoldJob, split: FoldSplit, record: Mapping[str, Any], history: list[dict[str, Any]]) -> int | None:
    """Write ``split.json`` and ``config.json``'s ``training`` (when the trainer stored anything);
    returns the steps kept over every call (None when the trainer reports none)."""
    directory = job.output
    steps = [c.get("steps") for c in history]
    total = sum(int(s) for s in steps if s is not None) if any(s is not None for s in steps) else None
    if not directory.is_dir() or not any(directory.iterdir()):
        return total
    write_text_atomic(directory / "split.json", json.dumps(dict(record), indent=2))
    path = directory / "config.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        config = {}
    if not isinstance(config, dict):
        return total
    config["training"] = {
        "protocol": PROTOCOL, "fold": job.fold, "folds": job.folds, "seed": job.seed,
        "cases": {"trained": len(split.trained), "validation": len(split.validation), "held_out": len(split.held_out)},
        "params": dict(sorted(job.params.items())), "time_budget": job.time_budget or None, "epochs_asked": job.epochs,
        "steps": total, "epochs": max((c.get("last_epoch") or 0 for c in history), default=0) or None,
        "wall_seconds": round(sum(float(c.get("wall_seconds") or 0) for c in history), 1), "history": history,
    }
    write_text_atomic(path, json.dumps(config, indent=2, sort_keys=True))
    return total


def _refuse_too_few(job: FoldJob, control: TrainControl, steps: int | None, before: set[str]) -> None:
    """A budget that ended the training before :data:`MIN_STEPS` steps: the checkpoint this call
    wrote is removed (an untrained network must not be scored) and the call fails in one line."""
    if control.stopped != BUDGET or steps is None or steps >= MIN_STEPS:
        return
    for name in _checkpoints(job.output) - before:
        (job.output / name).unlink(missing_ok=True)
    raise TooFewSteps(
        f"{job.spec.name} on {job.dataset}, fold {job.fold}: the time budget of {control.budget:g} s ended the training "
        f"after {steps} step(s), fewer than the {MIN_STEPS} a stored model needs; no checkpoint kept "
        f"(the resumable state is in {job.output}): raise the time budget"
    )
