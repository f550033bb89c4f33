"""Shen training on tiny synthetic data: the loss falls, checkpoints round-trip, resume, transfer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tumorbench.contract.values import ModelContext
from tumorbench.errors import BenchError
from tumorbench_plugins.models.shen.options import from_json

torch = pytest.importorskip("torch")
pytestmark = [pytest.mark.torch, pytest.mark.slow]

from helpers.shen import request, tiny_source  # noqa: E402

from tumorbench_plugins.models.shen.network import build  # noqa: E402
from tumorbench_plugins.models.shen.plugin import _load, _train  # noqa: E402
from tumorbench_plugins.models.shen.predict import probabilities  # noqa: E402

SMALL = {
    "bcn": {"width": "0.25", "batch": "8", "steps": "8", "lr": "0.003"},
    "fcn": {"width": "0.5", "batch": "8", "steps": "8", "lr": "0.003"},
    "fifcn-ce": {"width": "0.25", "steps": "6", "lr": "0.01"},
}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return tiny_source(tmp_path_factory.mktemp("shen-data"))


@pytest.fixture(scope="module")
def trained(source, tmp_path_factory):
    """Each architecture trained 3 short epochs; model name -> fold directory."""
    store = tmp_path_factory.mktemp("shen-store")
    return {m: _train(m, request(m, source, store, params=p, epochs=3)) for m, p in SMALL.items()}


def _weights(path):
    return torch.load(path, map_location="cpu", weights_only=True)


@pytest.mark.parametrize("model", list(SMALL))
def test_loss_falls(trained, model):
    history = json.loads((trained[model] / "config.json").read_text())["history"]
    assert len(history) == 3
    assert history[-1]["loss"] < 0.8 * history[0]["loss"]
    assert 0.0 <= history[-1]["val_dice"] <= 1.0


@pytest.mark.parametrize("model", list(SMALL))
def test_checkpoint_round_trips(trained, source, model):
    folder = trained[model]
    state = _weights(folder / "checkpoint.pt")  # weights_only=True: a plain state_dict of tensors
    resume = torch.load(folder / "train_state.pt", map_location="cpu", weights_only=True)
    assert set(state) == set(resume["model"])
    assert all(torch.equal(state[k], resume["model"][k]) for k in state)
    split = json.loads((folder / "split.json").read_text())
    ids = sorted(source.case_ids())  # the request trains on the first three and validates on the fourth
    assert (split["trained"], split["validation"], split["fold"]) == (ids[:3], ids[3:], 0)
    assert split["train"] == ids  # every case the trainer saw: none of them may be scored as held out

    # an independent rebuild from config.json + the weights predicts exactly what the plugin does
    cfg = from_json(json.loads((folder / "config.json").read_text()))
    net = build(cfg)
    net.load_state_dict(state)
    case = source.load(sorted(source.case_ids())[3])
    predictor = _load(model, ModelContext(dataset="synthetic", store=folder.parents[2], fold=0, device="cpu"))
    prediction = predictor.predict(case)
    again = _load(model, ModelContext(dataset="synthetic", store=folder.parents[2], device="cpu")).predict(case)
    assert prediction.regions == ("WT",)
    np.testing.assert_array_equal(prediction.probabilities["WT"], again.probabilities["WT"])
    x = predictor_input(case, cfg)
    direct = probabilities(net, cfg, x, torch.device("cpu"))[1]
    from tumorbench.models.preprocess import to_canonical_array

    np.testing.assert_allclose(to_canonical_array(prediction.probabilities["WT"], case.reference.affine), direct, atol=1e-6)


def predictor_input(case, cfg):
    from tumorbench_plugins.models.shen.data import prepare

    return prepare(case, cfg.channels, cfg.classes, with_target=False).x


def test_soft_dice_loss_matches_hand_computation():
    from tumorbench_plugins.models.shen.train import soft_dice_loss

    # two voxels; softmax of logits (0, log 3) is (0.25, 0.75), of (0, 0) is (0.5, 0.5)
    logits = torch.tensor([[0.0, 0.0], [np.log(3.0), 0.0]]).reshape(1, 2, 2, 1, 1)
    target = torch.tensor([1, 0]).reshape(1, 2, 1, 1)
    # foreground: sum p*g = 0.75, sum p = 1.25, sum g = 1 -> Dice (2*0.75 + 1) / (2.25 + 1)
    expected = 1 - (2 * 0.75 + 1) / (1.25 + 1 + 1)
    assert float(soft_dice_loss(logits, target)) == pytest.approx(expected, rel=1e-6)


def test_resume_after_interruption_repeats_the_uninterrupted_run(source, tmp_path):
    params = {"width": "0.25", "batch": "4", "steps": "3"}
    whole = _train("fcn", request("fcn", source, tmp_path / "a", params=params, epochs=2))

    def interrupt(values):
        if values.get("epoch") == 2 and values.get("step") == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _train("fcn", request("fcn", source, tmp_path / "b", params=params, epochs=2, progress=interrupt))
    partial = tmp_path / "b" / "fcn" / "synthetic" / "fold-0"
    assert json.loads((partial / "config.json").read_text())["epochs_done"] == 1
    resumed = _train("fcn", request("fcn", source, tmp_path / "b", params=params, epochs=2))
    a, b = _weights(whole / "checkpoint.pt"), _weights(resumed / "checkpoint.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)

    with pytest.raises(BenchError, match="other options"):
        _train("fcn", request("fcn", source, tmp_path / "b", params={**params, "width": "0.5"}, epochs=3))


def test_transfer_modes(trained, source, tmp_path):
    src = trained["bcn"] / "checkpoint.pt"
    base = _weights(src)
    params = {"width": "0.25", "batch": "4", "steps": "2"}

    pre = _train("bcn", request("bcn", source, tmp_path, params={**params, "transfer": "pretrained"},
                                dataset="target-pre", init_from=src))
    state = _weights(pre / "checkpoint.pt")
    assert set(state) == set(base) and all(torch.equal(state[k], base[k]) for k in base)
    assert json.loads((pre / "config.json").read_text())["epochs_done"] == 0
    from_folder = _train("bcn", request("bcn", source, tmp_path, params={**params, "transfer": "pretrained"},
                                        dataset="target-pre-folder", init_from=src.parent))  # the fold folder
    assert all(torch.equal(_weights(from_folder / "checkpoint.pt")[k], base[k]) for k in base)

    tuned = _train("bcn", request("bcn", source, tmp_path, params=params, epochs=0, dataset="target-ft",
                                  init_from=src))
    cfg = json.loads((tuned / "config.json").read_text())
    assert cfg["transfer"] == "fine-tune" and cfg["bn"] and cfg["dropout"]
    state = _weights(tuned / "checkpoint.pt")
    assert all(torch.equal(state[k], base[k]) for k in base)  # starts from the source weights
    assert any(k.startswith("norms.") for k in state)  # plus new batch norm
    trained_ft = _train("bcn", request("bcn", source, tmp_path / "ft2", params=params, epochs=1, dataset="t",
                                       init_from=src))
    after = _weights(trained_ft / "checkpoint.pt")
    assert not torch.equal(after["convs.0.weight"], base["convs.0.weight"])  # and then trains

    fresh = _train("bcn", request("bcn", source, tmp_path, params={**params, "transfer": "retrain"}, epochs=0,
                                  dataset="target-re", init_from=src))
    state = _weights(fresh / "checkpoint.pt")
    assert not torch.equal(state["convs.0.weight"], base["convs.0.weight"])

    with pytest.raises(BenchError, match="cannot initialise"):
        _train("fcn", request("fcn", source, tmp_path, params=params, dataset="x", init_from=src))
