"""Training one fold of a model, as ``bench train`` and an experiment both do it: the fold's split
of the dataset's cases, the request the model's trainer gets, its time budget and Ctrl-C."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tumorbench.contract.phases import in_phase
from tumorbench.contract.specs import ModelSpec
from tumorbench.contract.values import DatasetSource, TrainRequest
from tumorbench.models.model_store import fold_dir, resolve_checkpoint
from tumorbench.models.splits import kfold
from tumorbench.models.training import TrainControl, stop_on_sigint


@dataclass(frozen=True, kw_only=True)
class FoldJob:
    """One fold to train: which model on which dataset, the split, and how.

    ``options``: the model's ``--model-opt`` values parsed into its options dataclass (or None);
    ``params``: the same values as given.
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

    @property
    def output(self) -> Path:
        return fold_dir(self.store, self.spec.name, self.dataset, self.fold)

    def split(self) -> tuple[list[str], list[str]]:
        """(training cases, held-out cases) of this fold: a seeded k-fold split of the dataset's ids."""
        return kfold(self.source.case_ids(), self.folds, self.fold, self.seed)


def train_fold(
    job: FoldJob, control: TrainControl, *, progress: Callable[[Mapping[str, float]], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> Path:
    """Run the model's trainer on the fold (the first Ctrl-C asks it to stop after its step) and
    return the fold folder it wrote. Errors name the ``train`` phase."""
    train_ids, val_ids = job.split()
    request = TrainRequest(
        model=job.spec.name, dataset=job.dataset, source=job.source, train_ids=tuple(train_ids), val_ids=tuple(val_ids),
        fold=job.fold, folds=job.folds, store=job.store, epochs=job.epochs, seed=job.seed, device=job.device,
        init_from=job.init_from, init_checkpoint=resolve_checkpoint(job.init_from) if job.init_from is not None else None,
        resume=job.resume, params=dict(job.params), options=job.options, output=job.output, progress=progress,
        control=control,
    )
    with stop_on_sigint(control, notice=notice):
        return in_phase("train", job.spec.train, request)
