"""Plain values that flow through the harness, and the frozen specs that plugins return.

Data flows one way::

    DatasetSpec.open -> DatasetSource.load -> Case
    ModelSpec.load   -> Predictor.predict(Case) -> Prediction (region probabilities and/or labels)
    EnsembleSpec     -> combines member Predictions into one Prediction
    finalize         -> Prediction with labels and uncertainty maps
    PostprocessorSpec.apply(Prediction, Case) -> Prediction
    MetricSpec.compute(MetricInput) -> float -> results store -> leaderboard

Every value here can be built by hand in a test. Nothing in this module imports torch or tensorflow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .labels import LabelConvention

# --------------------------------------------------------------------------------------------
# Data values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, eq=False)
class Volume:
    """One 3D image on its grid: voxel array in its native dtype, 4x4 affine, voxel spacing (mm)."""

    data: np.ndarray
    affine: np.ndarray
    spacing: tuple[float, float, float]
    path: Path | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape)

    def like(self, data: np.ndarray, path: Path | None = None) -> Volume:
        """A volume on the same grid holding other voxels."""
        return Volume(data=data, affine=self.affine, spacing=self.spacing, path=path)


@dataclass(frozen=True, kw_only=True, eq=False)
class Case:
    """One subject: its modality images, optional ground truth, and its dataset's label convention.

    Args:
        case_id: the id used in file names and results (e.g. ``Brats18_TCIA01_201_1``).
        images: modality name (``flair``, ``t1``, ``t1ce``, ``t2``) -> volume, all on one grid.
        label: ground-truth label map in ``convention``, or None for inference-only sets.
        convention: the dataset's label convention.
        dataset: the dataset plugin's name.
        meta: free-form facts (grade, source folder, ...), JSON-serialisable.
    """

    case_id: str
    images: Mapping[str, Volume]
    label: Volume | None
    convention: LabelConvention
    dataset: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> Volume:
        """The volume whose grid predictions are written on (the label, else the first image)."""
        if self.label is not None:
            return self.label
        return next(iter(self.images.values()))

    @property
    def shape(self) -> tuple[int, ...]:
        return self.reference.shape

    def stack(self, modalities: Sequence[str], dtype: Any = np.float32) -> np.ndarray:
        """Channels-first array ``(len(modalities), X, Y, Z)`` in the order a model declares."""
        return np.stack([np.asarray(self.images[m].data, dtype=dtype) for m in modalities])


@dataclass(frozen=True, kw_only=True, eq=False)
class Prediction:
    """What a model (or ensemble, or post-processor) says about one case, on the case's grid.

    Args:
        probabilities: region (``WT``/``TC``/``ET``) -> float32 probability map in [0, 1].
        labels: label map in the case's convention (uint8), or None until finalized.
        uncertainty: region -> uncertainty map in [0, 100] (0 certain), or None.
        regions: the regions this prediction speaks for; metrics are computed for these only.
    """

    regions: tuple[str, ...]
    probabilities: Mapping[str, np.ndarray] | None = None
    labels: np.ndarray | None = None
    uncertainty: Mapping[str, np.ndarray] | None = None


@dataclass(frozen=True, kw_only=True, eq=False)
class MetricInput:
    """Everything a metric may need for one case and one region.

    ``spacing`` is already the one to use: the header spacing for mm, ones for voxel units.
    """

    prediction: np.ndarray
    reference: np.ndarray
    spacing: tuple[float, float, float]
    region: str
    uncertainty: np.ndarray | None = None
    brain_mask: np.ndarray | None = None


# --------------------------------------------------------------------------------------------
# Protocols the runner relies on
# --------------------------------------------------------------------------------------------


@runtime_checkable
class DatasetSource(Protocol):
    """An opened dataset: lists its case ids and loads one case at a time."""

    def case_ids(self) -> list[str]: ...

    def load(self, case_id: str) -> Case: ...


@runtime_checkable
class Predictor(Protocol):
    """A loaded model: turns a case into a prediction on the case's grid."""

    def predict(self, case: Case) -> Prediction: ...


@dataclass(frozen=True, kw_only=True)
class DatasetOptions:
    """How a dataset is opened: its root folder and plugin-specific parameters."""

    root: Path | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ModelContext:
    """What a model needs to load itself.

    Args:
        dataset: the dataset the model is evaluated on (used to find checkpoints).
        store: the model store root (checkpoints by model, dataset and fold).
        fold: one fold, or None for every fold found (an ensemble over folds).
        device: ``auto``, ``cpu`` or ``cuda[:N]``; ``auto`` picks a GPU when present.
        seed: for anything random at inference.
        params: plugin-specific options (``--model-opt key=value``).
    """

    dataset: str
    store: Path
    fold: int | None = None
    device: str = "auto"
    seed: int = 0
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class TrainRequest:
    """One training job, as ``bench train`` builds it."""

    model: str
    dataset: str
    source: DatasetSource
    train_ids: tuple[str, ...]
    val_ids: tuple[str, ...]
    fold: int
    folds: int
    store: Path
    epochs: int | None = None
    seed: int = 0
    device: str = "auto"
    init_from: Path | None = None
    resume: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)
    progress: Callable[[Mapping[str, float]], None] | None = None
    control: Any = None
    """A ``tumorbench.training.TrainControl`` (time budget, Ctrl-C), or None for neither."""


# --------------------------------------------------------------------------------------------
# Specs returned by the hooks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DatasetSpec:
    """A dataset plugin.

    Args:
        name: unique name used on the command line (``brats18``).
        summary: one line for ``bench plugins``.
        label_convention: name of the convention its label maps follow.
        open: factory from options to an opened :class:`DatasetSource`.
        needs_root: whether ``--data-root`` is required (False for generated data).
    """

    name: str
    summary: str
    label_convention: str
    open: Callable[[DatasetOptions], DatasetSource]
    modalities: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")
    needs_root: bool = True


@dataclass(frozen=True, kw_only=True)
class ModelSpec:
    """A model plugin.

    Args:
        name: unique name (``tunet-seb``).
        summary: one line for ``bench plugins``.
        framework: ``numpy``, ``torch`` or ``keras``; informational.
        regions: the regions it predicts (a whole-tumour model predicts only ``("WT",)``).
        load: factory from a :class:`ModelContext` to a :class:`Predictor`; imports heavy
            frameworks inside, never at module level.
        train: optional trainer called by ``bench train``; writes checkpoints to the store.
        describe: optional text (layers, parameter count) for ``bench models show``.
    """

    name: str
    summary: str
    load: Callable[[ModelContext], Predictor]
    framework: str = "numpy"
    regions: tuple[str, ...] = ("WT", "TC", "ET")
    train: Callable[[TrainRequest], Path] | None = None
    describe: Callable[[Mapping[str, Any]], str] | None = None


@dataclass(frozen=True, kw_only=True)
class EnsembleSpec:
    """An ensemble plugin: named members combined by a named method.

    Args:
        members: model names; each is loaded for every fold found unless ``folds`` is given.
        method: ``mean`` (average probabilities, Eq. 1 of Vu et al.) or ``vote`` (majority of
            region masks), or any combiner registered in :mod:`tumorbench.ensemble`.
    """

    name: str
    summary: str
    members: tuple[str, ...]
    method: str = "mean"
    all_folds: bool = True


@dataclass(frozen=True, kw_only=True)
class PostprocessorSpec:
    """A post-processor: a pure function from a finalized prediction (and its case) to another."""

    name: str
    summary: str
    apply: Callable[[Prediction, Case], Prediction]


@dataclass(frozen=True, kw_only=True)
class MetricSpec:
    """A metric for one case and one region.

    Args:
        name: column name in results (``dice``, ``hd95``, ``dauc``).
        convention: the metric convention it belongs to (``brats-legacy``, ``brats-2023``,
            ``qu-brats``); (convention, name) is unique.
        higher_is_better: ranking direction.
        worst: value a failed or missing case is scored with, given the image shape.
        units: ``""`` for ratios, ``"distance"`` for values that follow the run's distance units.
        needs_uncertainty: computed only when the prediction has uncertainty maps.
    """

    name: str
    summary: str
    convention: str
    compute: Callable[[MetricInput], float]
    higher_is_better: bool
    worst: Callable[[tuple[int, ...]], float]
    units: str = ""
    needs_uncertainty: bool = False


@dataclass(frozen=True, kw_only=True)
class CommandSpec:
    """A CLI command group a plugin adds: ``app`` is a ``typer.Typer`` mounted as ``bench <name>``."""

    name: str
    summary: str
    app: Any


SpecT = DatasetSpec | ModelSpec | EnsembleSpec | PostprocessorSpec | MetricSpec | CommandSpec
SpecList = Iterable[SpecT]
