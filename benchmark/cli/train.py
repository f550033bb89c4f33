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
        from ..options import option_fields
        from ..phases import in_phase
        from ..registry import Registry
        from ..resolve import model_options

        spec = Registry().models.get(name)
        params = parse_pairs(model_opt, "--model-opt")
        model_options(spec, params)  # an unknown key or a bad value fails before describe runs
        if spec.describe is None:
            typer.echo(f"{spec.name}: {spec.summary} (no layer description)")
        else:
            typer.echo(in_phase("describe", spec.describe, params))
        rows = option_fields(spec.options)
        if rows:
            typer.echo("options (--model-opt key=value):")
            width = max(len(n) for n, _, _ in rows)
            for option, kind, default in rows:
                typer.echo(f"  {option:<{width}}  {kind:<16} default {default}")

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
        from ..model_store import fold_dir, resolve_checkpoint
        from ..phases import in_phase
        from ..registry import Registry
        from ..resolve import model_options
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
        init_checkpoint = resolve_checkpoint(init_from) if init_from is not None else None
        params = parse_pairs(model_opt, "--model-opt")
        options = model_options(spec, params)
        store_root = model_store(store, config)
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
            store=store_root,
            epochs=epochs,
            seed=seed,
            device=device,
            init_from=init_from,
            init_checkpoint=init_checkpoint,
            resume=not fresh,
            params=params,
            options=options,
            output=fold_dir(store_root, model, dataset, fold),
            progress=TrainProgress(),
        )
        typer.echo(f"training {model} on {dataset} fold {fold}/{folds}: {len(train_ids)} train, {len(val_ids)} validation cases")
        directory = in_phase("train", spec.train, request)
        typer.echo(f"checkpoint: {directory}")
