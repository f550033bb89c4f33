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
# Small TuNets for CPU: two levels of width 4 on the phantoms' own grid (no resampling).
TUNET_SMALL = {"width": "4", "depth": "2", "grid": "none", "patch": "56,56,40", "batch": "1", "lr": "5e-3", "prior": "0.01"}
# (model, training options, epochs): small enough for 2 CPU cores; every option lands in config.json
TRAINED: list[tuple[str, dict[str, str], int | None]] = [
    ("intensity-fitted", {}, None),
    ("fcn", {"batch": "16", "steps": "10"}, 20),
    ("tunet-seb", TUNET_SMALL, 6),
    ("tunet-reb1-seb", TUNET_SMALL, 6),
    ("tunet-reb2-seb", TUNET_SMALL, 6),
]
UNTRAINED: list[str] = ["intensity-baseline"]
# evaluated after training; an entry whose plugins are missing is skipped
EVALUATED: list[str] = ["tunet-ensemble", "tunet-ensemble+tunet-postprocess"]


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
        for name, params, epochs in TRAINED:
            if name not in registry.models:
                typer.echo(f"skipping {name}: its plugin is not installed")
                continue
            if not any(fold_dir(store, name, DATASET, 0).glob("checkpoint*")):
                typer.echo(f"training {name} on {len(train_ids)} synthetic cases ...")
                shown = TrainProgress()
                registry.models.get(name).train(TrainRequest(  # type: ignore[misc]
                    model=name, dataset=DATASET, source=source, train_ids=tuple(train_ids), val_ids=tuple(val_ids),
                    fold=0, folds=4, store=store, seed=seed, device="auto", params=params, progress=shown,
                    epochs=epochs,
                ))
                shown.close()
            models.append(name)
        runs = [(tuple(models), ())]
        for entry in EVALUATED:
            name, *post = entry.split("+")
            if name in registry.ensembles and all(p in registry.postprocessors for p in post):
                runs.append(((name,), tuple(post)))
        summaries = []
        for run_models, post in runs:  # one run per post-processing chain, into one store
            options = RunOptions(
                models=run_models, datasets=(DATASET,), out=directory / "run", store=store, seed=seed,
                cases=tuple(val_ids), postprocess=post, command="bench demo",
            )
            summaries.append(run(options, progress=RichProgress()))
        typer.echo((directory / "run" / "leaderboard.md").read_text(encoding="utf-8"))
        total = summaries[0]
        for other in summaries[1:]:
            total.ok += other.ok
            total.failed += other.failed
            total.skipped += other.skipped
            total.excluded += other.excluded
            total.failures += other.failures
        report(total, directory / "run")
        typer.echo(f"demo finished in {time.perf_counter() - started:.0f} s (held-out synthetic cases: {', '.join(val_ids)})")
