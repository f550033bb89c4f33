"""Which phase of a plugin's life an error arose in (``load``, ``predict``, ``train``, ...).

A plugin's exception is re-raised as a :class:`PhaseError` whose one-line message starts with
the phase: ``load: models/fcn/brats18/fold-0: no checkpoint.pt ...``. The original exception is
its ``__cause__`` (a traceback in ``errors.log`` still shows where it came from).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tumorbench.errors import BenchError, DataError, one_line

T = TypeVar("T")

PHASES: tuple[str, ...] = ("load", "predict", "postprocess", "train", "describe", "combine")


class PhaseError(BenchError):
    """An error raised by a plugin, with the phase it arose in."""

    def __init__(self, phase: str, original: BaseException) -> None:
        self.phase = phase
        self.original = original
        super().__init__(f"{phase}: {one_line(original)}")

    @property
    def unexpected(self) -> bool:
        """True when the plugin raised something other than a :class:`BenchError` (a bug)."""
        return not isinstance(self.original, BenchError)


def in_phase(phase: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)``, its exceptions re-raised as :class:`PhaseError` of ``phase``
    (a PhaseError from a nested call keeps its own phase; a :class:`DataError`, a bad dataset
    file met while the plugin read the case, is the data's fault and passes unchanged)."""
    try:
        return function(*args, **kwargs)
    except (PhaseError, DataError):
        raise
    except (Exception, SystemExit) as exc:  # a plugin calling sys.exit() fails its phase, not tumorbench
        raise PhaseError(phase, exc) from exc


def on_grid(prediction: Any, case: Any) -> Any:
    """``prediction`` when every map in it lies on ``case``'s grid and holds what it claims; else a
    one-line BenchError. A wrong shape must fail the case, not be broadcast into a score that looks
    right; so must probabilities outside [0, 1] or not finite, uncertainty outside [0, 100] or not
    finite, and any label value that is not exactly a label of the case's convention, whatever the
    dtype (checked before anything casts it: 260 is not 4, 1.7 is not 1)."""
    from tumorbench.contract.values import Prediction

    if not isinstance(prediction, Prediction):
        raise BenchError(f"returned {type(prediction).__name__}, not a Prediction")
    if not prediction.regions:
        raise BenchError("the prediction speaks for no region")
    shape = tuple(case.shape)
    maps = [(f"{r} probabilities", p) for r, p in (prediction.probabilities or {}).items()]
    maps += [(f"{r} uncertainty", u) for r, u in (prediction.uncertainty or {}).items()]
    if prediction.labels is not None:
        maps.append(("labels", prediction.labels))
    for what, array in maps:
        if tuple(getattr(array, "shape", ())) != shape:
            raise BenchError(f"{what} have shape {tuple(getattr(array, 'shape', ()))}, case {case.case_id} has {shape}")
    for r, p in (prediction.probabilities or {}).items():
        _within(p, 0.0, 1.0, f"{r} probabilities of case {case.case_id}")
    for r, u in (prediction.uncertainty or {}).items():
        _within(u, 0.0, 100.0, f"{r} uncertainty of case {case.case_id}")
    if prediction.labels is not None:
        case.convention.validate(prediction.labels, f"labels of case {case.case_id}")
    return prediction


def _within(array: Any, low: float, high: float, what: str) -> None:
    """Refuse a map with a value outside [low, high] or not finite (NaN fails both comparisons)."""
    import numpy as np

    data = np.asarray(array)
    if data.dtype == np.bool_ or not np.issubdtype(data.dtype, np.number) or data.size == 0:
        if data.size and data.dtype != np.bool_:
            raise BenchError(f"{what} are {data.dtype}, not numbers")
        return
    lo, hi = data.min(), data.max()
    if low <= lo and hi <= high:
        return
    if np.issubdtype(data.dtype, np.floating) and not np.isfinite(data).all():
        bad = int(np.count_nonzero(~np.isfinite(data)))
        raise BenchError(f"{what} are not finite in {bad} voxel{'s' if bad != 1 else ''} (NaN or infinite)")
    raise BenchError(f"{what} lie outside [{low:g}, {high:g}] (min {float(lo):g}, max {float(hi):g})")
