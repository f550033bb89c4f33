"""``bench score``: score the predictions a run directory holds again, loading no model.

The datasets are opened from the roots recorded in the run's provenance (or the ones given);
every prediction the run wrote is read back from its files, a folder of predictions is read from
its folder, and each is scored under the conventions and unit asked for. A prediction whose
model changed since, or whose files changed, is not scored: it is reported, and ``bench run``
predicts it again.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tumorbench import __version__
from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench.prediction.references import parse_model_ref
from tumorbench.progress import Progress
from tumorbench.results.results_store import RESULTS_FILE, open_store
from tumorbench.run.jobs import Job, assemble_job, open_dataset, plugin_versions, select_conventions
from tumorbench.run.machine import machine
from tumorbench.run.options import RunOptions, RunSummary
from tumorbench.run.runner import Runner, drive_to_the_end


def _recorded(runs: Sequence[Mapping[str, Any]], key: str) -> dict[str, Any]:
    """A provenance mapping merged over runs (later runs win)."""
    out: dict[str, Any] = {}
    for run in runs:
        out.update(run["provenance"].get(key) or {})
    return out


def _read_again(records: Sequence[Any], refs_by_label: Mapping[str, str], registry: Registry) -> list[Any]:
    """The models whose predictions are read from their sources again (a folder of predictions:
    its files are not in the run folder), the only models a re-scoring run loads."""
    labels = sorted({r.model for r in records if r.files and Path(r.files[0]).is_absolute()})
    return [parse_model_ref(refs_by_label.get(label) or label.split("+")[0], registry) for label in labels]


def score_run(
    run_dir: Path,
    *,
    conventions: Sequence[str] | None,
    units: str,
    data_roots: Mapping[str, Path | None],
    command: str = "",
    registry: Registry | None = None,
    progress: Progress | None = None,
    executor: Any = None,
) -> RunSummary:
    """Score every stored prediction of ``run_dir`` under ``conventions`` and ``units``.

    ``data_roots``: dataset -> its folder where it moved since the run (the key ``""``: every
    dataset's). ``executor``: a :class:`tumorbench.run.executors.ExecutorOptions` (None: in this process).
    """
    from tumorbench.run.executors import ExecutorOptions, open_executor

    if not (Path(run_dir) / RESULTS_FILE).is_file():
        raise BenchError(f"{Path(run_dir) / RESULTS_FILE}: no results store (run `bench run --out {run_dir}` first)")
    custom_registry = registry is not None
    registry = registry or Registry()
    store = open_store(run_dir, create=False)
    runs = store.runs()
    latest = runs[-1]["provenance"] if runs else {}
    refs_by_label = _recorded(runs, "model_refs")
    plugins = _recorded(runs, "dataset_plugins")  # a dataset label -> its plugin
    records = [r for r in store.predictions()]
    options = _options(Path(run_dir), runs, records, plugins, data_roots, conventions=conventions, units=units,
                       command=command)
    datasets = list(options.datasets)
    chosen = select_conventions(registry, options.metric_conventions, [plugins.get(d, d) for d in datasets])
    for convention in chosen:
        convention.check_units(units)
    provenance = dict(
        latest, command=command, metric_conventions=[c.name for c in chosen], distance_units=units,
        tumorbench_version=__version__, python=sys.version.split()[0], platform=platform.platform(), machine=machine(),
        # what computes these scores: the datasets' ground truth and the conventions (no model is loaded)
        plugins=plugin_versions(registry, refs=_read_again(records, refs_by_label, registry),
                                datasets=sorted({plugins.get(d, d) for d in datasets}), conventions=chosen),
        scored_runs=sorted({r.run_id for r in records}),
    )
    with open_executor(executor or ExecutorOptions(), custom_registry=custom_registry, progress=progress) as pool:
        run_id = store.start_run(provenance, planned=len(records))
        summary = RunSummary(
            Path(run_dir), run_id, planned=len(records), executor=pool.name, startup_seconds=pool.startup_seconds,
            dashboard=pool.dashboard,
        )
        runner = Runner(options, registry, store, chosen, score_only=True)
        runner.summary = summary

        def items() -> Iterator[tuple[Job, str]]:
            for dataset in datasets:
                plugin = plugins.get(dataset, dataset)
                source = open_dataset(registry, plugin, options)
                for label in sorted({r.model for r in records if r.dataset == dataset}):
                    text = refs_by_label.get(label) or label.split("+")[0]
                    postprocess = tuple(label.split("+")[1:]) if label != text else ()
                    job = assemble_job(
                        registry, replace(options, postprocess=postprocess, dataset_names={plugin: dataset}), chosen,
                        ref=parse_model_ref(text, registry), plugin=plugin, source=source, file_hash=store.file_hash,
                        purpose="score",
                    )
                    for record in (r for r in records if r.dataset == dataset and r.model == label):
                        yield job, record.case_id

        drive_to_the_end(runner, items(), pool, progress, total=len(records))
    return summary


def _options(
    run_dir: Path, runs: Sequence[Mapping[str, Any]], records: Sequence[Any], plugins: Mapping[str, str],
    data_roots: Mapping[str, Path | None], *, conventions: Sequence[str] | None, units: str, command: str,
) -> RunOptions:
    """The options of the run that predicted ``records``, as its last provenance recorded them, with
    the data roots given now (where the data moved since) and the conventions and units asked for."""
    latest = runs[-1]["provenance"] if runs else {}
    recorded_roots = _recorded(runs, "data_roots")
    datasets = sorted({r.dataset for r in records})
    moved = {d: data_roots.get(d) or data_roots.get("") for d in datasets}  # "": a bare --data-root PATH, every dataset
    roots = {d: moved[d] or (Path(recorded_roots[d]) if recorded_roots.get(d) else None) for d in datasets}
    return RunOptions(
        models=tuple(sorted({r.model for r in records})),
        datasets=tuple(datasets),
        out=run_dir,
        data_roots={plugins.get(d, d): r for d, r in roots.items()},
        dataset_params=latest.get("dataset_params") or {},
        model_params=latest.get("model_params") or {},
        metric_conventions=tuple(conventions) if conventions else None,
        units=units,
        label_convention=latest.get("label_convention_override"),
        model_store=Path(latest.get("store") or "models"),
        device="cpu",
        fold=latest.get("fold"),
        trained_on=latest.get("trained_on"),
        command=command,
    )
