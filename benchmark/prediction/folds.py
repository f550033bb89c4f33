"""Out-of-fold scoring: which stored folds may predict a case, and the per-case fold ensemble.

``bench train`` writes ``<store>/<model>/<dataset>/fold-<k>/split.json`` naming the cases each
fold saw (``train``: trained on or validated on; ``validation`` is read as seen too). A case is predicted only by the folds that held it out (cross-validation
predictions: the mean over those folds, per member of an ensemble); a case that every stored fold
trained on is excluded, unless ``allow_training_cases`` scores it anyway with every fold and
marks it. A member with no ``split.json`` (a third-party checkpoint, ``folder:``, a training-free
baseline) is loaded as before and its cases are marked "training data unknown".

The runner calls :func:`plan_predictions` once per (model reference, dataset), then
:meth:`FoldPlan.eligibility` once per case and :meth:`FoldPlan.predictor_for` for each case it predicts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tumorbench.contract.values import ModelContext, Predictor
from tumorbench.errors import BenchError, MissingCheckpointError
from tumorbench.models.model_store import fold_count, train_command
from tumorbench.prediction.ensemble import EnsemblePredictor, get_combiner, mean_probabilities
from tumorbench.prediction.loaders import LoadOnce

HELD_OUT = "held-out"
"""Every member predicted the case with folds that did not train on it."""
TRAINING_CASE = "training-case"
"""Some member trained on the case with every fold; scored anyway (``--allow-training-cases``)."""
EXCLUDED = "excluded"
"""Some member trained on the case with every stored fold: not scored, not failed."""
UNKNOWN = "training-data-unknown"
"""Some member has no recorded split (no ``split.json``): whether it saw the case is unknown."""

_PRECEDENCE = (EXCLUDED, TRAINING_CASE, UNKNOWN, HELD_OUT)
_FOLD_DIR = re.compile(r"^fold-(\d+)$")


# ------------------------------------------------------------------ what the store records
@dataclass(frozen=True)
class StoredFold:
    """One fold folder: its index and the case ids it trained on (None: not recorded); a fold a
    model plugin declares itself (``ModelSpec.folds``) has no store folder (``directory`` None)."""

    fold: int
    directory: Path | None
    train: frozenset[str] | None


@dataclass(frozen=True)
class MemberFolds:
    """The stored folds of one model on one dataset."""

    model: str
    folds: tuple[StoredFold, ...]

    @property
    def known(self) -> bool:
        """Whether at least one fold records its training cases."""
        return any(f.train is not None for f in self.folds)

    def held_out_by(self, case_id: str) -> tuple[int, ...]:
        """The folds whose recorded training cases do not include ``case_id``."""
        return tuple(f.fold for f in self.folds if f.train is not None and case_id not in f.train)

    def unrecorded(self) -> tuple[int, ...]:
        return tuple(f.fold for f in self.folds if f.train is None)


def _read_split(directory: Path) -> frozenset[str] | None:
    path = directory / "split.json"
    if not path.is_file():
        return None
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
        seen = [*blob["train"], *(blob.get("validation") or [])]  # a validation case was seen: never held out
        return frozenset(str(i) for i in seen)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"{path}: not a split record ({type(exc).__name__}: {exc})") from exc


def stored_folds(store: Path, model: str, dataset: str, fold: int | None = None) -> MemberFolds:
    """Fold folders of ``model`` on ``dataset`` that hold a checkpoint, with their training ids."""
    base = Path(store) / model / dataset
    found: list[StoredFold] = []
    if base.is_dir():
        for child in sorted(base.iterdir(), key=lambda p: p.name):
            match = _FOLD_DIR.match(child.name)
            if not match or not any(child.glob("checkpoint*")):
                continue
            k = int(match.group(1))
            if fold is None or k == fold:
                found.append(StoredFold(k, child, _read_split(child)))
    found.sort(key=lambda f: f.fold)
    return MemberFolds(model, tuple(found))


def declared_folds(model: str, folds: Sequence[tuple[int, frozenset[str] | None]], fold: int | None = None) -> MemberFolds:
    """The folds a model plugin declares (``ModelSpec.folds``), as :func:`stored_folds` gives the store's."""
    found = [
        StoredFold(int(k), None, frozenset(str(i) for i in train) if train is not None else None)
        for k, train in folds
        if fold is None or int(k) == fold
    ]
    return MemberFolds(model, tuple(sorted(found, key=lambda f: f.fold)))


# ------------------------------------------------------------------ per-case verdicts
@dataclass(frozen=True)
class CaseEligibility:
    """Whether, and with which folds, a case may be scored.

    ``folds`` maps each member with a recorded split to the folds that predict the case
    (empty for an excluded case); ``unknown`` lists the members without a recorded split;
    ``trained_on`` the members every stored fold of which trained on the case.
    """

    case_id: str
    status: str
    folds: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    trained_on: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        return self.status != EXCLUDED

    @property
    def note(self) -> str:
        """One line for logs and the page."""
        if self.status == EXCLUDED:
            return f"excluded: every stored fold of {', '.join(self.trained_on)} trained on {self.case_id}"
        if self.status == TRAINING_CASE:
            return f"training case of {', '.join(self.trained_on)} (scored with --allow-training-cases)"
        if self.status == UNKNOWN:
            return f"training data unknown for {', '.join(self.unknown)} (no split.json)"
        used = "; ".join(f"{m} fold {','.join(map(str, ks))}" for m, ks in self.folds.items())
        return f"held out by {used}" if used else "held out"


@dataclass
class FoldPlan:
    """Per-case predictors of one model reference on one dataset."""

    members: tuple[str, ...]
    method: str | None
    member_folds: Mapping[str, MemberFolds]
    loader: Callable[[str, int | None], Predictor]
    allow_training_cases: bool = False
    registry: Any = None
    method_options: Mapping[str, Any] = field(default_factory=dict)

    def eligibility(self, case_id: str) -> CaseEligibility:
        folds: dict[str, tuple[int, ...]] = {}
        unknown: list[str] = []
        trained_on: list[str] = []
        for member in self.members:
            stored = self.member_folds[member]
            if not stored.known:
                unknown.append(member)
                continue
            held = stored.held_out_by(case_id)
            if held:
                folds[member] = held
            elif stored.unrecorded():  # only folds without a split may have held it out: those
                unknown.append(member)
                folds[member] = stored.unrecorded()
            else:
                trained_on.append(member)
                folds[member] = tuple(f.fold for f in stored.folds) if self.allow_training_cases else ()
        if trained_on:
            status = TRAINING_CASE if self.allow_training_cases else EXCLUDED
        else:
            status = UNKNOWN if unknown else HELD_OUT
        return CaseEligibility(case_id, status, folds, tuple(unknown), tuple(trained_on))

    def predictor_for(self, verdict: CaseEligibility) -> Predictor:
        """The predictor of a (scored) case: its folds, loaded once each, combined. A Dask worker
        calls it with the verdict the driver planned the case with (tumorbench.run.case_task)."""
        parts = []
        for member in self.members:
            if member in verdict.folds:
                predictors = tuple(self.loader(member, k) for k in verdict.folds[member])
            else:  # no recorded split: the member as its plugin loads it
                predictors = (self.loader(member, None),)
            parts.append(predictors[0] if len(predictors) == 1 else EnsemblePredictor(predictors, mean_probabilities))
        if self.method is None:
            return parts[0]
        return EnsemblePredictor(tuple(parts), get_combiner(self.method, self.registry, self.method_options))


@dataclass(frozen=True)
class TrainAdvice:
    """What a ``bench train`` command needs to run as given on the user's data."""

    cases: int
    data_root: Path | None = None
    dataset_params: Mapping[str, Any] = field(default_factory=dict)


def missing_message(members: Sequence[str], base: ModelContext, advice: TrainAdvice) -> str:
    """One line naming every missing member and a complete ``bench train`` command for each."""
    if advice.cases < 3:
        return (f"no trained {', '.join(members)} on {base.dataset} in {base.store}, and {advice.cases} case(s) "
                "cannot be split into training, validation and held-out cases (at least 3 are needed)")
    folds = fold_count(advice.cases)
    fold = base.fold if base.fold is not None else 0
    commands = [
        train_command(m, base.dataset, fold, store=base.store, data_root=advice.data_root, folds=folds,
                      dataset_params=advice.dataset_params)
        for m in members
    ]
    more = (f" (then --fold 1..{folds - 1} as well, so that every case is held out by one fold)"
            if base.fold is None else "")
    return f"no trained {', '.join(members)} on {base.dataset} in {base.store}; make one with: {' ; '.join(commands)}{more}"


def plan_predictions(
    ref: Any,
    registry: Any,
    base: ModelContext,
    model_params: Mapping[str, str],
    *,
    allow_training_cases: bool = False,
    advice: TrainAdvice | None = None,
    on_load: Callable[[str, int | None], None] | None = None,
) -> FoldPlan:
    """The out-of-fold plan of a parsed ``--model`` reference (``resolve.ModelRef``) on ``base.dataset``.

    ``base.fold`` (``--fold K``) restricts every member to that fold. Folds are loaded with
    ``ModelContext(fold=k)``, each once, on first use. With ``advice``, a trainable member with
    no stored fold fails its cases with a ``bench train`` command for every such member.
    ``on_load(member, fold)`` is told of each load (a Dask worker counts them).
    """
    from tumorbench.prediction.references import _context, member_params

    fold = base.fold if (ref.method is None or not ref.all_folds) else None  # as references.load_predictor
    parts = {p.key: p for p in ref.parts()}

    def folds_of(part: Any) -> MemberFolds:
        spec = registry.models.get(part.plugin)
        if spec.folds is not None:  # the plugin knows its folds (a third-party training's own split)
            context = _context(base, member_params(model_params, part.plugin), part.arg, fold, spec)
            return declared_folds(part.plugin, spec.folds(context), fold)
        return stored_folds(base.store, part.plugin, base.dataset, fold)

    member_folds = {key: folds_of(p) for key, p in parts.items()}
    missing = [key for key, p in parts.items() if not member_folds[key].folds and registry.models.get(p.plugin).train is not None]
    message = (
        missing_message([parts[k].plugin for k in missing], replace(base, fold=fold), advice) if missing and advice else None
    )

    def load(member: str, k: int | None) -> Predictor:
        if message is not None and member in missing:
            raise MissingCheckpointError(message)
        part = parts[member]
        spec = registry.models.get(part.plugin)
        if on_load is not None:
            on_load(member, k)
        return spec.load(_context(base, member_params(model_params, part.plugin), part.arg, k if k is not None else fold, spec))

    return FoldPlan(
        tuple(p.key for p in ref.parts()), ref.method, member_folds, LoadOnce(load), allow_training_cases, registry,
        dict(getattr(ref, "method_options", None) or {}),
    )


# ------------------------------------------------------------------ the record beside results.sqlite
