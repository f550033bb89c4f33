"""Publishing an experiment: ``bench leaderboard --publish``'s folder, every page opening with
the experiment's head."""

from __future__ import annotations

from pathlib import Path

from tumorbench.errors import BenchError
from tumorbench.experiment.definition import Experiment
from tumorbench.experiment.head import _shown_path, experiment_head
from tumorbench.loading.registry import Registry


def publish_experiment(exp: Experiment, registry: Registry, directory: Path, *, overlays: bool = False) -> list[Path]:
    """Publish the experiment's results in ``directory`` (``bench leaderboard --publish``'s folder:
    pages, CSV, pictures, results as text, manifest), every page opening with the experiment's
    head (profile, budgets, the verdict against the baseline), so that no page shows small-budget
    numbers without saying so. Without overlays by default, so that ``--check`` rebuilds the pages
    anywhere (overlays are drawn from the images the results name)."""
    from tumorbench.report.context import BoardOptions
    from tumorbench.report.published import publish_folder
    from tumorbench.results.results_store import RESULTS_FILE, ResultsStore

    if not (exp.out / RESULTS_FILE).is_file():
        raise BenchError(f"{exp.out / RESULTS_FILE}: no results to publish (run the experiment first)")
    store = ResultsStore(exp.out / RESULTS_FILE, create=False)
    try:
        head = experiment_head(exp, registry, store.metrics(), level=2)
        options = BoardOptions(
            units=exp.units, reported=tuple(Path(_shown_path(p)) for p in exp.reported), overlays=overlays,
            preamble="\n".join(head),
        )
        return publish_folder([store], directory, options, registry=registry)
    finally:
        store.close()
