"""Experiment files: a matrix benchmark as a TOML file a researcher can commit, send and rerun.

Validated on load: every problem is one line ``FILE: key: what is wrong``, unknown keys
included, all of them reported at once. The layout::

    [experiment]                 name, summary, out (run folder), store (model store), seed,
                                 device, cases (only these case ids), note, held_out = {folds, fold}
                                 (score only that fold's validation cases of a seeded k-fold split),
                                 baseline (a model label every other row is compared with on the page)
    [scoring]                    conventions = [...], units = "mm" | "voxel"
    [[datasets]]                 name, label (results' name for a subset, e.g. one grade), root |
                                 root_env (wins when set), options = {...}, label_convention
    [[models]]                   label, model (a plugin, ensemble or mean(a,b) / vote(a,b)),
                                 options = {...}, fold, postprocess = [[], ["tunet-postprocess"]],
                                 note (shown on the page)
    [models.train]               dataset, folds, train_folds = [k, ...], epochs, steps,
                                 time_budget, seed, init_from (another model's label), options
    [[ensembles]]                label, method ("mean" | "vote"), members (model labels)
    reported = ["file.csv"]      published rows to show beside the measured ones: CSV files, or the
                                 names of reported results a plugin ships ("vu-2019")
    [profiles.NAME]              note (e.g. the expected time per fold), and overrides merged
                                 over the file: experiment = {...}, scoring = {...},
                                 models.LABEL = {options = {...}, train = {...}, ...}; chosen
                                 with ``bench run -c FILE --profile NAME`` (the first profile
                                 in the file by default)

Relative paths are relative to the experiment file's folder, except ``out`` and ``store``, which
are relative to the working directory (so the same file runs anywhere).
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tumorbench.errors import BenchError, folded

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SECTIONS: Mapping[str, Mapping[str, Any]] = {
    "experiment": {
        "name": str, "summary": str, "out": str, "store": str, "seed": int, "device": str, "cases": list, "note": str,
        "held_out": dict, "baseline": str,
    },
    "held_out": {"folds": int, "fold": int},
    "scoring": {"conventions": list, "units": str},
    "datasets": {"name": str, "label": str, "root": str, "root_env": str, "options": dict, "label_convention": str},
    "models": {"label": str, "model": str, "options": dict, "fold": int, "postprocess": list, "note": str, "train": dict},
    "train": {
        "dataset": str, "folds": int, "train_folds": list, "epochs": int, "steps": int, "time_budget": (int, float),
        "seed": int, "init_from": str, "options": dict, "transfer": str,
    },
    "ensembles": {"label": str, "method": str, "members": list, "note": str},
}
TOP = {"experiment", "scoring", "datasets", "models", "ensembles", "reported", "profiles"}
PROFILE_KEYS = {"note", "experiment", "scoring", "models"}
ENSEMBLE_METHODS = ("mean", "vote")


@dataclass(frozen=True)
class TrainPlan:
    """How one model of an experiment is trained (each fold in ``train_folds`` of ``folds``)."""

    dataset: str
    folds: int
    train_folds: tuple[int, ...]
    seed: int
    epochs: int | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    init_from: str | None = None
    transfer: str | None = None


@dataclass(frozen=True)
class ModelEntry:
    """One row of the matrix: a model under a label, with its options, chains and training."""

    label: str
    model: str
    options: Mapping[str, str] = field(default_factory=dict)
    fold: int | None = None
    postprocess: tuple[tuple[str, ...], ...] = ((),)
    note: str = ""
    train: TrainPlan | None = None


@dataclass(frozen=True)
class DatasetEntry:
    name: str
    label: str = ""
    root: Path | None = None
    root_env: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    label_convention: str | None = None


@dataclass(frozen=True)
class Experiment:
    """A validated experiment file."""

    path: Path
    name: str
    out: Path
    store: Path
    datasets: tuple[DatasetEntry, ...]
    models: tuple[ModelEntry, ...]
    summary: str = ""
    note: str = ""
    seed: int = 0
    device: str = "auto"
    cases: tuple[str, ...] | None = None
    held_out: tuple[int, int] | None = None  # (folds, fold)
    baseline: str | None = None
    conventions: tuple[str, ...] | None = None
    units: str = "mm"
    reported: tuple[Path, ...] = ()
    profile: str | None = None
    profile_note: str = ""

    def model(self, label: str) -> ModelEntry:
        return next(m for m in self.models if m.label == label)

    def store_for(self, entry: ModelEntry) -> Path:
        """The shared model store, or the entry's own folder when its label is not its plugin's name
        (two rows of one plugin trained differently never share checkpoints)."""
        return self.store if entry.label == entry.model else self.store / entry.label


class _Problems:
    """Collects every problem of a file before refusing it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []

    def add(self, key: str, what: str) -> None:
        self.lines.append(f"{self.path}: {key}: {what}")

    def raise_if_any(self) -> None:
        if self.lines:  # every problem at once, one line each
            raise ExperimentError(self.lines, "\n".join(self.lines))


class ExperimentError(BenchError):
    """An experiment file with problems; ``problems`` holds one line each."""

    def __init__(self, problems: list[str], message: str) -> None:
        super().__init__(message)
        self.problems = problems


def _type_name(kind: Any) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", list: "a list", dict: "a table", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _check_table(table: Mapping[str, Any], schema: Mapping[str, Any], where: str, problems: _Problems) -> dict[str, Any]:
    """The keys of ``table`` that have the right type; unknown or mistyped keys are problems."""
    good: dict[str, Any] = {}
    for key, value in table.items():
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(schema)})"
            problems.add(f"{where}.{key}", f"unknown key{hint}")
            continue
        kind = schema[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            problems.add(f"{where}.{key}", f"expected {_type_name(kind)}, got {type(value).__name__} {value!r}")
            continue
        good[key] = value
    return good


def _strings(value: Mapping[str, Any]) -> dict[str, str]:
    """Options as the ``key=value`` strings the plugins' typed parsers take."""
    out = {}
    for k, v in value.items():
        if isinstance(v, bool):
            out[k] = "true" if v else "false"
        elif isinstance(v, list):
            out[k] = ",".join(str(x) for x in v)
        else:
            out[k] = str(v)
    return out


def _merge(base: Any, over: Any) -> Any:
    """``over`` merged into ``base``: tables key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return over


def apply_profile(raw: dict[str, Any], profile: str | None, problems: _Problems) -> tuple[dict[str, Any], str | None, str]:
    """The file with one profile's overrides merged in; (raw, profile name, its note)."""
    profiles = raw.pop("profiles", {})
    if not isinstance(profiles, dict):
        problems.add("profiles", "expected a table of profiles ([profiles.NAME])")
        return raw, None, ""
    if profile is None:
        if not profiles:
            return raw, None, ""
        profile = next(iter(profiles))
    if profile not in profiles:
        problems.add("profiles", f"no profile {profile!r} (the file has: {', '.join(profiles) or 'none'})")
        return raw, None, ""
    chosen = profiles[profile]
    for key in chosen:
        if key not in PROFILE_KEYS:
            problems.add(f"profiles.{profile}.{key}", f"unknown key (known: {', '.join(sorted(PROFILE_KEYS))})")
    for section in ("experiment", "scoring"):
        if section in chosen:
            raw[section] = _merge(raw.get(section, {}), chosen[section])
    for label, over in (chosen.get("models") or {}).items():
        rows = [m for m in raw.get("models", []) if m.get("label", m.get("model")) == label]
        if not rows:
            problems.add(f"profiles.{profile}.models.{label}", "not a model label of this file")
            continue
        index = raw["models"].index(rows[0])
        raw["models"][index] = _merge(rows[0], over)
    return raw, profile, str(chosen.get("note", ""))


def load(path: Path | str, registry=None, profile: str | None = None) -> Experiment:
    """Read and validate an experiment file (every problem reported at once, one line each),
    with ``profile``'s overrides (the file's first profile when None)."""
    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: experiment file not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BenchError(f"{path}: not a TOML file ({folded(exc)})") from exc
    except RecursionError as exc:
        raise BenchError(f"{path}: not an experiment file (arrays or tables nested too deeply to read)") from exc
    if registry is None:
        from tumorbench.loading.registry import Registry

        registry = Registry()
    problems = _Problems(path)
    raw, profile, profile_note = apply_profile(raw, profile, problems)
    for key in raw:
        if key not in TOP:
            close = difflib.get_close_matches(key, sorted(TOP), n=1)
            problems.add(key, f"unknown section{f'; did you mean {close[0]!r}?' if close else ''}")
    head = _check_table(raw.get("experiment", {}), SECTIONS["experiment"], "experiment", problems)
    scoring = _check_table(raw.get("scoring", {}), SECTIONS["scoring"], "scoring", problems)
    base = path.parent
    datasets = _datasets(raw.get("datasets", []), registry, problems, base)
    models = _models(raw.get("models", []), raw.get("ensembles", []), registry, problems, {d.label for d in datasets})
    units = scoring.get("units", "mm")
    if units not in ("mm", "voxel"):
        problems.add("scoring.units", f"expected 'mm' or 'voxel', got {units!r}")
    conventions = tuple(scoring["conventions"]) if "conventions" in scoring else None
    for name in conventions or ():
        if name not in registry.metric_conventions():
            problems.add("scoring.conventions", f"unknown metric convention {name!r} (known: {', '.join(registry.metric_conventions())})")
    reported_files = _reported_files(raw.get("reported", []), base, registry, problems)
    if not datasets and "datasets" not in raw:
        problems.add("datasets", "no dataset: add a [[datasets]] table")
    if not models and "models" not in raw:
        problems.add("models", "no model: add a [[models]] table")
    held_out = None
    if "held_out" in head:
        split = _check_table(head["held_out"], SECTIONS["held_out"], "experiment.held_out", problems)
        folds, fold = split.get("folds", 5), split.get("fold", 0)
        if not 2 <= folds <= MAX_FOLDS or not 0 <= fold < folds:
            problems.add("experiment.held_out", f"fold {fold} of {folds} folds does not exist")
        held_out = (folds, fold)
    for m in models:  # members of an ad-hoc ensemble are loaded from the shared store
        if m.model.startswith(tuple(f"{x}(" for x in ENSEMBLE_METHODS)) and m.train is None:
            inner = m.model[m.model.index("(") + 1 : -1].split(",")
            own = [e.label for e in models if e.model in inner and e.label != e.model]
            if own:
                problems.add(f"ensembles[{m.label}].members", f"members {', '.join(own)} have their own store (label differs from the model name); an ensemble's members must use the shared one")
    if "baseline" in head and head["baseline"] not in {m.label for m in models}:
        problems.add("experiment.baseline", f"{head['baseline']!r} is not a model label of this file")
    problems.raise_if_any()
    name = head.get("name", path.stem)
    return Experiment(
        path=path,
        name=name,
        summary=head.get("summary", ""),
        note=head.get("note", ""),
        out=Path(head.get("out", f"bench-runs/{name}")),
        store=Path(head.get("store", f"bench-runs/{name}/models")),
        seed=head.get("seed", 0),
        device=head.get("device", "auto"),
        cases=tuple(str(c) for c in head["cases"]) if "cases" in head else None,
        held_out=held_out,
        baseline=head.get("baseline"),
        datasets=tuple(datasets),
        models=tuple(models),
        conventions=conventions,
        units=units,
        reported=tuple(reported_files),
        profile=profile,
        profile_note=profile_note,
    )


def _safe_label(label: str, key: str, problems: _Problems) -> None:
    """A label names a folder of the model store: it must stay inside it."""
    from tumorbench.io.paths import path_component

    try:
        path_component(label, "label")
    except BenchError as exc:
        problems.add(key, str(exc))


def _reported_files(reported: Any, base: Path, registry, problems: _Problems) -> list[Path]:  # noqa: ANN001
    """The ``reported`` list: each entry's CSV file (a missing one is a problem)."""
    if not isinstance(reported, list) or not all(isinstance(r, str) for r in reported):
        problems.add("reported", "expected a list of file names")
        return []
    files = []
    for name in reported:
        path = _reported_file(name, base, registry)
        if path is None:
            problems.add("reported", f"{base / name}: file not found (nor an installed reported-results name: "
                                     f"{', '.join(registry.reported) or 'none'})")
        else:
            files.append(path)
    return files


def _reported_file(name: str, base: Path, registry) -> Path | None:  # noqa: ANN001
    """A ``reported`` entry: a CSV file (relative to the experiment file), or the name of the
    reported results an installed plugin ships (``vu-2019``)."""
    if (base / name).is_file():
        return base / name
    if name in registry.reported:
        return Path(registry.reported.get(name).path)
    return None


def _datasets(entries: Any, registry, problems: _Problems, base: Path) -> list[DatasetEntry]:
    if not isinstance(entries, list):
        problems.add("datasets", "expected an array of tables ([[datasets]])")
        return []
    out = []
    for index, entry in enumerate(entries):
        where = f"datasets[{index}]"
        table = _check_table(entry, SECTIONS["datasets"], where, problems)
        name = table.get("name")
        if name is None:
            problems.add(f"{where}.name", "missing")
            continue
        if name not in registry.datasets:
            close = difflib.get_close_matches(name, list(registry.datasets), n=3)
            problems.add(f"{where}.name", f"unknown dataset {name!r}{'; did you mean ' + ', '.join(close) + '?' if close else ''}")
            continue
        env = table.get("root_env")
        root = None
        if env and os.environ.get(env):  # the environment wins over the file's root
            root = Path(os.environ[env])
        elif "root" in table:
            root = Path(table["root"])
            if not root.is_absolute():
                root = base / root
        elif env and registry.datasets.get(name).needs_root:
            problems.add(f"{where}.root_env", f"environment variable {env} is not set (it names the root of {name})")
        if root is None and not env and registry.datasets.get(name).needs_root:
            from tumorbench.config import data_root, load_config

            root = data_root(name, [], load_config())
            if root is None:
                problems.add(f"{where}.root", f"dataset {name} needs a root: give root = \"PATH\" or root_env = \"VAR\"")
        if root is not None and registry.datasets.get(name).needs_root and not root.is_dir():
            problems.add(f"{where}.root", f"{root}: folder not found")
        try:
            from tumorbench.contract.options import check_dataset_options

            check_dataset_options(registry.datasets.get(name), _strings(table.get("options", {})))
        except BenchError as exc:
            problems.add(f"{where}.options", str(exc))
        label_convention = table.get("label_convention")
        if label_convention is not None:
            try:
                registry.label_convention(label_convention)
            except BenchError as exc:
                problems.add(f"{where}.label_convention", str(exc))
        label = table.get("label", name)
        if "label" in table:
            _safe_label(label, f"{where}.label", problems)
        if label in {d.label for d in out}:
            problems.add(f"{where}.label", f"dataset label {label!r} is used twice (give each subset its own label)")
        out.append(DatasetEntry(
            name=name, label=label, root=root, root_env=env, options=_strings(table.get("options", {})),
            label_convention=label_convention,
        ))
    return out


def _models(entries: Any, ensembles: Any, registry, problems: _Problems, datasets: set[str]) -> list[ModelEntry]:
    from tumorbench.prediction.references import parse_model_ref

    out: list[ModelEntry] = []
    labels: set[str] = set()
    if not isinstance(entries, list):
        problems.add("models", "expected an array of tables ([[models]])")
        entries = []
    for index, entry in enumerate(entries):
        where = f"models[{index}]"
        table = _check_table(entry, SECTIONS["models"], where, problems)
        model = table.get("model")
        if model is None:
            problems.add(f"{where}.model", "missing")
            continue
        try:
            parse_model_ref(model, registry)
        except BenchError as exc:
            problems.add(f"{where}.model", str(exc))
            continue
        label = table.get("label", model)
        if "label" in table:
            _safe_label(label, f"{where}.label", problems)
        if label in labels:
            problems.add(f"{where}.label", f"label {label!r} is used twice (each row needs its own)")
        labels.add(label)
        chains = _chains(table.get("postprocess", [[]]), registry, f"{where}.postprocess", problems)
        train = _train(table.get("train"), model, registry, f"{where}.train", problems, datasets) if "train" in table else None
        out.append(ModelEntry(
            label=label, model=model, options=_strings(table.get("options", {})), fold=table.get("fold"),
            postprocess=chains, note=table.get("note", ""), train=train,
        ))
    if not isinstance(ensembles, list):
        problems.add("ensembles", "expected an array of tables ([[ensembles]])")
        ensembles = []
    for index, entry in enumerate(ensembles):
        where = f"ensembles[{index}]"
        table = _check_table(entry, SECTIONS["ensembles"], where, problems)
        method, members = table.get("method", "mean"), table.get("members", [])
        if method not in ENSEMBLE_METHODS:
            problems.add(f"{where}.method", f"expected one of {', '.join(ENSEMBLE_METHODS)}, got {method!r}")
        unknown = [m for m in members if m not in {e.label for e in out}]
        if unknown:
            problems.add(f"{where}.members", f"not a model label of this file: {', '.join(map(str, unknown))}")
        if len(members) < 2:
            problems.add(f"{where}.members", "an ensemble needs at least two members")
        if "label" not in table:
            problems.add(f"{where}.label", "missing")
            continue
        if unknown or len(members) < 2 or method not in ENSEMBLE_METHODS:
            continue
        plugins = [next(e.model for e in out if e.label == m) for m in members]
        out.append(ModelEntry(label=table["label"], model=f"{method}({','.join(plugins)})", note=table.get("note", "")))
    _check_init_cycles(out, problems)
    return out


def _chains(value: Any, registry, where: str, problems: _Problems) -> tuple[tuple[str, ...], ...]:
    if value and all(isinstance(v, str) for v in value):
        value = [value]  # one chain written as a flat list
    chains = []
    for chain in value:
        if not isinstance(chain, list):
            problems.add(where, f"expected a list of post-processor chains, got {chain!r}")
            continue
        for name in chain:
            if name not in registry.postprocessors:
                close = difflib.get_close_matches(str(name), list(registry.postprocessors), n=2)
                problems.add(where, f"unknown post-processor {name!r}{'; did you mean ' + ', '.join(close) + '?' if close else ''}")
        chains.append(tuple(chain))
    return tuple(chains) or ((),)


def _train(table: Any, model: str, registry, where: str, problems: _Problems, datasets: set[str]) -> TrainPlan | None:
    if not isinstance(table, Mapping):
        problems.add(where, "expected a table")
        return None
    table = _check_table(table, SECTIONS["train"], where, problems)
    spec = registry.models.get(model) if model in registry.models else None
    if spec is None or spec.train is None:
        problems.add(where, f"model {model} is not trainable (it has no trainer)")
        return None
    dataset = table.get("dataset") or (sorted(datasets)[0] if len(datasets) == 1 else None)
    if dataset is None:
        problems.add(f"{where}.dataset", "missing (the file names several datasets)")
        return None
    if dataset not in datasets:
        problems.add(f"{where}.dataset", f"{dataset!r} is not one of this file's datasets ({', '.join(sorted(datasets))})")
    folds = table.get("folds", 5)
    if not 2 <= folds <= MAX_FOLDS:
        problems.add(f"{where}.folds", f"must be 2 to {MAX_FOLDS}, got {folds}")
        folds = 2
    train_folds = tuple(table.get("train_folds", range(folds)))
    _in_range(table, where, problems, epochs=(1, MAX_EPOCHS), steps=(1, MAX_STEPS), time_budget=(0, MAX_BUDGET_S))
    bad = [k for k in train_folds if not isinstance(k, int) or not 0 <= k < folds]
    if bad:
        problems.add(f"{where}.train_folds", f"fold(s) {bad} not in 0..{folds - 1}")
    options = _strings(table.get("options", {}))
    for key in ("steps", "time_budget"):
        if key in table:
            options[key] = str(table[key])
    if "transfer" in table:
        options["transfer"] = table["transfer"]
    return TrainPlan(
        dataset=dataset, folds=folds, train_folds=train_folds, seed=table.get("seed", 0), epochs=table.get("epochs"),
        options=options, init_from=table.get("init_from"), transfer=table.get("transfer"),
    )


MAX_FOLDS = 1000
MAX_EPOCHS = 100_000
MAX_STEPS = 10**9
MAX_BUDGET_S = 10 * 365 * 24 * 3600.0
"""Bounds checked when a file is read: a count past them is a typo, and would plan gigabytes."""


def _in_range(table: Mapping[str, Any], where: str, problems: _Problems, **bounds: tuple[float, float]) -> None:
    """Each named number of ``table`` finite and within its bounds (a problem naming the key otherwise)."""
    import math

    for key, (low, high) in bounds.items():
        if key not in table:
            continue
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue  # a wrong type is already a problem of _check_table
        if not math.isfinite(value) or not low <= value <= high:
            problems.add(f"{where}.{key}", f"must be a number from {low:g} to {high:g}, got {value}")


def _check_init_cycles(models: Sequence[ModelEntry], problems: _Problems) -> None:
    by_label = {m.label: m for m in models}
    for m in models:
        if m.train is None or m.train.init_from is None:
            continue
        if m.train.init_from not in by_label:
            problems.add(f"models[{m.label}].train.init_from", f"{m.train.init_from!r} is not a model label of this file")
            continue
        seen = [m.label]
        current = by_label[m.train.init_from]
        while True:
            if current.label in seen:
                problems.add(f"models[{m.label}].train.init_from", f"cycle: {' -> '.join([*seen, current.label])}")
                break
            seen.append(current.label)
            nxt = current.train.init_from if current.train else None
            if nxt is None or nxt not in by_label:
                break
            current = by_label[nxt]
