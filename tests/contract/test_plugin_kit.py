"""Typed options on specs, --postprocess NAME:key=value, combiners from the registry, errors that
name their phase, and the resolved --init-from checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers.rendering import run_and_render
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.contract.hookspecs import hookimpl
from tumorbench.contract.options import FIXED, apply_options, format_options, option_fields, parse_options
from tumorbench.contract.phases import PhaseError, in_phase, on_grid
from tumorbench.contract.specs import ModelSpec
from tumorbench.contract.values import Prediction
from tumorbench.errors import BenchError, DataError
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.models.model_store import resolve_checkpoint
from tumorbench.prediction.ensemble import get_combiner, parse_adhoc
from tumorbench.prediction.postprocess import resolve_postprocessors, split_postprocess
from tumorbench.run.options import RunOptions

runner = CliRunner()


@dataclass(frozen=True)
class Opts:
    size: int = 3
    weights: tuple[float, ...] = ()
    mode: str = "fill"
    arch: str = field(default="a", metadata=FIXED)


def test_option_fields_list_types_and_defaults_without_fixed_ones() -> None:
    assert option_fields(Opts) == [("size", "int", "3"), ("weights", "tuple[float, ...]", ""), ("mode", "str", "fill")]
    assert format_options(Opts, defaults=False) == "size, weights, mode"
    assert option_fields(None) == []


def test_parse_options_types_values_and_refuses_bad_keys() -> None:
    parsed = parse_options(Opts, {"size": "5", "weights": "2,1,0.5"}, owner="x", flag="--postprocess x")
    assert parsed == Opts(size=5, weights=(2.0, 1.0, 0.5))
    with pytest.raises(BenchError, match=r"^--postprocess x arch: not a x option \(known: size, weights, mode\)$"):
        parse_options(Opts, {"arch": "b"}, owner="x", flag="--postprocess x")
    with pytest.raises(BenchError, match=r"^--postprocess x size=big: expected an integer$"):
        parse_options(Opts, {"size": "big"}, owner="x", flag="--postprocess x")
    with pytest.raises(BenchError, match="takes no options"):
        parse_options(None, {"size": "1"}, owner="post-processor y", flag="--postprocess y")
    with pytest.raises(BenchError, match="arch: not a x option"):  # FIXED metadata is enough
        apply_options(Opts(), {"arch": "b"}, owner="x")


def test_split_postprocess() -> None:
    assert split_postprocess("tunet-postprocess") == ("tunet-postprocess", {})
    assert split_postprocess("p:a=1,b=2") == ("p", {"a": "1", "b": "2"})
    assert split_postprocess("p:t=0.3,0.1,b=2") == ("p", {"t": "0.3,0.1", "b": "2"})  # a comma inside a value
    assert split_postprocess("p:t=0.3,0.1;b=2") == ("p", {"t": "0.3,0.1", "b": "2"})
    with pytest.raises(BenchError, match="is not key=value"):
        split_postprocess("p:=3")


def test_postprocessor_options_reach_apply(synthetic_root: Path) -> None:
    registry = Registry(get_plugin_manager(entry_points=False))
    (step,) = resolve_postprocessors(registry, ["tunet-postprocess:tc_thresholds=0.2;et_min_voxels=7"])
    assert step.options.tc_thresholds == (0.2,) and step.options.et_min_voxels == 7
    with pytest.raises(BenchError, match=r"^--postprocess tunet-postprocess bogus: not a post-processor tunet-postprocess option"):
        resolve_postprocessors(registry, ["tunet-postprocess:bogus=1"])


def test_bad_options_are_refused_before_any_case(tmp_path: Path, synthetic_root: Path) -> None:
    base = dict(models=("intensity-baseline",), datasets=("brats18",), out=tmp_path / "run", data_roots={"brats18": synthetic_root})
    with pytest.raises(BenchError, match=r"^--model-opt wt=high: expected a number$"):
        run_and_render(RunOptions(**base, model_params={"wt": "high"}))
    with pytest.raises(BenchError, match="not a intensity-baseline option"):
        run_and_render(RunOptions(**base, model_params={"width": "2"}))
    with pytest.raises(BenchError, match=r"et_min_voxels=many: expected an integer"):
        run_and_render(RunOptions(**base, postprocess=("tunet-postprocess:et_min_voxels=many",)))
    assert not (tmp_path / "run").exists()  # nothing half-written


def test_postprocess_options_change_the_result_and_its_name(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    run_and_render(RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=out, data_roots={"brats18": synthetic_root},
                   postprocess=("tunet-postprocess:et_min_voxels=1000000",)))
    csv = pd.read_csv(out / "metrics.csv")
    assert set(csv.model) == {"intensity-baseline+tunet-postprocess:et_min_voxels=1000000"}
    for labels in (out / "predictions").rglob("*_1.nii.gz"):
        from tumorbench.io.nifti import load_volume

        assert not (load_volume(labels).data == 4).any()  # every enhancing voxel became core


def test_bench_models_show_and_plugins_list_options() -> None:
    shown = runner.invoke(build_app(), ["models", "show", "intensity-baseline"])
    assert shown.exit_code == 0, shown.output
    assert "options (--model-opt key=value):" in shown.output
    assert [l.split()[:2] for l in shown.output.splitlines() if l.startswith("  ")] == [["wt", "float"], ["et", "float"], ["scale", "float"]]
    fcn = runner.invoke(build_app(), ["models", "show", "fcn", "--model-opt", "arch=bcn"])
    assert fcn.exit_code == 2 and "--model-opt arch: not a fcn option" in fcn.output
    listed = runner.invoke(build_app(), ["plugins"])
    assert "  weighted-mean (combiner): weights" in listed.output
    assert "  tunet-postprocess (postprocessor): tc_thresholds, et_min_voxels" in listed.output


def test_adhoc_combiners_with_options() -> None:
    assert parse_adhoc("weighted-mean[weights=2,1](a,b)") == ("weighted-mean", ("a", "b"), {"weights": "2,1"})
    assert parse_adhoc("staple[threshold=0.4;x=1](a, b)") == ("staple", ("a", "b"), {"threshold": "0.4", "x": "1"})
    registry = Registry(get_plugin_manager(entry_points=False))
    a = Prediction(regions=("WT",), probabilities={"WT": np.array([1.0, 0.0, 0.5], np.float32)})
    b = Prediction(regions=("WT",), probabilities={"WT": np.array([0.0, 0.0, 1.0], np.float32)})
    out = get_combiner("weighted-mean", registry, {"weights": "3,1"})([a, b])
    np.testing.assert_allclose(out.probabilities["WT"], [0.75, 0.0, 0.625])
    with pytest.raises(BenchError, match="unknown combiner 'median'"):
        get_combiner("median", registry)


def test_staple_of_identical_members_equals_the_member(tmp_path: Path, synthetic_root: Path) -> None:
    pytest.importorskip("SimpleITK")
    out = tmp_path / "run"
    run_and_render(RunOptions(models=("intensity-baseline", "staple(intensity-baseline,intensity-baseline)"), datasets=("brats18",),
                   out=out, data_roots={"brats18": synthetic_root}, metric_conventions=("brats-legacy",)))
    csv = pd.read_csv(out / "metrics.csv")
    dice = csv[csv.metric == "dice"].pivot_table(index=["case", "region"], columns="model", values="value")
    np.testing.assert_allclose(dice["staple(intensity-baseline,intensity-baseline)"], dice["intensity-baseline"])


def test_errors_name_their_phase() -> None:
    def broken():
        raise RuntimeError("no GPU")

    with pytest.raises(PhaseError, match=r"^load: RuntimeError: no GPU$") as info:
        in_phase("load", broken)
    assert info.value.unexpected and isinstance(info.value.__cause__, RuntimeError)
    with pytest.raises(PhaseError, match=r"^train: x.nii: bad$"):
        in_phase("train", lambda: (_ for _ in ()).throw(BenchError("x.nii: bad")))
    with pytest.raises(DataError, match=r"^a.nii.gz: truncated$"):  # a bad data file is not the model's failure
        in_phase("predict", lambda: (_ for _ in ()).throw(DataError("a.nii.gz: truncated")))


class _Case:
    case_id = "c1"
    shape = (4, 4, 4)


def test_a_prediction_off_the_grid_is_refused() -> None:
    good = Prediction(regions=("WT",), probabilities={"WT": np.zeros((4, 4, 4), np.float32)})
    assert on_grid(good, _Case()) is good
    bad = Prediction(regions=("WT",), probabilities={"WT": np.zeros((4, 4, 1), np.float32)})
    with pytest.raises(BenchError, match=r"^WT probabilities have shape \(4, 4, 1\), case c1 has \(4, 4, 4\)$"):
        on_grid(bad, _Case())


class _FailingModels:
    """A plugin whose model cannot load and one that predicts on the wrong grid."""

    @hookimpl
    def tumorbench_models(self):
        def cannot_load(context):
            raise RuntimeError("weights are corrupt")

        class WrongGrid:
            def predict(self, case):
                return Prediction(regions=("WT",), probabilities={"WT": np.zeros((2, 2, 2), np.float32)})

        return [ModelSpec(name="cannot-load", summary="", load=cannot_load),
                ModelSpec(name="wrong-grid", summary="", regions=("WT",), load=lambda c: WrongGrid())]


def test_the_runner_reports_the_phase(tmp_path: Path, synthetic_root: Path) -> None:
    registry = Registry(get_plugin_manager(entry_points=False, extra=[_FailingModels()]))
    summary = run_and_render(RunOptions(models=("cannot-load", "wrong-grid"), datasets=("brats18",), out=tmp_path / "run",
                             data_roots={"brats18": synthetic_root}, metric_conventions=("brats-legacy",)), registry)
    reasons = {model: reason for model, _, _, reason in summary.failures}
    assert reasons["cannot-load"] == "load: RuntimeError: weights are corrupt"
    assert reasons["wrong-grid"].startswith("predict: WT probabilities have shape (2, 2, 2), case ")
    log = (tmp_path / "run" / "errors.log").read_text(encoding="utf-8")
    assert "weights are corrupt" in log and "Traceback" in log  # a plugin's bug keeps its traceback


def test_init_from_resolves_to_one_checkpoint_file(tmp_path: Path) -> None:
    fold = tmp_path / "fold-0"
    fold.mkdir()
    with pytest.raises(BenchError, match=r"fold-0: no checkpoint\.\* file in this folder"):
        resolve_checkpoint(fold)
    (fold / "checkpoint.pt").write_bytes(b"w")
    (fold / "config.json").write_text("{}")
    assert resolve_checkpoint(fold) == fold / "checkpoint.pt"
    assert resolve_checkpoint(fold / "checkpoint.pt") == fold / "checkpoint.pt"
    (fold / "checkpoint.keras").write_bytes(b"w")
    with pytest.raises(BenchError, match=r"several checkpoint files \(checkpoint.keras, checkpoint.pt\)"):
        resolve_checkpoint(fold)
    with pytest.raises(BenchError, match="checkpoint not found"):
        resolve_checkpoint(tmp_path / "absent")


def test_bench_train_refuses_an_init_from_folder_without_a_checkpoint(tmp_path: Path, synthetic_root: Path) -> None:
    result = runner.invoke(build_app(), ["train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", str(synthetic_root),
                                         "--store", str(tmp_path / "store"), "--init-from", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path}: no checkpoint.* file in this folder" in result.output
