"""``bench train`` and ``bench models show``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tumorbench.cli.common import fail, handles_errors
from tumorbench.config import data_root, load_config, model_store, parse_pairs


def _clock(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds < 0:
        return "-"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


def _number(values, key: str, digits: int = 4) -> str:
    value = values.get(key)
    return "-" if value is None or value != value else f"{float(value):.{digits}f}"


class TrainProgress:
    """One display per training, fields always in this order: epoch, step, ETA, loss, val Dice.

    A trainer calls it with ``{epoch, epochs, step, steps, loss}`` after each step and with
    ``{epoch, epochs, loss, val_dice, seconds}`` (no ``step``) after each epoch. On a terminal it
    is one live rich progress bar; otherwise one plain line per epoch on stderr.
    """

    def __init__(self, control=None, tty: bool | None = None) -> None:  # noqa: ANN001
        import time

        self.control = control
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.started: float | None = None  # the first report: loading is not part of the rate
        self.now = time.monotonic
        self.first_epoch: int | None = None
        self.last: dict = {}
        self._progress = None
        self._task = None

    def _eta(self, epoch: float, epochs: float) -> float | None:
        if self.started is None or self.first_epoch is None or epoch < self.first_epoch or not epochs:
            return None
        done = epoch - self.first_epoch + 1
        eta = (self.now() - self.started) / done * max(epochs - epoch, 0)
        left = self.control.left() if self.control is not None else None
        return min(eta, max(left, 0.0)) if left is not None else eta

    def __call__(self, values) -> None:
        values = dict(values)
        if self.started is None:
            self.started = self.now()
        epoch, epochs = values.get("epoch", 1), values.get("epochs", 1)
        if "step" in values:
            self.last.update({k: v for k, v in values.items() if k != "val_dice"})
            if self.tty:
                self._live(values)
            return
        if self.first_epoch is None:
            self.first_epoch = int(epoch)
        self.last.update(values)
        if self.tty:
            self._live(values)
        else:
            eta = self._eta(epoch, epochs)
            line = (f"epoch {int(epoch)}/{int(epochs)} | steps {int(self.last.get('steps', 0) or 0)} | "
                    f"ETA {_clock(eta)} | loss {_number(values, 'loss')} | val Dice {_number(values, 'val_dice', 3)}")
            print(line, file=sys.stderr, flush=True)

    def _live(self, values) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        epochs, steps = int(values.get("epochs", 1) or 1), int(self.last.get("steps", 1) or 1)
        if self._progress is None:
            self._progress = Progress(
                TextColumn("epoch {task.fields[epoch]}"),
                TextColumn("step {task.fields[step]}"),
                BarColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("loss {task.fields[loss]} | val Dice {task.fields[val]}"),
                console=Console(stderr=True),
            )
            self._progress.start()
            self._task = self._progress.add_task("train", total=epochs * steps, epoch="-", step="-", loss="-", val="-")
        epoch = int(values.get("epoch", 1))
        step = int(values["step"]) if "step" in values else steps
        self._progress.update(
            self._task, total=epochs * steps, completed=(epoch - 1) * steps + step,
            epoch=f"{epoch}/{epochs}", step=f"{step}/{steps}", loss=_number(self.last, "loss"),
            val=_number(self.last, "val_dice", 3),
        )

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _resume_command(argv: list[str]) -> str:
    import shlex

    return shlex.join(["bench", *[a for a in argv if a != "--fresh"]])


@handles_errors
def show_model(
    name: Annotated[str, typer.Argument(help="Model plugin name.")],
    model_opt: Annotated[list[str], typer.Option(help="Model parameter key=value.")] = [],  # noqa: B006
) -> None:
    """Print a model's layers and parameter count."""
    from tumorbench.contract.options import option_fields
    from tumorbench.contract.phases import in_phase
    from tumorbench.loading.registry import Registry
    from tumorbench.prediction.references import model_options

    registry = Registry()
    if name in registry.ensembles:
        ens = registry.ensembles.get(name)
        typer.echo(f"{ens.name}: {ens.summary}\n{ens.method} of {', '.join(ens.members)} (bench models show MEMBER for each)")
        return
    spec = registry.models.get(name)
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


@handles_errors
def list_models() -> None:
    """Models and named ensembles, with the regions each predicts."""
    from tumorbench.loading.registry import Registry

    registry = Registry()
    for spec in registry.models.specs():
        regions = ",".join(spec.regions) or "(all)"
        typer.echo(f"{spec.name:<20} {spec.framework:<6} {regions:<9} {spec.summary}")
    for ens in registry.ensembles.specs():
        typer.echo(f"{ens.name:<20} {'ens':<6} {ens.method:<9} {' + '.join(ens.members)}")


@handles_errors
def train_command(
    model: Annotated[str, typer.Option("--model", "-m", help="Model plugin name.")],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset to train on (`synthetic` for phantoms).")],
    data_root_: Annotated[list[str], typer.Option("--data-root", help="The dataset's folder (PATH, or NAME=PATH).")] = [],  # noqa: B006
    fold: Annotated[int, typer.Option(help="Which fold to hold out (never given to the trainer; `bench run` scores it).")] = 0,
    folds: Annotated[int, typer.Option(help="Number of cross-validation folds.")] = 5,
    epochs: Annotated[int | None, typer.Option(help="Epochs (default: the model's).")] = None,
    seed: Annotated[int, typer.Option(help="Seed for splits, sampling and initialisation.")] = 0,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    store: Annotated[Path | None, typer.Option(help="Model store (default $TUMORBENCH_STORE or ./models).")] = None,
    init_from: Annotated[Path | None, typer.Option(help="Checkpoint file, or its fold folder, to start from (transfer learning).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Ignore an interrupted run's state and start over.")] = False,
    time_budget: Annotated[float, typer.Option(help="Seconds for the whole call (loading and validation included); 0 = none. Same as --model-opt time_budget=S.")] = 0.0,
    validation: Annotated[float, typer.Option(help="Validation cases kept aside from the training folds: a share below 1, or a number of cases.")] = 0.2,
    model_opt: Annotated[list[str], typer.Option(help="Model parameter key=value.")] = [],  # noqa: B006
    dataset_opt: Annotated[list[str], typer.Option(help="Dataset parameter key=value.")] = [],  # noqa: B006
) -> None:
    """Train one fold of a model and store its checkpoint, configuration and split."""
    from tumorbench.models.fold_training import train_fold
    from tumorbench.models.training import TrainControl

    params = parse_pairs(model_opt, "--model-opt")
    job = _fold_job(model, dataset, data_root_, fold, folds, epochs, seed, device, store, init_from, fresh, params, dataset_opt,
                    validation, time_budget)
    control = TrainControl(budget=job.time_budget)  # counts from the start of this process
    typer.echo(f"training {model} on {dataset} fold {fold}/{folds}: {job.split().describe()}")
    resume = _resume_command(sys.argv[1:])
    progress = TrainProgress(control)
    try:
        directory = train_fold(job, control, progress=progress, notice=lambda text: typer.echo(text, err=True))
    except KeyboardInterrupt:
        progress.close()
        raise fail(f"aborted: {job.output} keeps the last saved state; resume with: {resume}", code=130) from None
    finally:
        progress.close()
    _report_stop(control, job.time_budget, directory, resume)
    typer.echo(f"checkpoint: {directory}")


def _fold_job(
    model: str, dataset: str, data_root_: list[str], fold: int, folds: int, epochs: int | None, seed: int, device: str,
    store: Path | None, init_from: Path | None, fresh: bool, params: dict[str, str], dataset_opt: list[str],
    validation: float = 0.2, time_budget: float = 0.0,
):  # noqa: ANN202 - a FoldJob
    """The fold ``bench train`` trains, every input checked first (an ensemble names its members'
    commands, an untrainable model and a missing data root are refused)."""
    from tumorbench.contract.options import check_dataset_options
    from tumorbench.contract.values import DatasetOptions
    from tumorbench.loading.registry import Registry
    from tumorbench.models.fold_training import FoldJob, training_params
    from tumorbench.models.model_store import resolve_checkpoint, train_command
    from tumorbench.prediction.references import model_options

    registry = Registry()
    config = load_config()
    if model in registry.ensembles:
        members = registry.ensembles.get(model).members
        commands = " ; ".join(
            train_command(m, dataset, fold, store=model_store(store, config), folds=folds,
                          data_root=data_root(dataset, data_root_, config)) for m in members)
        raise fail(f"{model} is an ensemble of {', '.join(members)}; train each member: {commands}")
    spec = registry.models.get(model)
    if spec.train is None:
        raise fail(f"model {model} is not trainable (it has no trainer)")
    dspec = registry.datasets.get(dataset)
    root = data_root(dataset, data_root_, config)
    if dspec.needs_root and root is None:
        raise fail(f"dataset {dataset} needs --data-root PATH")
    if init_from is not None:
        resolve_checkpoint(init_from)  # a missing checkpoint is refused before the dataset is read
    params, budget = training_params(spec, params, time_budget)
    options = model_options(spec, params, training=True)
    dataset_params = parse_pairs(dataset_opt, "--dataset-opt")
    check_dataset_options(dspec, dataset_params)
    source = dspec.open(DatasetOptions(root=root, params=dataset_params))
    return FoldJob(
        spec=spec, dataset=dataset, source=source, fold=fold, folds=folds, store=model_store(store, config), seed=seed,
        epochs=epochs, device=device, init_from=init_from, resume=not fresh, params=params, options=options,
        validation=validation, time_budget=budget,
    )


def _report_stop(control, budget: float, directory: Path, resume: str) -> None:  # noqa: ANN001 - a TrainControl
    """What a training that stopped early kept: the budget's end, or Ctrl-C (exit 130)."""
    from tumorbench.models.training import BUDGET

    if control.stopped is None:
        return
    kept = control.kept or "nothing new"
    if control.stopped == BUDGET:
        typer.echo(f"time budget of {budget:g} s reached: kept {kept} in {directory}")
    else:
        typer.echo(f"interrupted: kept {kept} in {directory}; resume with: {resume}", err=True)
        raise typer.Exit(130)


def register(app: typer.Typer) -> None:
    models_app = typer.Typer(help="Inspect model plugins.", no_args_is_help=True)
    app.add_typer(models_app, name="models")
    models_app.command("show")(show_model)
    models_app.command("list")(list_models)
    app.command("train")(train_command)
