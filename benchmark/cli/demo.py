"""``bench demo``: the whole job on the embedded synthetic default, ending in a leaderboard.

It generates the phantoms, trains the demo's small models into ``<dir>/models`` (skipping any whose
plugin or framework is not installed), runs the matrix into ``<dir>/run`` and prints the
leaderboard. Rerunning it reuses what is already trained and scored.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .common import handles_errors

DATASET = "synthetic"
# (model, training options): small enough for 2 CPU cores; every option is recorded in config.json
TRAINED: list[tuple[str, dict[str, str]]] = [("intensity-fitted", {})]
UNTRAINED: list[str] = ["intensity-baseline"]
ENSEMBLES: list[str] = []
POSTPROCESS: list[str] = []


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @handles_errors
    def demo_command(
        directory: Annotated[Path, typer.Option("--dir", help="Where the demo writes its models and run.")] = Path("bench-demo"),
        seed: Annotated[int, typer.Option(help="Seed for data, splits and training.")] = 0,
    ) -> None:
        """Train small models on synthetic phantoms, evaluate them, print the leaderboard."""
        from ..model_store import fold_dir
        from ..registry import Registry
        from ..runner import RunOptions, run
        from ..splits import kfold
        from ..types import DatasetOptions, TrainRequest
        from .common import RichProgress
        from .run import report
        from .train import TrainProgress

        started = time.perf_counter()
        registry = Registry()
        store = directory / "models"
        source = registry.datasets.get(DATASET).open(DatasetOptions())
        train_ids, val_ids = kfold(source.case_ids(), 4, 0, seed)
        models = [m for m in UNTRAINED if m in registry.models]
        for name, params in TRAINED:
            if name not in registry.models:
                typer.echo(f"skipping {name}: its plugin is not installed")
                continue
            if not any(fold_dir(store, name, DATASET, 0).glob("checkpoint*")):
                typer.echo(f"training {name} on {len(train_ids)} synthetic cases ...")
                registry.models.get(name).train(TrainRequest(  # type: ignore[misc]
                    model=name, dataset=DATASET, source=source, train_ids=tuple(train_ids), val_ids=tuple(val_ids),
                    fold=0, folds=4, store=store, seed=seed, device="auto", params=params, progress=TrainProgress(),
                ))
            models.append(name)
        models += [e for e in ENSEMBLES if e in registry.ensembles]
        options = RunOptions(
            models=tuple(models), datasets=(DATASET,), out=directory / "run", store=store, seed=seed,
            cases=tuple(val_ids), command="bench demo",
        )
        summary = run(options, progress=RichProgress())
        typer.echo((directory / "run" / "leaderboard.md").read_text(encoding="utf-8"))
        report(summary, directory / "run")
        typer.echo(f"demo finished in {time.perf_counter() - started:.0f} s (held-out synthetic cases: {', '.join(val_ids)})")
