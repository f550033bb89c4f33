"""``bench export --format brats``: the per-case tables the BraTS challenges' scorers write (one
row per case, ``<Metric>_<Region>`` columns with the official metric names, a failed case marked
``*``, then mean, std and quartile rows), checked against metrics.csv and pandas' own statistics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers.rendering import run_and_render
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.run.options import RunOptions

# the column names of the BraTS 2023/2024 Synapse scorer's per-case table (docs/export.md): the
# metric renamed (LesionWise_Score_Dice -> LesionWise_Dice, Legacy_HD95 -> Hausdorff95, ...) joined to the region
OFFICIAL = [f"{metric}_{region}" for metric in ("Dice", "Hausdorff95", "Sensitivity", "Specificity", "LesionWise_Dice",
                                                "LesionWise_Hausdorff95") for region in ("ET", "TC", "WT")]


@pytest.fixture
def run_dir(tmp_path: Path, synthetic_root: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(synthetic_root, data)
    broken = sorted(data.glob("*GG/*"))[1]
    (broken / f"{broken.name}_flair.nii.gz").write_bytes(b"not a NIfTI file")  # this case fails, worst-case scored
    out = tmp_path / "run"
    run_and_render(RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=out, data_roots={"brats18": data},
                              metric_conventions=("brats-2023",)))
    return out


def test_the_challenge_table_of_a_run(tmp_path: Path, run_dir: Path) -> None:
    result = CliRunner().invoke(build_app(), ["export", str(run_dir), "--format", "brats", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "x").glob("*.csv"))
    assert [f.name for f in files] == ["run__intensity-baseline__brats18__brats-2023__mm.csv"]
    table = pd.read_csv(files[0], index_col="scan_id")
    assert list(table.columns) == OFFICIAL
    cases, stats = table.iloc[:-5], table.iloc[-5:]
    assert list(stats.index) == ["mean", "std", "25quantile", "median", "75quantile"]
    failed = [c for c in cases.index if c.endswith("*")]
    assert len(failed) == 1 and cases.loc[failed[0], "Dice_WT"] == 0.0 and cases.loc[failed[0], "Hausdorff95_WT"] == 374.0
    csv = pd.read_csv(run_dir / "metrics.csv")
    renamed = {"dice": "Dice", "hd95": "Hausdorff95", "sensitivity": "Sensitivity", "specificity": "Specificity",
               "lesion_dice": "LesionWise_Dice", "lesion_hd95": "LesionWise_Hausdorff95"}
    for row in csv.itertuples():
        scan = row.case + ("*" if row.status == "case-failed" else "")
        assert table.loc[scan, f"{renamed[row.metric]}_{row.region}"] == pytest.approx(row.value, abs=1e-12)
    describe = cases.astype(float).describe()  # pandas' own statistics of the per-case rows
    for ours, theirs in (("mean", "mean"), ("std", "std"), ("25quantile", "25%"), ("median", "50%"), ("75quantile", "75%")):
        pd.testing.assert_series_equal(stats.loc[ours].astype(float), describe.loc[theirs], check_names=False)


def test_a_run_without_scores_in_those_units_is_refused(tmp_path: Path, run_dir: Path) -> None:
    result = CliRunner().invoke(build_app(), ["export", str(run_dir), "--format", "brats", "--units", "voxel",
                                              "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "no scores to export in voxel units" in result.output
    assert not (tmp_path / "x").exists()
