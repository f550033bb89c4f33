"""A plugin's training loop without the harness's protocol in it: :class:`TrainingLoop` runs a
trainer's steps under the time budget and Ctrl-C of ``TrainRequest.control``, reports progress in
the fields ``bench train`` shows, keeps a resumable state written atomically, and hands each step
a seed of its own, so that a training stopped anywhere and resumed ends where one uninterrupted
run ends.

The trainer gives three functions: ``step(TrainingStep) -> loss`` (one optimisation step), and
``save(path)`` / ``load(path)`` (write or read everything its step depends on: weights,
optimizer state). The loop keeps the rest in ``<directory>/train_state.json``: the position
(epoch and step), the epoch's losses so far, the history of finished epochs and the seconds
trained, and the name and SHA-256 of the file ``save`` wrote, committed by one atomic rename.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.errors import BenchError
from tumorbench.io.atomic import atomic_path, write_text_atomic
from tumorbench.io.hashing import sha256_file
from tumorbench.models.training import TrainControl

STATE = "train_state.json"


@dataclass(frozen=True)
class TrainingStep:
    """One step: ``epoch`` and ``index`` (both from 0), ``steps`` per epoch and the training's ``seed``.

    Every random draw of a step should come from :meth:`rng` (NumPy) or :attr:`seed_value` (a
    framework's generator, ``torch.manual_seed(step.seed_value)``): they depend on the step alone,
    so a resumed training draws what an uninterrupted one draws.
    """

    epoch: int
    index: int
    steps: int
    seed: int = 0

    @property
    def number(self) -> int:
        """Steps taken before this one, over all epochs."""
        return self.epoch * self.steps + self.index

    def rng(self) -> np.random.Generator:
        """A NumPy generator of this step alone (seeded by training seed, epoch and step)."""
        return np.random.default_rng([self.seed, self.epoch, self.index])

    @property
    def seed_value(self) -> int:
        """An integer seed of this step alone, for a framework's global generator."""
        return int(np.random.SeedSequence([self.seed, self.epoch, self.index]).generate_state(1)[0])


@dataclass(frozen=True)
class TrainingResult:
    """How :meth:`TrainingLoop.run` ended: ``finished`` every epoch, or ``stopped`` (``interrupted``
    or ``time budget``) after ``epochs_done`` epochs and ``steps_done`` steps of the next; ``kept``
    is what the saved state holds, as ``bench train`` prints it; ``history``: one record per epoch."""

    finished: bool
    epochs_done: int
    steps_done: int
    history: tuple[Mapping[str, float], ...] = ()
    stopped: str | None = None
    kept: str = ""


@dataclass
class _Position:
    epoch: int = 0
    step: int = 0
    losses: list[float] = field(default_factory=list)
    history: list[dict[str, float]] = field(default_factory=list)
    seconds: float = 0.0


def kept_text(epochs_done: int, steps_done: int, steps: int) -> str:
    """``3 epoch(s) and 12 of 50 steps of epoch 4`` (``nothing new`` before the first step)."""
    if not epochs_done and not steps_done:
        return "nothing new"
    return f"{epochs_done} epoch(s)" + (f" and {steps_done} of {steps} steps of epoch {epochs_done + 1}" if steps_done else "")


class TrainingLoop:
    """Steps under a budget, resumable from an atomically saved state, with progress.

    Args:
        directory: the fold folder (``TrainRequest.output``); the state is kept there.
        epochs, steps: epochs to train and steps in each.
        save, load: write everything a step depends on to a path / read it back (``load`` is
            needed to resume; without it a saved state is ignored).
        seed: the training's seed (``TrainRequest.seed``); each :class:`TrainingStep` derives its own.
        control: ``TrainRequest.control`` (budget and Ctrl-C), or None for neither.
        progress: ``TrainRequest.progress``, or None.
        resume: ``TrainRequest.resume`` (False: start over, ignoring a saved state).
        suffix: the file name ending of what ``save`` writes (``.pt``, ``.npz``).
    """

    def __init__(
        self, directory: Path | str, *, epochs: int, steps: int, save: Callable[[Path], None],
        load: Callable[[Path], None] | None = None, seed: int = 0, control: TrainControl | None = None,
        progress: Callable[[Mapping[str, float]], None] | None = None, resume: bool = True, suffix: str = ".bin",
    ) -> None:
        if epochs < 0 or steps < 1:
            raise BenchError(f"training loop: epochs must be >= 0 and steps >= 1 (got {epochs} and {steps})")
        self.directory = Path(directory)
        self.epochs, self.steps, self.seed = int(epochs), int(steps), int(seed)
        self.save_state, self.load_state = save, load
        self.control, self.progress, self.resume, self.suffix = control, progress, resume, suffix
        self.closing = 0.0  # seconds the last epoch's end (its evaluation and save) took

    @property
    def state_path(self) -> Path:
        return self.directory / STATE

    # ------------------------------------------------------------------ the loop
    def run(
        self, step: Callable[[TrainingStep], float | None], *, end_epoch: Callable[[int], Mapping[str, float]] | None = None,
    ) -> TrainingResult:
        """Train from the saved position (or the start). ``step`` returns the step's loss (or
        None); ``end_epoch(epochs_done)`` may return values for the epoch's record (``val_dice``).
        Before each step the loop stops, saving the position, when Ctrl-C was pressed or when the
        budget would not hold one more step and the epoch's closing evaluation and save."""
        at = self._restored()
        times: list[float] = []
        while at.epoch < self.epochs:
            while at.step < self.steps:
                reason = self._stop_reason(times)
                if reason is not None:
                    return self._stop(at, reason)
                started = time.perf_counter()
                loss = step(TrainingStep(at.epoch, at.step, self.steps, self.seed))
                times.append(time.perf_counter() - started)
                at.seconds += times[-1]
                if loss is not None:
                    at.losses.append(float(loss))
                at.step += 1
                self._emit({"epoch": at.epoch + 1, "epochs": self.epochs, "step": at.step, "steps": self.steps,
                            **({"loss": float(np.mean(at.losses))} if at.losses else {})})
            self._end_epoch(at, end_epoch)
        return TrainingResult(True, at.epoch, 0, tuple(at.history))

    def _stop_reason(self, times: list[float]) -> str | None:
        if self.control is None:
            return None
        typical = float(np.median(times)) if times else 0.0
        return self.control.stop_reason(typical + self.closing)

    def _end_epoch(self, at: _Position, end_epoch: Callable[[int], Mapping[str, float]] | None) -> None:
        started = time.perf_counter()
        record: dict[str, float] = {"epoch": at.epoch + 1}
        if at.losses:
            record["loss"] = float(np.mean(at.losses))
        if end_epoch is not None:
            record.update({k: float(v) for k, v in end_epoch(at.epoch + 1).items()})
        record["seconds"] = round(at.seconds, 3)
        at.history.append(record)
        at.epoch, at.step, at.losses = at.epoch + 1, 0, []
        self._commit(at)
        self.closing = time.perf_counter() - started
        self._emit({"epochs": self.epochs, "steps": self.steps, **record})

    def _stop(self, at: _Position, reason: str) -> TrainingResult:
        if at.epoch or at.step:
            self._commit(at)
        kept = kept_text(at.epoch, at.step, self.steps)
        if self.control is not None:
            self.control.record_stop(reason, kept)
        return TrainingResult(False, at.epoch, at.step, tuple(at.history), reason, kept)

    def _emit(self, values: Mapping[str, float]) -> None:
        if self.progress is not None:
            self.progress(values)

    # ------------------------------------------------------------------ the saved state
    def clear(self) -> None:
        """Remove the saved state (a trainer whose finished result needs no resuming)."""
        body = self._read_position() if self.state_path.is_file() else None
        if body and body.get("file"):
            (self.directory / str(body["file"])).unlink(missing_ok=True)
        self.state_path.unlink(missing_ok=True)

    def _commit(self, at: _Position) -> None:
        """The trainer's state file, then the position naming it, each renamed into place: a kill
        at any moment leaves the previous state or the new one, never a mix."""
        name = f"train_state-{at.epoch}-{at.step}{self.suffix}"
        with atomic_path(self.directory / name) as tmp:
            self.save_state(tmp)
        body = {"version": 1, "epoch": at.epoch, "step": at.step, "epochs": self.epochs, "steps": self.steps,
                "seed": self.seed, "losses": at.losses, "history": at.history, "seconds": at.seconds,
                "file": name, "sha256": sha256_file(self.directory / name)}
        previous = self._read_position()
        write_text_atomic(self.state_path, json.dumps(body, indent=1) + "\n")
        if previous and previous.get("file") not in (None, name):
            (self.directory / str(previous["file"])).unlink(missing_ok=True)

    def _read_position(self) -> dict[str, Any] | None:
        if not self.state_path.is_file():
            return None
        try:
            body = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BenchError(f"{self.state_path}: unreadable training state ({exc}); delete it to start afresh") from None
        if not isinstance(body, dict):
            raise BenchError(f"{self.state_path}: unreadable training state (not an object); delete it to start afresh")
        return body

    def _restored(self) -> _Position:
        """The saved position (its trainer state loaded), or the start."""
        body = self._read_position() if self.resume and self.load_state is not None else None
        if body is None:
            return _Position()
        where = self.state_path
        try:
            epoch, step, seed, steps = (int(body[k]) for k in ("epoch", "step", "seed", "steps"))
            losses = [float(v) for v in body["losses"]]
            history = [dict(h) for h in body["history"]]
            seconds, file, digest = float(body["seconds"]), self.directory / str(body["file"]), str(body["sha256"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BenchError(f"{where}: unreadable training state ({type(exc).__name__}: {exc}); delete it to start afresh") from None
        if (seed, steps) != (self.seed, self.steps):
            raise BenchError(f"{where}: saved with seed {seed} and {steps} steps per epoch, not {self.seed} and "
                             f"{self.steps}; use the same settings, or --fresh to start over")
        if not file.is_file() or sha256_file(file) != digest:
            raise BenchError(f"{file}: training state missing or changed since it was saved; --fresh starts over")
        self.load_state(file)  # type: ignore[misc]
        return _Position(epoch, step, losses, history, seconds)
