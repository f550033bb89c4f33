"""Metric rows of one or more results stores as one DataFrame."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tumorbench.report.context import ROW_SEPARATOR
from tumorbench.results.results_store import ResultsStore


def collect(stores: Sequence[ResultsStore], units: str | None = None, conventions: Iterable[str] | None = None):
    """Metric rows of every store (a DataFrame with ``run_dir`` and ``row`` = run folder + model),
    optionally for one unit and some conventions."""
    import pandas as pd

    frames = []
    for store in stores:
        frame = store.metrics()
        frame["run_dir"] = store.run_dir
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        return frame
    frame["row"] = frame.run_dir + ROW_SEPARATOR + frame.model
    if units is not None:
        frame = frame[frame.units == units]
    if conventions is not None:
        frame = frame[frame.metric_convention.isin(list(conventions))]
    return frame
