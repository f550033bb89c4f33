"""Published numbers ("reported, not measured here") read from CSV files.

Every row names its paper, table, dataset, split, case count and metric convention, then
model, region, metric and value (in tumorbench's units: Dice as a ratio, HD95 in mm), the
number as printed (``published``) and a note. Plugins ship their papers' tables (hook
``tumorbench_reported_results``; the seed papers' beside their models); ``bench leaderboard --reported FILE`` adds a user's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tumorbench.errors import BenchError

COLUMNS = ("paper", "table", "dataset", "split", "cases", "metric_convention", "units", "model", "region", "metric", "value", "sd", "published", "note")
REQUIRED = ("paper", "table", "dataset", "cases", "metric_convention", "model", "region", "metric", "value")


def built_in_files(registry=None) -> list[Path]:  # noqa: ANN001 - a Registry
    """The reported-rows files the installed plugins ship (hook ``tumorbench_reported_results``), by file name."""
    if registry is None:
        from tumorbench.loading.registry import default_registry

        registry = default_registry()
    return sorted((Path(spec.path) for spec in registry.reported.specs()), key=lambda p: (p.name, str(p)))


def read_reported(path: Path, *, user: bool = False):
    """One reported-rows CSV as a DataFrame (with ``source`` = the file and ``user``), refused
    with one line naming the file when a required column or value is missing."""
    import pandas as pd

    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype={"cases": "Int64"}, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        raise BenchError(f"{path}: not a readable reported-rows CSV ({exc})") from exc
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise BenchError(f"{path}: reported rows need the columns {', '.join(missing)}")
    for column in REQUIRED:
        if frame[column].isna().any():
            line = int(frame.index[frame[column].isna()][0]) + 2
            raise BenchError(f"{path}: line {line}: empty {column}")
    try:
        frame["value"] = frame["value"].astype(float)
    except ValueError as exc:
        raise BenchError(f"{path}: a value is not a number ({exc})") from exc
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[list(COLUMNS)].copy()
    frame["source"] = str(path)
    frame["user"] = user
    return frame


def load_reported(extra: Sequence[Path] = (), *, built_in: bool = True, registry=None):  # noqa: ANN001
    """The rows the installed plugins ship (unless ``built_in`` is false) and every file in ``extra``."""
    import pandas as pd

    frames = [read_reported(p) for p in built_in_files(registry)] if built_in else []
    frames += [read_reported(p, user=True) for p in extra]
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS, "source", "user"])
    return pd.concat(frames, ignore_index=True)


def rows_for(reported, *, dataset: str, convention: str, metrics: Sequence[str]):
    """The reported rows to show under a measured table: the table's metric convention and
    metrics, and its dataset (a user's own files: any dataset)."""
    if reported is None or reported.empty:
        return reported
    keep = (reported.metric_convention == convention) & reported.metric.isin(list(metrics))
    keep &= (reported.dataset == dataset) | reported.user.astype(bool)
    return reported[keep]
