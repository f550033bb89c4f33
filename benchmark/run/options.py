"""Everything one ``bench run`` (or ``bench evaluate``, ``bench score``) needs, and what it returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """Everything one ``bench run`` (or ``bench evaluate``) needs.

    ``metric_conventions`` None scores the conventions the plugins mark as default (a
    convention that needs uncertainty maps only where a prediction has them).
    """

    models: tuple[str, ...]
    datasets: tuple[str, ...]
    out: Path
    data_roots: Mapping[str, Path | None] = field(default_factory=dict)
    dataset_params: Mapping[str, str] = field(default_factory=dict)
    model_params: Mapping[str, str] = field(default_factory=dict)
    postprocess: tuple[str, ...] = ()
    metric_conventions: tuple[str, ...] | None = None
    units: str = "mm"
    label_convention: str | None = None
    model_store: Path = Path("models")
    device: str = "auto"
    seed: int = 0
    fold: int | None = None
    cases: tuple[str, ...] | None = None
    write_predictions: bool = True
    allow_training_cases: bool = False
    command: str = ""
    model_names: Mapping[str, str] = field(default_factory=dict)  # --model text -> the name results carry
    dataset_names: Mapping[str, str] = field(default_factory=dict)  # dataset plugin -> the name results carry
    trained_on: str | None = None  # the dataset whose checkpoints the models load (default: the one scored)
    notes: tuple[str, ...] = ()  # warnings found before the run (a --pred-convention that looks wrong), kept on its page


@dataclass
class RunSummary:
    run_dir: Path
    run_id: int
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    predicted: int = 0
    rescored: int = 0
    planned: int = 0
    done: int = 0
    interrupted: bool = False
    excluded: int = 0  # cases every stored fold trained on (tumorbench.prediction.folds)
    failures: list[tuple[str, str, str, str]] = field(default_factory=list)  # model, dataset, case, reason
    redone: Counter = field(default_factory=Counter)  # "predicted again: why" / "scored again: why" -> cases
    metric_failures: int = 0
    executor: str = "serial"  # what ran the cases: serial, or the Dask cluster's kind and size
    startup_seconds: float = 0.0  # starting (or connecting to) the cluster
    dashboard: str | None = None  # the Dask dashboard's address, when there is one
    task_seconds: float = 0.0  # wall seconds of the executed tasks, summed
    task_cpu_seconds: float = 0.0  # their CPU seconds (the rest is waiting: for a core, for files)
