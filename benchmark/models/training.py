"""What every trainer shares: the call's clock and time budget, Ctrl-C, cores and memory.

``bench train`` builds one :class:`TrainControl` and passes it in ``TrainRequest.control``.
A trainer asks :meth:`TrainControl.stop_reason` between steps; when it answers, the trainer
writes a resumable state and returns. The budget counts from the start of the process, so
loading, validation and saving are inside it; :meth:`TrainControl.stop_reason` takes the time
the trainer still needs after stopping (its last validation and save) as ``reserve``.

Nothing here imports torch or TensorFlow at module level.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tumorbench.errors import BenchError

INTERRUPTED = "interrupted"
BUDGET = "time budget"
HARNESS_TRAIN_KEYS: tuple[str, ...] = ("time_budget",)
"""``--model-opt`` keys the harness reads itself when training (``time_budget``: the budget)."""


def process_started() -> float:
    """``time.monotonic()`` at which this process started (Linux ``/proc``; else the first call)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        age = up - ticks / os.sysconf("SC_CLK_TCK")
        if 0.0 <= age < 600.0:
            return time.monotonic() - age
    except (OSError, ValueError, IndexError):
        pass
    return _FIRST_CALL


_FIRST_CALL = time.monotonic()


@dataclass
class TrainControl:
    """A training's time budget (seconds from process start; 0 = none) and its stop request."""

    budget: float = 0.0
    started: float = field(default_factory=process_started)
    stop_requested: bool = False
    stopped: str | None = None
    """Why the trainer stopped early (:data:`INTERRUPTED`, :data:`BUDGET`), set by the trainer."""
    kept: str = ""
    """What the trainer kept when it stopped (``epoch 3, step 12 of 50``), set by the trainer."""

    def record_stop(self, reason: str, kept: str) -> None:
        """Say that the trainer stopped early: ``reason`` is what :meth:`stop_reason` answered and
        ``kept`` what its saved state holds, as ``bench train`` prints it after "kept":
        ``3 epoch(s) and 12 of 50 steps of epoch 4``, or ``nothing new``."""
        self.stopped, self.kept = reason, kept

    @property
    def deadline(self) -> float | None:
        """``time.monotonic()`` at which the budget ends, or None without one."""
        return self.started + self.budget if self.budget > 0 else None

    def elapsed(self) -> float:
        """Seconds since the budget's clock started (for ``bench train``: the process start)."""
        return time.monotonic() - self.started

    def left(self) -> float | None:
        """Seconds left of the budget, or None without one."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    def stop_reason(self, reserve: float = 0.0) -> str | None:
        """``interrupted``, ``time budget`` (less than ``reserve`` seconds left) or None."""
        if self.stop_requested:
            return INTERRUPTED
        left = self.left()
        if left is not None and left <= reserve:
            return BUDGET
        return None


@contextmanager
def stop_on_sigint(control: TrainControl, notice=None) -> Iterator[TrainControl]:  # noqa: ANN001
    """First Ctrl-C asks the trainer to stop after its current step; a second one aborts at once."""
    if not hasattr(signal, "SIGINT") or signal.getsignal(signal.SIGINT) is None:
        yield control
        return

    def handler(signum, frame):  # noqa: ANN001
        if control.stop_requested:
            raise KeyboardInterrupt
        control.stop_requested = True
        message = "stopping after the current step, keeping a resumable checkpoint (Ctrl-C again aborts now)"
        (notice or (lambda text: print(text, file=sys.stderr, flush=True)))(message)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield control
    finally:
        signal.signal(signal.SIGINT, previous)


# ------------------------------------------------------------------ cores and threads
def available_cores() -> int:
    """The CPU cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def configure_torch_threads(torch) -> int:  # noqa: ANN001
    """Size PyTorch's intra-op pool to the cores given (``OMP_NUM_THREADS`` wins when set)."""
    n = int(os.environ.get("OMP_NUM_THREADS") or available_cores())
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def configure_tensorflow_threads(tf) -> int:  # noqa: ANN001
    """Size TensorFlow's pools to the cores given, if TensorFlow has not started them yet."""
    n = int(os.environ.get("TF_NUM_INTRAOP_THREADS") or available_cores())
    try:
        if tf.config.threading.get_intra_op_parallelism_threads() != n:
            tf.config.threading.set_intra_op_parallelism_threads(n)
        if tf.config.threading.get_inter_op_parallelism_threads() != min(2, n):
            tf.config.threading.set_inter_op_parallelism_threads(min(2, n))
    except RuntimeError:  # the runtime is already initialised: its pools stay as they are
        pass
    return n


# ------------------------------------------------------------------ memory
def available_memory() -> int | None:
    """Bytes this process can still allocate: MemAvailable, bounded by a cgroup limit if any."""
    values: list[int] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    values.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError):
        pass
    for limit, usage in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                         ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            with open(limit, encoding="ascii") as f:
                text = f.read().strip()
            if text.isdigit() and int(text) < 2**60:
                with open(usage, encoding="ascii") as f:
                    values.append(int(text) - int(f.read().strip()))
        except (OSError, ValueError):
            continue
    return min(values) if values else None


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} TB"


@dataclass(frozen=True)
class MemoryEstimate:
    """What a training will hold at once, in bytes, by part."""

    parameters: int
    optimizer: int
    activations: int
    data: int = 0

    @property
    def total(self) -> int:
        return self.parameters + self.optimizer + self.activations + self.data

    def describe(self) -> str:
        parts = [("network", self.parameters), ("optimizer", self.optimizer), ("activations", self.activations),
                 ("data", self.data)]
        return ", ".join(f"{name} {human_bytes(v)}" for name, v in parts if v)


def memory_available() -> int | None:
    """:func:`available_memory`, or ``TUMORBENCH_MEMORY_LIMIT`` (bytes, or with a G/M suffix) when set."""
    override = os.environ.get("TUMORBENCH_MEMORY_LIMIT", "").strip().upper()
    if override:
        scale = {"G": 2**30, "M": 2**20}.get(override[-1], 1)
        try:
            return int(float(override.rstrip("GM")) * scale)
        except ValueError as exc:
            raise BenchError(f"TUMORBENCH_MEMORY_LIMIT={override!r}: not a size (e.g. 8G)") from exc
    return available_memory()


def check_memory(model: str, estimate: MemoryEstimate, fix: str, available: int | None = None) -> None:
    """Refuse with one line when ``estimate`` will not fit; ``fix`` names the option that helps."""
    available = memory_available() if available is None else available
    if available is None or estimate.total <= available:
        return
    raise BenchError(
        f"{model}: training needs about {human_bytes(estimate.total)} ({estimate.describe()}) but "
        f"{human_bytes(available)} is available; {fix}"
    )
