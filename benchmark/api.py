"""The public API of tumorbench: everything a plugin may import, from this one module.

A plugin imports ``from tumorbench.api import ...`` and nothing else from tumorbench; the names
here keep their meaning across versions (they are documented in ``docs/plugins.md``, and a
test checks that each one is). Internal modules may move; this module re-exports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tumorbench.contract.hookspecs import hookimpl
from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.options import FIXED, apply_options, option_fields, parse_options
from tumorbench.contract.specs import (
    BrainMaskRule,
    CombinerSpec,
    CommandSpec,
    DatasetSpec,
    EnsembleSpec,
    MetricConventionSpec,
    MetricDef,
    ModelSpec,
    PostprocessorSpec,
    ReportedSpec,
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
    Volume,
)
from tumorbench.errors import BenchError, DataError, MissingCheckpointError
from tumorbench.errors import describe as describe_exception
from tumorbench.io.atomic import (
    atomic_path,
    remove_stale_temporaries,
    temporary_prefix,
    umask_mode,
    write_text_atomic,
)
from tumorbench.io.lazy_images import LazyImages
from tumorbench.io.nifti import load_volume, save_volume
from tumorbench.io.paths import absent_reason, is_link_trouble
from tumorbench.io.schema import Field, check, check_finite, read_json_object
from tumorbench.loading.registry import Registry, get_convention
from tumorbench.models.model_store import (
    StoredModel,
    find,
    fold_dir,
    resolve_checkpoint,
    split_record,
    train_command,
    write_metadata,
)
from tumorbench.models.preprocess import (
    Box,
    brain_box,
    brain_mask,
    centred_box,
    crop,
    from_canonical,
    from_canonical_array,
    paste,
    resample,
    to_canonical,
    to_canonical_array,
    zscore,
)
from tumorbench.models.training import (
    MemoryEstimate,
    TrainControl,
    check_memory,
    configure_tensorflow_threads,
    configure_torch_threads,
    memory_available,
)
from tumorbench.models.training_loop import TrainingLoop, TrainingResult, TrainingStep
from tumorbench.prediction.ensemble import majority_vote, mean_probabilities
from tumorbench.prediction.finalize import finalize
from tumorbench.progress import Progress, RichProgress
from tumorbench.scoring.evaluation import memory_order

_LAZY = {
    "kfold": "tumorbench.models.splits",
    "kfold_manifest": "tumorbench.models.splits",
    "paper_manifest": "tumorbench.models.splits",
    "PaperSplit": "tumorbench.models.splits",
    "read_manifest": "tumorbench.models.splits",
    "write_manifest": "tumorbench.models.splits",
}
"""Names imported on first use, so that importing a plugin (``bench --help``) stays cheap."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in ("REGIONS", "REGION_LONG_NAMES"):  # kept for plugins written before label conventions were plugins
        brats = get_convention("brats-2017")
        return brats.region_names if name == "REGIONS" else {r: brats.uncertainty_suffix(r) for r in brats.region_names}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from collections.abc import Mapping

    from tumorbench.models.splits import (
        PaperSplit,
        kfold,
        kfold_manifest,
        paper_manifest,
        read_manifest,
        write_manifest,
    )

    REGIONS: tuple[str, ...]  # brats-2017's regions (WT, TC, ET); a convention's own: ``region_names``
    REGION_LONG_NAMES: Mapping[str, str]  # brats-2017's uncertainty-file suffixes; ``uncertainty_suffix(region)``

__all__ = [
    # hooks and errors
    "hookimpl", "BenchError", "DataError", "MissingCheckpointError",
    # specs returned by the hooks
    "DatasetSpec", "ModelSpec", "EnsembleSpec", "CombinerSpec", "PostprocessorSpec",
    "MetricConventionSpec", "MetricDef", "BrainMaskRule", "ReportedSpec", "CommandSpec",
    # values passed to and returned by plugins
    "Volume", "Case", "Prediction", "MetricInput", "DatasetOptions", "DatasetSource", "LabelFiles",
    "Predictor", "ModelContext", "TrainRequest",
    # label conventions and regions
    "LabelConvention", "get_convention", "REGIONS", "REGION_LONG_NAMES",
    # files
    "load_volume", "save_volume", "LazyImages", "atomic_path", "write_text_atomic", "remove_stale_temporaries",
    "temporary_prefix", "umask_mode", "absent_reason", "is_link_trouble",
    # training: budgets and Ctrl-C, the memory check, thread pools
    "TrainControl", "MemoryEstimate", "check_memory", "memory_available", "configure_torch_threads",
    "configure_tensorflow_threads", "TrainingLoop", "TrainingStep", "TrainingResult",
    # checking what a plugin reads (configuration files, checkpoints) and describing errors
    "Field", "check", "check_finite", "read_json_object", "describe_exception",
    # the model store
    "fold_dir", "find", "StoredModel", "write_metadata", "split_record", "resolve_checkpoint", "train_command",
    # typed options
    "apply_options", "parse_options", "option_fields", "FIXED",
    # the installed plugins, and progress reporting for commands
    "Registry", "Progress", "RichProgress",
    # splits
    "kfold", "kfold_manifest", "paper_manifest", "PaperSplit", "read_manifest", "write_manifest",
    # predictions
    "finalize", "mean_probabilities", "majority_vote", "memory_order",
    # preprocessing
    "brain_mask", "zscore", "Box", "brain_box", "centred_box", "crop", "paste", "resample",
    "to_canonical", "to_canonical_array", "from_canonical", "from_canonical_array",
]
