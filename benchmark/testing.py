"""Contract checks and pytest fixtures for plugin authors: ``tumorbench.testing``.

Installed as a pytest plugin (entry point ``pytest11``), so a plugin package's tests get the
fixtures without a ``conftest.py``:

- ``tumorbench_plugin``: override it to return your plugin module (default: none);
- ``tumorbench_registry``: the built-in plugins plus ``tumorbench_plugin``;
- ``tumorbench_case``: one small synthetic case (40x36x28, anisotropic spacing, flipped x axis,
  brats-2017 labels), written as real NIfTI files and read back;
- ``tumorbench_source``: a :class:`~tumorbench.api.DatasetSource` of four such cases;
- ``tumorbench_store``: an empty model store folder.

The ``check_*`` functions take one spec and raise :class:`ContractError` (an ``AssertionError``)
with one line saying which part of the contract failed; each returns what it computed, so a test
can go on to assert values of its own.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.options import parse_options
from tumorbench.contract.specs import (
    CombinerSpec,
    DatasetSpec,
    MetricConventionSpec,
    ModelSpec,
    PostprocessorSpec,
)
from tumorbench.contract.values import (
    Case,
    DatasetOptions,
    DatasetSource,
    LabelFiles,
    MetricInput,
    ModelContext,
    Prediction,
    Predictor,
    TrainRequest,
)
from tumorbench.errors import BenchError
from tumorbench.io.nifti import load_volume, save_volume
from tumorbench.loading.registry import get_convention
from tumorbench.models.model_store import fold_dir
from tumorbench.prediction.finalize import finalize

SHAPE: tuple[int, int, int] = (40, 36, 28)
SPACING: tuple[float, float, float] = (1.0, 1.2, 1.5)
MODALITIES: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")


class ContractError(AssertionError):
    """A spec broke its contract; the message says which spec and which part."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ContractError(message)


# --------------------------------------------------------------------------------------------
# Synthetic cases on a real grid
# --------------------------------------------------------------------------------------------


def grid_affine(spacing: tuple[float, float, float] = SPACING) -> np.ndarray:
    """A scanner-like affine: x flipped (radiological), anisotropic voxels, an offset origin."""
    affine = np.diag([-spacing[0], spacing[1], spacing[2], 1.0])
    affine[:3, 3] = (20.0, -21.0, -18.0)
    return affine


def _ellipsoid(shape: tuple[int, ...], centre: Sequence[float], radii: Sequence[float]) -> np.ndarray:
    axes = np.ogrid[tuple(slice(0, s) for s in shape)]
    return sum(((a - c) / r) ** 2 for a, c, r in zip(axes, centre, radii)) <= 1.0


def synthetic_arrays(seed: int = 0, shape: tuple[int, int, int] = SHAPE) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Four float32 modalities and a brats-2017 label map (1 necrosis, 2 edema, 4 enhancing)."""
    rng = np.random.default_rng(seed)
    centre = np.array(shape) / 2 + rng.uniform(-2, 2, 3)
    brain = _ellipsoid(shape, np.array(shape) / 2, np.array(shape) * 0.45)
    whole = _ellipsoid(shape, centre, np.array(shape) * rng.uniform(0.18, 0.24)) & brain
    core = _ellipsoid(shape, centre, np.array(shape) * 0.12) & whole
    necrosis = _ellipsoid(shape, centre, np.array(shape) * 0.06) & core
    label = np.zeros(shape, np.uint8)
    label[whole] = 2
    label[core] = 4
    label[necrosis] = 1
    base = {"flair": 100.0, "t1": 120.0, "t1ce": 110.0, "t2": 90.0}
    lesion = {"flair": (80.0, 60.0, 40.0), "t1": (-20.0, -30.0, -50.0), "t1ce": (5.0, 90.0, -10.0), "t2": (70.0, 50.0, 90.0)}
    images = {}
    for m in MODALITIES:
        x = np.where(brain, base[m], 0.0) + rng.normal(0, 4.0, shape) * brain
        edema, enhancing, dead = lesion[m]
        x = x + edema * (label == 2) + enhancing * (label == 4) + dead * (label == 1)
        images[m] = np.clip(x, 0, None).astype(np.float32)
    return images, label


def write_synthetic_case(directory: Path, case_id: str, seed: int = 0) -> dict[str, Path]:
    """``<directory>/<case_id>/<case_id>_<modality>.nii.gz`` and ``_seg.nii.gz`` (BraTS names)."""
    folder = Path(directory) / case_id
    folder.mkdir(parents=True, exist_ok=True)
    images, label = synthetic_arrays(seed)
    affine = grid_affine()
    files = {m: save_volume(folder / f"{case_id}_{m}.nii.gz", images[m], affine) for m in MODALITIES}
    files["seg"] = save_volume(folder / f"{case_id}_seg.nii.gz", label, affine)
    return files


def read_synthetic_case(directory: Path, case_id: str, dataset: str = "tumorbench-testing") -> Case:
    """A case written by :func:`write_synthetic_case`, read back with :func:`load_volume`."""
    folder = Path(directory) / case_id
    images = {m: load_volume(folder / f"{case_id}_{m}.nii.gz") for m in MODALITIES}
    label = load_volume(folder / f"{case_id}_seg.nii.gz")
    return Case(case_id=case_id, images=images, label=label, convention=get_convention("brats-2017"), dataset=dataset)


class SyntheticSource:
    """A :class:`DatasetSource` (and :class:`LabelFiles`) of synthetic cases written as NIfTI."""

    def __init__(self, directory: Path, n: int = 4, dataset: str = "tumorbench-testing") -> None:
        self.directory = Path(directory)
        self.dataset = dataset
        self.ids = [f"Synth_{k:03d}" for k in range(n)]
        for k, case_id in enumerate(self.ids):
            if not (self.directory / case_id).is_dir():
                write_synthetic_case(self.directory, case_id, seed=k)

    def case_ids(self) -> list[str]:
        return list(self.ids)

    def load(self, case_id: str) -> Case:
        if case_id not in self.ids:
            raise BenchError(f"{self.directory}: no case {case_id!r}")
        return read_synthetic_case(self.directory, case_id, self.dataset)

    def label_file(self, case_id: str) -> Path | None:
        return self.directory / case_id / f"{case_id}_seg.nii.gz"


# --------------------------------------------------------------------------------------------
# Predictions
# --------------------------------------------------------------------------------------------


def check_prediction(prediction: Any, case: Case, regions: Sequence[str], who: str = "prediction") -> Prediction:
    """Shape, regions, dtype and range of a prediction for ``case``; returns it finalized."""
    _require(isinstance(prediction, Prediction), f"{who}: returned {type(prediction).__name__}, not a Prediction")
    _require(bool(prediction.regions), f"{who}: speaks for no region")
    _require(set(prediction.regions) <= set(case.convention.region_names),
             f"{who}: regions {prediction.regions} not all in label convention {case.convention.name} {case.convention.region_names}")
    _require(set(prediction.regions) <= set(regions), f"{who}: regions {prediction.regions} beyond the declared {tuple(regions)}")
    _require(prediction.probabilities is not None or prediction.labels is not None, f"{who}: neither probabilities nor labels")
    for region, p in (prediction.probabilities or {}).items():
        p = np.asarray(p)
        _require(p.shape == tuple(case.shape), f"{who}: {region} probabilities have shape {p.shape}, the case {case.shape}")
        _require(p.dtype == np.float32, f"{who}: {region} probabilities are {p.dtype}, not float32")
        _require(bool(np.isfinite(p).all()), f"{who}: {region} probabilities are not all finite")
        _require(float(p.min()) >= 0.0 and float(p.max()) <= 1.0, f"{who}: {region} probabilities outside [0, 1]")
    if prediction.probabilities is not None:
        missing = [r for r in prediction.regions if r not in prediction.probabilities]
        _require(not missing, f"{who}: no probabilities for {missing}")
    if prediction.labels is not None:
        labels = np.asarray(prediction.labels)
        _require(labels.shape == tuple(case.shape), f"{who}: labels have shape {labels.shape}, the case {case.shape}")
        _require(labels.dtype == np.uint8, f"{who}: labels are {labels.dtype}, not uint8")
        unknown = case.convention.unknown_values(labels)
        _require(not unknown, f"{who}: label values {unknown} not in convention {case.convention.name}")
    for region, u in (prediction.uncertainty or {}).items():
        u = np.asarray(u)
        _require(u.shape == tuple(case.shape), f"{who}: {region} uncertainty has shape {u.shape}")
        _require(float(np.min(u)) >= 0 and float(np.max(u)) <= 100, f"{who}: {region} uncertainty outside [0, 100]")
    return finalize(prediction, case.convention)


def _same(a: Prediction, b: Prediction) -> bool:
    if (a.labels is None) != (b.labels is None) or tuple(a.regions) != tuple(b.regions):
        return False
    if a.labels is not None and not np.array_equal(a.labels, b.labels):
        return False
    pa, pb = a.probabilities or {}, b.probabilities or {}
    return set(pa) == set(pb) and all(np.array_equal(pa[r], pb[r]) for r in pa)


# --------------------------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------------------------


def check_label_convention(convention: LabelConvention, *, seed: int = 0) -> dict[str, int]:
    """The declaration of a label convention, and that region masks survive a round trip through a
    label map (``from_regions(to_regions(labels))``) on a random map of its labels. Returns each
    region's voxel count in that map."""
    who = f"label convention {getattr(convention, 'name', convention)!r}"
    _require(isinstance(convention, LabelConvention), f"{who}: not a LabelConvention")
    _require(bool(convention.name) and " " not in convention.name, f"{who}: a name without spaces")
    _require(bool(convention.summary.strip()) and "\n" not in convention.summary, f"{who}: summary must be one non-empty line")
    _require(0 in convention.labels, f"{who}: labels must include the background 0")
    _require(bool(convention.regions), f"{who}: declares no region")
    for region, values in convention.regions.items():
        _require(bool(values) and 0 not in values, f"{who}: region {region} must be made of non-background labels")
        unknown = [v for v in values if v not in convention.labels]
        _require(not unknown, f"{who}: region {region} uses labels {unknown} it does not declare")
    for region, value in convention.paint_order:
        _require(region in convention.regions, f"{who}: paint_order names region {region!r}, not one of its regions")
        _require(value in convention.regions[region], f"{who}: paint_order paints {region} with {value}, not one of its labels")
    suffixes = [convention.uncertainty_suffix(r) for r in convention.region_names]
    _require(len(set(suffixes)) == len(suffixes), f"{who}: two regions share an uncertainty-file suffix {suffixes}")
    rng = np.random.default_rng(seed)
    labels = rng.choice(sorted(convention.labels), size=(9, 8, 7))
    masks = convention.to_regions(labels)
    again = convention.to_regions(convention.from_regions(masks))
    for region in convention.region_names:
        _require(np.array_equal(again[region], masks[region]),
                 f"{who}: region {region} changes through from_regions (its paint_order cannot rebuild it)")
    return {region: int(mask.sum()) for region, mask in masks.items()}


def check_dataset(spec: DatasetSpec, options: DatasetOptions | None = None, *, cases: int = 2) -> DatasetSource:
    """Ids, load, grid and convention of a dataset plugin (the first ``cases`` cases loaded)."""
    who = f"dataset {spec.name}"
    _require(isinstance(spec, DatasetSpec), f"{who}: not a DatasetSpec")
    convention = get_convention(spec.label_convention)
    options = options or DatasetOptions()
    _require(not (spec.needs_root and options.root is None), f"{who}: needs a root folder (give DatasetOptions(root=...))")
    source = spec.open(options)
    _require(isinstance(source, DatasetSource), f"{who}: open returned {type(source).__name__}, not a DatasetSource")
    ids = source.case_ids()
    _require(isinstance(ids, list) and all(isinstance(i, str) and i for i in ids), f"{who}: case_ids must be a list of names")
    _require(len(ids) == len(set(ids)), f"{who}: case ids are not unique")
    _require(bool(ids), f"{who}: no cases")
    _require(source.case_ids() == ids, f"{who}: case_ids changes between calls")
    for case_id in ids[:cases]:
        case = source.load(case_id)
        where = f"{who}, case {case_id}"
        _require(isinstance(case, Case), f"{where}: load returned {type(case).__name__}")
        _require(case.case_id == case_id, f"{where}: loaded case says it is {case.case_id!r}")
        _require(case.dataset == spec.name, f"{where}: case.dataset is {case.dataset!r}, not {spec.name!r}")
        _require(case.convention.name == convention.name, f"{where}: convention {case.convention.name}, spec says {convention.name}")
        missing = [m for m in spec.modalities if m not in case.images]
        _require(not missing, f"{where}: declared modalities {missing} missing")
        reference = case.reference
        _require(len(reference.shape) == 3, f"{where}: reference is not 3D ({reference.shape})")
        _require(all(s > 0 for s in reference.spacing), f"{where}: spacing {reference.spacing} not positive")
        for m in spec.modalities:
            image = case.images[m]
            _require(image.shape == reference.shape, f"{where}: {m} shape {image.shape} differs from {reference.shape}")
            _require(np.allclose(image.affine, reference.affine, atol=1e-4), f"{where}: {m} is on another grid (affine)")
        if case.label is not None:
            unknown = convention.unknown_values(case.label.data)
            _require(not unknown, f"{where}: label values {unknown} not in {convention.name}")
        if isinstance(source, LabelFiles):
            label_file = source.label_file(case_id)
            _require((label_file is None) == (case.label is None), f"{where}: label_file and the loaded label disagree")
            _require(label_file is None or Path(label_file).is_file(), f"{where}: label_file {label_file} does not exist")
    if spec.detect is not None and options.root is not None:
        found = spec.detect(Path(options.root))
        _require(found == len(ids), f"{who}: detect counts {found} cases in its own folder, case_ids {len(ids)}")
    return source


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def _train(spec: ModelSpec, source: DatasetSource, store: Path, dataset: str, params: Mapping[str, Any], seed: int,
           epochs: int | None) -> Path:
    ids = source.case_ids()
    train_ids, val_ids = tuple(ids[:-1]), tuple(ids[-1:])
    output = fold_dir(store, spec.name, dataset, 0)
    request = TrainRequest(
        model=spec.name, dataset=dataset, source=source, train_ids=train_ids, val_ids=val_ids, fold=0, folds=len(ids),
        store=store, epochs=epochs, seed=seed, device="cpu", params=dict(params),
        options=parse_options(spec.options, params, owner=spec.name, flag="--model-opt") if spec.options else None,
        output=output,
    )
    directory = spec.train(request)  # type: ignore[misc]
    who = f"model {spec.name}"
    _require(Path(directory) == output, f"{who}: train returned {directory}, not its output folder {output}")
    _require(any(output.glob("checkpoint*")), f"{who}: train wrote no checkpoint.* into {output}")
    for name in ("config.json", "split.json"):
        _require((output / name).is_file(), f"{who}: train wrote no {name} into {output}")
    return output


def _load(spec: ModelSpec, store: Path, dataset: str, params: Mapping[str, Any], seed: int) -> Predictor:
    options = parse_options(spec.options, params, owner=spec.name, flag="--model-opt", ignored=("arg",)) if spec.options else None
    context = ModelContext(dataset=dataset, store=store, fold=0, device="cpu", seed=seed, params=dict(params), options=options,
                           model=spec.name)
    predictor = spec.load(context)
    _require(isinstance(predictor, Predictor), f"model {spec.name}: load returned {type(predictor).__name__}, not a Predictor")
    return predictor


FRAMEWORKS: tuple[str, ...] = ("numpy", "torch", "keras")


def check_model_spec(spec: ModelSpec) -> list[tuple[str, str, str]]:
    """What a model spec declares, without loading anything: a name, a summary, known regions
    and modalities, a known framework, callables, and options whose defaults parse. Returns the
    option fields."""
    from tumorbench.contract.options import option_defaults, option_fields

    who = f"model {spec.name}"
    _require(isinstance(spec, ModelSpec), f"{who}: not a ModelSpec")
    _require(bool(spec.name) and spec.name == spec.name.strip() and " " not in spec.name, f"{who}: a name without spaces")
    _require(bool(spec.summary.strip()) and "\n" not in spec.summary, f"{who}: summary must be one non-empty line")
    _require(all(isinstance(r, str) and r and r == r.strip() for r in spec.regions) and len(set(spec.regions)) == len(spec.regions),
             f"{who}: regions {spec.regions} must be distinct region names")
    _require(set(spec.modalities) <= set(MODALITIES), f"{who}: modalities {spec.modalities} not within {MODALITIES}")
    _require(spec.framework in FRAMEWORKS, f"{who}: framework {spec.framework!r} not one of {FRAMEWORKS}")
    for name in ("load", "train", "describe", "checkpoints"):
        value = getattr(spec, name)
        _require(value is None or callable(value), f"{who}: {name} is not callable")
    _require(callable(spec.load), f"{who}: has no load")
    if spec.options is None:
        return []
    defaults = option_defaults(spec.options)
    _require(dataclasses.is_dataclass(defaults), f"{who}: options is not a dataclass")
    rows = option_fields(spec.options)
    again = parse_options(spec.options, {n: d for n, _, d in rows if d not in ("", "None")}, owner=spec.name, flag="--model-opt")
    _require(again == defaults, f"{who}: its option defaults do not parse back to themselves")
    return rows


def check_untrained(spec: ModelSpec, case: Case, store: Path, params: Mapping[str, Any] | None = None) -> str:
    """A trainable model with an empty store refuses with one line (a
    :class:`~tumorbench.api.BenchError`) that names the ``bench train`` command; returns it."""
    who = f"model {spec.name}"
    _require(spec.train is not None, f"{who}: has no train")
    try:
        _load(spec, Path(store), case.dataset, dict(params or {}), 0).predict(case)
    except BenchError as exc:
        message = str(exc)
    else:
        raise ContractError(f"{who}: predicted without a trained checkpoint in an empty store")
    _require("\n" not in message, f"{who}: the refusal is not one line")
    _require("bench train" in message, f"{who}: the refusal does not name the bench train command: {message}")
    return message


def check_model(
    spec: ModelSpec,
    case: Case,
    store: Path,
    *,
    params: Mapping[str, Any] | None = None,
    source: DatasetSource | None = None,
    epochs: int | None = None,
    seed: int = 0,
    deterministic_training: bool = True,
) -> Prediction:
    """A model's contract on ``case``; returns its finalized prediction.

    With ``source`` and a ``train``: training writes the checkpoint layout into the request's
    output folder, an empty store makes ``load`` (or ``predict``) fail with a
    :class:`~tumorbench.api.BenchError`, and ``load`` reads what ``train`` wrote; with
    ``deterministic_training``, a second training with the same seed predicts the same. Always:
    the prediction's shape, regions, dtype and range, and that two loads with one seed predict alike.
    """
    params = dict(params or {})
    who = f"model {spec.name}"
    _require(isinstance(spec, ModelSpec), f"{who}: not a ModelSpec")
    store = Path(store)
    dataset = case.dataset
    if spec.options is not None:
        parse_options(spec.options, params, owner=spec.name, flag="--model-opt", ignored=("arg",))
    if spec.train is not None and source is not None:
        try:
            _load(spec, store / "empty", dataset, params, seed).predict(case)
        except BenchError:
            pass
        else:
            raise ContractError(f"{who}: predicted without a trained checkpoint in an empty store")
        _train(spec, source, store, dataset, params, seed, epochs)
    first = _load(spec, store, dataset, params, seed).predict(case)
    finalized = check_prediction(first, case, spec.regions or case.convention.region_names, who)
    second = _load(spec, store, dataset, params, seed).predict(case)
    _require(_same(first, second), f"{who}: two loads with seed {seed} predict differently")
    if spec.train is not None and source is not None and deterministic_training:
        again = store / "again"
        _train(spec, source, again, dataset, params, seed, epochs)
        third = _load(spec, again, dataset, params, seed).predict(case)
        _require(_same(first, third), f"{who}: two trainings with seed {seed} predict differently")
    if spec.describe is not None:
        text = spec.describe(params)
        _require(isinstance(text, str) and bool(text.strip()), f"{who}: describe returned no text")
    return finalized


# --------------------------------------------------------------------------------------------
# Metric conventions
# --------------------------------------------------------------------------------------------


def _metric_inputs(shape: tuple[int, int, int] = (24, 22, 18)) -> dict[str, MetricInput]:
    """Named test situations for one region: perfect, partial, shifted, disjoint, empty ones."""
    ref = _ellipsoid(shape, (12, 11, 9), (6, 5, 4))
    partial = _ellipsoid(shape, (13, 11, 9), (5, 5, 4))
    shifted = np.roll(ref, 4, axis=0)
    disjoint = _ellipsoid(shape, (3, 3, 3), (2, 2, 2))
    empty = np.zeros(shape, bool)
    rng = np.random.default_rng(0)
    situations = {
        "perfect": (ref, ref), "partial": (partial, ref), "shifted": (shifted, ref), "disjoint": (disjoint, ref),
        "empty prediction": (empty, ref), "empty reference": (ref, empty), "both empty": (empty, empty),
    }
    out = {}
    for name, (pred, reference) in situations.items():
        confident = np.where(pred == reference, 0.0, 100.0)  # the wrong voxels are the uncertain ones
        noisy = np.clip(confident + rng.normal(0, 10, shape), 0, 100)
        out[name] = MetricInput(
            prediction=pred, reference=reference, spacing=(1.0, 1.2, 1.5), region="WT",
            uncertainty=(noisy if name != "perfect" else np.zeros(shape)).astype(np.float32),
            brain_mask=np.ones(shape, bool),
        )
    return out


def check_metric_convention(spec: MetricConventionSpec, *, registry: Any = None) -> dict[str, dict[str, float]]:
    """Every declared metric returned and finite in each test situation, the directions (a
    perfect prediction scores at least as well as a disjoint one), worst values callable, finite
    and no better than any computed value; with ``registry``, the convention it extends joins.

    Returns ``{situation: {metric: value}}``."""
    from tumorbench.contract.metric_conventions import check_spec

    who = f"metric convention spec {spec.name}"
    _require(isinstance(spec, MetricConventionSpec), f"{who}: not a MetricConventionSpec")
    try:
        check_spec(spec, "under test")
    except BenchError as exc:
        raise ContractError(str(exc)) from None
    names = [m.name for m in spec.metrics]
    _require(len(names) == len(set(names)), f"{who}: metric names repeat")
    values: dict[str, dict[str, float]] = {}
    for situation, item in _metric_inputs().items():
        if "uncertainty" not in spec.needs:
            item = dataclasses.replace(item, uncertainty=None)
        if "brain_mask" not in spec.needs:
            item = dataclasses.replace(item, brain_mask=None)
        result = spec.compute(item)
        _require(isinstance(result, Mapping), f"{who}: compute returned {type(result).__name__}, not a mapping")
        missing = [n for n in names if n not in result]
        _require(not missing, f"{who}: compute left out {missing} ({situation})")
        extra = [n for n in result if n not in names]
        _require(not extra, f"{who}: compute returned undeclared {extra} ({situation})")
        for n in names:
            _require(isinstance(result[n], (int, float, np.floating, np.integer)), f"{who}: {n} is not a number ({situation})")
            _require(math.isfinite(float(result[n])), f"{who}: {n} = {result[n]} is not finite ({situation})")
        values[situation] = {n: float(result[n]) for n in names}
    shape = (24, 22, 18)
    for metric in spec.metrics:
        for grid in (shape, (240, 240, 155)):
            worst = metric.worst(grid)
            _require(math.isfinite(float(worst)), f"{who}: worst {metric.name} for {grid} is not finite")
        worst = float(metric.worst(shape))
        better = (lambda a, b: a > b + 1e-9) if metric.higher_is_better else (lambda a, b: a < b - 1e-9)
        for situation, row in values.items():
            _require(not better(worst, row[metric.name]),
                     f"{who}: worst {metric.name} = {worst:g} is better than the {situation} score {row[metric.name]:g}")
        perfect, disjoint = values["perfect"][metric.name], values["disjoint"][metric.name]
        _require(not better(disjoint, perfect),
                 f"{who}: {metric.name} ranks a disjoint prediction ({disjoint:g}) above a perfect one ({perfect:g}); "
                 f"check higher_is_better")
    if registry is not None:
        try:
            convention = registry.metric_convention(spec.extends or spec.name)
        except BenchError as exc:
            raise ContractError(f"{who}: {exc}") from None
        _require(all(m in convention.metrics for m in spec.metrics), f"{who}: its metrics are not in {convention.name}")
    return values


# --------------------------------------------------------------------------------------------
# Post-processors and combiners
# --------------------------------------------------------------------------------------------


def check_postprocessor(spec: PostprocessorSpec, prediction: Prediction, case: Case, params: Mapping[str, Any] | None = None) -> Prediction:
    """Grid, dtype, labels and regions preserved; the input left unchanged. Returns the output."""
    who = f"post-processor {spec.name}"
    _require(isinstance(spec, PostprocessorSpec), f"{who}: not a PostprocessorSpec")
    finalized = finalize(prediction, case.convention)
    before = np.array(finalized.labels, copy=True)
    options = parse_options(spec.options, params, owner=who, flag=f"--postprocess {spec.name}")
    out = spec.apply(finalized, case) if spec.options is None else spec.apply(finalized, case, options)
    _require(isinstance(out, Prediction), f"{who}: returned {type(out).__name__}")
    _require(np.array_equal(finalized.labels, before), f"{who}: changed its input's labels in place")
    _require(out.labels is not None, f"{who}: returned no labels")
    _require(tuple(out.regions) == tuple(finalized.regions), f"{who}: regions {out.regions}, given {finalized.regions}")
    check_prediction(out, case, finalized.regions, who)
    return out


def check_combiner(spec: CombinerSpec, predictions: Sequence[Prediction], params: Mapping[str, Any] | None = None) -> Prediction:
    """Output on the members' grid with probabilities in [0, 1] over their common regions; the
    inputs unchanged; members that all agree give back their own masks. Returns the combination."""
    who = f"combiner {spec.name}"
    _require(isinstance(spec, CombinerSpec), f"{who}: not a CombinerSpec")
    _require(len(predictions) >= 2, f"{who}: give at least two member predictions")
    options = parse_options(spec.options, params, owner=who, flag=f"{spec.name}[...]")
    copies = [{r: np.array(p, copy=True) for r, p in (m.probabilities or {}).items()} for m in predictions]
    out = spec.combine(predictions, options)
    for member, copy in zip(predictions, copies):
        _require(all(np.array_equal(member.probabilities[r], copy[r]) for r in copy), f"{who}: changed a member in place")  # type: ignore[index]
    _require(isinstance(out, Prediction) and out.probabilities is not None, f"{who}: returned no probabilities")
    common = [r for r in predictions[0].regions if all(r in m.regions for m in predictions)]
    _require(list(out.regions) == common, f"{who}: regions {out.regions}, the members share {tuple(common)}")
    shape = np.shape(next(iter(predictions[0].probabilities.values())))  # type: ignore[union-attr]
    for region in out.regions:
        p = np.asarray(out.probabilities[region])
        _require(p.shape == shape, f"{who}: {region} has shape {p.shape}, the members {shape}")
        _require(p.dtype == np.float32, f"{who}: {region} is {p.dtype}, not float32")
        _require(bool(np.isfinite(p).all()) and p.min() >= 0 and p.max() <= 1, f"{who}: {region} outside [0, 1]")
    unanimous = [predictions[0]] * len(predictions)
    agreed = spec.combine(unanimous, options)
    for region in agreed.regions:
        own = np.asarray(predictions[0].probabilities[region]) >= 0.5  # type: ignore[index]
        _require(np.array_equal(np.asarray(agreed.probabilities[region]) >= 0.5, own),  # type: ignore[index]
                 f"{who}: members that all agree do not get their own {region} mask back")
    return out


# --------------------------------------------------------------------------------------------
# pytest fixtures (this module is a pytest plugin: entry point ``pytest11``)
# --------------------------------------------------------------------------------------------

try:
    import pytest
except ImportError:  # the checks above work without pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture
    def tumorbench_plugin() -> Any:
        """Override to return your plugin module; the registry fixture then holds it."""
        return None

    @pytest.fixture
    def tumorbench_registry(tumorbench_plugin: Any) -> Any:
        """The built-in plugins plus ``tumorbench_plugin`` (installed entry points not loaded,
        so a plugin installed in the environment is not registered twice)."""
        from tumorbench.loading.manager import get_plugin_manager
        from tumorbench.loading.registry import Registry

        extra = [tumorbench_plugin] if tumorbench_plugin is not None else []
        return Registry(get_plugin_manager(entry_points=False, extra=extra))

    @pytest.fixture
    def tumorbench_source(tmp_path_factory: pytest.TempPathFactory) -> SyntheticSource:
        """Four synthetic cases written as NIfTI (shared by the tests of a session)."""
        return SyntheticSource(tmp_path_factory.getbasetemp() / "tumorbench-cases", n=4)

    @pytest.fixture
    def tumorbench_case(tumorbench_source: SyntheticSource) -> Case:
        """One synthetic case, read back from its NIfTI files."""
        return tumorbench_source.load(tumorbench_source.case_ids()[0])

    @pytest.fixture
    def tumorbench_store(tmp_path: Path) -> Path:
        """An empty model store."""
        store = tmp_path / "models"
        store.mkdir()
        return store
