"""Turning ``--model`` references into loaded predictors.

A reference is one of:
    ``NAME``            a model plugin or a named ensemble plugin
    ``NAME:ARG``        a model plugin given one argument (``folder:preds/`` reads a folder)
    ``mean(a,b,...)``   an ad-hoc average of models' probabilities (PyTorch and Keras mixed)
    ``vote(a,b,...)``   an ad-hoc majority vote of models' region masks
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .ensemble import EnsemblePredictor, get_combiner, parse_adhoc
from .errors import BenchError
from .labels import REGIONS
from .registry import Registry
from .types import ModelContext, Predictor


@dataclass(frozen=True)
class ModelRef:
    """A parsed ``--model`` value.

    ``label`` is the identity recorded in results; ``members`` are the plugin names involved.
    """

    label: str
    name: str
    arg: str | None
    members: tuple[str, ...]
    method: str | None
    regions: tuple[str, ...]
    all_folds: bool = False


def parse_model_ref(text: str, registry: Registry) -> ModelRef:
    """Validate a reference against the registry (unknown names suggest close ones)."""
    adhoc = parse_adhoc(text)
    if adhoc is not None:
        method, members = adhoc
        get_combiner(method)
        if len(members) < 2:
            raise BenchError(f"{text}: an ensemble needs at least two members")
        specs = [registry.models.get(m) for m in members]
        regions = tuple(r for r in REGIONS if all(r in s.regions for s in specs))
        return ModelRef(text.replace(" ", ""), text, None, members, method, regions)
    name, sep, arg = text.partition(":")
    if name in registry.ensembles:
        ensemble = registry.ensembles.get(name)
        specs = [registry.models.get(m) for m in ensemble.members]
        regions = tuple(r for r in REGIONS if all(r in s.regions for s in specs))
        return ModelRef(name, name, None, ensemble.members, ensemble.method, regions, ensemble.all_folds)
    spec = registry.models.get(name)
    return ModelRef(text, name, arg if sep else None, (name,), None, spec.regions)


def _context(base: ModelContext, params: Mapping[str, Any], arg: str | None, fold: int | None) -> ModelContext:
    merged = dict(params)
    if arg is not None:
        merged["arg"] = arg
    return replace(base, params=merged, fold=fold)


def member_params(model_params: Mapping[str, str], member: str) -> dict[str, str]:
    """``key=value`` options apply to every model; ``member.key=value`` to one member only."""
    out = {k: v for k, v in model_params.items() if "." not in k}
    prefix = member + "."
    out.update({k[len(prefix):]: v for k, v in model_params.items() if k.startswith(prefix)})
    return out


def load_predictor(ref: ModelRef, registry: Registry, base: ModelContext, model_params: Mapping[str, str]) -> Predictor:
    """Load the predictor a reference names; a named ensemble's members over every fold found."""
    if ref.method is None:
        spec = registry.models.get(ref.name)
        return spec.load(_context(base, member_params(model_params, ref.name), ref.arg, base.fold))
    fold = None if ref.all_folds else base.fold
    members = tuple(
        registry.models.get(m).load(_context(base, member_params(model_params, m), None, fold)) for m in ref.members
    )
    return EnsemblePredictor(members, get_combiner(ref.method))
