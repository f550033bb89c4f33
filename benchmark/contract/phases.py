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
    """``prediction`` when every map in it lies on ``case``'s grid; else a one-line BenchError
    (a wrong shape must fail the case, not be broadcast into a score that looks right)."""
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
    return prediction
