"""Seeded k-fold splits of case ids, split manifests stored as JSON, and splits a paper states by its sizes.

A fold depends only on the set of ids, the number of folds and the seed (ids are sorted first),
so two machines that list the same cases get the same folds. A manifest file freezes a split so it
can be shared and checked against the dataset it is used with::

    manifest = kfold_manifest(source.case_ids(), folds=5, seed=0, dataset="brats19")
    write_manifest("splits/brats19-5fold.json", manifest)
    train, val = manifest_fold(read_manifest("splits/brats19-5fold.json"), fold=2)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.errors import BenchError
from tumorbench.io.atomic import write_text_atomic

MANIFEST_VERSION = 1


def _sorted_unique(case_ids: Iterable[str]) -> list[str]:
    ids = sorted(case_ids)
    duplicates = sorted({i for i, j in zip(ids, ids[1:], strict=False) if i == j})
    if duplicates:
        raise BenchError(f"case ids listed more than once: {', '.join(duplicates[:5])}")
    return ids


def fold_assignment(case_ids: Iterable[str], folds: int, seed: int = 0) -> dict[str, int]:
    """Case id -> fold index in a seeded ``folds``-way split (fold sizes differ by at most one)."""
    if folds < 2:
        raise BenchError(f"--folds must be at least 2, got {folds}")
    ids = _sorted_unique(case_ids)
    if len(ids) < folds:
        fix = f" (use --folds {len(ids)} or fewer)" if len(ids) >= 2 else ""
        raise BenchError(f"{len(ids)} cases cannot be split into {folds} folds{fix}")
    order = np.random.default_rng(seed).permutation(len(ids))
    assignment: dict[str, int] = {}
    for fold in range(folds):
        for position in order[fold::folds].tolist():
            assignment[ids[position]] = fold
    return {i: assignment[i] for i in ids}


def kfold(case_ids: list[str], folds: int, fold: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """(training folds, held-out fold) ids of ``fold`` in a seeded ``folds``-way split (order-independent)."""
    if folds >= 2 and not 0 <= fold < folds:
        raise BenchError(f"--fold must be in 0..{folds - 1}, got {fold}")
    assignment = fold_assignment(case_ids, folds, seed)
    train = [i for i, f in assignment.items() if f != fold]
    val = [i for i, f in assignment.items() if f == fold]
    return train, val


VALIDATION_FRACTION = 0.2
"""The share of a fold's training cases kept aside for validation, by default (at least one case)."""


def validation_count(cases: int, validation: float = VALIDATION_FRACTION) -> int:
    """How many of ``cases`` training cases validate: ``validation`` cases when it is 1 or more, else
    that fraction of them rounded (at least 1); at least one case is left to train on.

    Raises:
        BenchError: fewer than two cases, or a count that leaves nothing to train on.
    """
    if validation <= 0:
        raise BenchError(f"validation must be a fraction in (0, 1) or a case count >= 1, got {validation:g}")
    if cases < 2:
        raise BenchError(f"{cases} training case(s): a validation case cannot be kept aside (use fewer folds or more cases)")
    if validation >= 1:
        if int(validation) != validation or validation >= cases:
            raise BenchError(f"validation = {validation:g} case(s) of {cases} training cases leaves none to train on "
                             f"(at most {cases - 1})")
        return int(validation)
    return min(cases - 1, max(1, int(round(validation * cases))))


def inner_split(
    train_ids: Iterable[str], fold: int, seed: int = 0, validation: float = VALIDATION_FRACTION
) -> tuple[list[str], list[str]]:
    """(trained, validation) ids: validation cases drawn, seeded by (seed, fold), from a fold's
    training cases (the held-out fold never validates: nnU-Net's and the seed papers' protocols
    keep validation inside the training data). Both lists are sorted; the draw depends only on the
    set of ids."""
    ids = _sorted_unique(train_ids)
    n = validation_count(len(ids), validation)
    order = np.random.default_rng([seed, fold, 1]).permutation(len(ids))
    chosen = {ids[i] for i in order[:n].tolist()}
    return [i for i in ids if i not in chosen], [i for i in ids if i in chosen]


# ------------------------------------------------------------------ manifests
@dataclass(frozen=True)
class SplitManifest:
    """A frozen split: for each fold, the validation ids (training is every other listed id).

    ``kind`` is ``kfold`` (every id is validated exactly once) or ``holdout`` (one fold: a fixed
    train / evaluation split; ``unused`` lists ids left out of both).
    """

    dataset: str
    kind: str
    seed: int
    folds: tuple[tuple[str, ...], ...]
    train: tuple[tuple[str, ...], ...]
    source: str = ""
    unused: tuple[str, ...] = field(default=())

    @property
    def case_ids(self) -> list[str]:
        return sorted({i for f in self.folds for i in f} | {i for t in self.train for i in t})

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "dataset": self.dataset,
            "kind": self.kind,
            "seed": self.seed,
            "source": self.source,
            "folds": [{"train": list(t), "validation": list(v)} for t, v in zip(self.train, self.folds, strict=True)],
            "unused": list(self.unused),
        }


def kfold_manifest(case_ids: Iterable[str], folds: int, seed: int = 0, dataset: str = "") -> SplitManifest:
    """The seeded k-fold split of ``case_ids`` as a manifest (same folds as :func:`kfold`)."""
    assignment = fold_assignment(case_ids, folds, seed)
    val = tuple(tuple(i for i, f in assignment.items() if f == k) for k in range(folds))
    train = tuple(tuple(i for i, f in assignment.items() if f != k) for k in range(folds))
    return SplitManifest(dataset=dataset, kind="kfold", seed=seed, folds=val, train=train,
                         source=f"seeded {folds}-fold split")


def write_manifest(path: Path | str, manifest: SplitManifest) -> Path:
    """Write ``manifest`` as JSON, atomically."""
    return write_text_atomic(path, json.dumps(manifest.to_json(), indent=1) + "\n")


def read_manifest(path: Path | str) -> SplitManifest:
    """Read a manifest written by :func:`write_manifest`; a malformed file is named in the error."""
    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: split manifest not found")
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
        folds = blob["folds"]
        manifest = SplitManifest(
            dataset=str(blob.get("dataset", "")),
            kind=str(blob["kind"]),
            seed=int(blob.get("seed", 0)),
            folds=tuple(tuple(str(i) for i in f["validation"]) for f in folds),
            train=tuple(tuple(str(i) for i in f["train"]) for f in folds),
            source=str(blob.get("source", "")),
            unused=tuple(str(i) for i in blob.get("unused", [])),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"{path}: not a split manifest ({type(exc).__name__}: {exc})") from exc
    for k, (train, val) in enumerate(zip(manifest.train, manifest.folds, strict=True)):
        overlap = sorted(set(train) & set(val))
        if overlap:
            raise BenchError(f"{path}: fold {k} has ids in both train and validation: {', '.join(overlap[:3])}")
    return manifest


def manifest_fold(
    manifest: SplitManifest, fold: int, available: Iterable[str] | None = None, source: str = "split manifest"
) -> tuple[list[str], list[str]]:
    """(train, validation) ids of ``fold``; with ``available``, every id must exist in the dataset."""
    if not 0 <= fold < len(manifest.folds):
        raise BenchError(f"{source}: fold must be in 0..{len(manifest.folds) - 1}, got {fold}")
    train, val = list(manifest.train[fold]), list(manifest.folds[fold])
    if available is not None:
        have = set(available)
        missing = sorted(i for i in (*train, *val) if i not in have)
        if missing:
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            raise BenchError(f"{source}: {len(missing)} case(s) not in the dataset: {', '.join(missing[:3])}{more}")
    return train, val


# ------------------------------------------------------------------ splits a paper states by its sizes
@dataclass(frozen=True)
class PaperSplit:
    """A split a seed paper states by its sizes (the papers do not list which cases)."""

    name: str
    summary: str
    train: int = 0
    evaluation: int = 0
    folds: int = 0


def paper_manifest(split: PaperSplit | str, case_ids: Iterable[str], seed: int = 0, dataset: str = "") -> SplitManifest:
    """A paper's split of ``case_ids``: its sizes [P], the members drawn with ``seed`` [A].

    ``split``: a :class:`PaperSplit`, or the name of one the built-in plugins know (the seed
    papers': ``shen2017-brats``, ...). For a train / evaluation split the ids are shuffled with the
    seed; the first ``train`` train, the next ``evaluation`` evaluate, and any remaining ids are
    recorded as unused.
    """
    paper = split if isinstance(split, PaperSplit) else _named_split(split)
    name = paper.name
    ids = _sorted_unique(case_ids)
    if paper.folds:
        manifest = kfold_manifest(ids, paper.folds, seed, dataset)
        return SplitManifest(**{**manifest.__dict__, "source": paper.summary})
    need = paper.train + paper.evaluation
    if len(ids) < need:
        raise BenchError(f"split {name} needs {need} cases ({paper.train} + {paper.evaluation}), found {len(ids)}")
    order = np.random.default_rng(seed).permutation(len(ids))
    train = tuple(sorted(ids[i] for i in order[: paper.train]))
    val = tuple(sorted(ids[i] for i in order[paper.train : need]))
    unused = tuple(sorted(ids[i] for i in order[need:]))
    return SplitManifest(dataset=dataset, kind="holdout", seed=seed, folds=(val,), train=(train,),
                         source=paper.summary, unused=unused)


def _named_split(name: str) -> PaperSplit:
    """A paper split by name, from the table the built-in plugins keep."""
    import importlib

    known: Mapping[str, PaperSplit] = importlib.import_module("tumorbench_plugins.datasets.paper_splits").PAPER_SPLITS
    if name not in known:
        raise BenchError(f"unknown paper split {name!r}; known: {', '.join(known)}")
    return known[name]
