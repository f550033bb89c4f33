"""Plain values that flow through the harness, and the frozen specs that plugins return.

Data flows one way::

    DatasetSpec.open -> DatasetSource.load -> Case
    ModelSpec.load   -> Predictor.predict(Case) -> Prediction (region probabilities and/or labels)
    EnsembleSpec     -> CombinerSpec.combine(member Predictions) -> one Prediction
    finalize         -> Prediction with labels and uncertainty maps
    PostprocessorSpec.apply(Prediction, Case) -> Prediction
    MetricConventionSpec.compute(MetricInput) -> {metric: value} -> results store -> leaderboard

Every value here can be built by hand in a test. Nothing in this module imports torch or tensorflow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from tumorbench.contract.labels import LabelConvention

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
        sources: the files the prediction was read from (a model that reads predictions from
            disk); the store hashes them so that a changed file is noticed.
    """

    regions: tuple[str, ...]
    probabilities: Mapping[str, np.ndarray] | None = None
    labels: np.ndarray | None = None
    uncertainty: Mapping[str, np.ndarray] | None = None
    sources: tuple[Path, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False)
class MetricInput:
    """Everything a metric convention may need for one case and one region.

    ``spacing`` is already the one to use: the header spacing for mm, ones for voxel units
    (``units`` says which: ``mm`` or ``voxel``; a tolerance in mm is ``tolerance / spacing`` voxels
    only under ``mm``, so a convention with physical tolerances declares ``units=("mm",)``).
    ``uncertainty`` and ``brain_mask`` are set only for conventions that declare they need them
    (and ``uncertainty`` only when the prediction has a map for the region). ``prediction_labels``
    and ``reference_labels`` are the case's whole label maps (in the case's label convention), for
    rules that look beyond one region (lesions of different tissues that touch).
    """

    prediction: np.ndarray
    reference: np.ndarray
    spacing: tuple[float, float, float]
    region: str
    uncertainty: np.ndarray | None = None
    brain_mask: np.ndarray | None = None
    prediction_labels: np.ndarray | None = None
    reference_labels: np.ndarray | None = None
    units: str = "mm"


# --------------------------------------------------------------------------------------------
# Protocols the runner relies on
# --------------------------------------------------------------------------------------------


@runtime_checkable
class DatasetSource(Protocol):
    """An opened dataset: lists its case ids and loads one case at a time."""

    def case_ids(self) -> list[str]: ...

    def load(self, case_id: str) -> Case: ...


@runtime_checkable
class LabelFiles(Protocol):
    """Optional for a :class:`DatasetSource`: where a case's ground truth is on disk, without
    loading it, so that the store can tell whether it changed since it was scored."""

    def label_file(self, case_id: str) -> Path | None: ...


@runtime_checkable
class Predictor(Protocol):
    """A loaded model: turns a case into a prediction on the case's grid."""

    def predict(self, case: Case) -> Prediction: ...


@dataclass(frozen=True, kw_only=True)
class DatasetOptions:
    """How a dataset is opened: its root folder and plugin-specific parameters."""

    root: Path | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    label_convention: str | None = None
    """``--label-convention``: the label convention the cases' label maps are read and checked
    with, in place of the dataset's own (None: the dataset's)."""


@dataclass(frozen=True, kw_only=True)
class ModelContext:
    """What a model needs to load itself.

    Args:
        dataset: the dataset the model is evaluated on (used to find checkpoints).
        store: the model store root (checkpoints by model, dataset and fold).
        fold: one fold, or None for every fold found (an ensemble over folds).
        device: ``auto``, ``cpu`` or ``cuda[:N]``; ``auto`` picks a GPU when present.
        seed: for anything random at inference.
        params: plugin-specific options (``--model-opt key=value``), as given (strings).
        options: ``params`` parsed into the spec's ``options`` dataclass, when it declares one.
        model: the name of the model being loaded (its ``ModelSpec.name``; an ensemble's member
            gets its own), which names its folder in the model store. Empty when a caller built
            the context without one.
    """

    dataset: str
    store: Path
    fold: int | None = None
    device: str = "auto"
    seed: int = 0
    params: Mapping[str, Any] = field(default_factory=dict)
    options: Any = None
    model: str = ""


@dataclass(frozen=True, kw_only=True)
class TrainRequest:
    """One training job, as ``bench train`` builds it.

    Args:
        output: the fold directory the trainer writes its checkpoint, ``config.json`` and
            ``split.json`` into (``<store>/<model>/<dataset>/fold-<k>/``); None: derive it
            with ``fold_dir(store, model, dataset, fold)``.
        init_from: ``--init-from`` as given (a checkpoint file or its fold folder).
        init_checkpoint: the checkpoint file ``init_from`` resolves to (the folder's one
            ``checkpoint.*`` file), or None.
        options: ``params`` parsed into the spec's ``options`` dataclass, when it declares one.
        train_ids: the cases to train on.
        val_ids: the validation cases (early stopping, the learning-rate schedule, the checkpoint
            choice), kept aside from the fold's training cases: never the held-out fold, which
            the trainer is not given.
        split: the record to write as ``split.json`` (``split_record(request)`` gives it, or a
            record built from the ids when the harness gave none).
    """

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
    output: Path | None = None
    init_checkpoint: Path | None = None
    options: Any = None
    control: Any = None
    """A ``tumorbench.api.TrainControl`` (time budget, Ctrl-C), or None for neither."""
    split: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Specs returned by the hooks
# --------------------------------------------------------------------------------------------
