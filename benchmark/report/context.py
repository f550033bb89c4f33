"""What every section of a leaderboard page reads: the page options and the loaded results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tumorbench.errors import BenchError
from tumorbench.results.results_store import ResultsStore

MAX_PERMUTATIONS = 1_000_000
MAX_BOOTSTRAP = 100_000
"""Bounds on the statistics' sizes (memory grows with cases x models x these)."""


@dataclass(frozen=True)
class BoardOptions:
    """How pages are made: statistics sizes, overrides, extra rows, and whether files are written."""

    units: str = "mm"
    conventions: tuple[str, ...] | None = None
    datasets: tuple[str, ...] | None = None
    metrics: tuple[str, ...] | None = None
    rank_by: tuple[str, ...] = ()
    reported: tuple[Path, ...] = ()
    built_in_reported: bool = True
    permutations: int = 10_000
    samples: int = 1_000
    seed: int = 0
    files: bool = False  # CSV beside every table and PNG pictures
    overlays: bool = True
    overlay_region: str | None = None  # the region overlays show (None: the label convention's first)
    preamble: str = ""  # Markdown under every page's title (an experiment's profile, budgets and verdict)

    def __post_init__(self) -> None:
        """Statistics sizes are bounded before anything is allocated (a sign-flip table of 10**10
        permutations would ask for tens of GiB)."""
        for name, value, most in (("--permutations", self.permutations, MAX_PERMUTATIONS), ("--bootstrap", self.samples, MAX_BOOTSTRAP)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
                raise BenchError(f"{name} must be a whole number from 1 to {most:,}, got {value}")


@dataclass
class _Context:
    stores: Sequence[ResultsStore]
    options: BoardOptions
    registry: object
    frame: object
    evaluations: object
    labels: dict[str, str]
    reported: object
    runs: dict[str, dict[int, dict]] = field(default_factory=dict)  # run_dir -> id -> run
    records: dict[tuple[str, str, str, str], object] = field(default_factory=dict)  # (run_dir, model, dataset, case)
    store_of: dict[str, ResultsStore] = field(default_factory=dict)
    sources: dict = field(default_factory=dict)  # opened datasets for overlays, by (name, root, params)


def _row_labels(rows: Iterable[str]) -> dict[str, str]:
    """Model names, with the run folder added where two run folders hold the same name."""
    rows = list(dict.fromkeys(rows))
    by_model: dict[str, list[str]] = {}
    for row in rows:
        by_model.setdefault(row.split(ROW_SEPARATOR, 1)[1], []).append(row)
    out = {}
    for model, members in by_model.items():
        for row in members:
            run_dir = row.split(ROW_SEPARATOR, 1)[0]
            out[row] = model if len(members) == 1 else f"{model} (run {run_dir})"
    return out


ROW_SEPARATOR = "\x1f"  # between the run folder and the model name in a row id
