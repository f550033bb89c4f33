"""Fully convolutional inference for the Shen networks, and the predictor the runner calls.

* BCN: the volume (cropped to its brain box, which is exact: outside it the input is 0) is padded
  by 8 and cut into output tiles of ``tile``^3 (input ``tile + 16``), batched; with valid
  convolutions every output voxel sees exactly its 17^3 window, so tiling reproduces one
  full-volume forward pass exactly. ``tile=9`` is the paper's 25^3 -> 9^3 stride 9.
* FCN: 24^3 tiles with stride 12 over the brain box, softmax averaged where tiles overlap [A].
* FIFCN: one forward pass on the 160x160x144 crop centred on the brain box, pasted back into
  background (class 0 probability 1) [P][A].
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
import torch

from tumorbench.api import Case, Prediction, brain_box, crop, from_canonical_array, paste

from .data import fifcn_box, prepare
from .options import ShenConfig


def resolve_device(device: str) -> torch.device:
    """``auto`` -> cuda when available, else cpu; an unavailable cuda is a one-line error."""
    from tumorbench.api import BenchError, configure_torch_threads

    configure_torch_threads(torch)  # the cores this process was given, not the machine's
    if device in ("", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise BenchError(f"--device {device}: no CUDA device available (use --device cpu or auto)")
    return torch.device(device)


def autocast(device: torch.device):
    """Mixed precision on CUDA, plain float32 on CPU."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.float16)
    return nullcontext()


def _forward(net: torch.nn.Module, batch: np.ndarray, device: torch.device) -> np.ndarray:
    with torch.inference_mode(), autocast(device):
        logits = net(torch.from_numpy(np.ascontiguousarray(batch)).to(device))
        return torch.softmax(logits.float(), dim=1).cpu().numpy()


def _batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def bcn_probabilities(net, x: np.ndarray, classes: int, tile: int, batch: int, device) -> np.ndarray:
    """Softmax (K, X, Y, Z) of a BCN over a whole volume: pad 8, output tiles of at most ``tile``.

    Along each axis the volume is cut into ceil(n / tile) equal tiles (edge ceil(n / count)), so
    little is computed twice; every tile of a volume has one shape, so tiles are batched.
    """
    shape = x.shape[1:]
    counts = [math.ceil(s / tile) for s in shape]
    edges = [math.ceil(s / c) for s, c in zip(shape, counts, strict=False)]
    extra = [c * e - s for c, e, s in zip(counts, edges, shape, strict=False)]
    padded = np.pad(x, [(0, 0)] + [(8, 8 + e) for e in extra])
    starts = [(i * edges[0], j * edges[1], k * edges[2])
              for i in range(counts[0]) for j in range(counts[1]) for k in range(counts[2])]
    out = np.zeros((classes, *[c * e for c, e in zip(counts, edges, strict=False)]), dtype=np.float32)
    ea, eb, ec = edges
    for group in _batches(starts, batch):
        inputs = np.stack([padded[:, a : a + ea + 16, b : b + eb + 16, c : c + ec + 16] for a, b, c in group])
        probs = _forward(net, inputs, device)
        for (a, b, c), p in zip(group, probs, strict=False):
            out[:, a : a + ea, b : b + eb, c : c + ec] = p
    return out[:, : shape[0], : shape[1], : shape[2]]


def _positions(n: int, size: int, stride: int) -> list[int]:
    last = max(n - size, 0)
    pos = list(range(0, last + 1, stride))
    if pos[-1] != last:
        pos.append(last)
    return pos


def fcn_probabilities(net, x: np.ndarray, classes: int, batch: int, device, size: int = 24, stride: int = 12) -> np.ndarray:
    """Softmax (K, X, Y, Z) of the patch FCN: ``size``^3 tiles every ``stride``, overlaps averaged."""
    shape = x.shape[1:]
    padded_shape = [max(s, size) for s in shape]
    padded = np.pad(x, [(0, 0)] + [(0, p - s) for p, s in zip(padded_shape, shape, strict=False)])
    grid = [_positions(n, size, stride) for n in padded_shape]
    starts = [(a, b, c) for a in grid[0] for b in grid[1] for c in grid[2]]
    total = np.zeros((classes, *padded_shape), dtype=np.float32)
    count = np.zeros(padded_shape, dtype=np.float32)
    for group in _batches(starts, batch):
        inputs = np.stack([padded[:, a : a + size, b : b + size, c : c + size] for a, b, c in group])
        probs = _forward(net, inputs, device)
        for (a, b, c), p in zip(group, probs, strict=False):
            total[:, a : a + size, b : b + size, c : c + size] += p
            count[a : a + size, b : b + size, c : c + size] += 1
    return (total / count)[:, : shape[0], : shape[1], : shape[2]]


def fifcn_probabilities(net, x: np.ndarray, cfg: ShenConfig, device) -> np.ndarray:
    """Softmax (K, X, Y, Z) of the full-image FCN: crop around the brain, forward, paste back."""
    box = fifcn_box(x, cfg.fifcn_crop(x.shape))
    probs = _forward(net, crop(x, box)[None], device)[0]
    out = paste(probs, box, x.shape[1:], fill=0.0)
    covered = paste(np.ones(box.shape, dtype=bool), box, x.shape[1:], fill=False)
    out[0][~covered] = 1.0
    return out


def probabilities(net, cfg: ShenConfig, x: np.ndarray, device, tile: int | None = None, batch: int | None = None) -> np.ndarray:
    """Class probabilities (K, X, Y, Z) for a preprocessed volume ``x`` (C, X, Y, Z)."""
    net.eval()
    tile = tile or cfg.tile
    batch = batch or cfg.infer_batch
    if cfg.arch == "fifcn":
        return fifcn_probabilities(net, x, cfg, device)
    box = brain_box(x)
    inner = crop(x, box)
    if cfg.arch == "bcn":
        p = bcn_probabilities(net, inner, cfg.classes, tile, batch, device)
    else:
        p = fcn_probabilities(net, inner, cfg.classes, batch, device)
    out = paste(p, box, x.shape[1:], fill=0.0)
    covered = paste(np.ones(box.shape, dtype=bool), box, x.shape[1:], fill=False)
    out[0][~covered] = 1.0
    return out


def region_probabilities(probs: np.ndarray) -> dict[str, np.ndarray]:
    """Region maps from class probabilities: 2 classes -> WT; 5 classes -> WT, TC (1,3,4), ET (4)."""
    if probs.shape[0] == 2:
        return {"WT": probs[1]}
    return {"WT": 1.0 - probs[0], "TC": probs[1] + probs[3] + probs[4], "ET": probs[4]}


@dataclass
class ShenPredictor:
    """Trained networks (one per fold; their class probabilities are averaged) for one model."""

    cfg: ShenConfig
    nets: list
    device: torch.device
    tile: int | None = None
    batch: int | None = None

    @property
    def regions(self) -> tuple[str, ...]:
        return ("WT",) if self.cfg.classes == 2 else ("WT", "TC", "ET")

    def class_probabilities(self, x: np.ndarray) -> np.ndarray:
        total = None
        for net in self.nets:
            p = probabilities(net, self.cfg, x, self.device, self.tile, self.batch)
            total = p if total is None else total + p
        return total / len(self.nets)

    def predict(self, case: Case) -> Prediction:
        prepared = prepare(case, self.cfg.channels, self.cfg.classes, with_target=False)
        probs = self.class_probabilities(prepared.x)
        affine = case.reference.affine
        maps = {
            r: np.clip(from_canonical_array(p, affine), 0.0, 1.0).astype(np.float32)
            for r, p in region_probabilities(probs).items()
        }
        return Prediction(regions=self.regions, probabilities=maps)
