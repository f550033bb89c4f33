"""The hooks of the example package: one of each kind tumorbench has."""

from __future__ import annotations

from tumorbench.api import (
    CombinerSpec,
    CommandSpec,
    DatasetSpec,
    MetricConventionSpec,
    ModelSpec,
    PostprocessorSpec,
    hookimpl,
)

from . import combiner, command, dataset, metric, model, postprocess


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [DatasetSpec(name="otsu-flat", summary="flat folder: <case>_<modality>.nii.gz and <case>_seg.nii.gz",
                        label_convention=dataset.CONVENTION, open=dataset.open_flat, detect=dataset.detect)]


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(name="otsu-flair", summary="two-level Otsu threshold of FLAIR (whole tumour)", regions=("WT",),
                  load=model.load, options=model.OtsuOptions, modalities=("flair",)),
        ModelSpec(name="otsu-fitted", summary="two-level Otsu of FLAIR, its cut scaled by a factor fitted by bench train",
                  regions=("WT",), load=model.load_fitted, train=model.train, options=model.OtsuOptions,
                  modalities=("flair",)),
    ]


@hookimpl
def tumorbench_metric_conventions() -> list[MetricConventionSpec]:
    return [metric.SPEC]


@hookimpl
def tumorbench_postprocessors() -> list[PostprocessorSpec]:
    return [PostprocessorSpec(name="keep-largest", summary="keep the largest whole-tumour components",
                              apply=postprocess.keep_largest, options=postprocess.KeepLargestOptions)]


@hookimpl
def tumorbench_combiners() -> list[CombinerSpec]:
    return [CombinerSpec(name="max", summary="voxel-wise maximum of the members' probabilities", combine=combiner.maximum)]


@hookimpl
def tumorbench_commands() -> list[CommandSpec]:
    return [CommandSpec(name="otsu", summary="Otsu thresholds of FLAIR images", app=command.app)]
