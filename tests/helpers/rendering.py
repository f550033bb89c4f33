"""Runs as the commands make them: the runner (or the re-scorer), then the run folder's pages
rendered from the store, however the run ended."""

from __future__ import annotations

from typing import Any

from tumorbench.report.folder import pages_rendered
from tumorbench.run.options import RunOptions, RunSummary
from tumorbench.run.rescore import score_run
from tumorbench.run.runner import run


def run_and_render(options: RunOptions, registry: Any = None, **kwargs: Any) -> RunSummary:
    """``run(options, registry, **kwargs)``, then ``metrics.csv`` and ``leaderboard.md`` as
    ``bench run`` writes them (with the same registry, so that a test's own plugins are known)."""
    with pages_rendered(options.out, units=options.units, registry=registry):
        return run(options, registry, **kwargs)


def score_and_render(run_dir, **kwargs: Any) -> RunSummary:  # noqa: ANN001
    """``score_run(run_dir, **kwargs)``, then the pages as ``bench score`` writes them."""
    with pages_rendered(run_dir, units=kwargs.get("units", "mm"), registry=kwargs.get("registry")):
        return score_run(run_dir, **kwargs)
