"""``bench train`` and ``bench models show``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..config import data_root, load_config, model_store, parse_pairs
from .common import fail, handles_errors


class TrainProgress:
    """Rich progress line fed by a trainer's ``progress`` callback (``epoch``, ``epochs``, loss, dice)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)

    def __call__(self, values) -> None:
        parts = [f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in values.items()]
        self.console.print(" | ".join(parts), highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    models_app = typer.Typer(help="Inspect model plugins.", no_args_is_help=True)
    app.add_typer(models_app, name="models")

    @models_app.command("show")
    @handles_errors
    def show(
        name: Annotated[str, typer.Argument(help="Model plugin name.")],
        model_opt: Annotated[list[str], typer.Option(help="Model parameter key=value.")] = [],  # noqa: B006
    ) -> None:
        """Print a model's layers and parameter count."""
        from ..registry import Registry

        registry = Registry()
        if name in registry.ensembles:
            ens = registry.ensembles.get(name)
            typer.echo(f"{ens.name}: {ens.summary}\n{ens.method} of {', '.join(ens.members)} (bench models show MEMBER for each)")
            return
        spec = registry.models.get(name)
        if spec.describe is None:
            typer.echo(f"{spec.name}: {spec.summary} (no layer description)")
            return
        typer.echo(spec.describe(parse_pairs(model_opt, "--model-opt")))

    @models_app.command("list")
    @handles_errors
    def list_models() -> None:
        """Models and named ensembles, with the regions each predicts."""
        from ..registry import Registry

        registry = Registry()
        for spec in registry.models.specs():
            typer.echo(f"{spec.name:<20} {spec.framework:<6} {','.join(spec.regions):<9} {spec.summary}")
        for ens in registry.ensembles.specs():
            typer.echo(f"{ens.name:<20} {'ens':<6} {ens.method:<9} {' + '.join(ens.members)}")

    @app.command("train")
    @handles_errors
    def train(
        model: Annotated[str, typer.Option("--model", "-m", help="Model plugin name.")],
        dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset to train on.")] = "synthetic",
        data_root_: Annotated[str | None, typer.Option("--data-root", help="The dataset's folder.")] = None,
        fold: Annotated[int, typer.Option(help="Which fold to train (validation = that fold).")] = 0,
        folds: Annotated[int, typer.Option(help="Number of cross-validation folds.")] = 5,
        epochs: Annotated[int | None, typer.Option(help="Epochs (default: the model's).")] = None,
        seed: Annotated[int, typer.Option(help="Seed for splits, sampling and initialisation.")] = 0,
        device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
        store: Annotated[Path | None, typer.Option(help="Model store (default $TUMORBENCH_STORE or ./models).")] = None,
        init_from: Annotated[Path | None, typer.Option(help="Checkpoint file, or its fold folder, to start from (transfer learning).")] = None,
        fresh: Annotated[bool, typer.Option("--fresh", help="Ignore an interrupted run's state and start over.")] = False,
        model_opt: Annotated[list[str], typer.Option(help="Model parameter key=value.")] = [],  # noqa: B006
        dataset_opt: Annotated[list[str], typer.Option(help="Dataset parameter key=value.")] = [],  # noqa: B006
    ) -> None:
        """Train one fold of a model and store its checkpoint, configuration and split."""
        from ..registry import Registry
        from ..splits import kfold
        from ..types import DatasetOptions, TrainRequest

        registry = Registry()
        spec = registry.models.get(model)
        if spec.train is None:
            raise fail(f"model {model} is not trainable (it has no trainer)")
        dspec = registry.datasets.get(dataset)
        config = load_config()
        root = data_root(dataset, [data_root_] if data_root_ else [], config)
        if dspec.needs_root and root is None:
            raise fail(f"dataset {dataset} needs --data-root PATH")
        if init_from is not None and not init_from.exists():
            raise fail(f"{init_from}: checkpoint not found (give a checkpoint file or its fold folder)")
        source = dspec.open(DatasetOptions(root=root, params=parse_pairs(dataset_opt, "--dataset-opt")))
        train_ids, val_ids = kfold(source.case_ids(), folds, fold, seed)
        request = TrainRequest(
            model=model,
            dataset=dataset,
            source=source,
            train_ids=tuple(train_ids),
            val_ids=tuple(val_ids),
            fold=fold,
            folds=folds,
            store=model_store(store, config),
            epochs=epochs,
            seed=seed,
            device=device,
            init_from=init_from,
            resume=not fresh,
            params=parse_pairs(model_opt, "--model-opt"),
            progress=TrainProgress(),
        )
        typer.echo(f"training {model} on {dataset} fold {fold}/{folds}: {len(train_ids)} train, {len(val_ids)} validation cases")
        directory = spec.train(request)
        typer.echo(f"checkpoint: {directory}")
