"""Training, checkpoints, resume and transfer learning for the Shen models (imports torch).

Store layout (``benchmark/model_store.py``): ``<store>/<model>/<dataset>/fold-<k>/`` holds
``checkpoint.pt`` (a ``state_dict``, loaded with ``torch.load(..., weights_only=True)``),
``config.json`` (the :class:`ShenConfig`, seed, history), ``split.json`` and ``train_state.pt``
(weights, optimiser, epoch, history) from which an interrupted run resumes. Each epoch's random
draws are seeded by (seed, epoch), so a resumed run repeats exactly what an uninterrupted one does.
Every file is written to a temporary name and renamed into place.

Transfer learning (``--init-from CHECKPOINT``, paper section 5), chosen by ``--model-opt transfer=``:

* ``fine-tune`` (default): start from the checkpoint's weights, with dropout and batch norm switched
  on (new norm layers start with scale 1 and shift 0, the identity in evaluation mode only: in
  training mode they normalise by batch statistics [C]), and train on the target dataset [P].
* ``retrain``: the checkpoint's architecture (width, classes), fresh weights, trained from scratch.
* ``pretrained``: store the checkpoint unchanged under the target dataset (no training), so
  ``bench run`` applies the source weights as they are; validation Dice is still measured.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from tumorbench import api as model_store
from tumorbench.api import (
    BenchError,
    MemoryEstimate,
    ModelContext,
    TrainControl,
    TrainRequest,
    atomic_path,
    check_finite,
    check_memory,
    describe_exception,
    read_json_object,
    remove_stale_temporaries,
    temporary_prefix,
)

from .augment import Augmenter
from .data import PatchSampler, Prepared, fifcn_box, prepare
from .network import build
from .options import ARCH_KEYS, ShenConfig, from_json, from_params
from .predict import ShenPredictor, autocast, probabilities, resolve_device

CHECKPOINT = "checkpoint.pt"
TRAIN_STATE = "train_state.pt"
DEFAULT_STEPS = 50


# ------------------------------------------------------------------ files
def save_atomic(obj: Any, path: Path) -> None:
    """``torch.save`` to a temporary file beside ``path``, then rename over it."""
    with atomic_path(path) as tmp:
        torch.save(obj, tmp)


def write_metadata_atomic(directory: Path, config: Mapping[str, Any], split: Mapping[str, Any]) -> None:
    """:func:`model_store.write_metadata` into a scratch folder, then each file renamed into place."""
    directory.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(directory)
    scratch = Path(tempfile.mkdtemp(dir=directory, prefix=temporary_prefix("meta")))
    try:
        model_store.write_metadata(scratch, config, split)
        for name in ("config.json", "split.json"):
            os.replace(scratch / name, directory / name)
    finally:
        for leftover in scratch.iterdir():
            leftover.unlink()
        scratch.rmdir()


def load_weights(path: Path) -> dict[str, torch.Tensor]:
    """A ``state_dict`` read with ``weights_only=True``; unreadable files are a one-line error."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure is the file's fault
        raise BenchError(f"{path}: not a readable PyTorch checkpoint ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    if not isinstance(state, Mapping) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise BenchError(f"{path}: not a state_dict of tensors")
    check_finite(((str(k), v.detach().float().cpu().numpy()) for k, v in state.items() if v.is_floating_point()), path)
    return dict(state)


def state_dict_cpu(net: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}


def load_into(net: torch.nn.Module, state: Mapping[str, torch.Tensor], path: Path, *, partial: bool = False) -> None:
    """Load weights; with ``partial`` the net may have extra (batch-norm) entries the file lacks."""
    try:
        missing, unexpected = net.load_state_dict(state, strict=not partial)
    except RuntimeError as exc:
        raise BenchError(f"{path}: weights do not fit this network ({str(exc).splitlines()[0]})") from None
    if unexpected:
        raise BenchError(f"{path}: weights do not fit this network (unexpected {unexpected[0]})")
    if any("norm" not in k.split(".")[0] for k in missing):
        raise BenchError(f"{path}: weights do not fit this network (missing {missing[0]})")


# ------------------------------------------------------------------ loading for inference
def load_predictor(model: str, context: ModelContext) -> ShenPredictor:
    """Every stored fold of ``model`` for ``context.dataset`` (or one fold), ready to predict."""
    options = from_params(model, context.params)  # validates; only tile / infer_batch used here
    stored = model_store.find(context.store, model, context.dataset, suffix=".pt", fold=context.fold)
    device = resolve_device(context.device)
    nets, cfg = [], None
    for fold in stored:
        config_path = fold.directory / "config.json"
        fold_cfg = from_json(fold.config, config_path) if config_path.is_file() else from_params(model, {})
        if cfg is not None and (fold_cfg.arch, fold_cfg.classes) != (cfg.arch, cfg.classes):
            raise BenchError(f"{fold.directory}: fold differs in architecture from the other folds of {model}")
        cfg = cfg or fold_cfg
        path = fold.checkpoint(".pt")
        net = build(fold_cfg)
        load_into(net, load_weights(path), path)
        nets.append(net.to(device).eval())
    assert cfg is not None
    tile = int(context.params["tile"]) if "tile" in context.params else None
    batch = int(context.params["infer_batch"]) if "infer_batch" in context.params else None
    return ShenPredictor(cfg=cfg, nets=nets, device=device, tile=tile or options.tile, batch=batch or options.infer_batch)


# ------------------------------------------------------------------ losses and metrics
def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 - mean soft Dice over the foreground classes that can occur (smoothing 1)."""
    classes = logits.shape[1]
    p = torch.softmax(logits.float(), dim=1)
    onehot = F.one_hot(target, classes).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)
    dice = (2 * (p * onehot).sum(dims) + 1) / (p.sum(dims) + onehot.sum(dims) + 1)
    fg = [1] if classes == 2 else [1, 2, 4]
    return 1 - dice[fg].mean()


def loss_fn(cfg: ShenConfig, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if cfg.loss == "dice":
        return soft_dice_loss(logits, target)
    return F.cross_entropy(logits.float(), target)


def dice(pred: np.ndarray, ref: np.ndarray) -> float:
    """Binary Dice; 1 when both are empty."""
    total = int(pred.sum()) + int(ref.sum())
    return 1.0 if total == 0 else 2.0 * int(np.logical_and(pred, ref).sum()) / total


def evaluate(net: torch.nn.Module, cfg: ShenConfig, cases: list[Prepared], device: torch.device) -> float:
    """Mean whole-tumour Dice (probability >= 0.5) over cases with targets."""
    scores = []
    for case in cases:
        if case.target is None:
            continue
        p = probabilities(net, cfg, case.x, device)
        scores.append(dice(p[0] <= 0.5, case.target > 0))
    net.train()
    return float(np.mean(scores)) if scores else float("nan")


# ------------------------------------------------------------------ batches
class VolumeBatches:
    """FIFCN samples: whole volumes cropped around the brain, in a seeded order per epoch."""

    def __init__(self, cases: list[Prepared], cfg: ShenConfig):
        self.xs, self.ys = [], []
        for case in cases:
            assert case.target is not None
            box = fifcn_box(case.x, cfg.fifcn_crop(case.x.shape))
            from tumorbench.api import crop

            self.xs.append(crop(case.x, box))
            self.ys.append(crop(case.target, box).astype(np.int64))

    def epoch(self, rng: np.random.Generator, batch: int, steps: int):
        order = np.concatenate([rng.permutation(len(self.xs)) for _ in range(math.ceil(steps * batch / len(self.xs)))])
        for s in range(steps):
            idx = order[s * batch : (s + 1) * batch]
            shapes = {self.xs[i].shape for i in idx}
            if len(shapes) > 1:
                raise BenchError(f"FIFCN crops differ in shape {sorted(shapes)}: use --model-opt batch=1")
            yield np.stack([self.xs[i] for i in idx]), np.stack([self.ys[i] for i in idx])


# ------------------------------------------------------------------ transfer
def _transfer(cfg: ShenConfig, init_from: Path) -> tuple[ShenConfig, dict[str, torch.Tensor], Path]:
    path = Path(init_from)
    if path.is_dir():
        path = path / CHECKPOINT
    if not path.is_file():
        raise BenchError(f"{path}: --init-from checkpoint not found")
    mode = cfg.transfer or "fine-tune"
    src_json = path.parent / "config.json"
    src = from_json(read_json_object(src_json), src_json) if src_json.is_file() else cfg
    if src.arch != cfg.arch:
        raise BenchError(f"{path}: a {src.arch} checkpoint cannot initialise a {cfg.arch} model")
    target = replace(cfg, width=src.width, classes=src.classes, channels=src.channels, transfer=mode)
    if mode == "pretrained":
        target = replace(target, dropout=src.dropout, bn=src.bn, bn_stats=src.bn_stats)
    elif mode == "fine-tune":
        target = replace(target, dropout=True, bn=True)
    return target, load_weights(path), path


# ------------------------------------------------------------------ training
def _emit(request: TrainRequest, values: Mapping[str, float]) -> None:
    if request.progress is not None:
        request.progress(values)


def train(model: str, request: TrainRequest) -> Path:
    """Train ``model`` as ``request`` says; returns the fold directory holding the checkpoint."""
    cfg = from_params(model, request.params)
    if request.epochs is not None:
        if request.epochs < 0:
            raise BenchError(f"--epochs {request.epochs}: must be >= 0")
        cfg = replace(cfg, epochs=request.epochs)
    directory = request.output or model_store.fold_dir(request.store, request.model, request.dataset, request.fold)
    init_state, init_path = None, None
    init = request.init_checkpoint or request.init_from  # the harness resolves a fold folder to its file
    if init is not None:
        cfg, init_state, init_path = _transfer(cfg, init)
    elif cfg.transfer:
        raise BenchError(f"--model-opt transfer={cfg.transfer} needs --init-from CHECKPOINT")
    device = resolve_device(request.device)

    torch.manual_seed(request.seed)
    net = build(cfg)
    if init_state is not None and cfg.transfer in ("fine-tune", "pretrained"):
        load_into(net, init_state, init_path, partial=cfg.transfer == "fine-tune")
    net.to(device)
    if cfg.transfer == "pretrained":
        cfg = replace(cfg, epochs=0)

    optimizer = torch.optim.Adam(net.parameters(), lr=cfg.lr, weight_decay=cfg.l2)
    scaler = torch.amp.GradScaler("cuda", enabled=device.type == "cuda")
    split = model_store.split_record(request)
    start, history, elapsed, inside = 0, [], 0.0, {}
    state_path = directory / TRAIN_STATE
    if request.resume and state_path.is_file() and cfg.epochs > 0:
        start, history, elapsed, inside = _resume(state_path, cfg, request.seed, net, optimizer, scaler)
    control = request.control or TrainControl(budget=cfg.time_budget, started=time.monotonic())

    def finished(epoch: int) -> bool:
        return epoch >= cfg.epochs

    if start > 0 and finished(start) and (directory / CHECKPOINT).is_file():
        return directory  # a finished run: nothing to do
    if device.type == "cpu":
        estimate = memory_estimate(cfg, net)
        if estimate is not None:
            check_memory(request.model, estimate, _memory_fix(cfg))

    t_prep = time.perf_counter()
    train_cases = [prepare(request.source.load(i), cfg.channels, cfg.classes) for i in request.train_ids] if cfg.epochs else []
    val_cases = [prepare(request.source.load(i), cfg.channels, cfg.classes) for i in request.val_ids[: cfg.val_cases]]
    prep_seconds = time.perf_counter() - t_prep

    def save(epoch: int, inside_epoch: Mapping[str, Any] | None = None) -> None:
        """After ``epoch`` finished epochs; ``inside_epoch``: the position in the next one (a stop)."""
        meta = {"model": request.model, "variant": model, "framework": "torch", "dataset": request.dataset,
                **cfg.to_json(), "seed": request.seed, "epochs_done": epoch, "history": history,
                "train_seconds": round(elapsed, 2), "prep_seconds": round(prep_seconds, 2),
                "device": str(device), "torch": torch.__version__,
                "init_from": str(init_path) if init_path else None}
        if inside_epoch is None or not (directory / CHECKPOINT).is_file():
            write_metadata_atomic(directory, meta, split)
            save_atomic(state_dict_cpu(net), directory / CHECKPOINT)
        save_atomic({"model": state_dict_cpu(net), "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict(),
                     "epoch": epoch, "elapsed": elapsed, "history": json.dumps(history),
                     "arch": json.dumps(cfg.arch_dict()), "seed": request.seed, **(inside_epoch or {})}, state_path)

    if cfg.epochs == 0:  # pretrained transfer (or --epochs 0): store the weights as they are
        if val_cases:
            history.append({"epoch": 0, "val_dice": evaluate(net, cfg, val_cases, device)})
            _emit(request, {"epoch": 0, "epochs": 0, "val_dice": history[-1]["val_dice"]})
        save(0)
        return directory

    sampler = PatchSampler(train_cases, cfg.patch_in, cfg.patch_out) if cfg.arch != "fifcn" else None
    volumes = VolumeBatches(train_cases, cfg) if cfg.arch == "fifcn" else None
    batch = cfg.train_batch
    steps = cfg.steps or (DEFAULT_STEPS if sampler else math.ceil(len(train_cases) / batch))
    augmenter = Augmenter(cfg.augmentations, max_shift=cfg.max_shift)
    net.train()
    after_epoch: float | None = None  # seconds the last validation and save took
    for epoch in range(start, cfg.epochs):
        rng = np.random.default_rng([request.seed, epoch])
        aug_rng = np.random.default_rng([request.seed, epoch, 1])  # its own stream: batches stay as without
        for group in optimizer.param_groups:
            group["lr"] = cfg.lr * cfg.lr_decay**epoch
        torch.manual_seed(request.seed * 100_003 + epoch)
        t0 = time.perf_counter()
        batches = (sampler.sample(rng, batch) for _ in range(steps)) if sampler else volumes.epoch(rng, batch, steps)
        skip = int(inside.get("step", 0)) if epoch == start else 0
        losses = list(json.loads(inside.get("losses", "[]")))[:skip] if skip else []
        step_times: list[float] = []
        for step, (xb, yb) in enumerate(batches):
            xb, yb = augmenter(aug_rng, xb, yb)  # replayed for skipped steps: the random streams stay in step
            if step < skip:
                if step == skip - 1:
                    _restore_rng(inside)
                continue
            typical = float(np.median(step_times)) if step_times else 0.0
            reason = control.stop_reason((after_epoch or 0.0) + typical)
            if reason is not None:
                elapsed += time.perf_counter() - t0
                if epoch or step:  # an untrained network is never stored as a checkpoint
                    save(epoch, {"step": step, "losses": json.dumps(losses), **_rng_state(device)})
                kept = f"{epoch} epoch(s)" + (f" and {step} of {steps} steps of epoch {epoch + 1}" if step else "")
                control.record_stop(reason, kept if (epoch or step) else "nothing new")
                return directory
            s0 = time.perf_counter()
            x = torch.from_numpy(xb).to(device)
            y = torch.from_numpy(yb).to(device)
            optimizer.zero_grad(set_to_none=True)
            with autocast(device):
                logits = net(x)
            loss = loss_fn(cfg, logits, y)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            losses.append(float(loss.detach()))
            step_times.append(time.perf_counter() - s0)
            _emit(request, {"epoch": epoch + 1, "epochs": cfg.epochs, "step": step + 1, "steps": steps,
                            "loss": float(np.mean(losses))})
        elapsed += time.perf_counter() - t0
        closing = time.perf_counter()
        record: dict[str, float] = {"epoch": epoch + 1, "loss": float(np.mean(losses)), "seconds": round(elapsed, 2)}
        last = finished(epoch + 1)
        if val_cases and ((epoch + 1) % cfg.val_every == 0 or last):
            record["val_dice"] = evaluate(net, cfg, val_cases, device)
        history.append(record)
        save(epoch + 1)
        after_epoch = time.perf_counter() - closing
        _emit(request, {"epochs": cfg.epochs, "steps": steps, **record})
        if last:
            break
    return directory


def _rng_state(device: torch.device) -> dict[str, Any]:
    """PyTorch's random state (dropout draws), to resume inside an epoch exactly."""
    out: dict[str, Any] = {"torch_rng": torch.get_rng_state()}
    if device.type == "cuda":
        out["cuda_rng"] = torch.cuda.get_rng_state(device)
    return out


def _restore_rng(inside: Mapping[str, Any]) -> None:
    if "torch_rng" in inside:
        torch.set_rng_state(inside["torch_rng"])
    if "cuda_rng" in inside and torch.cuda.is_available():
        torch.cuda.set_rng_state(inside["cuda_rng"])


def memory_estimate(cfg: ShenConfig, net: torch.nn.Module) -> MemoryEstimate | None:
    """Parameters, Adam state and the activations of one training batch, from a forward pass on
    PyTorch's meta device (shapes only, no memory) [A: x3 the leaf modules' outputs: kept for the
    backward pass, their gradients, and what the hooks miss (concatenations, the loss's one-hot
    target); measured: FIFCN at paper size peaks at 3.2 GB resident with two real cases loaded]."""
    import copy

    params = sum(p.numel() for p in net.parameters())
    meta = copy.deepcopy(net).to("meta")
    values = 0

    def count(_module, _inputs, output) -> None:  # noqa: ANN001
        nonlocal values
        if isinstance(output, torch.Tensor):
            values += output.numel()

    hooks = [m.register_forward_hook(count) for m in meta.modules() if not list(m.children())]
    edge = cfg.patch_in
    shape = (cfg.train_batch, len(cfg.channels), *((edge,) * 3 if cfg.arch != "fifcn" else cfg.crop))
    try:
        with torch.no_grad():
            meta(torch.empty(shape, device="meta"))
    except (RuntimeError, NotImplementedError, TypeError):  # an operation without a meta kernel: no estimate
        return None
    finally:
        for hook in hooks:
            hook.remove()
    return MemoryEstimate(parameters=4 * params, optimizer=12 * params, activations=3 * 4 * values)


def _memory_fix(cfg: ShenConfig) -> str:
    if cfg.train_batch > 1:
        return f"use --model-opt batch={max(1, cfg.train_batch // 2)}"
    if cfg.arch == "fifcn":
        return "use --model-opt crop=" + ",".join(str(max(16, c // 2 // 16 * 16)) for c in cfg.crop)
    return f"use --model-opt width={cfg.width / 2:g}"


def _resume(path: Path, cfg: ShenConfig, seed: int, net, optimizer, scaler) -> tuple[int, list, float, dict]:
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001
        raise BenchError(f"{path}: unreadable training state ({type(exc).__name__}); delete it to start afresh") from None
    try:
        saved = {"bn_stats": "running", **json.loads(state["arch"])}  # states from before bn_stats existed
        int(state["seed"]), int(state["epoch"]), float(state["elapsed"]), json.loads(state["history"])
        for part in ("model", "optimizer", "scaler"):
            if not isinstance(state[part], Mapping):
                raise TypeError(f"{part} is not a mapping")
    except (KeyError, TypeError, ValueError) as exc:
        raise BenchError(f"{path}: unreadable training state ({describe_exception(exc)}); delete it to start afresh") from None
    check_finite(((str(k), v.detach().float().cpu().numpy()) for k, v in state["model"].items()
                  if isinstance(v, torch.Tensor) and v.is_floating_point()), path)
    now = cfg.arch_dict()
    diff = [k for k in ARCH_KEYS if saved.get(k) != now.get(k)]
    if diff or state["seed"] != seed:
        what = ", ".join(f"{k}={saved.get(k)}" for k in diff) or f"seed={state['seed']}"
        raise BenchError(f"{path}: an unfinished run with other options ({what}) is here; "
                         "pass the same options to resume, or delete the fold folder to start afresh")
    load_into(net, state["model"], path)
    optimizer.load_state_dict(state["optimizer"])
    scaler.load_state_dict(state["scaler"])
    inside = {k: state[k] for k in ("step", "losses", "torch_rng", "cuda_rng") if k in state}
    return int(state["epoch"]), json.loads(state["history"]), float(state["elapsed"]), inside
