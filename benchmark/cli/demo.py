"""``bench demo``: the whole job on the embedded synthetic default, ending in a leaderboard.

The demo is an experiment file like any other (``benchmark/experiment/demo.toml``, installed with
the package; ``bench demo --show`` prints it): it generates the phantoms, trains the demo's small
models into ``<dir>/models``, runs the matrix into ``<dir>/run`` on the held-out phantoms and
prints the page, which says whether each trained model beats the training-free baseline. Rows
whose plugin or framework is not installed are left out. Rerunning it reuses what is already
trained and scored.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import handles_errors

DEMO_FILE = Path(__file__).resolve().parents[1] / "experiment" / "demo.toml"


@handles_errors
def demo_command(
    directory: Annotated[Path, typer.Option("--dir", help="Where the demo writes its models and run.")] = Path("bench-demo"),
    seed: Annotated[int, typer.Option(help="Seed for data, splits and training.")] = 0,
    show: Annotated[bool, typer.Option("--show", help="Print the demo's experiment file and exit.")] = False,
) -> None:
    """Train small models on synthetic phantoms, evaluate them on held-out ones, print the page."""
    from tumorbench.cli.run import merge_summaries, report
    from tumorbench.cli.train import TrainProgress
    from tumorbench.experiment.definition import load
    from tumorbench.experiment.execute import execute
    from tumorbench.loading.registry import Registry
    from tumorbench.progress import RichProgress

    if show:
        typer.echo(f"# {DEMO_FILE}\n{DEMO_FILE.read_text(encoding='utf-8')}")
        return
    started = time.perf_counter()
    registry = Registry()
    experiment = load(DEMO_FILE, registry)
    available = tuple(m for m in experiment.models if _installed(m.model, registry))
    for m in experiment.models:
        if m not in available:
            typer.echo(f"skipping {m.label}: its plugin is not installed")
    experiment = replace(
        experiment, out=directory / "run", store=directory / "models", seed=seed, models=available,
        baseline=experiment.baseline if any(m.label == experiment.baseline for m in available) else None,
    )
    summaries = execute(experiment, registry, command="bench demo", progress=RichProgress, train_progress=TrainProgress, echo=typer.echo)
    from tumorbench.report.escape import for_terminal
    typer.echo(for_terminal((experiment.out / "leaderboard.md").read_text(encoding="utf-8")))
    from tumorbench.errors import BenchError
    from tumorbench.experiment.publish import publish_experiment

    try:
        publish_experiment(experiment, registry, directory / "leaderboard", overlays=True)
        typer.echo(f"pages with pictures: {directory / 'leaderboard' / 'index.md'}")
    except BenchError as exc:  # e.g. matplotlib not installed: the run itself is complete
        typer.echo(f"pages with pictures not written: {exc}", err=True)
    report(merge_summaries(summaries), experiment.out)
    typer.echo(f"demo finished in {time.perf_counter() - started:.0f} s ({DEMO_FILE.name}; `bench demo --show` prints it)")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def _installed(model: str, registry) -> bool:
    return model in registry.models or model in registry.ensembles
