"""The held-out fold never picks the checkpoint: a fold's validation cases come from its training
folds, the held-out fold is never given to the trainer, and a case the trainer validated on is
never scored as held out (issue 24, item 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tumorbench.contract.values import DatasetOptions, TrainRequest
from tumorbench.errors import BenchError
from tumorbench.loading.registry import Registry
from tumorbench.models.fold_training import FoldJob, train_fold
from tumorbench.models.model_store import fold_dir, write_metadata
from tumorbench.models.splits import inner_split, kfold, validation_count
from tumorbench.models.training import TrainControl
from tumorbench.prediction.folds import stored_folds


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory):
    """Eight small phantoms: 4 folds of 2 cases."""
    root = tmp_path_factory.mktemp("phantoms") / "data"
    return Registry().datasets.get("synthetic").open(DatasetOptions(root=root, params={"cases": "8", "size": "24,24,20", "seed": "5"}))


def _job(source, store: Path, fold: int = 0, **kw) -> FoldJob:
    spec = Registry().models.get("intensity-fitted")
    return FoldJob(spec=spec, dataset="synthetic", source=source, fold=fold, folds=4, store=store, seed=0, **kw)


def test_validation_counts_follow_the_documented_rule() -> None:
    # a fifth of the training cases, rounded, at least one, and at least one left to train on
    assert [validation_count(n) for n in (2, 3, 5, 6, 8, 10, 228)] == [1, 1, 1, 1, 2, 2, 46]
    assert validation_count(10, 3) == 3 and validation_count(10, 0.5) == 5
    for bad in ((1, 0.2), (4, 4), (4, 2.5), (4, 0)):
        with pytest.raises(BenchError):
            validation_count(*bad)


def test_inner_split_is_seeded_order_free_and_inside_the_training_cases() -> None:
    ids = [f"c{i}" for i in range(12)]
    training, held_out = kfold(ids, 4, 1, seed=3)
    trained, validation = inner_split(training, fold=1, seed=3)
    assert sorted(trained + validation) == sorted(training) and not set(validation) & set(trained)
    assert len(validation) == 2 and not set(validation) & set(held_out)
    assert inner_split(list(reversed(training)), fold=1, seed=3) == (trained, validation)
    others = {tuple(inner_split(training, fold=1, seed=s)[1]) for s in range(8)}
    assert len(others) > 1  # the seed draws them


def test_the_trainer_never_gets_the_held_out_fold_and_split_json_records_all_three(source, tmp_path: Path) -> None:
    job = _job(source, tmp_path / "store")
    got: list[TrainRequest] = []
    real = job.spec.train
    from dataclasses import replace

    job = replace(job, spec=replace(job.spec, train=lambda request: got.append(request) or real(request)))
    train_fold(job, TrainControl())
    (request,) = got
    training, held_out = kfold(source.case_ids(), 4, 0, seed=0)  # the scored fold
    given = set(request.train_ids) | set(request.val_ids)
    assert not given & set(held_out), "the held-out fold was given to the trainer"
    assert set(request.val_ids) and set(request.val_ids) <= set(training)
    assert len(request.val_ids) == 1 and len(request.train_ids) == 5  # 6 training cases: a fifth, rounded
    split = json.loads((fold_dir(tmp_path / "store", "intensity-fitted", "synthetic", 0) / "split.json").read_text())
    assert split["held_out"] == sorted(held_out)
    assert split["trained"] == sorted(request.train_ids) and split["validation"] == sorted(request.val_ids)
    assert set(split["train"]) == given  # `train`: every case the model saw in any way
    assert split["protocol"] == "validation inside the training folds"


def test_a_validation_case_is_never_scored_as_held_out(source, tmp_path: Path) -> None:
    store = tmp_path / "store"
    train_fold(_job(source, store), TrainControl())
    split = json.loads((fold_dir(store, "intensity-fitted", "synthetic", 0) / "split.json").read_text())
    folds = stored_folds(store, "intensity-fitted", "synthetic")
    for case in split["validation"] + split["trained"]:
        assert folds.held_out_by(case) == (), case  # seen: excluded, never scored out of fold
    for case in split["held_out"]:
        assert folds.held_out_by(case) == (0,)


def test_a_validation_list_counts_as_seen_even_when_train_omits_it(tmp_path: Path) -> None:
    """A trainer written before the harness kept validation apart may write ``train`` without the
    validation cases; out-of-fold scoring still counts ``validation`` as seen."""
    directory = fold_dir(tmp_path, "m", "d", 0)
    write_metadata(directory, {}, {"train": ["a"], "validation": ["b"], "held_out": ["c"], "fold": 0, "folds": 2})
    (directory / "checkpoint.json").write_text("{}")
    folds = stored_folds(tmp_path, "m", "d")
    assert folds.held_out_by("b") == () and folds.held_out_by("c") == (0,)


def test_the_harness_rewrites_an_old_style_split_a_trainer_wrote(source, tmp_path: Path) -> None:
    """A third-party trainer that writes ``{"train": train_ids, "val": val_ids}`` (the old API) still
    leaves a complete record: the harness writes ``split.json`` after it."""
    from dataclasses import replace

    store = tmp_path / "store"
    job = _job(source, store)
    real = job.spec.train

    def old_style(request: TrainRequest) -> Path:
        out = real(request)
        write_metadata(out, {"model": request.model}, {"train": list(request.train_ids), "val": list(request.val_ids)})
        return out

    train_fold(replace(job, spec=replace(job.spec, train=old_style)), TrainControl())
    split = json.loads((fold_dir(store, "intensity-fitted", "synthetic", 0) / "split.json").read_text())
    assert set(split["validation"]) <= set(split["train"]) and split["held_out"]


def test_a_fold_with_one_training_case_cannot_keep_a_validation_case(tmp_path: Path) -> None:
    root = tmp_path / "data"
    small = Registry().datasets.get("synthetic").open(DatasetOptions(root=root, params={"cases": "2", "size": "16,16,16"}))
    job = FoldJob(spec=Registry().models.get("intensity-fitted"), dataset="synthetic", source=small, fold=0, folds=2,
                  store=tmp_path / "store")
    with pytest.raises(BenchError, match="fold 0 of 2: 1 training case.*validation case cannot be kept aside"):
        job.split()
