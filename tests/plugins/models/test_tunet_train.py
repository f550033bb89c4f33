"""TuNet training, resume, store layout, inference mapping, fold averaging, the ensemble plugin.

Uses tiny synthetic phantoms (NIfTI written to a temporary folder) and tiny networks.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers.shared_data import brats2018_root

from tumorbench.contract.values import DatasetOptions, ModelContext, TrainRequest
from tumorbench.errors import MissingCheckpointError
from tumorbench.loading.registry import Registry
from tumorbench.prediction.ensemble import EnsemblePredictor, get_combiner
from tumorbench_plugins.models.tunet.data import prepare, restore
from tumorbench_plugins.models.tunet.options import REGIONS, parse_options

TINY = {"width": "2", "depth": "2", "grid": "none", "patch": "16,16,16", "batch": "2", "lr": "1e-2"}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    spec = Registry().datasets.get("synthetic")
    root = tmp_path_factory.mktemp("synthetic") / "data"
    return spec.open(DatasetOptions(root=root, params={"cases": "4", "size": "24,24,20", "seed": "3"}))


def request(source, store: Path, model: str = "tunet-seb", fold: int = 0, epochs: int = 1, **kw) -> TrainRequest:
    ids = source.case_ids()
    val = (ids[3],) if fold == 0 else (ids[2],)
    train = tuple(i for i in ids if i not in val)
    return TrainRequest(
        model=model, dataset="synthetic", source=source, train_ids=train, val_ids=val, fold=fold, folds=2,
        store=store, epochs=epochs, seed=7, device="cpu", params={**TINY, **kw.pop("params", {})}, **kw,
    )


def dice(a: np.ndarray, b: np.ndarray) -> float:
    return 2.0 * float(np.logical_and(a, b).sum()) / max(float(a.sum() + b.sum()), 1.0)


# ------------------------------------------------------------------ preprocessing maps back
def test_prepared_targets_map_back_onto_the_native_grid(source):
    case = source.load(source.case_ids()[0])
    truth = case.convention.to_regions(np.asarray(case.label.data))
    exact = prepare(case, parse_options("tunet", TINY))  # crop only: the inverse is exact
    back = restore(exact.target.astype(np.float32), exact, case)
    for i, region in enumerate(REGIONS):
        np.testing.assert_array_equal(back[i] >= 0.5, truth[region])
    resampled = prepare(case, parse_options("tunet", {**TINY, "grid": "32,32,24"}))
    assert resampled.image.shape == (32, 32, 24, 4)
    back = restore(resampled.target.astype(np.float32), resampled, case)
    assert dice(back[0] >= 0.5, truth["WT"]) > 0.9


@pytest.mark.slow
def test_real_case_round_trip_through_the_paper_grid():
    """A real LPS case resampled to 160x192x128 and back keeps its whole tumour (Dice > 0.95)."""
    spec = Registry().datasets.get("brats18")
    src = spec.open(DatasetOptions(root=brats2018_root()))
    case = src.load(src.case_ids()[0])
    prepared = prepare(case, parse_options("tunet"))
    assert prepared.image.shape == (160, 192, 128, 4)
    back = restore(prepared.target.astype(np.float32), prepared, case)
    truth = case.convention.to_regions(np.asarray(case.label.data))
    assert back.shape == (3, *case.shape)
    assert dice(back[0] >= 0.5, truth["WT"]) > 0.95


# ------------------------------------------------------------------ training
def _store_untrained(store: Path, model: str, fold: int, seed: int) -> None:
    """A real checkpoint of ``model`` with seeded initial weights (averaging tests need no training)."""
    from tumorbench.models.model_store import fold_dir, write_metadata
    from tumorbench_plugins.models.tunet.backend import keras_module
    from tumorbench_plugins.models.tunet.checkpoints import save_model
    from tumorbench_plugins.models.tunet.network import build_tunet

    keras = keras_module("cpu")
    keras.utils.set_random_seed(seed)
    opts = parse_options(model, TINY)
    directory = fold_dir(store, model, "synthetic", fold)
    save_model(build_tunet(opts, keras), directory / "checkpoint.keras")
    write_metadata(directory, {"model": model, "options": opts.to_json()}, {"fold": fold})


@pytest.fixture(scope="module")
def trained(source, tmp_path_factory):
    """tunet-seb fold 0 trained for 3 epochs; the progress records it reported."""
    store = tmp_path_factory.mktemp("store")
    seen: list[dict] = []
    Registry().models.get("tunet-seb").train(request(source, store, epochs=3, progress=seen.append))
    return store, seen


@pytest.mark.slow
@pytest.mark.tensorflow
def test_training_lowers_the_loss_writes_the_store_and_resumes(source, trained):
    store, reports = trained
    seen = [{k: v for k, v in r.items() if k not in ("epochs", "seconds")} for r in reports if "step" not in r]
    steps = [r for r in reports if "step" in r]
    assert [r["step"] for r in steps if r["epoch"] == 1] == list(range(1, steps[0]["steps"] + 1))
    spec = Registry().models.get("tunet-seb")
    directory = store / "tunet-seb" / "synthetic" / "fold-0"
    assert [r["epoch"] for r in seen] == [1, 2, 3]
    assert seen[-1]["loss"] < seen[0]["loss"]  # summed soft Dice falls (it is negative, -3 best)
    assert all(-3.0 <= r["loss"] <= 0.0 for r in seen)
    for name in ("checkpoint.keras", "train_state.keras", "config.json", "split.json"):
        assert (directory / name).is_file()
    config = json.loads((directory / "config.json").read_text())
    assert config["options"]["width"] == 2 and config["options"]["patch"] == [16, 16, 16]
    split = json.loads((directory / "split.json").read_text())
    assert split["validation"] == [source.case_ids()[3]] and len(split["trained"]) == 3
    assert sorted(split["train"]) == sorted(source.case_ids()[:4])  # every case the trainer saw

    # resume: one more epoch continues the history and schedule; asking for 4 again does nothing
    more: list[dict] = []
    spec.train(request(source, store, epochs=4, progress=more.append))
    more = [r for r in more if "step" not in r]
    assert [r["epoch"] for r in more] == [4]
    state = json.loads((directory / "train_state.json").read_text())
    assert [r["epoch"] for r in state["history"]] == [1, 2, 3, 4]
    assert state["history"][:3] == seen
    spec.train(request(source, store, epochs=4, progress=more.append))
    assert len(more) == 1  # nothing reported: nothing trained


@pytest.mark.slow
@pytest.mark.tensorflow
def test_folds_and_the_tunet_ensemble_average_by_hand(source, trained):
    """fold=k loads one fold; fold=None the mean of every stored fold; tunet-ensemble the mean of its
    members' fold means (Eq. 1), as the runner resolves an EnsembleSpec."""
    store, _ = trained
    registry = Registry()
    ensemble = registry.ensembles.get("tunet-ensemble")
    assert ensemble.members == ("tunet-seb", "tunet-reb1-seb", "tunet-reb2-seb") and ensemble.method == "mean"
    folds = {"tunet-seb": (0, 1), "tunet-reb1-seb": (0,), "tunet-reb2-seb": (0, 2)}
    _store_untrained(store, "tunet-seb", 1, seed=11)  # fold 0 is the trained one
    _store_untrained(store, "tunet-reb1-seb", 0, seed=20)
    _store_untrained(store, "tunet-reb2-seb", 0, seed=30)
    _store_untrained(store, "tunet-reb2-seb", 2, seed=32)
    case = source.load(source.case_ids()[3])

    def context(fold):
        return ModelContext(dataset="synthetic", store=store, fold=fold, device="cpu")

    members, member_means = [], []
    for member, ks in folds.items():
        spec = registry.models.get(member)
        maps = []
        for k in ks:
            p = spec.load(context(k)).predict(case)
            assert p.regions == REGIONS
            for region in REGIONS:
                m = p.probabilities[region]
                assert m.shape == case.shape and m.dtype == np.float32 and 0.0 <= m.min() and m.max() <= 1.0
            maps.append(p.probabilities)
        if len(maps) > 1:  # folds differ, so their mean is a real average
            assert not np.allclose(maps[0]["WT"], maps[1]["WT"])
        member_means.append({r: np.mean([m[r].astype(np.float64) for m in maps], axis=0) for r in REGIONS})
        every_fold = spec.load(context(None))
        members.append(every_fold)
        mean = every_fold.predict(case)
        for region in REGIONS:
            np.testing.assert_allclose(mean.probabilities[region], member_means[-1][region], atol=1e-6)
    combined = EnsemblePredictor(tuple(members), get_combiner(ensemble.method)).predict(case)
    for region in REGIONS:
        hand = np.mean([m[region] for m in member_means], axis=0)
        np.testing.assert_allclose(combined.probabilities[region], hand, atol=1e-6)


@pytest.mark.slow
@pytest.mark.tensorflow
def test_folds_sharing_one_keras_model_each_predict_with_their_own_weights(source, trained):
    """Two folds of one architecture run on one Keras model (traced once), each loading its own
    weights first: interleaved, each gives what its checkpoint loaded on its own gives."""
    from tumorbench_plugins.models.tunet.checkpoints import load_model
    from tumorbench_plugins.models.tunet.predict import FoldModel

    store, _ = trained
    _store_untrained(store, "tunet-seb", 1, seed=11)
    spec = Registry().models.get("tunet-seb")
    loaded = {k: spec.load(ModelContext(dataset="synthetic", store=store, fold=k, device="cpu")).folds[0] for k in (0, 1)}
    assert loaded[0].model is loaded[1].model  # one Keras model runs both folds
    case = source.load(source.case_ids()[3])
    prepared = prepare(case, loaded[0].opts)
    alone = {
        k: FoldModel(load_model(store / "tunet-seb" / "synthetic" / f"fold-{k}" / "checkpoint.keras"), loaded[k].opts, k)
        .probabilities(prepared) for k in (0, 1)
    }
    assert not np.allclose(alone[0], alone[1])  # the folds differ
    for k in (1, 0, 1, 0):
        np.testing.assert_allclose(loaded[k].probabilities(prepared), alone[k], atol=1e-6)


def test_missing_member_checkpoint_names_the_train_command(tmp_path):
    registry = Registry()
    for member in registry.ensembles.get("tunet-ensemble").members:
        with pytest.raises(MissingCheckpointError) as info:
            registry.models.get(member).load(ModelContext(dataset="brats19", store=tmp_path, fold=None, device="cpu"))
        assert f"bench train --model {member} --dataset brats19" in str(info.value)
        assert str(tmp_path) in str(info.value)


@pytest.mark.tensorflow
def test_a_stop_inside_an_epoch_resumes_at_the_next_step(source, tmp_path):
    from tumorbench.models.training import INTERRUPTED, TrainControl

    control = TrainControl()
    first: list[dict] = []

    def stop_after_two(values):
        first.append(values)
        if values.get("step") == 2:
            control.stop_requested = True  # what Ctrl-C does

    spec = Registry().models.get("tunet-seb")
    spec.train(request(source, tmp_path, epochs=1, progress=stop_after_two, control=control))
    directory = tmp_path / "tunet-seb" / "synthetic" / "fold-0"
    state = json.loads((directory / "train_state.json").read_text())
    assert control.stopped == INTERRUPTED and control.kept.startswith("0 epoch(s) and 2 of ")
    assert state["epoch"] == 0 and state["step"] == 2 and len(state["partial_losses"]) == 2
    assert (directory / "checkpoint.keras").is_file()  # something to score already

    rest: list[dict] = []
    spec.train(request(source, tmp_path, epochs=1, progress=rest.append))
    steps = [r["step"] for r in rest if "step" in r]
    assert steps[0] == 3 and steps[-1] == first[0]["steps"]  # continued where it stopped
    history = json.loads((directory / "train_state.json").read_text())["history"]
    assert [h["epoch"] for h in history] == [1] and history[0]["steps"] == first[0]["steps"]


def test_validation_steps_keep_batches_spread_evenly_over_the_validation_tiles(source):
    """``val_steps=k`` validates on k of the epoch's validation batches: the first, the last and
    evenly spaced ones between (Keras's ``validation_steps``), the same every epoch."""
    from dataclasses import replace

    from tumorbench_plugins.models.tunet.train import CaseCache, batches, validation_batches

    opts = parse_options("tunet-seb", TINY)
    cache = CaseCache(source, opts)
    ids = list(source.case_ids()[2:])
    every = list(batches(cache, ids, opts, None))
    assert len(every) >= 4
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(validation_batches(cache, ids, opts), every, strict=True))
    kept = list(validation_batches(cache, ids, replace(opts, val_steps=3)))
    expected = [every[0], every[int(np.round((len(every) - 1) / 2))], every[-1]]
    assert len(kept) == 3
    for (x, y), (ex, ey) in zip(kept, expected, strict=True):
        assert np.array_equal(x, ex) and np.array_equal(y, ey)
    assert len(list(validation_batches(cache, ids, replace(opts, val_steps=len(every) + 5)))) == len(every)


def test_a_later_fold_reuses_the_compiled_graph_and_trains_exactly_as_a_fresh_model(source, tmp_path):
    """Fold 1 trained after fold 0 in the same process (the compiled model reused: new weights,
    Adam reset) gives the history and weights of fold 1 trained first (a fresh compile)."""
    import keras

    from tumorbench_plugins.models.tunet import train as tunet_train
    from tumorbench_plugins.models.tunet.checkpoints import load_model

    spec = Registry().models.get("tunet-seb")
    tunet_train._COMPILED.clear()
    spec.train(request(source, tmp_path / "alone", fold=1, epochs=2))
    alone = json.loads((tmp_path / "alone" / "tunet-seb" / "synthetic" / "fold-1" / "train_state.json").read_text())["history"]

    tunet_train._COMPILED.clear()
    spec.train(request(source, tmp_path / "after", fold=0, epochs=2))
    first = next(iter(tunet_train._COMPILED.values()))
    spec.train(request(source, tmp_path / "after", fold=1, epochs=2))
    assert next(iter(tunet_train._COMPILED.values())) is first  # the same compiled model: no new trace
    after = json.loads((tmp_path / "after" / "tunet-seb" / "synthetic" / "fold-1" / "train_state.json").read_text())["history"]

    for a, b in zip(alone, after, strict=True):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-5, abs=1e-6)
        assert a["val_loss"] == pytest.approx(b["val_loss"], rel=1e-5, abs=1e-6)
    wa = load_model(tmp_path / "alone" / "tunet-seb" / "synthetic" / "fold-1" / "checkpoint.keras").get_weights()
    wb = load_model(tmp_path / "after" / "tunet-seb" / "synthetic" / "fold-1" / "checkpoint.keras").get_weights()
    assert all(np.allclose(x, y, rtol=1e-5, atol=1e-6) for x, y in zip(wa, wb, strict=True))
    assert int(keras.ops.convert_to_numpy(first.optimizer.iterations)) > 0
