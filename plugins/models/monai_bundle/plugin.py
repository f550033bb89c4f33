"""Registers ``monai-bundle``; torch and MONAI are imported only when a bundle is loaded."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tumorbench.api import ModelContext, ModelSpec, Predictor, hookimpl

from .bundle import bundle_files, read_bundle
from .channels import MODALITIES, REGIONS
from .options import MODEL, BundleOptions, options_of


def load(context: ModelContext) -> Predictor:
    """Check the bundle's files and names, then build its network with MONAI and read its weights."""
    options = options_of(dict(context.params), context.options)
    plan = read_bundle(context.params, options)
    from .network import load_bundle
    from .predict import BundlePredictor

    return BundlePredictor(plan, load_bundle(plan, context.device, context.seed))


def checkpoints(context: ModelContext) -> list[Path]:
    """``metadata.json``, the config file(s) and the weights: a change to any makes stored predictions stale."""
    options = options_of(dict(context.params), context.options if isinstance(context.options, BundleOptions) else None)
    return list(bundle_files(context.params, options).all)


def describe(params: Mapping[str, Any]) -> str:
    """The bundle's name and version, channels, output mapping and network (``bench models show``)."""
    options = options_of(dict(params))
    if not (params.get("arg") or options.bundle):
        return (f"{MODEL}: a MONAI bundle's network; name the bundle to see it: "
                f"bench models show {MODEL} --model-opt bundle=PATH")
    plan = read_bundle(params, options)
    from .network import load_bundle

    loaded = load_bundle(plan, "cpu", 0)
    count = sum(p.numel() for p in loaded.network.parameters())
    outputs = plan.outputs
    lines = [
        f"{MODEL}: {plan.metadata.name or plan.files.root.name} {plan.metadata.version}".rstrip(),
        f"  bundle     {plan.files.root}",
        f"  input      {plan.image_key}: {', '.join(plan.channels)}",
        f"  output     {outputs.activation}: " + ", ".join(
            f"{i}={m}" for i, m in enumerate(outputs.meanings)) + f" -> regions {', '.join(outputs.regions)}",
        f"  preprocess {type(loaded.preprocessing).__name__ if loaded.preprocessing is not None else 'none'}: "
        + (", ".join(type(t).__name__ for t in getattr(loaded.preprocessing, "transforms", ())) or "-"),
        f"  inferer    {type(loaded.inferer).__name__}",
        f"  network    {type(loaded.network).__name__}, {count:,d} parameters",
    ]
    return "\n".join(lines)


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name=MODEL,
            summary="a MONAI bundle (network definition, weights, metadata): monai-bundle:PATH",
            framework="torch",
            regions=REGIONS,
            modalities=MODALITIES,
            load=load,
            checkpoints=checkpoints,
            describe=describe,
            options=BundleOptions,
        )
    ]
