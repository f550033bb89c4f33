"""Hostile model-store files: every config and checkpoint checked on load, one line naming the
file and the key; NaN or infinite parameters refused. Each store is written at test time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers.rendering import run_and_render

from tumorbench.contract.values import ModelContext
from tumorbench.errors import BenchError
from tumorbench.io.schema import Field, check, check_finite, read_json_object
from tumorbench.run.options import RunOptions
from tumorbench_plugins.models.baseline import load, load_fitted
from tumorbench_plugins.models.shen.options import from_json
from tumorbench_plugins.models.tunet.train import options_from_config


def _fitted(store: Path, text: str, dataset: str = "brats18") -> Path:
    fold = store / "intensity-fitted" / dataset / "fold-0"
    fold.mkdir(parents=True)
    path = fold / "checkpoint.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "cause"), [
    ('{"wt": NaN, "et": 1.0, "scale": 0.5}', "key 'wt' is nan: must be finite"),
    ('{"wt": 1.0, "et": Infinity, "scale": 0.5}', "key 'et' is inf: must be finite"),
    ('{"wt": 1.0, "et": 1.0, "scale": 0}', "key 'scale' is 0: must be > 0"),
    ('{"wt": "1.0", "et": 1.0, "scale": 0.5}', "key 'wt' is \"1.0\": expected a number"),
    ('{"wt": true, "et": 1.0, "scale": 0.5}', "key 'wt' is true: expected a number"),
    ('{"wt": 1.0, "et": 1.0}', "missing key 'scale'"),
    ('[1, 2, 3]', "expected a JSON object, found list"),
    ('{"wt": 1.0,', "not valid JSON (Expecting property name enclosed in double quotes, line 1)"),
])
def test_intensity_fitted_checkpoint_is_checked(tmp_path: Path, text: str, cause: str) -> None:
    path = _fitted(tmp_path, text)
    with pytest.raises(BenchError) as info:
        load_fitted(ModelContext(dataset="brats18", store=tmp_path))
    assert str(info.value) == f"{path}: {cause}"


def test_nan_thresholds_fail_every_case_instead_of_scoring_ok(tmp_path: Path, synthetic_root: Path) -> None:
    path = _fitted(tmp_path / "store", '{"wt": NaN, "et": 1.0, "scale": 0.5}')
    summary = run_and_render(RunOptions(models=("intensity-fitted",), datasets=("brats18",), out=tmp_path / "run",
                             data_roots={"brats18": synthetic_root}, model_store=tmp_path / "store"))
    assert (summary.ok, summary.failed) == (0, 4)
    assert {f[3] for f in summary.failures} == {f"load: {path}: key 'wt' is nan: must be finite"}  # the phase, then the file


def test_baseline_options_must_be_finite() -> None:
    with pytest.raises(BenchError, match=r"^--model-opt: key 'wt' is nan: must be finite$"):
        load(ModelContext(dataset="x", store=Path("."), params={"wt": "nan"}))
    with pytest.raises(BenchError, match=r"^--model-opt et=high: not a number$"):
        load(ModelContext(dataset="x", store=Path("."), params={"et": "high"}))


@pytest.mark.parametrize(("config", "cause"), [
    ({"arch": "resnet"}, "key 'arch' is \"resnet\": expected one of bcn, fcn, fifcn"),
    ({"arch": "fcn", "channels": ["flair", "seg"]}, "key 'channels' item 1 is \"seg\": expected one of flair, t1, t1ce, t2"),
    ({"arch": "fcn", "channels": ["flair", "flair", "t1", "t2"]}, "key 'channels' is [\"flair\", \"flair\", \"t1\", \"t2\"]: items must not repeat"),
    ({"arch": "fcn", "channels": "flair"}, "key 'channels' is \"flair\": expected a list"),
    ({"arch": "fcn", "classes": "2"}, "key 'classes' is \"2\": expected an integer"),
    ({"arch": "fcn", "classes": 3}, "key 'classes' is 3: expected one of 2, 5"),
    ({"arch": "fcn", "width": float("nan")}, "key 'width' is nan: must be finite"),
    ({"arch": "fcn", "crop": [160, 160]}, "key 'crop' has 2 items: expected 3"),
    ({"arch": "fcn", "crop": [160, 160, 100]}, "key crop=(160, 160, 100): three positive multiples of 16 (fcn)"),
    ({"arch": "bcn", "bn_stats": "volume"}, "key bn_stats=volume: only the full-image FCN takes it (bcn)"),
])
def test_shen_config_is_checked_naming_file_and_key(config: dict, cause: str) -> None:
    with pytest.raises(BenchError) as info:
        from_json(config, "store/fcn/brats18/fold-0/config.json")
    assert str(info.value) == f"store/fcn/brats18/fold-0/config.json: {cause}"


def test_shen_config_written_by_training_reads_back() -> None:
    from tumorbench_plugins.models.shen.options import from_params

    cfg = from_params("fifcn-dice", {"width": "0.5", "classes": "5"})
    assert from_json(json.loads(json.dumps(cfg.to_json()))) == cfg


@pytest.mark.parametrize(("config", "cause"), [
    ({"options": {"width": "16"}}, "options: key 'width' is \"16\": expected an integer"),
    ({"options": {"patch": [80, 96]}}, "options: key 'patch' has 2 items: expected 3"),
    ({"options": {"lr": float("inf")}}, "options: key 'lr' is inf: must be finite"),
    ({"options": {"prior": 1.0}}, "options: key 'prior' is 1.0: must be < 1"),
    ({"options": {"patch": [80, 96, 63]}}, "options: tunet-seb: patch (80, 96, 63) must be divisible by 2^(depth-1) = 8"),
    ({"framework": "torch"}, "key 'framework' is \"torch\": expected one of keras"),
    ({"options": ["width"]}, "key 'options' is [\"width\"]: expected an object"),
])
def test_tunet_config_is_checked_naming_file_and_key(config: dict, cause: str) -> None:
    with pytest.raises(BenchError) as info:
        options_from_config("tunet-seb", config, "cfg.json")
    assert str(info.value) == f"cfg.json: {cause}"


def test_schema_helpers_on_their_own(tmp_path: Path) -> None:
    schema = {"n": Field(int, required=True, minimum=1), "name": Field(str, nullable=True)}
    assert check({"n": 2, "name": None, "extra": 1}, schema, "f") == {"n": 2, "name": None, "extra": 1}
    with pytest.raises(BenchError, match=r"^f: key 'n' is 0: must be >= 1$"):
        check({"n": 0}, schema, "f")
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe")
    with pytest.raises(BenchError, match=r"bad.json: cannot read \(UnicodeDecodeError"):
        read_json_object(tmp_path / "bad.json")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(BenchError, match=r"deep.json: not valid JSON"):
        read_json_object(tmp_path / "deep.json")
    import numpy as np

    check_finite([("ok", np.ones(3)), ("ints", np.arange(3))], "w")
    with pytest.raises(BenchError, match=r"^w: tensor 'b' holds NaN or infinity \(1 of 4 values\)$"):
        check_finite([("a", np.ones(2)), ("b", np.array([0.0, 1.0, np.inf, 2.0]))], "w")


@pytest.mark.torch
def test_shen_checkpoint_with_nan_weights_is_refused(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from tumorbench_plugins.models.shen.network import build
    from tumorbench_plugins.models.shen.options import from_params
    from tumorbench_plugins.models.shen.plugin import _load

    cfg = from_params("fcn", {"width": "0.25"})
    fold = tmp_path / "fcn" / "brats18" / "fold-0"
    fold.mkdir(parents=True)
    state = build(cfg).state_dict()
    name = next(k for k, v in state.items() if v.is_floating_point())
    state[name].view(-1)[3] = float("nan")
    torch.save(state, fold / "checkpoint.pt")
    (fold / "config.json").write_text(json.dumps(cfg.to_json()), encoding="utf-8")
    with pytest.raises(BenchError) as info:
        _load("fcn", ModelContext(dataset="brats18", store=tmp_path, device="cpu"))
    assert str(info.value) == (f"{fold / 'checkpoint.pt'}: tensor {name!r} holds NaN or infinity "
                               f"(1 of {state[name].numel()} values)")
    # the same folder with wrong channels in its config fails on the config first, naming the key
    (fold / "config.json").write_text(json.dumps({**cfg.to_json(), "channels": ["flair", "t1", "t1", "t2"]}))
    with pytest.raises(BenchError, match=r"config.json: key 'channels' is .*: items must not repeat$"):
        _load("fcn", ModelContext(dataset="brats18", store=tmp_path, device="cpu"))
    shutil.rmtree(fold)


@pytest.mark.tensorflow
def test_keras_checkpoint_with_nan_weights_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    from tumorbench_plugins.models.tunet.backend import keras_module
    from tumorbench_plugins.models.tunet.checkpoints import load_model, save_model

    keras = keras_module("cpu")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="head")])
    kernel, bias = model.get_weights()
    bias[1] = float("inf")
    model.set_weights([kernel, bias])
    path = tmp_path / "checkpoint.keras"
    save_model(model, path)
    with pytest.raises(BenchError) as info:
        load_model(path)
    assert str(info.value).startswith(f"{path}: weight ")
    assert str(info.value).endswith("holds NaN or infinity (1 of 2 values)")


def test_tunet_training_state_is_checked(tmp_path: Path) -> None:
    from tumorbench_plugins.models.tunet.checkpoints import read_state

    assert read_state(tmp_path) == {}
    good = {"epoch": 3, "best": None, "wait": 0, "lr_wait": 1, "lr": 1e-4, "history": [], "stopped": False}
    (tmp_path / "train_state.json").write_text(json.dumps(good))
    assert read_state(tmp_path) == good
    (tmp_path / "train_state.json").write_text(json.dumps({**good, "epoch": -1}))
    with pytest.raises(BenchError, match=r"train_state.json: key 'epoch' is -1: must be >= 0$"):
        read_state(tmp_path)
    (tmp_path / "train_state.json").write_text(json.dumps({k: v for k, v in good.items() if k != "lr"}))
    with pytest.raises(BenchError, match=r"train_state.json: missing key 'lr'$"):
        read_state(tmp_path)


@pytest.mark.torch
def test_shen_training_state_missing_a_key_is_one_line(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from helpers.shen import request, tiny_source

    from tumorbench_plugins.models.shen.options import from_params
    from tumorbench_plugins.models.shen.train import train

    params = {"width": "0.25", "batch": "2", "steps": "1"}
    cfg = from_params("fcn", params)
    fold = tmp_path / "store" / "fcn" / "synthetic" / "fold-0"
    fold.mkdir(parents=True)
    torch.save({"arch": json.dumps(cfg.arch_dict()), "epoch": 1}, fold / "train_state.pt")
    source = tiny_source(tmp_path / "data")
    with pytest.raises(BenchError) as info:
        train("fcn", request("fcn", source, tmp_path / "store", params=params, epochs=1))
    assert str(info.value) == (f"{fold / 'train_state.pt'}: unreadable training state (KeyError: 'seed'); "
                               "delete it to start afresh")
