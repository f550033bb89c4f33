"""The files of a run folder rendered from its store: ``metrics.csv`` and ``leaderboard.md``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tumorbench.errors import (
    disk_full,
)
from tumorbench.io.atomic import atomic_path, write_text_atomic
from tumorbench.loading.registry import Registry
from tumorbench.report.frames import collect
from tumorbench.results.results_store import ResultsStore
from tumorbench.run.options import RunSummary


def finish_folder(
    store: ResultsStore, run_id: int, summary: RunSummary, out: Path, units: str, registry: Registry,
    verdicts: Mapping[tuple[str, str], Any] | None = None,
) -> None:
    """End a run in its folder: mark the run finished (or cut short), write ``metrics.csv``, the
    out-of-fold verdicts (when the run made any) and ``leaderboard.md``, close the store. A full
    disk is reported as such."""
    from tumorbench.report.leaderboard import render_leaderboard
    from tumorbench.report.training_notes import eligibility_lines
    from tumorbench.results.eligibility import record_eligibility

    try:
        store.finish_run(run_id, done=summary.done, interrupted=summary.interrupted)
        write_metrics_csv(store, out / "metrics.csv")
        if verdicts is not None:
            record_eligibility(out, verdicts)
        text = render_leaderboard([store], units=units, registry=registry)
        write_text_atomic(out / "leaderboard.md", text + "\n".join(eligibility_lines([out])))
    except OSError as exc:
        full = disk_full(exc, out)
        if full is None:
            raise
        raise full from exc
    finally:
        store.close()

def write_metrics_csv(store: ResultsStore, path: Path) -> Path:
    """Every stored metric row in long form (atomic write), sorted so that reruns compare equal."""
    import pandas as pd

    frame = collect([store])
    if frame.empty:
        frame = pd.DataFrame(columns=CSV_COLUMNS)
    else:
        frame = frame.assign(status=frame.metric_status).rename(columns={"case_id": "case"})[CSV_COLUMNS]
        frame = frame.sort_values(CSV_COLUMNS[:7], kind="stable")
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path

CSV_COLUMNS = ["model", "dataset", "case", "metric_convention", "units", "region", "metric", "value", "status"]
