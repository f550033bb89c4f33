"""A job: one (model, dataset) pair of a run, assembled once for ``bench run``, experiment
planning and ``bench score``; its plain spec travels to Dask workers."""

from __future__ import annotations

import hashlib
import platform
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tumorbench import __version__
from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.metric_conventions import Convention
from tumorbench.contract.specs import BrainMaskRule
from tumorbench.contract.values import DatasetOptions, DatasetSource, ModelContext, Predictor
from tumorbench.errors import BenchError
from tumorbench.io.hashing import sha256_json
from tumorbench.loading.registry import Registry
from tumorbench.prediction.postprocess import postprocessor_name
from tumorbench.prediction.references import ModelRef
from tumorbench.run.machine import machine
from tumorbench.run.options import RunOptions

if TYPE_CHECKING:
    from tumorbench.prediction.folds import FoldPlan, TrainAdvice
    from tumorbench.prediction.postprocess import PostStep
    from tumorbench.run.case_task import CaseTask



@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """What every case of one (model, dataset) pair shares, as plain values a worker can rebuild from.

    ``dataset`` is the name results carry, ``plugin`` the dataset plugin opened (they differ for
    a subset carried under its own name). ``out_of_fold``: the cases are predicted by the folds
    that held them out (tumorbench.prediction.folds; ``advice`` for the message of a missing checkpoint);
    else by the model as its plugin loads it (``bench score``).
    """

    label: str
    dataset: str
    plugin: str
    ref: ModelRef
    options: RunOptions
    base: ModelContext
    conventions: tuple[str, ...]
    pred_dir: Path
    identity: Mapping[str, Any]
    identity_sha256: str
    default_convention: str
    gpu: bool = False
    out_of_fold: bool = False
    advice: TrainAdvice | None = None

    @property
    def model_key(self) -> tuple[Any, ...]:
        """What a loaded model is cached under on a worker: model, dataset (scored, and trained
        on), fold, identity (plugin versions, options and checkpoint hashes), device, seed, store,
        and whether it is an out-of-fold plan."""
        base = self.base
        return (
            self.ref.label, self.dataset, base.dataset, base.fold, self.identity_sha256, base.device, base.seed,
            str(base.store), self.out_of_fold,
        )

@dataclass(frozen=True, kw_only=True)
class JobEnv:
    """The loaded objects a job's tasks use, in the process that runs them."""

    source: DatasetSource
    predictor: Callable[[CaseTask], Predictor]
    conventions: Sequence[Convention]
    postprocessors: Sequence[PostStep]
    override: LabelConvention | None
    brain_mask: BrainMaskRule | None

class LazyPredictor:
    """Loads a model on first use; a load error fails every case of that model with its reason."""

    def __init__(self, load: Callable[[], Predictor]) -> None:
        self._load = load
        self._predictor: Predictor | None = None
        self._error: BaseException | None = None

    def get(self) -> Predictor:
        if self._error is not None:
            raise self._error
        if self._predictor is None:
            try:
                self._predictor = self._load()
            except BaseException as exc:
                self._error = exc
                raise
        return self._predictor

class JobPredictors:
    """The predictor of each case of one job, loaded on first use: the case's folds (out of fold,
    from ``plan`` and the task's eligibility), or the model as its plugin loads it (``load``)."""

    def __init__(self, plan: FoldPlan | None = None, load: Callable[[], Predictor] | None = None) -> None:
        self.plan = plan
        self._lazy = LazyPredictor(load) if load is not None else None

    def __call__(self, task: CaseTask) -> Predictor:
        if task.eligibility is not None and self.plan is not None:
            return self.plan.predictor_for(task.eligibility)
        if self._lazy is None:
            raise BenchError(f"model {task.job.label}: no predictor for case {task.case_id} (not planned out of fold)")
        return self._lazy.get()

def safe_name(label: str) -> str:
    """A model label as a folder name."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", label).strip("_") or "model"

def case_list_hash(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()

def postprocess_label(model: ModelRef, postprocess: Sequence[str]) -> str:
    return "+".join([model.label, *postprocess])

def select_conventions(registry: Registry, names: Sequence[str] | None) -> list[Convention]:
    """The named conventions (or the plugins' defaults), each joined with its extensions."""
    chosen = list(names) if names else registry.default_conventions()
    if not chosen:
        raise BenchError("no metric convention given and no plugin declares a default one")
    return [registry.convention(n) for n in dict.fromkeys(chosen)]

def provenance(
    registry: Registry, options: RunOptions, refs: Sequence[ModelRef], case_lists: Mapping[str, list[str]], conventions: Sequence[Convention]
) -> dict[str, Any]:
    """What a result depends on: versions, plugins, conventions, command line, data, case lists."""
    plugins: dict[str, Any] = {}
    for ref in refs:
        for member in ref.members:
            p = registry.provider("model", member)
            plugins[f"model/{member}"] = f"{p.distribution} {p.version}"
        if ref.name in registry.ensembles:
            p = registry.provider("ensemble", ref.name)
            plugins[f"ensemble/{ref.name}"] = f"{p.distribution} {p.version}"
    for name in options.datasets:
        p = registry.provider("dataset", name)
        plugins[f"dataset/{name}"] = f"{p.distribution} {p.version}"
    for name in map(postprocessor_name, options.postprocess):
        p = registry.provider("postprocessor", name)
        plugins[f"postprocessor/{name}"] = f"{p.distribution} {p.version}"
    for convention in conventions:
        for part in convention.parts:
            p = registry.provider("metric", part.name)
            plugins[f"metric/{part.name}"] = f"{p.distribution} {p.version}"
    return {
        "tumorbench_version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": machine(),
        "command": options.command,
        "models": [r.label for r in refs],
        "model_refs": {postprocess_label(r, options.postprocess): r.label for r in refs},
        "model_params": dict(options.model_params),
        "datasets": [options.dataset_labels.get(d, d) for d in options.datasets],
        "dataset_plugins": {options.dataset_labels.get(d, d): d for d in options.datasets},
        "data_roots": {
            options.dataset_labels.get(d, d): str(options.data_roots.get(d)) if options.data_roots.get(d) else None
            for d in options.datasets
        },
        "dataset_params": dict(options.dataset_params),
        "postprocess": list(options.postprocess),
        "label_conventions": {
            d: options.label_convention or registry.datasets.get(d).label_convention for d in options.datasets
        },
        "label_convention_override": options.label_convention,
        "metric_conventions": [c.name for c in conventions],
        "distance_units": options.units,
        "device": options.device,
        "seed": options.seed,
        "fold": options.fold,
        "trained_on": options.trained_on,
        "store": str(options.store),
        "allow_training_cases": options.allow_training_cases,
        "plugins": plugins,
        "case_lists": {options.dataset_labels.get(d, d): {"n": len(ids), "sha256": case_list_hash(ids)} for d, ids in case_lists.items()},
    }

def open_dataset(registry: Registry, name: str, options: RunOptions) -> DatasetSource:
    spec = registry.datasets.get(name)
    root = options.data_roots.get(name)
    if spec.needs_root and root is None:
        raise BenchError(f"dataset {name} needs --data-root PATH (or TUMORBENCH_DATA_ROOT, or tumorbench.toml)")
    return spec.open(DatasetOptions(root=root, params=dict(options.dataset_params)))

@dataclass
class _Job:
    """One (model, dataset) pair in the driver: its plain spec, and the objects the serial
    executor runs its cases with (a Dask worker builds its own from the spec)."""

    spec: JobSpec
    source: DatasetSource
    predictors: JobPredictors
    brain_mask: Any
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # case -> grid, of the cases read
    eligibility: dict[str, Any] = field(default_factory=dict)  # case -> its folds (tumorbench.prediction.folds), until finished

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def dataset(self) -> str:
        return self.spec.dataset

    def known_shape(self) -> tuple[int, ...] | None:
        """The grid of the dataset's first case (by id) read in this run, for a case that failed unread."""
        return self.shapes[min(self.shapes)] if self.shapes else None

def make_job(
    registry: Registry, options: RunOptions, conventions: Sequence[Convention], *, label: str, dataset: str, ref: ModelRef,
    source: DatasetSource, base: ModelContext, identity: Mapping[str, Any], pred_dir: Path,
    plugin: str | None = None, plan: Any = None, advice: Any = None, load: Callable[[], Any] | None = None,
) -> _Job:
    """A job; its spec names every path absolutely, so that a worker elsewhere finds the same files.

    ``dataset``: the name results carry; ``plugin``: the dataset plugin (default: ``dataset``).
    ``plan``: the out-of-fold :class:`tumorbench.prediction.folds.FoldPlan` (with its ``advice``), or
    ``load``: the model as its plugin loads it (``bench score``).
    """
    plugin = plugin or dataset
    spec = registry.datasets.get(plugin)
    frameworks = {registry.models.get(m).framework for m in ref.members}
    absolute = replace(
        options, out=Path(options.out).resolve(), store=Path(options.store).resolve(),
        data_roots={k: Path(v).resolve() if v is not None else None for k, v in options.data_roots.items()},
    )
    return _Job(
        spec=JobSpec(
            label=label, dataset=dataset, plugin=plugin, ref=ref, options=absolute,
            base=replace(base, store=Path(base.store).resolve()),
            conventions=tuple(c.name for c in conventions), pred_dir=Path(pred_dir).resolve(), identity=identity,
            identity_sha256=sha256_json(identity), default_convention=options.label_convention or spec.label_convention,
            gpu=bool(frameworks & GPU_FRAMEWORKS) and base.device != "cpu", out_of_fold=plan is not None, advice=advice,
        ),
        source=source, predictors=JobPredictors(plan, load), brain_mask=spec.brain_mask,
    )

GPU_FRAMEWORKS = frozenset({"torch", "keras", "tensorflow", "jax"})

def _check_modalities(registry: Registry, ref: ModelRef, dataset: str) -> None:
    """A model that reads a modality the dataset does not have is refused before any case."""
    have = set(registry.datasets.get(dataset).modalities)
    for member in ref.members:
        missing = [m for m in registry.models.get(member).modalities if m not in have]
        if missing:
            raise BenchError(f"model {member} needs {', '.join(missing)}, which dataset {dataset} does not have")
