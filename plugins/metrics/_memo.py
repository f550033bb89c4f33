"""Share one computation among the metrics of one region (one :class:`MetricInput` object).

The runner builds one ``MetricInput`` per case and region and asks every metric spec of a
convention for it; DAUC, RFTP, RFTN and the score read one set of curves, Dice, sensitivity and
specificity one set of counts, lesion-wise Dice and HD95 one matching. Results are kept only as
long as that object lives (weak keys; ``MetricInput`` is frozen and hashes by identity) [C].
The pure ``compute_*`` functions never use this.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from tumorbench.types import MetricInput

T = TypeVar("T")

_results: weakref.WeakKeyDictionary[MetricInput, dict[Hashable, Any]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def shared(m: MetricInput, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per (input object, key); later calls with the same object reuse it."""
    with _lock:
        slot = _results.setdefault(m, {})
        if key in slot:
            return slot[key]
    value = compute()
    with _lock:
        slot[key] = value
    return value
