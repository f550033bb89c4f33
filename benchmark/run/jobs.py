"""A job: one (model, dataset) pair of a run, assembled once for ``bench run``, experiment
planning and ``bench score``; its plain spec travels to Dask workers."""

from __future__ import annotations

import hashlib
import platform
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tumorbench import __version__
from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.metric_conventions import MetricConvention
from tumorbench.contract.values import DatasetOptions, DatasetSource, ModelContext, Predictor
from tumorbench.errors import BenchError
from tumorbench.io.hashing import sha256_json
from tumorbench.io.paths import safe_file_stem
from tumorbench.loading.registry import Registry
from tumorbench.prediction.folds import CaseEligibility, TrainAdvice, plan_predictions
from tumorbench.prediction.identity import model_identity
from tumorbench.prediction.postprocess import postprocessor_name
from tumorbench.prediction.references import ModelRef, load_predictor
from tumorbench.run.machine import machine
from tumorbench.run.options import RunOptions
from tumorbench.run.tasks import JobPredictors, JobSpec

if TYPE_CHECKING:
    pass


def safe_name(name: str) -> str:
    """A model or dataset name as a folder name (never ``..``, never empty, long names hashed)."""
    return safe_file_stem(name)


def case_list_hash(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def chained_name(ref: ModelRef, postprocess: Sequence[str]) -> str:
    """The name results carry for ``ref`` followed by ``postprocess``: ``model+post-processor+...``."""
    return "+".join([ref.result_name, *postprocess])


def select_conventions(registry: Registry, names: Sequence[str] | None, datasets: Sequence[str] = ()) -> list[MetricConvention]:
    """The named conventions (or the defaults for ``datasets``: :meth:`Registry.default_conventions`),
    each joined with its extensions."""
    chosen = list(names) if names else registry.default_conventions(datasets)
    if not chosen:
        raise BenchError("no metric convention given and no plugin declares a default one")
    return [registry.metric_convention(n) for n in dict.fromkeys(chosen)]


def plugin_versions(
    registry: Registry, *, refs: Sequence[ModelRef] = (), datasets: Sequence[str] = (), postprocess: Sequence[str] = (),
    conventions: Sequence[MetricConvention] = (),
) -> dict[str, str]:
    """``kind/name`` -> ``package version`` of every plugin a run uses: models (and named
    ensembles), datasets, post-processors and each part of every metric convention."""
    plugins: dict[str, str] = {}

    def add(kind: str, name: str, key: str | None = None) -> None:
        p = registry.provider(kind, name)
        plugins[f"{key or kind}/{name}"] = f"{p.distribution} {p.version}"

    for ref in refs:
        for member in ref.members:
            add("model", member)
        if ref.name in registry.ensembles:
            add("ensemble", ref.name)
    for name in datasets:
        add("dataset", name)
    for name in map(postprocessor_name, postprocess):
        add("postprocessor", name)
    for convention in conventions:
        for part in convention.parts:
            add("metric", part.name)
    return plugins


def provenance(
    registry: Registry, options: RunOptions, refs: Sequence[ModelRef], case_lists: Mapping[str, list[str]],
    conventions: Sequence[MetricConvention], sources: Mapping[str, DatasetSource] | None = None,
) -> dict[str, Any]:
    """What a result depends on: versions, plugins, conventions, command line, data, case lists."""
    plugins = plugin_versions(registry, refs=refs, datasets=options.datasets, postprocess=options.postprocess,
                              conventions=conventions)
    return {
        "tumorbench_version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": machine(),
        "command": options.command,
        "models": [r.result_name for r in refs],
        "model_refs": {chained_name(r, options.postprocess): r.result_name for r in refs},
        "model_params": dict(options.model_params),
        "datasets": [options.dataset_names.get(d, d) for d in options.datasets],
        "dataset_plugins": {options.dataset_names.get(d, d): d for d in options.datasets},
        "data_roots": {  # absolute: pages draw overlays from them whatever the working directory
            options.dataset_names.get(d, d): str(Path(options.data_roots[d]).resolve()) if options.data_roots.get(d) else None
            for d in options.datasets
        },
        "dataset_params": dict(options.dataset_params),
        "postprocess": list(options.postprocess),
        "label_conventions": {
            d: dataset_convention(registry, options, d, (sources or {}).get(d)).name for d in options.datasets
        },
        "label_convention_override": options.label_convention,
        "metric_conventions": [c.name for c in conventions],
        "distance_units": options.units,
        "device": options.device,
        "seed": options.seed,
        "fold": options.fold,
        "trained_on": options.trained_on,
        "store": str(options.model_store),
        "allow_training_cases": options.allow_training_cases,
        "plugins": plugins,
        "case_lists": {options.dataset_names.get(d, d): {"n": len(ids), "sha256": case_list_hash(ids)} for d, ids in case_lists.items()},
        "training": training_record(registry, options, refs),
        "notes": list(options.notes),
        "prediction_conventions": {
            r.result_name: str(options.model_params["convention"]) for r in refs
            if "folder" in r.members and options.model_params.get("convention")
        },
    }


def training_record(registry: Registry, options: RunOptions, refs: Sequence[ModelRef]) -> dict[str, Any]:
    """{model: {dataset: {member: its stored folds}}}: how each model's checkpoints were trained, as
    the model store says (``tumorbench.models.trained``), so that pages say it without the store."""
    from tumorbench.models.trained import member_summary

    out: dict[str, Any] = {}
    for ref in refs:
        for name in options.datasets:
            label = options.dataset_names.get(name, name)
            base = model_context(options, label)
            out.setdefault(ref.result_name, {})[label] = {
                part.key: member_summary(base.store, part.plugin, base.dataset, fold=base.fold,
                                         trainable=registry.models.get(part.plugin).train is not None)
                for part in ref.parts()
            }
    return out


def open_dataset(registry: Registry, name: str, options: RunOptions) -> DatasetSource:
    spec = registry.datasets.get(name)
    root = options.data_roots.get(name)
    if spec.needs_root and root is None:
        raise BenchError(f"dataset {name} needs --data-root PATH (or TUMORBENCH_DATA_ROOT, or tumorbench.toml)")
    from tumorbench.contract.options import check_dataset_options

    check_dataset_options(spec, options.dataset_params)
    return spec.open(DatasetOptions(root=root, params=dict(options.dataset_params), label_convention=options.label_convention))


@dataclass
class Job:
    """One (model, dataset) pair in the driver: its plain spec, and the objects the serial
    executor runs its cases with (a Dask worker builds its own from the spec)."""

    spec: JobSpec
    source: DatasetSource
    predictors: JobPredictors
    brain_mask: Any
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # case -> grid, of the cases read
    eligibility: dict[str, CaseEligibility] = field(default_factory=dict)  # case -> its folds, until finished

    @property
    def model(self) -> str:
        return self.spec.model

    @property
    def dataset(self) -> str:
        return self.spec.dataset

    def known_shape(self) -> tuple[int, ...] | None:
        """The grid of the dataset's first case (by id) read in this run, for a case that failed unread."""
        return self.shapes[min(self.shapes)] if self.shapes else None


GPU_FRAMEWORKS = frozenset({"torch", "keras", "tensorflow", "jax"})
PURPOSES = ("run", "score", "plan")


def model_context(options: RunOptions, dataset: str) -> ModelContext:
    """The context a run's models are loaded with on ``dataset`` (their checkpoints are those
    trained on ``options.trained_on`` when given)."""
    return ModelContext(
        dataset=options.trained_on or dataset, store=Path(options.model_store), fold=options.fold, device=options.device,
        seed=options.seed,
    )


def assemble_job(
    registry: Registry, options: RunOptions, metric_conventions: Sequence[MetricConvention], *, ref: ModelRef, plugin: str,
    source: DatasetSource, file_hash: Callable[[Path], str | None], purpose: str = "run",
) -> Job:
    """The job of ``ref`` (named as results name it) on the dataset plugin ``plugin``, as every
    command builds it: its model context, identity, prediction folder, and how its cases are predicted.

    ``purpose``: ``run`` predicts each case with the stored folds that held it out
    (:func:`tumorbench.prediction.folds.plan_predictions`); ``score`` loads the model as its plugin
    does (``bench score``: only a model that reads predictions from files is ever asked);
    ``plan`` loads nothing (``bench run -c --dry-run``). Every path in the spec is absolute, so that
    a worker elsewhere finds the same files.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    dataset = options.dataset_names.get(plugin, plugin)  # a subset (e.g. one grade) under its own name
    model = chained_name(ref, options.postprocess)
    base = model_context(options, dataset)
    identity = model_identity(registry, ref, base, options.model_params, options.postprocess, file_hash)
    unprocessed = unprocessed_sha = None
    if options.postprocess:  # the same model without post-processors: its stored prediction may be reused
        unprocessed = chained_name(ref, ())
        unprocessed_sha = sha256_json(model_identity(registry, ref, base, options.model_params, (), file_hash))
    plan = advice = load = None
    if purpose == "run":
        advice = TrainAdvice(len(source.case_ids()), options.data_roots.get(plugin), options.dataset_params)
        plan = plan_predictions(
            ref, registry, base, options.model_params, allow_training_cases=options.allow_training_cases, advice=advice,
        )
    elif purpose == "score":
        def load() -> Predictor:
            return load_predictor(ref, registry, base, options.model_params)
    dataset_spec = registry.datasets.get(plugin)
    regions = model_regions(registry, options, ref, plugin, source)
    frameworks = {registry.models.get(m).framework for m in ref.members}
    absolute = replace(
        options, out=Path(options.out).resolve(), model_store=Path(options.model_store).resolve(),
        data_roots={k: Path(v).resolve() if v is not None else None for k, v in options.data_roots.items()},
    )
    pred_dir = absolute.out / "predictions" / safe_name(model) / safe_name(dataset)
    spec = JobSpec(
        model=model, dataset=dataset, plugin=plugin, ref=ref, options=absolute,
        base=replace(base, store=Path(base.store).resolve()),
        metric_conventions=tuple(c.name for c in metric_conventions), regions=regions, pred_dir=pred_dir, identity=identity,
        identity_sha256=sha256_json(identity), default_convention=dataset_convention(registry, options, plugin, source).name,
        gpu=bool(frameworks & GPU_FRAMEWORKS) and base.device != "cpu", out_of_fold=plan is not None, advice=advice,
        unprocessed=unprocessed, unprocessed_identity_sha256=unprocessed_sha,
    )
    return Job(spec=spec, source=source, predictors=JobPredictors(plan, load), brain_mask=dataset_spec.brain_mask)


def dataset_convention(
    registry: Registry, options: RunOptions, plugin: str, source: DatasetSource | None = None,
) -> LabelConvention:
    """The label convention a dataset's cases follow: ``--label-convention`` when given, else the one
    the opened source says it read from its data (``source.convention``, e.g. nnU-Net's
    ``dataset.json``), else the dataset spec's."""
    if options.label_convention:
        return registry.label_convention(options.label_convention)
    own = getattr(source, "convention", None)
    if isinstance(own, LabelConvention):
        return own
    return registry.label_convention(registry.datasets.get(plugin).label_convention)


def model_regions(
    registry: Registry, options: RunOptions, ref: ModelRef, plugin: str, source: DatasetSource | None = None,
) -> tuple[str, ...]:
    """The regions ``ref`` speaks for on the dataset plugin ``plugin`` (:func:`dataset_convention`),
    in the convention's order; a model none of whose regions the convention has is refused."""
    convention = dataset_convention(registry, options, plugin, source)
    regions = ref.regions_in(convention)
    if not regions:
        raise BenchError(
            f"model {ref.result_name} predicts {', '.join(ref.regions)}; label convention {convention.name} of dataset "
            f"{options.dataset_names.get(plugin, plugin)} has none of them (it has {', '.join(convention.region_names)})"
        )
    return regions


def check_modalities(registry: Registry, ref: ModelRef, dataset: str) -> None:
    """A model that reads a modality the dataset does not have is refused before any case (where
    both declare their modalities)."""
    have = set(registry.datasets.get(dataset).modalities)
    if not have:
        return
    for member in ref.members:
        missing = [m for m in registry.models.get(member).modalities if m not in have]
        if missing:
            raise BenchError(f"model {member} needs {', '.join(missing)}, which dataset {dataset} does not have")
