"""``monai-bundle:PATH``: a tiny bundle written at test time, run end to end through ``bench run``
and checked against the same network, transforms and inferer called from MONAI directly."""

from __future__ import annotations

import builtins
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from helpers.monai_bundles import INPUTS, ROI, SPACING, inference, metadata, network, write_bundle
from typer.testing import CliRunner

from tumorbench.api import DatasetOptions, ModelContext, Registry
from tumorbench.cli import build_app
from tumorbench_plugins.datasets.synthetic import open_synthetic
from tumorbench_plugins.models.monai_bundle.channels import meaning, modality, output_map

torch = pytest.importorskip("torch")
pytest.importorskip("monai")

pytestmark = [
    pytest.mark.torch,
    # MONAI's notices when the reference builds LoadImaged and Orientationd itself (the plugin hushes them)
    pytest.mark.filterwarnings("ignore:NvImgCodecPydicomReader"),
    pytest.mark.filterwarnings("ignore:.*Current default value of argument:FutureWarning"),
]

DATA_PARAMS = {"cases": "2", "size": "40,40,32"}
DATA = ["-d", "synthetic", *[a for k, v in DATA_PARAMS.items() for a in ("--dataset-opt", f"{k}={v}")]]
FILE_ORDER = ("t1ce", "t1", "t2", "flair")  # what INPUTS (T1c, T1, T2, FLAIR) names
UNC_FILES = {"WT": "whole", "TC": "core", "ET": "enhance"}


def bench(*args: str):
    return CliRunner().invoke(build_app(), list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def cases():
    source = open_synthetic(DatasetOptions(root=None, params=DATA_PARAMS))
    return [source.load(case_id) for case_id in source.case_ids()]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return write_bundle(tmp_path / "bundle")


def reference(case, order=FILE_ORDER, seed: int = 0, spatial: bool = True, out_channels: int = 3,
              activation: str = "sigmoid") -> np.ndarray:
    """MONAI called directly on the case's files: LoadImaged (stacking the files in ``order``),
    Orientationd, Spacingd, NormalizeIntensityd, the UNet built by its class, SlidingWindowInferer,
    the activation and Invertd; (K, X, Y, Z) on the case's grid."""
    from monai.inferers import SlidingWindowInferer
    from monai.transforms import Compose, Invertd, LoadImaged, NormalizeIntensityd, Orientationd, Spacingd

    steps = [LoadImaged(keys="image", image_only=True)]
    if spatial:
        steps += [Orientationd(keys="image", axcodes="RAS"), Spacingd(keys="image", pixdim=SPACING, mode="bilinear")]
    steps.append(NormalizeIntensityd(keys="image", nonzero=True, channel_wise=True))
    pre = Compose(steps)
    data = pre({"image": [str(case.images[m].path) for m in order]})
    with torch.no_grad():
        logits = SlidingWindowInferer(roi_size=ROI, sw_batch_size=2, overlap=0.25)(
            data["image"][None], network(seed, out_channels))
        probs = (torch.sigmoid(logits) if activation == "sigmoid" else torch.softmax(logits, dim=1))[0]
        if spatial:
            probs = Invertd(keys="pred", transform=pre, orig_keys="image", nearest_interp=False)(
                {"image": data["image"], "pred": probs})["pred"]
    return np.asarray(probs.detach().cpu(), dtype=np.float32)


def predictor(bundle: Path, **params: str):
    spec = Registry().models.get("monai-bundle")
    context = ModelContext(dataset="synthetic", store=bundle.parent / "store", device="cpu",
                           params={"arg": str(bundle), **params})
    return spec.load(context)


def paint(probabilities: dict[str, np.ndarray]) -> np.ndarray:
    """brats-2017 by hand: WT >= 0.5 is edema (2), TC >= 0.5 necrosis (1), ET >= 0.5 enhancing (4)."""
    labels = np.zeros(probabilities["WT"].shape, np.uint8)
    labels[probabilities["WT"] >= 0.5] = 2
    labels[probabilities["TC"] >= 0.5] = 1
    labels[probabilities["ET"] >= 0.5] = 4
    return labels


def written(out: Path, case_id: str, suffix: str = "") -> np.ndarray:
    path = next((out / "predictions").glob(f"*/synthetic/{case_id}{suffix}.nii.gz"))
    return np.asarray(nib.load(str(path)).dataobj)


# ------------------------------------------------------------------ names


def test_channel_names_as_bundles_write_them() -> None:
    assert [modality(n) for n in ("T1c", "T1", "T2", "FLAIR", "T2-FLAIR", "t1n", "T1-Gd", "t2w", "PD")] == [
        "t1ce", "t1", "t2", "flair", "flair", "t1", "t1ce", "t2", None]
    assert [meaning(n) for n in ("Tumor core", "Whole tumor", "Enhancing tumor", "NCR/NET", "Edema", "background")] == [
        "TC", "WT", "ET", "NCR", "ED", "BG"]
    classes = output_map(["background", "necrosis", "edema", "enhancing"], "softmax", "x", "")
    assert classes.regions == ("WT", "TC", "ET")
    assert [classes.channels_of(r) for r in ("WT", "TC", "ET")] == [(1, 2, 3), (1, 3), (3,)]
    regions = output_map(["Tumor core", "Whole tumor", "Enhancing tumor"], "sigmoid", "x", "")
    assert [regions.channels_of(r) for r in ("WT", "TC", "ET")] == [(1,), (0,), (2,)]


# ------------------------------------------------------------------ predictions


def test_prediction_equals_monai_called_directly(bundle: Path, cases) -> None:
    model = predictor(bundle)
    for case in cases:
        expected = reference(case)
        got = model.predict(case)
        assert got.regions == ("WT", "TC", "ET")
        for region, channel in (("TC", 0), ("WT", 1), ("ET", 2)):  # the metadata's output order
            assert got.probabilities[region].shape == case.shape and got.probabilities[region].dtype == np.float32
            np.testing.assert_allclose(got.probabilities[region], expected[channel], atol=2e-5)
        assert 0.05 < float((got.probabilities["WT"] >= 0.5).mean()) < 0.95  # a real split, not a constant


def test_a_nested_checkpoint_gives_the_same_prediction(bundle: Path, cases) -> None:
    path = bundle / "models" / "model.pt"
    plain = predictor(bundle).predict(cases[0]).probabilities["ET"]
    state = torch.load(path, weights_only=True)
    torch.save({"model": state, "epoch": 7, "optimizer": {"lr": 1e-3}}, path)  # as a CheckpointSaver writes it
    np.testing.assert_array_equal(predictor(bundle).predict(cases[0]).probabilities["ET"], plain)


def test_softmax_classes_add_up_to_regions(tmp_path: Path, cases) -> None:
    meta = metadata(outputs={"0": "background", "1": "necrosis", "2": "edema", "3": "enhancing tumour"})
    root = write_bundle(tmp_path / "softmax", meta=meta, config=inference("softmax", spatial=False, out_channels=4),
                        out_channels=4)
    case = cases[0]
    p = reference(case, spatial=False, out_channels=4, activation="softmax")
    got = predictor(root).predict(case).probabilities
    np.testing.assert_allclose(got["WT"], 1.0 - p[0], atol=2e-5)
    np.testing.assert_allclose(got["TC"], p[1] + p[3], atol=2e-5)
    np.testing.assert_allclose(got["ET"], p[3], atol=2e-5)


def test_channel_order_follows_the_metadata(tmp_path: Path, bundle: Path, cases) -> None:
    case = cases[0]
    base = predictor(bundle).predict(case).probabilities["WT"]

    # the same weights reading the modalities in another order: another prediction, MONAI's on that order
    order = {"0": "FLAIR", "1": "T2", "2": "T1", "3": "T1c"}
    moved = write_bundle(tmp_path / "moved", meta=metadata(inputs=order))
    other = predictor(moved).predict(case).probabilities["WT"]
    assert np.abs(other - base).max() > 0.1
    np.testing.assert_allclose(other, reference(case, order=("flair", "t2", "t1", "t1ce"))[1], atol=2e-5)

    # ... and with the input layer's weights permuted to match, the first prediction again
    perm = [int(new) for _, name in sorted(INPUTS.items()) for new, moved_name in order.items() if moved_name == name]
    state = torch.load(moved / "models" / "model.pt", weights_only=True)
    inputs = [k for k, v in state.items() if v.ndim == 5 and v.shape[1] == 4]
    assert inputs == ["model.0.conv.unit0.conv.weight", "model.0.residual.weight"]
    for k in inputs:
        permuted = torch.empty_like(state[k])
        permuted[:, perm] = state[k]
        state[k] = permuted
    torch.save(state, moved / "models" / "model.pt")
    np.testing.assert_allclose(predictor(moved).predict(case).probabilities["WT"], base, atol=2e-5)

    # the channels option wins over the metadata
    given = predictor(bundle, channels="flair,t2,t1,t1ce").predict(case).probabilities["WT"]
    np.testing.assert_allclose(given, other, atol=2e-5)


# ------------------------------------------------------------------ bench run


def test_bench_run_end_to_end_and_a_changed_weight_file_is_stale(tmp_path: Path, bundle: Path, cases) -> None:
    out = tmp_path / "run"
    model = f"monai-bundle:{bundle}"
    result = bench("run", "-m", model, *DATA, "--out", str(out), "--device", "cpu")
    assert result.exit_code == 0, result.output
    assert "2 scored, 0 predicted without ground truth, 0 failed, 0 already done" in result.output
    for case in cases:
        p = reference(case)
        probs = {"TC": p[0], "WT": p[1], "ET": p[2]}
        labels = written(out, case.case_id)
        decided = np.all([np.abs(v - 0.5) > 1e-3 for v in probs.values()], axis=0)
        assert decided.mean() > 0.8
        np.testing.assert_array_equal(labels[decided], paint(probs)[decided])
        for region, word in UNC_FILES.items():  # uncertainty maps: 200 min(p, 1 - p), rounded
            unc = written(out, case.case_id, f"_unc_{word}").astype(float)
            assert np.abs(unc - 200 * np.minimum(probs[region], 1 - probs[region])).max() <= 0.51

    assert "0 scored, 0 predicted without ground truth, 0 failed, 2 already done" in bench(
        "run", "-m", model, *DATA, "--out", str(out), "--device", "cpu").output

    before = written(out, cases[0].case_id, "_unc_whole")
    write_bundle(bundle, seed=1)  # other weights in models/model.pt
    again = bench("run", "-m", model, *DATA, "--out", str(out), "--device", "cpu")
    assert again.exit_code == 0, again.output
    assert "predicted again: model changed (checkpoint, options or plugin version): 2 case(s)" in again.output
    assert not np.array_equal(before, written(out, cases[0].case_id, "_unc_whole"))


def test_mean_ensemble_with_the_intensity_baseline(tmp_path: Path, bundle: Path, cases) -> None:
    out = tmp_path / "run"
    result = bench("run", "-m", f"mean(monai-bundle:{bundle},intensity-baseline)", *DATA, "--out", str(out), "--device", "cpu")
    assert result.exit_code == 0, result.output
    assert "2 scored" in result.output
    # the same ensemble with the bundle given as a member option instead of the member's argument
    same = bench("run", "-m", "mean(monai-bundle,intensity-baseline)", "--model-opt", f"monai-bundle.bundle={bundle}",
                 *DATA, "--out", str(tmp_path / "again"), "--device", "cpu")
    assert same.exit_code == 0, same.output
    baseline = Registry().models.get("intensity-baseline").load(ModelContext(dataset="synthetic", store=tmp_path))
    for case in cases:
        p = reference(case)
        q = baseline.predict(case).probabilities
        mean = {"TC": (p[0] + q["TC"]) / 2, "WT": (p[1] + q["WT"]) / 2, "ET": (p[2] + q["ET"]) / 2}
        unc = written(out, case.case_id, "_unc_whole").astype(float)
        assert np.abs(unc - 200 * np.minimum(mean["WT"], 1 - mean["WT"])).max() <= 0.51


def test_models_show_describes_the_bundle(bundle: Path) -> None:
    result = bench("models", "show", "monai-bundle", "--model-opt", f"bundle={bundle}")
    assert result.exit_code == 0, result.output
    count = sum(p.numel() for p in network().parameters())
    assert "input      image: t1ce, t1, t2, flair" in result.output
    assert "output     sigmoid: 0=TC, 1=WT, 2=ET -> regions WT, TC, ET" in result.output
    assert f"network    UNet, {count:,d} parameters" in result.output
    bare = bench("models", "show", "monai-bundle")
    assert bare.exit_code == 0 and "bench models show monai-bundle --model-opt bundle=PATH" in bare.output


# ------------------------------------------------------------------ refusals


def failure(bundle: Path, tmp_path: Path, *options: str) -> str:
    """The one reason every case failed with, from ``bench run``."""
    args = [a for o in options for a in ("--model-opt", o)]
    result = bench("run", "-m", f"monai-bundle:{bundle}", *DATA, *args, "--out", str(tmp_path / "r"), "--device", "cpu")
    assert result.exit_code != 0
    lines = [l for l in result.output.splitlines() if l.startswith("failed: ")]
    assert len(lines) == 1, result.output
    return lines[0].split(": load: ", 1)[1]


def test_missing_metadata_is_one_line_naming_it(tmp_path: Path, bundle: Path) -> None:
    (bundle / "configs" / "metadata.json").unlink()
    assert failure(bundle, tmp_path) == (f"{bundle / 'configs' / 'metadata.json'}: file not found; a MONAI bundle "
                                         "needs configs/metadata.json, its network config and its weights")


def test_unknown_modality_is_one_line(tmp_path: Path) -> None:
    root = write_bundle(tmp_path / "b", meta=metadata(inputs={"0": "T1c", "1": "T1", "2": "PD", "3": "FLAIR"}))
    reason = failure(root, tmp_path)
    assert reason.startswith(f"{root / 'configs' / 'metadata.json'}: input channel 2 is 'PD', not a modality "
                             "tumorbench reads (flair, t1, t1ce, t2); give the order with --model-opt channels=")
    assert failure(root, tmp_path, "channels=t1ce,t1,pd,flair") == (
        "--model-opt channels: input channel 2 is 'pd', not a modality tumorbench reads (flair, t1, t1ce, t2)")


def test_a_pickle_that_is_not_weights_is_refused_unrun(tmp_path: Path, bundle: Path) -> None:
    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):
            return (builtins.open, (str(marker), "w"))

    torch.save({"model.0.conv.unit0.conv.weight": Payload()}, bundle / "models" / "model.pt")
    reason = failure(bundle, tmp_path)
    assert reason.startswith(f"{bundle / 'models' / 'model.pt'}: not a weights-only checkpoint, refused by "
                             f"torch.load(weights_only=True) (Unsupported global: GLOBAL {builtins.open.__module__}.open)")
    assert reason.endswith("tumorbench does not unpickle code")
    assert not marker.exists()


def test_weights_or_network_that_do_not_load_name_the_file(tmp_path: Path, bundle: Path) -> None:
    small = write_bundle(tmp_path / "other", out_channels=2)  # 2 output channels: weights of another shape
    shutil.copy(small / "models" / "model.pt", bundle / "models" / "model.pt")
    # the two output layers' weights and biases: (24, 2, ...) for (24, 3, ...), (2,) for (3,), (3, 2, ...), ...
    assert failure(bundle, tmp_path) == (
        f"{bundle / 'models' / 'model.pt'}: the weights do not fit network_def of {bundle / 'configs' / 'inference.json'}:"
        " 4 of another shape (first 'model.2.0.conv.weight': (24, 2, 3, 3, 3), the network has (24, 3, 3, 3, 3))")

    config = inference()
    config["network_def"]["_target_"] = "NoSuchNet"
    (bundle / "configs" / "inference.json").write_text(json.dumps(config), encoding="utf-8")
    assert failure(bundle, tmp_path).startswith(f"{bundle / 'configs' / 'inference.json'}: network_def does not load (")

    del config["postprocessing"]
    config["network_def"]["_target_"] = "UNet"
    (bundle / "configs" / "inference.json").write_text(json.dumps(config), encoding="utf-8")
    assert failure(bundle, tmp_path) == (
        f"{bundle / 'configs' / 'inference.json'}: the postprocessing names no sigmoid or softmax; tell how the "
        "output is read with --model-opt activation=sigmoid (one region per channel) or softmax (one class per channel)")


def test_missing_extra_is_one_line_naming_the_install(tmp_path: Path, bundle: Path) -> None:
    code = ("import sys; sys.modules['monai'] = None; sys.argv = ['bench', *sys.argv[1:]]; "
            "from tumorbench.cli import main; main()")
    args = ["run", "-m", f"monai-bundle:{bundle}", *DATA, "--out", str(tmp_path / "r")]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode != 0
    assert "load: model monai-bundle needs MONAI: pip install 'tumorbench[monai]' (ModuleNotFoundError: " in done.stdout + done.stderr


def test_registering_the_plugin_imports_neither_torch_nor_monai() -> None:
    code = ("import sys; from tumorbench.cli import build_app; from tumorbench.api import Registry; build_app(); "
            "Registry().models.get('monai-bundle'); print(sorted(m for m in ('torch', 'monai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert out.strip() == "[]"
