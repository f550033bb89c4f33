"""Speed of the BraTS 2024 metric conventions against brats-2023 on the same real cases; prints ratios.

Each real BraTS 2018 case (labels 1 NCR/NET, 2 edema, 4 enhancing) is converted to each
sub-challenge's labels: brats-2023, MET, SSA and MEN take 1, 2, 4 -> 1, 2, 3; GLI makes the upper
half (along the last axis) of label 1 a resection cavity (4); PED takes 4 -> 1 ET, the lower half
of label 1 -> 2 NETC, its upper half -> 3 CC, 2 -> 4 ED; MEN-RT's GTV is the tumour core. The
prediction is the converted truth rolled by (3, -2, 1) voxels, with an enhancing ball of radius 4
far from the tumour and three single-voxel specks (small lesions the 2024 rules erase).

A case's time is the CPU time of one ``compute`` per region of the convention, as ``score_case``
calls it (region masks made beforehand, not timed): brats-2023 scores WT, TC, ET; GLI and PED six
regions, MEN-RT one. The 2024 conventions get the case's label maps as the core will pass them
(``prediction_labels`` / ``reference_labels``). The ratio is a convention's total time over
brats-2023's on the same cases (goal: at most 2).

With ``--official-python PY --official-repo DIR`` the official scorer (a checkout of
rachitsaluja/BraTS-2024-Metrics at 9a0ab9c, run by an interpreter with its requirements) scores
the first ``--official-cases`` cases too: its CPU time and the largest difference from ours.

Runs on one core. Usage::

    BENCH_TEST_DATA=/path/to/data python benchmarks/bench_brats2024.py [--cases 12]
        [--official-python /venv/bin/python --official-repo BraTS-2024-Metrics --official-cases 2]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from bench_data import brats2018_root  # noqa: E402

from tumorbench.api import MetricInput  # noqa: E402
from tumorbench_plugins.labels import brats2024 as labels2024  # noqa: E402
from tumorbench_plugins.metrics import brats2023  # noqa: E402
from tumorbench_plugins.metrics import brats2024 as metrics2024  # noqa: E402

REGIONS_2023 = {"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,)}


@dataclass(frozen=True)
class LabelledInput(MetricInput):
    """A MetricInput with the two whole label maps (the fields the core is to pass)."""

    prediction_labels: np.ndarray | None = None
    reference_labels: np.ndarray | None = None


def load_case(folder: Path) -> tuple[np.ndarray, tuple[float, float, float]]:
    import nibabel as nib

    image = nib.load(folder / f"{folder.name}_seg.nii.gz")
    return np.asarray(image.dataobj).astype(np.uint8), tuple(float(s) for s in image.header.get_zooms()[:3])


def conversions(seg: np.ndarray) -> dict[str, np.ndarray]:
    """The case in each convention's labels (see the module text)."""
    necrosis = seg == 1
    z = np.argwhere(necrosis)[:, 2]
    upper = necrosis & (np.arange(seg.shape[2])[None, None, :] > (np.median(z) if z.size else 0))
    adult = np.select([seg == 1, seg == 2, seg == 4], [1, 2, 3], 0).astype(np.uint8)
    gli = adult.copy()
    gli[upper] = 4
    ped = np.select([seg == 4, necrosis & ~upper, upper, seg == 2], [1, 2, 3, 4], 0).astype(np.uint8)
    return {
        "brats-2023": adult, "brats-2024-gli": gli, "brats-2024-ped": ped, "brats-2024-met": adult,
        "brats-2024-ssa": adult, "brats-2024-men": adult, "brats-2024-men-rt": ((seg == 1) | (seg == 4)).astype(np.uint8),
    }


def predicted(truth: np.ndarray, enhancing: int, rng: np.random.Generator) -> np.ndarray:
    out = np.roll(truth, (3, -2, 1), axis=(0, 1, 2))
    tumour = np.argwhere(truth > 0)
    centre = tumour.mean(axis=0) if tumour.size else np.array(truth.shape) / 2
    corners = np.array([[x, y, z] for x in (40, truth.shape[0] - 40) for y in (40, truth.shape[1] - 40) for z in (30, truth.shape[2] - 30)])
    far = corners[np.argmax(np.linalg.norm(corners - centre, axis=1))]
    grid = np.ogrid[tuple(slice(0, s) for s in truth.shape)]
    out[sum((ax - c) ** 2 for ax, c in zip(grid, far, strict=True)) <= 16] = enhancing
    for _ in range(3):
        out[tuple(rng.integers(30, s - 30) for s in truth.shape)] = enhancing
    return np.asfortranarray(out)


def enhancing_label(convention: str) -> int:
    return {"brats-2024-ped": 1, "brats-2024-men-rt": 1}.get(convention, 3)


def region_table(convention: str) -> dict[str, tuple[int, ...]]:
    if convention == "brats-2023":
        return REGIONS_2023
    return dict(labels2024.convention(convention).regions)


def spec_of(convention: str):
    if convention == "brats-2023":
        return brats2023.SPEC
    return next(s for s in metrics2024.SPECS if s.name == convention)


def case_time(convention: str, pred: np.ndarray, ref: np.ndarray, spacing) -> tuple[float, dict[str, dict[str, float]]]:
    """CPU time of one compute per region (region masks made first, untimed), and the values."""
    table = region_table(convention)
    masks = {r: (np.isin(pred, v), np.isin(ref, v)) for r, v in table.items()}
    spec = spec_of(convention)
    extra = {} if convention in ("brats-2023", "brats-2024-men") else {"prediction_labels": pred, "reference_labels": ref}
    inputs = {r: LabelledInput(prediction=p, reference=g, spacing=spacing, region=r, **extra) for r, (p, g) in masks.items()}
    metrics2024._CACHE.cases = None  # a new case: no lesion maps kept from a timed run
    start = time.process_time()
    values = {r: dict(spec.compute(item)) for r, item in inputs.items()}
    return time.process_time() - start, values


def run_official(python: str, repo: str, cases: dict[str, tuple[str, np.ndarray, np.ndarray, tuple]]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "cases.npz"
        arrays = {}
        for name, (convention, pred, ref, spacing) in cases.items():
            arrays.update({f"{name}_pred": pred, f"{name}_ref": ref, f"{name}_conv": np.array(convention),
                           f"{name}_spacing": np.array(spacing)})
        np.savez(bundle, **arrays)
        script = Path(__file__).with_name("official_brats2024.py")
        done = subprocess.run([python, str(script), repo, str(bundle)], capture_output=True, text=True, check=True, cwd=tmp)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=12)
    parser.add_argument("--official-python", help="an interpreter with the official scorer's requirements")
    parser.add_argument("--official-repo", help="a checkout of rachitsaluja/BraTS-2024-Metrics")
    parser.add_argument("--official-cases", type=int, default=1, help="cases the official scorer runs (GLI: about 2 CPU-min each)")
    parser.add_argument("--official-conventions", default="brats-2024-gli", help="comma-separated conventions to compare")
    args = parser.parse_args(argv)
    from tabulate import tabulate

    root = brats2018_root()
    folders = sorted(p for grade in ("HGG", "LGG") for p in (root / grade).glob("*") if p.is_dir())[: args.cases]
    if not folders:
        print(f"no BraTS cases under {root}; set BENCH_TEST_DATA", file=sys.stderr)
        return 2
    conventions = ["brats-2023", "brats-2024-gli", "brats-2024-ped", "brats-2024-met", "brats-2024-ssa",
                   "brats-2024-men", "brats-2024-men-rt"]
    times: dict[str, list[float]] = {c: [] for c in conventions}
    ours: dict[str, dict] = {}
    for_official: dict[str, tuple] = {}
    rng = np.random.default_rng(0)
    brats2023.compute(MetricInput(prediction=np.ones((4, 4, 4), bool), reference=np.ones((4, 4, 4), bool),
                                  spacing=(1.0, 1.0, 1.0), region="WT"))  # imports out of the timings
    for index, folder in enumerate(folders):
        seg, spacing = load_case(folder)
        for convention, truth in conversions(seg).items():
            pred = predicted(truth, enhancing_label(convention), rng)
            truth = np.asfortranarray(truth)
            seconds, values = case_time(convention, pred, truth, spacing)
            times[convention].append(seconds)
            if index < args.official_cases and convention in args.official_conventions.split(","):
                name = f"{folder.name}:{convention}"
                ours[name] = values
                for_official[name] = (convention, pred, truth, spacing)
        print(f"{folder.name}: " + ", ".join(f"{c} {times[c][-1]:.2f}s" for c in conventions), file=sys.stderr)
    base = sum(times["brats-2023"])
    rows = [
        [c, len(region_table(c)), f"{statistics.median(t):.3f}", f"{sum(t):.2f}", f"{sum(t) / base:.2f}"]
        for c, t in times.items()
    ]
    print(f"{len(folders)} real BraTS 2018 cases, CPU seconds per case (one compute per region):")
    print(tabulate(rows, headers=["convention", "regions", "median s/case", "total s", "ratio to brats-2023"]))
    if args.official_python and args.official_repo and for_official:
        official = run_official(args.official_python, args.official_repo, for_official)
        rows = []
        for name, result in official.items():
            worst = max(abs(ours[name][r][m] - v) for r, vals in result["regions"].items() for m, v in vals.items())
            ours_time = times[name.split(":")[1]][[f.name for f in folders].index(name.split(":")[0])]
            rows.append([name, f"{result['seconds']:.1f}", f"{ours_time:.2f}", f"{worst:.2e}"])
        print("\nofficial scorer on the same inputs:")
        print(tabulate(rows, headers=["case:convention", "official CPU s", "ours CPU s", "largest |difference|"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
