"""`bench evaluate` and `bench run` on the real BraTS 2018 cases, checked against medpy directly."""

from __future__ import annotations

import math
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from medpy.metric import binary
from typer.testing import CliRunner

from tumorbench.cli import build_app

REGIONS = {"WT": (1, 2, 4), "TC": (1, 4), "ET": (4,)}  # docs/datasets.md, label conventions: BraTS 2017-2022


def perturb(label: np.ndarray, index: int) -> np.ndarray:
    """Realistic wrong predictions: shifted, eroded core, spurious blob, missed enhancing tumour."""
    from scipy import ndimage

    out = label.copy()
    kind = index % 4
    if kind == 0:
        out = np.roll(out, (2, -1, 1), axis=(0, 1, 2))
    elif kind == 1:
        core = np.isin(out, (1, 4))
        out[core & ~ndimage.binary_erosion(core, iterations=2)] = 2
    elif kind == 2:
        out[30:38, 40:47, 60:66] = 2
    else:
        out[out == 4] = 1
    return out


def expected_metrics(pred: np.ndarray, ref: np.ndarray, spacing) -> dict[str, float]:
    """medpy's dc / hd95 with CaPTk's empty rules; sensitivity and specificity by counting."""
    p_any, r_any = bool(pred.any()), bool(ref.any())
    diagonal = math.sqrt(sum(s * s for s in ref.shape))
    if p_any and r_any:
        hd = binary.hd95(pred, ref, voxelspacing=spacing)
        dc = binary.dc(pred, ref)
    else:
        hd = 0.0 if not p_any and not r_any else diagonal
        dc = 1.0 if not p_any and not r_any else 0.0
    tp, fn = np.sum(pred & ref), np.sum(~pred & ref)
    tn, fp = np.sum(~pred & ~ref), np.sum(pred & ~ref)
    sens = tp / (tp + fn) if r_any else (1.0 if not p_any else 0.0)
    return {"dice": dc, "hd95": hd, "sensitivity": sens, "specificity": tn / (tn + fp)}


def write_predictions(root: Path, out: Path, limit: int | None) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    segs = sorted(root.rglob("*_seg.nii.gz"))[:limit]
    for i, seg in enumerate(segs):
        image = nib.load(str(seg))
        pred = perturb(np.asarray(image.dataobj).astype(np.uint8), i)
        nib.save(nib.Nifti1Image(pred, image.affine), str(out / seg.name.replace("_seg", "")))
    return [s.name.replace("_seg.nii.gz", "") for s in segs]


def check_against_medpy(root: Path, preds: Path, csv: pd.DataFrame, cases: list[str]) -> None:
    checked = 0
    for case in cases:
        seg = next(root.rglob(f"{case}_seg.nii.gz"))
        ref_img = nib.load(str(seg))
        ref = np.asarray(ref_img.dataobj)
        pred = np.asarray(nib.load(str(preds / f"{case}.nii.gz")).dataobj)
        for region, labels in REGIONS.items():
            expected = expected_metrics(np.isin(pred, labels), np.isin(ref, labels), ref_img.header.get_zooms()[:3])
            for metric, value in expected.items():
                got = csv[(csv.case == case) & (csv.region == region) & (csv.metric == metric)].value.item()
                assert got == pytest.approx(value, abs=1e-9), (case, region, metric)
                checked += 1
    assert checked == len(cases) * 3 * 4


def test_evaluate_two_real_cases_equals_medpy(brats18_root: Path, tmp_path: Path) -> None:
    cases = write_predictions(brats18_root, tmp_path / "preds", limit=2)
    result = CliRunner().invoke(build_app(), ["evaluate", str(tmp_path / "preds"), "-d", "brats18",
                                              "--data-root", str(brats18_root), "--out", str(tmp_path / "ev"),
                                              *sum((["--case", c] for c in cases), [])])
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(tmp_path / "ev" / "metrics.csv")
    check_against_medpy(brats18_root, tmp_path / "preds", csv, cases)


@pytest.mark.slow
def test_run_all_twelve_real_cases_equals_medpy(brats18_root: Path, tmp_path: Path) -> None:
    cases = write_predictions(brats18_root, tmp_path / "preds", limit=None)
    assert len(cases) == 12
    out = tmp_path / "run"
    result = CliRunner().invoke(build_app(), ["run", "-m", f"folder:{tmp_path / 'preds'}", "-m", "intensity-baseline",
                                              "-d", "brats18", "--data-root", str(brats18_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(out / "metrics.csv")
    folder = csv[csv.model == f"folder:{tmp_path / 'preds'}"]
    check_against_medpy(brats18_root, tmp_path / "preds", folder, cases)
    board = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert "| intensity-baseline" in board and "| 12      | 0" in board
