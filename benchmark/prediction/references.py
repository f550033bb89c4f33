"""Turning ``--model`` references into loaded predictors.

A reference is one of:
    ``NAME``            a model plugin or a named ensemble plugin
    ``NAME:ARG``        a model plugin given one argument (``folder:preds/`` reads a folder)
    ``mean(a,b,...)``   an ad-hoc average of models' probabilities (PyTorch and Keras mixed)
    ``vote(a,b,...)``   an ad-hoc majority vote of models' region masks
    ``METHOD[k=v](a,b)`` any registered combiner (``weighted-mean``, ``staple``) with its options
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tumorbench.contract.labels import LabelConvention
from tumorbench.contract.options import parse_options
from tumorbench.contract.specs import ModelSpec
from tumorbench.contract.values import ModelContext, Predictor
from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench.models.training import HARNESS_TRAIN_KEYS
from tumorbench.prediction.ensemble import EnsemblePredictor, get_combiner, parse_adhoc


@dataclass(frozen=True)
class Member:
    """One model of a reference: its plugin, the argument it was named with (``folder:DIR``), and
    the key it is known by in identities and fold plans (the plugin name, or ``plugin:arg`` for a
    member of an ensemble named with an argument)."""

    key: str
    plugin: str
    arg: str | None = None


@dataclass(frozen=True)
class ModelRef:
    """A parsed ``--model`` value.

    ``result_name`` is the model's name in results (its identity there); ``members`` are the plugin names involved;
    ``regions`` the regions every member declares it predicts (empty: every region of the label
    convention it is run on, see :meth:`regions_in`).
    """

    result_name: str
    name: str
    arg: str | None
    members: tuple[str, ...]
    method: str | None
    regions: tuple[str, ...]
    all_folds: bool = False
    method_options: Mapping[str, str] = field(default_factory=dict)
    member_args: tuple[str | None, ...] = ()

    def parts(self) -> tuple[Member, ...]:
        """Every model this reference loads, with its argument (``mean(folder:A,folder:B)`` has two)."""
        if self.method is None:
            return (Member(self.name, self.name, self.arg),)
        args = self.member_args or (None,) * len(self.members)
        return tuple(Member(m if a is None else f"{m}:{a}", m, a) for m, a in zip(self.members, args, strict=True))

    def regions_in(self, convention: LabelConvention) -> tuple[str, ...]:
        """The regions this model speaks for on data of ``convention``, in the convention's order."""
        return tuple(r for r in convention.region_names if not self.regions or r in self.regions)


def shared_regions(declared: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The regions every member that declares its regions declares, in the first one's order
    (empty when none declares: the label convention's regions, whatever it is)."""
    known = [d for d in declared if d]
    if not known:
        return ()
    return tuple(r for r in known[0] if all(r in d for d in known[1:]))


def parse_model_ref(text: str, registry: Registry) -> ModelRef:
    """Validate a reference against the registry (unknown names suggest close ones)."""
    adhoc = parse_adhoc(text)
    if adhoc is not None:
        method, texts, method_options = adhoc
        get_combiner(method, registry, method_options)  # unknown methods and bad options fail here
        if len(texts) < 2:
            raise BenchError(f"{text}: an ensemble needs at least two members")
        named = [m.partition(":") for m in texts]
        members = tuple(name for name, _, _ in named)
        args = tuple(arg if sep else None for _, sep, arg in named)
        specs = [registry.models.get(m) for m in members]
        regions = shared_regions([s.regions for s in specs])
        return ModelRef(
            text.replace(" ", ""), text, None, members, method, regions, method_options=method_options,
            member_args=args if any(a is not None for a in args) else (),
        )
    name, sep, arg = text.partition(":")
    if name in registry.ensembles:
        ensemble = registry.ensembles.get(name)
        specs = [registry.models.get(m) for m in ensemble.members]
        regions = shared_regions([s.regions for s in specs])
        get_combiner(ensemble.method, registry, ensemble.method_options)
        return ModelRef(
            name, name, None, ensemble.members, ensemble.method, regions, ensemble.all_folds,
            method_options=dict(ensemble.method_options),
        )
    spec = registry.models.get(name)
    return ModelRef(text, name, arg if sep else None, (name,), None, spec.regions)


def _context(
    base: ModelContext, params: Mapping[str, Any], arg: str | None, fold: int | None, spec: ModelSpec | None = None
) -> ModelContext:
    """The member's context; a spec that declares ``options`` gets them parsed (``arg`` aside)."""
    merged = dict(params)
    if arg is not None:
        merged["arg"] = arg
    options = None
    if spec is not None and spec.options is not None:
        options = model_options(spec, params)
    return replace(base, params=merged, fold=fold, options=options, model=spec.name if spec is not None else base.model)


def model_options(spec: ModelSpec, params: Mapping[str, Any], *, training: bool = False) -> Any:
    """``--model-opt`` values parsed into ``spec.options``: None when it declares none, and then
    every key is refused (``--model-opt nonsense: MODEL takes no options``). ``training``: the keys
    the harness itself reads when training (``time_budget``) are no error for a model without options."""
    ignored = ("arg", *(HARNESS_TRAIN_KEYS if training and spec.options is None else ()))
    return parse_options(spec.options, params, owner=spec.name, flag="--model-opt", ignored=ignored)


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
        return spec.load(_context(base, member_params(model_params, ref.name), ref.arg, base.fold, spec))
    fold = None if ref.all_folds else base.fold
    members = tuple(
        registry.models.get(p.plugin).load(
            _context(base, member_params(model_params, p.plugin), p.arg, fold, registry.models.get(p.plugin))
        )
        for p in ref.parts()
    )
    return EnsemblePredictor(members, get_combiner(ref.method, registry, ref.method_options))


def check_model_options(registry: Registry, refs: list[ModelRef], model_params: Mapping[str, str]) -> None:
    """Refuse an unknown ``--model-opt`` key or a bad value before any case is predicted, for
    every member (one that declares no ``options`` takes no key)."""
    for ref in refs:
        for member in ref.members:
            spec = registry.models.get(member)
            model_options(spec, member_params(model_params, member))
