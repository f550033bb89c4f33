"""The frozen specs the hooks return: datasets, models, ensembles, combiners, post-processors,
metric conventions and commands. Nothing here imports torch or tensorflow."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.contract.values import (
    DatasetOptions,
    DatasetSource,
    MetricInput,
    ModelContext,
    Prediction,
    Predictor,
    TrainRequest,
)


@dataclass(frozen=True, kw_only=True)
class DatasetSpec:
    """A dataset plugin.

    Args:
        name: unique name used on the command line (``brats18``).
        summary: one line for ``bench plugins``.
        label_convention: name of the convention its label maps follow.
        open: factory from options to an opened :class:`DatasetSource`.
        modalities: the modalities its cases hold; a model needing another one is refused
            (empty: not declared, and nothing is refused for it).
        needs_root: whether ``--data-root`` is required (False for generated data).
        brain_mask: how this dataset's cases give a brain mask, when a metric convention needs
            one; None leaves it to the convention's own rule.
        detect: how many of this dataset's cases a folder holds (0: not this layout), so that
            ``bench data check`` and ``bench data split`` recognise the layout; None: they
            know it only by ``--dataset NAME``.
        options: a frozen dataclass whose fields are the ``--dataset-opt`` keys it takes (as a
            model declares its options); an unknown key or a value its field type cannot parse is
            refused before anything is read. ``open`` still gets the values as given, in
            ``DatasetOptions.params``. None: not declared (the keys are passed on unchecked).
        metric_conventions: the metric conventions scored on it when a run names none (BraTS
            2023 data: its lesion-wise ``brats-2023``); the default uncertainty conventions are
            added where predictions have uncertainty maps. Empty: the plugins' defaults.
    """

    name: str
    summary: str
    label_convention: str
    open: Callable[[DatasetOptions], DatasetSource]
    modalities: tuple[str, ...] = ()
    needs_root: bool = True
    brain_mask: BrainMaskRule | None = None
    detect: Callable[[Path], int] | None = None
    options: type | None = None
    metric_conventions: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ModelSpec:
    """A model plugin.

    Args:
        name: unique name (``tunet-seb``).
        summary: one line for ``bench plugins``.
        framework: ``numpy``, ``torch`` or ``keras``; informational.
        regions: the regions it predicts, named as the label conventions name them (a BraTS
            whole-tumour model: ``("WT",)``); empty: every region of the label convention of the
            data it is run on.
        load: factory from a :class:`ModelContext` to a :class:`Predictor`; imports heavy
            frameworks inside, never at module level.
        train: optional trainer called by ``bench train``; writes checkpoints to the store.
        describe: optional text (layers, parameter count) for ``bench models show``.
        modalities: the modalities ``predict`` reads; a dataset that declares its modalities
            and lacks one of these is refused before any case (empty: not declared).
        checkpoints: the files the loaded model depends on, for a context; their SHA-256 is
            part of every prediction's record, so that a changed checkpoint is noticed. None:
            every file under the model-store folder ``<store>/<model>/<dataset>/``.
        options: the model's options: a frozen dataclass (or an instance of one holding this
            model's defaults) whose typed fields are the ``--model-opt`` keys. The harness
            refuses an unknown key or a bad value before any case, passes the parsed value as
            ``ModelContext.options`` / ``TrainRequest.options``, and lists the fields in
            ``bench models show`` and ``bench plugins --options``. None: not declared.
        folds: the model's own folds, for a context: ``[(fold, training case ids or None), ...]``
            (None: not recorded). Out-of-fold scoring uses them instead of the model store's
            ``fold-<k>/split.json``, and loads fold k with ``ModelContext(fold=k)``. None: the
            folds are those of the model store.
    """

    name: str
    summary: str
    load: Callable[[ModelContext], Predictor]
    framework: str = "numpy"
    regions: tuple[str, ...] = ()
    train: Callable[[TrainRequest], Path] | None = None
    describe: Callable[[Mapping[str, Any]], str] | None = None
    modalities: tuple[str, ...] = ()
    checkpoints: Callable[[ModelContext], Sequence[Path]] | None = None
    options: Any = None
    folds: Callable[[ModelContext], Sequence[tuple[int, frozenset[str] | None]]] | None = None


@dataclass(frozen=True, kw_only=True)
class EnsembleSpec:
    """An ensemble plugin: named members combined by a named method.

    Args:
        members: model names; each is loaded for every fold found unless ``folds`` is given.
        method: the name of a combiner (:class:`CombinerSpec`): built in ``mean`` (average
            probabilities, Eq. 1 of Vu et al.), ``vote`` (majority of region masks),
            ``weighted-mean`` and ``staple``.
        method_options: the combiner's options (``{"weights": "2,1,1"}``), parsed by its spec.
    """

    name: str
    summary: str
    members: tuple[str, ...]
    method: str = "mean"
    all_folds: bool = True
    method_options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CombinerSpec:
    """An ensemble combiner: member predictions of one case -> one prediction.

    Args:
        name: the method name (``mean``; ad hoc on the command line as ``mean(a,b)``, with
            options as ``weighted-mean[weights=2,1](a,b)``).
        summary: one line.
        combine: ``(predictions, options)`` -> prediction. Every member prediction has region
            probabilities (label-only members are turned into 0/1 maps first) on the case's
            grid; ``options`` is the parsed ``options`` dataclass, or None.
        options: a frozen dataclass whose typed fields are the combiner's options, or None.
    """

    name: str
    summary: str
    combine: Callable[[Sequence[Prediction], Any], Prediction]
    options: Any = None


@dataclass(frozen=True, kw_only=True)
class PostprocessorSpec:
    """A post-processor: a pure function from a finalized prediction (and its case) to another.

    Args:
        apply: ``(prediction, case)`` -> prediction, or ``(prediction, case, options)`` when
            ``options`` is declared; labels on the case's grid, in the case's convention.
        options: a frozen dataclass whose typed fields are the options, given on the command
            line as ``--postprocess NAME:key=value,key=value``; None: it takes none.
        needs_probabilities: whether ``apply`` reads the model's region ``probabilities``.
            False: it reads only labels and uncertainty maps, so a run folder that already
            holds the same model's stored prediction is post-processed from those files, with
            no model loaded. True (the default, safe for any post-processor): the model predicts.
    """

    name: str
    summary: str
    apply: Callable[..., Prediction]
    options: Any = None
    needs_probabilities: bool = True


METRIC_NEEDS: frozenset[str] = frozenset({"spacing", "uncertainty", "brain_mask"})
"""What a metric convention may declare it needs beyond the two masks."""

DISTANCE_UNITS: tuple[str, ...] = ("mm", "voxel")
"""The units distances are scored in (``--units``): the header spacing in mm, or voxel steps."""

UNIT_KINDS: tuple[str, ...] = ("ratio", "distance")
"""``ratio``: unitless; ``distance``: follows the run's distance units (mm or voxel)."""


@dataclass(frozen=True, kw_only=True)
class MetricDef:
    """One metric a convention defines: what it means, which way is better, where it is shown.

    Args:
        name: column name in results (``dice``, ``hd95``, ``dauc``); unique in its convention.
        summary: one line for ``bench plugins`` and the docs.
        higher_is_better: ranking direction.
        worst: the value a failed case (or a failed metric) is scored with, given the image shape.
        unit: one of :data:`UNIT_KINDS`.
        group: the leaderboard table it is shown in (a title such as ``Overlap and distance``).
        order: its place: tables are ordered by their smallest ``order``, columns by ``order``.
        ranking: whether it is one of the convention's ranking metrics (the leaderboard sorts
            and ranks by these).
        report_name: what the official challenge scripts call this metric in their per-case
            tables (``Hausdorff95``, ``LesionWise_Dice``), for ``bench export --format brats``;
            None: its own ``name``.
    """

    name: str
    summary: str
    higher_is_better: bool
    worst: Callable[[tuple[int, ...]], float]
    unit: str = "ratio"
    group: str = "Other"
    order: float = 0.0
    ranking: bool = False
    report_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class BrainMaskRule:
    """How a brain mask is made from a case's images (declared by a convention or a dataset).

    Args:
        name: identity recorded with results (``t1-nonzero``).
        summary: one line.
        modalities: the images ``compute`` reads; only these are loaded for it.
        compute: modality -> voxel array, to a boolean mask on the case's grid.
    """

    name: str
    summary: str
    modalities: tuple[str, ...]
    compute: Callable[[Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True, kw_only=True)
class MetricConventionSpec:
    """A metric convention (or metrics added to one): the plugin unit of scoring.

    ``compute`` returns every metric of ``metrics`` for one region as a mapping, so work shared
    by several metrics (counts, surfaces, lesion matching, uncertainty curves) is done once.

    Args:
        name: the convention's name (``brats-legacy``); for an extension, its own unique name.
        summary: one line.
        metrics: the metrics ``compute`` returns.
        compute: :class:`MetricInput` of one region -> ``{metric name: value}``.
        needs: a subset of :data:`METRIC_NEEDS`. A convention that needs ``uncertainty`` is
            scored only for predictions with uncertainty maps.
        brain_mask: the rule that makes the brain mask, when ``needs`` holds ``brain_mask``
            (a dataset's own rule takes precedence).
        extends: the convention this spec adds its metrics to, or None for a convention of its own.
        default: scored when a run names no convention.
        units: the distance units (:data:`DISTANCE_UNITS`) it can be scored in. Distances, and any
            tolerance measured with ``MetricInput.spacing``, follow ``--units``; a spec whose
            tolerances are physical (a surface Dice within 2 mm) declares ``("mm",)``, and a run
            with ``--units voxel`` is then refused before any case.
    """

    name: str
    summary: str
    metrics: tuple[MetricDef, ...]
    compute: Callable[[MetricInput], Mapping[str, float]]
    needs: frozenset[str] = frozenset({"spacing"})
    brain_mask: BrainMaskRule | None = None
    extends: str | None = None
    default: bool = False
    units: tuple[str, ...] = DISTANCE_UNITS


@dataclass(frozen=True, kw_only=True)
class ReportedSpec:
    """Published numbers ("reported, not measured here") a plugin ships, shown beside the measured
    rows of the same dataset, metric convention and metric, never ranked.

    Args:
        name: unique name (``vu-2019``).
        summary: one line (the paper).
        path: a CSV file of reported rows (columns: paper, table, dataset, split, cases,
            metric_convention, units, model, region, metric, value, sd, published, note).
    """

    name: str
    summary: str
    path: Path


@dataclass(frozen=True, kw_only=True)
class CommandSpec:
    """A CLI command group a plugin adds: ``app`` is a ``typer.Typer`` mounted as ``bench <name>``."""

    name: str
    summary: str
    app: Any


SpecT = (
    DatasetSpec | ModelSpec | EnsembleSpec | CombinerSpec | PostprocessorSpec | MetricConventionSpec | ReportedSpec | CommandSpec
)

SpecList = Iterable[SpecT]
