"""``bench train`` for the TuNet variants: patches, augmentation, summed soft Dice, plateau schedule.

Per epoch [P][C]: every training case (shuffled, augmented) is cut into the non-overlapping tiles
of its preprocessed volume (8 patches of 80x96x64 of 160x192x128 by default), fed in batches; the
validation loss is the same loss over the validation cases' tiles without augmentation. The
learning rate drops x``lr_factor`` after ``lr_patience`` epochs without a better validation loss;
training stops after ``stop_patience`` such epochs or ``max_epochs`` (``--epochs``).

Files in the fold directory: ``checkpoint.keras`` (best validation loss; inference loads it),
``train_state.keras`` + ``train_state.json`` (last epoch with optimizer state; resume continues
from them), ``config.json``, ``split.json``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.api import (
    BenchError,
    DatasetSource,
    TrainControl,
    TrainRequest,
    check,
    fold_dir,
    split_record,
    write_metadata,
)

from .checkpoints import (
    CHECKPOINT,
    LAST,
    STATE,
    copy_atomic,
    load_model,
    read_json,
    read_state,
    save_model,
    write_json,
)
from .data import Prepared, augment, extract, prepare, tile_boxes
from .options import CONFIG_SCHEMA, OPTIONS_SCHEMA, TuNetOptions, parse_options

CACHE_BYTES = 4 * 2**30
"""Preprocessed cases kept in memory across epochs up to this many bytes [A]; the rest are
re-read each epoch."""


class CaseCache:
    """Preprocessed cases by id, memoised while they fit in :data:`CACHE_BYTES`."""

    def __init__(self, source: DatasetSource, opts: TuNetOptions, limit: int = CACHE_BYTES):
        self.source, self.opts, self.limit = source, opts, limit
        self.items: dict[str, Prepared] = {}
        self.used = 0

    def get(self, case_id: str) -> Prepared:
        if case_id in self.items:
            return self.items[case_id]
        case = self.source.load(case_id)
        if case.label is None:
            raise BenchError(f"case {case_id} of {case.dataset}: no label map to train on")
        prepared = prepare(case, self.opts)
        size = prepared.image.nbytes + prepared.target.nbytes  # type: ignore[union-attr]
        if self.used + size <= self.limit:
            self.items[case_id] = prepared
            self.used += size
        return prepared


def batches(
    cache: CaseCache, ids: list[str], opts: TuNetOptions, rng: np.random.Generator | None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Batches of (image, target) patches; with ``rng``: shuffled cases and tiles, augmented.

    Every batch has ``opts.batch`` patches: a last, partial one is topped up with the first patches
    of the pass, because each new batch shape costs TensorFlow a new graph trace (tens of seconds
    on CPU for this network) [A].
    """
    order = list(rng.permutation(len(ids))) if rng is not None else range(len(ids))
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    first: list[tuple[np.ndarray, np.ndarray]] = []
    for index in order:
        prepared = cache.get(ids[int(index)])
        image, target = prepared.image, prepared.target
        if rng is not None and opts.augment:
            image, target = augment(image, target, rng)  # type: ignore[arg-type]
        boxes = tile_boxes(image.shape, opts.patch)
        if rng is not None:
            boxes = [boxes[int(i)] for i in rng.permutation(len(boxes))]
        for box in boxes:
            xs.append(extract(image, box))
            ys.append(extract(target, box))  # type: ignore[arg-type]
            if len(first) < opts.batch:
                first.append((xs[-1], ys[-1]))
            if len(xs) == opts.batch:
                yield np.stack(xs), np.stack(ys).astype(np.float32)
                xs, ys = [], []
    if xs:
        for i in range(opts.batch - len(xs)):
            x, y = first[i % len(first)]
            xs.append(x)
            ys.append(y)
        yield np.stack(xs), np.stack(ys).astype(np.float32)


def _as_float(value: Any) -> float:
    if isinstance(value, (list, tuple)):
        value = value[0]
    return float(np.asarray(value))


def _config(request: TrainRequest, opts: TuNetOptions, keras: Any) -> dict[str, Any]:
    import tensorflow as tf

    return {
        "model": request.model,
        "dataset": request.dataset,
        "framework": "keras",
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "options": opts.to_json(),
        "seed": request.seed,
        "epochs": request.epochs,
        "init_from": str(request.init_from) if request.init_from else None,
    }


def options_from_config(model: str, config: dict[str, Any], source: Path | str = "config.json") -> TuNetOptions:
    """The options a stored fold was trained with, checked against :data:`CONFIG_SCHEMA`
    and :data:`OPTIONS_SCHEMA`; a bad value is one line naming ``source`` and the key."""
    check(config, CONFIG_SCHEMA, source)
    stored = check(config.get("options") or {}, OPTIONS_SCHEMA, source, where="options")
    stored.pop("block", None)
    stored.pop("se", None)
    try:
        return parse_options(model, stored)
    except BenchError as exc:
        raise BenchError(f"{source}: options: {exc}") from None


# A compiled model whose traced train and test functions a later fold of the same model reuses:
# tracing the graph, not training, is most of a short CPU training (measured here with width 4,
# depth 3: a TuNet+REB1's first epoch took 63-93 s, its second 6-10 s). One is kept per process.
_COMPILED: dict[str, Any] = {}
_HOST_ONLY = ("lr", "max_epochs", "steps", "val_steps", "time_budget", "stop_patience", "lr_patience", "lr_factor", "overlap")


def _compiled_key(request: TrainRequest, opts: TuNetOptions) -> str:
    """What a traced training graph depends on: the model, the device, every option but the
    schedule's (the learning rate is a variable, assigned before each epoch)."""
    import json

    graph = {k: v for k, v in opts.to_json().items() if k not in _HOST_ONLY}
    return json.dumps({"model": request.model, "device": request.device, **graph}, sort_keys=True)


def _compiled(fresh: Any, request: TrainRequest, opts: TuNetOptions, keras: Any) -> Any:
    """``fresh`` (new weights) compiled, or, when this process already compiled a model with the
    same graph, that model holding ``fresh``'s weights, its optimizer state reset to a new Adam's
    (zero moments, step 0, ``opts.lr``): the same training, without tracing its graph again."""
    from .network import compile_tunet

    key = _compiled_key(request, opts)
    model = _COMPILED.get(key)
    if model is None:
        compile_tunet(fresh, opts, keras)
        _COMPILED.clear()
        _COMPILED[key] = fresh
        return fresh
    model.set_weights(fresh.get_weights())
    for variable in model.optimizer.variables:
        variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
    model.optimizer.learning_rate.assign(opts.lr)
    return model


def _start(request: TrainRequest, opts: TuNetOptions, directory: Path, keras: Any):
    """The model to train and the schedule state: resumed, initialised from a file, or new."""
    from .network import build_tunet

    state = read_state(directory) if request.resume else {}
    if state and (directory / LAST).is_file():
        stored = options_from_config(request.model, read_json(directory / "config.json"), directory / "config.json")
        if stored.architecture != opts.architecture:
            raise BenchError(
                f"{directory / LAST}: was trained with {stored.architecture}, not {opts.architecture}; "
                "use another --store or delete that fold directory"
            )
        model = load_model(directory / LAST, compile=True)
        model.optimizer.learning_rate.assign(state["lr"])
        return model, state
    model = build_tunet(opts, keras)
    if request.init_from is not None or request.init_checkpoint is not None:
        init = Path(request.init_checkpoint or request.init_from)  # type: ignore[arg-type]
        init = init / CHECKPOINT if init.is_dir() else init  # a fold folder means its checkpoint
        if not init.is_file():
            raise BenchError(f"{init}: checkpoint not found (--init-from takes a .keras file or its fold folder)")
        source = load_model(init)
        try:
            model.set_weights(source.get_weights())
        except ValueError as exc:
            raise BenchError(f"{request.init_from}: weights do not fit {request.model} with {opts.architecture}") from exc
    model = _compiled(model, request, opts, keras)
    return model, {"epoch": 0, "best": None, "wait": 0, "lr_wait": 0, "lr": opts.lr, "history": [], "stopped": False}


def _start_seeded(request: TrainRequest, opts: TuNetOptions, directory: Path, keras: Any):
    """Seed Keras/TensorFlow/NumPy once per run (re-seeding inside the loop invalidates traced graphs)."""
    state = read_state(directory) if request.resume else {}
    keras.utils.set_random_seed(request.seed * 100003 + int(state.get("epoch", 0)))
    return _start(request, opts, directory, keras)


def validation_batches(cache: CaseCache, ids: list[str], opts: TuNetOptions) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The validation batches of one epoch: every tile of ``ids`` in order, or ``opts.val_steps``
    of those batches spread evenly over them (the same ones every epoch)."""
    total = _steps_per_epoch(cache, ids, replace(opts, steps=0))
    if not opts.val_steps or opts.val_steps >= total:
        yield from batches(cache, ids, opts, None)
        return
    keep = {int(i) for i in np.linspace(0, total - 1, opts.val_steps).round()}
    for index, batch in enumerate(batches(cache, ids, opts, None)):
        if index in keep:
            yield batch


def _steps_per_epoch(cache: CaseCache, ids: list[str], opts: TuNetOptions) -> int:
    """Batches in one pass over ``ids`` (every case tiled like the first when the grid is fixed)."""
    if not ids:
        return 0
    if opts.grid is not None:
        tiles = len(tile_boxes((*opts.grid, 4), opts.patch)) * len(ids)
    else:
        tiles = sum(len(tile_boxes(cache.get(i).image.shape, opts.patch)) for i in ids)
    steps = -(-tiles // opts.batch)
    return min(steps, opts.steps) if opts.steps else steps


def _stop(model: Any, directory: Path, state: dict[str, Any], control: TrainControl, reason: str,
          epoch: int, done: int, steps: int, losses: list[float]) -> Path:
    """Save weights, optimizer and the position inside the epoch, so a rerun continues from here."""
    state["step"], state["partial_losses"] = done, losses
    if done:
        save_model(model, directory / LAST)
        if not (directory / CHECKPOINT).is_file():  # a model to score even before the first epoch ends
            copy_atomic(directory / LAST, directory / CHECKPOINT)
    write_json(directory / STATE, state)
    finished = f"{epoch} epoch(s)" + (f" and {done} of {steps} steps of epoch {epoch + 1}" if done else "")
    control.record_stop(reason, finished if (epoch or done) else "nothing new")
    return directory


def train_tunet(request: TrainRequest) -> Path:
    """Train one fold of ``request.model``; returns the fold directory.

    Stops between steps when ``request.control`` says so (Ctrl-C, time budget), after saving the
    weights, the optimizer and the position in the epoch: rerunning the command resumes there.
    """
    from .backend import keras_module
    from .memory import check as check_memory

    keras = keras_module(request.device)
    directory = request.output or fold_dir(request.store, request.model, request.dataset, request.fold)
    opts = parse_options(request.model, request.params)
    if request.resume and (directory / STATE).is_file() and (directory / "config.json").is_file():
        # a resumed run keeps the options it started with, unless given again
        stored = options_from_config(request.model, read_json(directory / "config.json"), directory / "config.json")
        opts = parse_options(request.model, request.params, base=stored)
    if request.epochs is not None:
        opts = parse_options(request.model, {"max_epochs": request.epochs}, base=opts)
    if not request.train_ids:
        raise BenchError(f"{request.model}: fold {request.fold} has no training cases")
    control = request.control or TrainControl(budget=opts.time_budget, started=time.monotonic())
    if not _uses_gpu(request.device):
        check_memory(request.model, opts, len(request.train_ids) + len(request.val_ids), keras, CACHE_BYTES)
    directory.mkdir(parents=True, exist_ok=True)
    model, state = _start_seeded(request, opts, directory, keras)
    write_metadata(directory, _config(request, opts, keras), split_record(request))
    cache = CaseCache(request.source, opts)
    train_ids, val_ids = list(request.train_ids), list(request.val_ids)
    steps = _steps_per_epoch(cache, train_ids, opts)
    val_steps = _steps_per_epoch(cache, val_ids, replace(opts, steps=0))
    val_steps = min(val_steps, opts.val_steps) if opts.val_steps else val_steps
    after_epoch: float | None = None  # seconds the last validation and save took (tracing left out)
    timed: list[float] = []  # every step of this call: the first traces the graph, the estimate skips it
    while not state["stopped"] and state["epoch"] < opts.max_epochs:
        epoch = state["epoch"]
        rng = np.random.default_rng([request.seed, request.fold, epoch])
        started = time.perf_counter()
        skip = int(state.get("step", 0))
        losses: list[float] = [float(v) for v in state.get("partial_losses", [])][:skip]
        step_times, step_cpu = [], []
        done = skip
        for index, (x, y) in enumerate(batches(cache, train_ids, opts, rng)):
            if index < skip:  # resuming inside the epoch: the same seeded batches, already trained on
                continue
            typical = step_estimate(timed)
            reserve = after_epoch if after_epoch is not None else typical * (1 + val_steps / 2)
            reason = control.stop_reason(reserve + typical)
            if reason is not None:
                return _stop(model, directory, state, control, reason, epoch, done, steps, losses)
            t0, c0 = time.perf_counter(), time.process_time()
            losses.append(_as_float(model.train_on_batch(x, y)))
            step_times.append(time.perf_counter() - t0)
            timed.append(step_times[-1])
            step_cpu.append(time.process_time() - c0)
            done = index + 1
            if request.progress is not None:
                request.progress({"epoch": epoch + 1, "epochs": opts.max_epochs, "step": done, "steps": steps,
                                  "loss": float(np.mean(losses))})
            if opts.steps and len(losses) >= opts.steps:
                break
        closing = time.perf_counter()
        val_losses, val_times = [], []
        for x, y in validation_batches(cache, val_ids, opts):
            v0 = time.perf_counter()
            val_losses.append(_as_float(model.test_on_batch(x, y)))
            val_times.append(time.perf_counter() - v0)
        loss = float(np.mean(losses))
        monitored = float(np.mean(val_losses)) if val_losses else loss
        _schedule(state, monitored, opts)
        model.optimizer.learning_rate.assign(state["lr"])
        record = {
            "epoch": epoch + 1,
            "loss": loss,
            "val_loss": float(np.mean(val_losses)) if val_losses else float("nan"),
            # the loss is minus the summed soft Dice of the three regions: its mean Dice
            "val_dice": -float(np.mean(val_losses)) / 3 if val_losses else float("nan"),
            "lr": state["lr"],
            "steps": len(losses),
            # the first step of a run includes graph tracing; the median is the steady cost
            "step_seconds": float(np.median(step_times)) if step_times else float("nan"),
            "step_cpu_seconds": float(np.median(step_cpu)) if step_cpu else float("nan"),
            "epoch_seconds": time.perf_counter() - started,
        }
        state["epoch"] = epoch + 1
        state["step"], state["partial_losses"] = 0, []
        state["history"].append(record)
        save_model(model, directory / LAST)
        if state["wait"] == 0:  # the best epoch so far: inference uses it
            copy_atomic(directory / LAST, directory / CHECKPOINT)
        write_json(directory / STATE, state)
        closed = time.perf_counter() - closing
        # the first validation of a call traces the test graph: count its first batch as a steady one
        after_epoch = closed if after_epoch is not None or not val_times else (
            closed - val_times[0] + min(val_times[0], step_estimate(val_times) or step_estimate(timed) or val_times[0]))
        if request.progress is not None:
            request.progress({"epochs": opts.max_epochs, **record, "seconds": record["epoch_seconds"]})
    return directory


def step_estimate(times: list[float]) -> float:
    """What one more step will take: the median of the steps timed so far after the first, which
    includes tracing the graph (tens of seconds on a CPU for a step of well under one); 0.0 while
    only the first has been timed, so a time budget never ends a training on the tracing's cost."""
    steady = times[1:]
    return float(np.median(steady)) if steady else 0.0


def _uses_gpu(device: str) -> bool:
    if device == "cpu":
        return False
    import tensorflow as tf

    return bool(tf.config.list_logical_devices("GPU"))


def _schedule(state: dict[str, Any], monitored: float, opts: TuNetOptions) -> None:
    """Keras-style ReduceLROnPlateau and EarlyStopping on the monitored loss (lower is better)."""
    if state["best"] is None or monitored < state["best"]:
        state["best"] = monitored
        state["wait"] = 0
        state["lr_wait"] = 0
        return
    state["wait"] += 1
    state["lr_wait"] += 1
    if state["lr_wait"] >= opts.lr_patience:
        state["lr"] = float(state["lr"]) * opts.lr_factor
        state["lr_wait"] = 0
    if state["wait"] >= opts.stop_patience:
        state["stopped"] = True
